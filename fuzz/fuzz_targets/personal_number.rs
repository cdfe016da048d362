//! `PersonalNumber::parse` on arbitrary text: it never panics, and whatever it accepts is
//! stored in a 12-digit form that parses back to the same number (same kind, same birth
//! date, complete or not: an incomplete one's earliest day is not in the future).
//! `PersonalNumber::parse_with_reserve` with the default reservnummer pattern: it accepts
//! every personnummer `parse` accepts, as the same number, and whatever else it accepts is a
//! reservnummer whose stored form reads back as the same reservnummer and never as a
//! personnummer. Non-UTF-8 input is skipped: the API only ever hands it `&str`.
//!
//! Seeds: `fuzz/seeds/personal_number/`. Run with `bash reliability/fuzz.sh`.
#![no_main]

use chrono::NaiveDate;
use domain::personal_number::{PersonalNumber, PersonalNumberKind, ReserveNumberPattern};
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
    let with_reserve = PersonalNumber::parse_with_reserve(text, TODAY, &ReserveNumberPattern::default());
    let Ok(number) = PersonalNumber::parse(text, TODAY) else {
        if let Ok(reserve) = with_reserve {
            assert_eq!(reserve.kind(), PersonalNumberKind::Reservnummer, "{text:?}");
            assert!(PersonalNumber::from_stored(reserve.as_str()).is_err(), "{text:?}");
            assert_eq!(
                PersonalNumber::from_stored_reserve(reserve.as_str()).ok(),
                Some(reserve),
                "{text:?}"
            );
        }
        return;
    };
    assert_eq!(with_reserve.ok().as_ref(), Some(&number), "{text:?} with the reserve pattern");
    let Some(birth) = number.birth() else {
        panic!("{text:?} is a personnummer without a birth date");
    };
    let twelve = number.as_str();
    assert!(
        twelve.len() == 12 && twelve.bytes().all(|b| b.is_ascii_digit()),
        "{text:?} was stored as {twelve:?}, not 12 digits"
    );
    assert_eq!(number.to_string(), twelve, "Display is the 12-digit form");
    assert!(
        birth.earliest() <= TODAY,
        "{text:?} was born in the future"
    );
    assert!(
        birth.year() >= 1800,
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
        again.birth(),
        number.birth(),
        "birth date of {text:?}"
    );
    assert_eq!(again, number, "{text:?} re-parsed from {twelve:?}");
});
