//! The person import parser (`openapi::import::parse_person_import`) on arbitrary bytes: it
//! never panics; what it accepts is at most `MAX_IMPORT_LINES` registrations, on distinct
//! lines in file order, no personal number twice, each personnummer or samordningsnummer in
//! its 12-digit form and each reservnummer (the default pattern) in its compact form of 12
//! letters and digits; what it refuses names at least one error, each on a line or on the
//! body.
//!
//! Seeds: `fuzz/seeds/import_line/`. Run with `bash reliability/fuzz.sh`.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use domain::personal_number::{PersonalNumberKind, ReserveNumberPattern};
use openapi::import::{MAX_IMPORT_LINES, parse_person_import};

/// Fixed, so a crash reproduces on any later day (the 10-digit forms depend on it).
const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 23) {
    Some(date) => date,
    None => panic!("2026-11-23 is a date"),
};

fuzz_target!(|data: &[u8]| {
    let line_count = data.split(|byte| *byte == b'\n').count();
    let reserve = ReserveNumberPattern::default();
    match parse_person_import(data, TODAY, &reserve) {
        Ok(lines) => {
            assert!(!lines.is_empty() && lines.len() <= MAX_IMPORT_LINES);
            let mut previous_line = 0;
            let mut numbers = std::collections::HashSet::new();
            for line in &lines {
                assert!(line.line > previous_line && line.line <= line_count);
                previous_line = line.line;
                let parsed = &line.registration.personal_number;
                let number = parsed.as_str();
                if parsed.kind() == PersonalNumberKind::Reservnummer {
                    assert!(
                        number.len() == 12 && number.bytes().all(|b| b.is_ascii_alphanumeric()),
                        "{number:?} is not a compact reservnummer"
                    );
                } else {
                    assert!(
                        number.len() == 12 && number.bytes().all(|b| b.is_ascii_digit()),
                        "{number:?} is not in the 12-digit form"
                    );
                }
                assert!(numbers.insert(number.to_owned()), "{number} twice");
            }
        }
        Err(failure) => {
            assert!(!failure.errors.is_empty());
            for error in &failure.errors {
                assert!(
                    error.field == "body" || error.field.starts_with("line "),
                    "{error:?} names neither a line nor the body"
                );
            }
        }
    }
});
