//! The dates and instants the API accepts from a client: years 1900–2199. A year 1, −1 or 9999
//! in a consent, a plan or a case is a typing error, not a fact about her care, and an instant
//! outside this range cannot be shown in RFC 3339 with the Stockholm offset of its day. Leap
//! seconds (`:60`) are refused: clients and the two databases read them differently.
//!
//! Every date or instant in a request body or a query is checked against this one rule
//! (`openapi::FieldErrors::plausible_date` / `plausible_instant`), and the spec states it as a
//! pattern on the year.

use chrono::{DateTime, Datelike, NaiveDate, SubsecRound, Timelike, Utc};

use crate::InvalidValue;

/// The years a date or an instant from a client may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// The JSON Schema pattern that states [`YEARS`] on a `date` or `date-time` string. Wire
/// types mark their date fields with it; the served spec states the whole shape instead
/// ([`DATE_PATTERN`], [`INSTANT_PATTERN`]), which also lets a generator draw valid values.
pub const YEAR_PATTERN: &str = "^(19|20|21)[0-9]{2}-";

/// A `date` (RFC 3339 `full-date`) within [`YEARS`].
pub const DATE_PATTERN: &str = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// A `date-time` (RFC 3339) within [`YEARS`], without a leap second (`:60`).
pub const INSTANT_PATTERN: &str = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

/// The pattern the spec states on a string of JSON Schema `format` (`date`, `date-time`).
pub fn pattern_for_format(format: &str) -> Option<&'static str> {
    match format {
        "date" => Some(DATE_PATTERN),
        "date-time" => Some(INSTANT_PATTERN),
        _ => None,
    }
}

fn out_of_range() -> InvalidValue {
    InvalidValue::new(format!(
        "must be between the years {} and {}",
        YEARS.start(),
        YEARS.end()
    ))
}

/// A date within [`YEARS`].
pub fn date(date: NaiveDate) -> Result<NaiveDate, InvalidValue> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(out_of_range())
    }
}

/// An instant within [`YEARS`] (in UTC), not a leap second, truncated to microseconds (what
/// both databases store).
pub fn instant(at: DateTime<Utc>) -> Result<DateTime<Utc>, InvalidValue> {
    if !YEARS.contains(&at.year()) {
        return Err(out_of_range());
    }
    if at.nanosecond() >= 1_000_000_000 {
        return Err(InvalidValue::new("a leap second (`:60`) is not accepted"));
    }
    Ok(at.trunc_subsecs(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_from_1900_to_2199_are_accepted_and_nothing_outside() {
        assert!(date(day(1900, 1, 1)).is_ok());
        assert!(date(day(2199, 12, 31)).is_ok());
        assert!(date(day(1899, 12, 31)).is_err());
        assert!(date(day(2200, 1, 1)).is_err());
        assert!(date(day(-1, 1, 1)).is_err());
        assert!(date(day(9999, 12, 31)).is_err());
    }

    #[test]
    fn instants_are_bounded_truncated_and_never_leap_seconds() {
        let at = |y| day(y, 6, 1).and_hms_nano_opt(12, 0, 0, 123_456_789);
        let ok = at(2026).map(|t| instant(t.and_utc()));
        assert_eq!(
            ok.and_then(Result::ok).map(|t| t.nanosecond()),
            Some(123_456_000)
        );
        assert!(at(1899).is_some_and(|t| instant(t.and_utc()).is_err()));
        assert!(at(2200).is_some_and(|t| instant(t.and_utc()).is_err()));
        let leap = day(2016, 12, 31).and_hms_nano_opt(23, 59, 59, 1_500_000_000);
        assert!(leap.is_some_and(|t| instant(t.and_utc()).is_err()));
    }
}
