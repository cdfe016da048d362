//! `PersonalNumber::parse` on arbitrary text: it never panics, and whatever it accepts is
//! stored in a 12-digit form that parses back to the same number (same kind, same birth
//! date). Non-UTF-8 input is skipped: the API only ever hands it `&str`.
//!
//! Seeds: `fuzz/seeds/personal_number/`. Run with `bash reliability/fuzz.sh`.
#![no_main]

use chrono::{Datelike, NaiveDate};
use domain::personal_number::PersonalNumber;
use libfuzzer_sys::fuzz_target;

/// The day the 10-digit forms are read on (it decides their century); fixed so a crash
/// reproduces on any later day.
const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 23) {
    Some(date) => date,
    None => panic!("2026-11-23 is a date"),
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(number) = PersonalNumber::parse(text, TODAY) else {
        return;
    };
    let twelve = number.as_str();
    assert!(
        twelve.len() == 12 && twelve.bytes().all(|b| b.is_ascii_digit()),
        "{text:?} was stored as {twelve:?}, not 12 digits"
    );
    assert_eq!(number.to_string(), twelve, "Display is the 12-digit form");
    assert!(
        number.birth_date() <= TODAY,
        "{text:?} was born in the future"
    );
    assert!(
        number.birth_date().year() >= 1800,
        "{text:?} was born before 1800"
    );
    let again = match PersonalNumber::parse(twelve, TODAY) {
        Ok(again) => again,
        Err(error) => {
            panic!("{text:?} parsed, but its 12-digit form {twelve:?} did not: {error:?}")
        }
    };
    assert_eq!(again.kind(), number.kind(), "kind of {text:?}");
    assert_eq!(
        again.birth_date(),
        number.birth_date(),
        "birth date of {text:?}"
    );
    assert_eq!(again, number, "{text:?} re-parsed from {twelve:?}");
});
