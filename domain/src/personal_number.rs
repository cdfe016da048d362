//! Swedish personal identity numbers: personnummer and samordningsnummer (coordination
//! numbers for people not registered in Sweden).
//!
//! Accepted forms: `YYYYMMDD-NNNC`, `YYYYMMDDNNNC`, `YYMMDD-NNNC`, `YYMMDDNNNC` and `YYMMDD+NNNC`.
//! The separator of the 10-digit form turns from `-` to `+` at the start of the calendar year
//! in which the person turns 100 (Folkbokföringslag (1991:481) 18 §; Skatteverket, SKV 704),
//! so the century of a 10-digit number depends on the year, not on whether this year's
//! birthday has passed. `NNN` is the birth number (födelsenummer; `000` is never issued) and
//! `C` the Luhn check digit over the nine digits `YYMMDDNNN`. In a samordningsnummer the day is
//! the birth day plus 60. Stored and returned in the 12-digit form `YYYYMMDDNNNC`.

use chrono::{Datelike, NaiveDate};

use crate::InvalidValue;

/// Which kind of number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonalNumberKind {
    Personnummer,
    Samordningsnummer,
}

impl PersonalNumberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonalNumberKind::Personnummer => "personnummer",
            PersonalNumberKind::Samordningsnummer => "samordningsnummer",
        }
    }
}

/// A valid personnummer or samordningsnummer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonalNumber {
    /// `YYYYMMDDNNNC`.
    twelve_digits: String,
    kind: PersonalNumberKind,
    birth_date: NaiveDate,
}

/// Which rules a number is read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rules {
    /// A number given to the API: every rule.
    New,
    /// A number read back from storage.
    Stored,
}

/// Days added to the birth day in a samordningsnummer.
const COORDINATION_DAY_OFFSET: u32 = 60;

/// No number is accepted for a birth year before this.
const EARLIEST_BIRTH_YEAR: i32 = 1800;

fn invalid(rule: &str) -> InvalidValue {
    InvalidValue::new(format!(
        "not a valid personnummer or samordningsnummer: {rule}"
    ))
}

impl PersonalNumber {
    /// Parses `text`; `today` decides the century of 10-digit forms.
    pub fn parse(text: &str, today: NaiveDate) -> Result<Self, InvalidValue> {
        Self::parse_as(text, today, Rules::New)
    }

    /// Reads a number as stored (the 12-digit form): every rule applies except those added
    /// after numbers were first stored (birth number `000`) and the future-birth-date rule,
    /// so that a record registered under older rules stays readable.
    pub fn from_stored(twelve_digits: &str) -> Result<Self, InvalidValue> {
        Self::parse_as(twelve_digits, NaiveDate::MAX, Rules::Stored)
    }

    fn parse_as(text: &str, today: NaiveDate, rules: Rules) -> Result<Self, InvalidValue> {
        let text = text.trim();
        let (digits, separator) = match text.find(['-', '+']) {
            Some(at) => {
                let (before, after) = text.split_at(at);
                (format!("{before}{}", &after[1..]), after.chars().next())
            }
            None => (text.to_owned(), None),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "only digits and one `-` or `+` before the last four digits are allowed",
            ));
        }
        if let Some(at) = text.find(['-', '+'])
            && text.len() - at != 5
        {
            return Err(invalid(
                "the `-` or `+` must stand before the last four digits",
            ));
        }
        let (century, ten) = match digits.len() {
            12 => {
                if separator == Some('+') {
                    return Err(invalid("`+` is only used with the 10-digit form"));
                }
                let century: i32 = digits[..2].parse().map_err(|_| invalid("bad century"))?;
                (Some(century), &digits[2..])
            }
            10 => (None, digits.as_str()),
            n => return Err(invalid(&format!("it has {n} digits; expected 10 or 12"))),
        };
        if luhn_check_digit(&ten[..9]) != ten.as_bytes()[9] - b'0' {
            return Err(invalid("the check digit (last digit) does not match"));
        }
        if rules == Rules::New && &ten[6..9] == "000" {
            return Err(invalid("birth number `000` is never issued"));
        }
        let two_digit_year: i32 = ten[..2].parse().map_err(|_| invalid("bad year"))?;
        let month: u32 = ten[2..4].parse().map_err(|_| invalid("bad month"))?;
        let mut day: u32 = ten[4..6].parse().map_err(|_| invalid("bad day"))?;
        let kind = if day > COORDINATION_DAY_OFFSET {
            day -= COORDINATION_DAY_OFFSET;
            PersonalNumberKind::Samordningsnummer
        } else {
            PersonalNumberKind::Personnummer
        };
        let full_year = match century {
            Some(century) => century * 100 + two_digit_year,
            None => {
                let aged_100_or_more = separator == Some('+');
                year_for_short_form(two_digit_year, month, day, today, aged_100_or_more)
            }
        };
        // Both forms: nobody alive was born before this (the fuzzer found `00010101-0007`).
        if full_year < EARLIEST_BIRTH_YEAR {
            return Err(invalid(&format!(
                "the birth year would be before {EARLIEST_BIRTH_YEAR}"
            )));
        }
        let birth_date = NaiveDate::from_ymd_opt(full_year, month, day).ok_or_else(|| {
            invalid(&format!(
                "{full_year:04}-{month:02}-{day:02} is not a calendar date"
            ))
        })?;
        if birth_date > today {
            return Err(invalid("the birth date is in the future"));
        }
        Ok(Self {
            twelve_digits: format!("{full_year:04}{}", &ten[2..]),
            kind,
            birth_date,
        })
    }

    /// The 12-digit form `YYYYMMDDNNNC`.
    pub fn as_str(&self) -> &str {
        &self.twelve_digits
    }

    pub fn kind(&self) -> PersonalNumberKind {
        self.kind
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
}

impl std::fmt::Display for PersonalNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.twelve_digits)
    }
}

/// The full year of a 10-digit number whose year digits are `yy`.
///
/// `+` (aged 100 or more): she turns 100 in this calendar year or turned 100 earlier, so the
/// year is the latest one ending in `yy` that is at least 100 years before today's year.
/// `-` (or none): she turns at most 99 this year, so the year is the latest one ending in `yy`
/// not after today's year; when that would put the birth date later this year (not yet born),
/// the number is read as written by a system that keeps `-` until the 100th birthday itself,
/// one century back — the same person the `+` form names, never a second one.
fn year_for_short_form(
    yy: i32,
    month: u32,
    day: u32,
    today: NaiveDate,
    aged_100_or_more: bool,
) -> i32 {
    let latest_ending_in_yy = |not_after: i32| not_after - (not_after - yy).rem_euclid(100);
    if aged_100_or_more {
        return latest_ending_in_yy(today.year() - 100);
    }
    let year = latest_ending_in_yy(today.year());
    // Compare month and day only: an impossible date is reported once the year is known.
    if year == today.year() && (month, day) > (today.month(), today.day()) {
        year - 100
    } else {
        year
    }
}

/// The Luhn check digit of `digits` (weights 2,1,2,1,… from the left over nine digits).
fn luhn_check_digit(digits: &str) -> u8 {
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn parse(text: &str) -> Result<String, String> {
        PersonalNumber::parse(text, today())
            .map(|p| p.to_string())
            .map_err(|e| e.message)
    }

    #[test]
    fn accepts_the_tax_agencys_test_numbers_in_every_form() {
        assert_eq!(parse("19121212-1212"), Ok("191212121212".into()));
        assert_eq!(parse("191212121212"), Ok("191212121212".into()));
        assert_eq!(parse("121212+1212"), Ok("191212121212".into()));
        assert_eq!(parse("121212-1212"), Ok("201212121212".into()));
        assert_eq!(parse("1212121212"), Ok("201212121212".into()));
    }

    #[test]
    fn short_forms_take_the_latest_century_not_in_the_future() {
        // 19 Dec has not come yet in 2026: someone born on 2026-12-19 cannot exist.
        let born = format!("261219-123{}", luhn_check_digit("261219123"));
        assert_eq!(parse(&born).map(|n| n[..4].to_owned()), Ok("1926".into()));
        let born = format!("261019-123{}", luhn_check_digit("261019123"));
        assert_eq!(parse(&born).map(|n| n[..4].to_owned()), Ok("2026".into()));
        let centenarian = format!("261019+123{}", luhn_check_digit("261019123"));
        assert_eq!(
            parse(&centenarian).map(|n| n[..4].to_owned()),
            Ok("1926".into())
        );
    }

    /// `YYMMDD` + separator + birth number + check digit.
    fn short(birth: &str, separator: char, serial: &str) -> String {
        let check = luhn_check_digit(&format!("{birth}{serial}"));
        format!("{birth}{separator}{serial}{check}")
    }

    fn year_on(text: &str, on: NaiveDate) -> Result<i32, String> {
        PersonalNumber::parse(text, on)
            .map(|p| p.birth_date().year())
            .map_err(|e| e.message)
    }

    #[test]
    fn the_plus_form_counts_from_the_calendar_year_of_the_100th_birthday() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        // The field trial's case: she turns 100 on 19 December 2026, so from 1 January 2026 her
        // number is written with `+`, and it names the person registered as 19261219-4551.
        assert_eq!(
            PersonalNumber::parse("261219+4551", on).map(|p| p.to_string()),
            Ok("192612194551".into())
        );
        assert_eq!(year_on(&short("261219", '+', "455"), on), Ok(1926));
        assert_eq!(year_on(&short("260101", '+', "455"), on), Ok(1926));
        assert_eq!(year_on(&short("261231", '+', "455"), on), Ok(1926));
        assert_eq!(year_on(&short("270101", '+', "455"), on), Ok(1827));
        assert_eq!(year_on(&short("251231", '+', "455"), on), Ok(1925));
        // `-`: at most 99 this year.
        assert_eq!(year_on(&short("261019", '-', "455"), on), Ok(2026));
        assert_eq!(year_on(&short("270101", '-', "455"), on), Ok(1927));
        assert_eq!(year_on(&short("261219", '-', "455"), on), Ok(1926));
        // 31 December and New Year's Day.
        let new_years_eve = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        assert_eq!(
            year_on(&short("261231", '-', "455"), new_years_eve),
            Ok(2026)
        );
        assert_eq!(
            year_on(&short("261231", '+', "455"), new_years_eve),
            Ok(1926)
        );
        let new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        assert_eq!(year_on(&short("271231", '+', "455"), new_year), Ok(1927));
        assert_eq!(year_on(&short("261231", '-', "455"), new_year), Ok(2026));
        // 29 February: born 1928, turns 100 in 2028.
        let in_2028 = NaiveDate::from_ymd_opt(2028, 1, 10).unwrap_or_default();
        assert_eq!(year_on(&short("280229", '+', "455"), in_2028), Ok(1928));
        let in_2027 = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap_or_default();
        assert_eq!(year_on(&short("280229", '-', "455"), in_2027), Ok(1928));
    }

    #[test]
    fn birth_number_000_is_never_issued() {
        assert!(
            parse(&with_check("19121212-000"))
                .err()
                .unwrap_or_default()
                .contains("birth number `000`")
        );
        assert!(parse(&with_check("19121212-001")).is_ok());
        assert!(parse(&short("121212", '+', "000")).is_err());
        // Registered before the rule: still readable.
        assert!(PersonalNumber::from_stored(&with_check("19121212-000").replace('-', "")).is_ok());
    }

    #[test]
    fn samordningsnummer_adds_60_to_the_day() {
        let number = PersonalNumber::parse("19701063-2391", today());
        assert_eq!(
            number.as_ref().map(|n| n.kind()),
            Ok(PersonalNumberKind::Samordningsnummer)
        );
        assert_eq!(
            number.map(|n| n.birth_date()),
            Ok(NaiveDate::from_ymd_opt(1970, 10, 3).unwrap_or_default())
        );
    }

    /// `YYYYMMDD-NNN` with its correct check digit appended.
    fn with_check(body: &str) -> String {
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        format!("{body}{}", luhn_check_digit(&digits[2..11]))
    }

    #[test]
    fn rejects_each_broken_rule_with_its_reason() {
        let reason = |text: &str| parse(text).err().unwrap_or_default();
        assert!(reason("19121212-1213").contains("check digit"));
        assert!(reason(&with_check("00010101-001")).contains("before 1800"));
        assert!(reason(&with_check("17991231-123")).contains("before 1800"));
        assert!(
            reason(&with_check("19121312-121")).contains("calendar date"),
            "month 13"
        );
        assert!(
            reason(&with_check("19230229-123")).contains("calendar date"),
            "1923 is no leap year"
        );
        assert!(
            reason(&with_check("19121260-121")).contains("calendar date"),
            "samordningsnummer day 0"
        );
        assert!(
            reason(&with_check("19121292-121")).contains("calendar date"),
            "samordningsnummer day 32"
        );
        assert!(reason(&with_check("20991212-121")).contains("future"));
        assert!(reason("19121212+1212").contains("10-digit"));
        assert!(reason("191212-121212").contains("last four"));
        assert!(reason("19121212_1212").contains("digits"));
        assert!(reason("12345").contains("5 digits"));
        assert!(reason("").contains("0 digits"));
    }

    #[test]
    fn leap_days_are_real_dates_in_leap_years() {
        assert!(parse(&with_check("20000229-123")).is_ok());
        assert!(
            parse(&with_check("20000289-123")).is_ok(),
            "samordningsnummer of a leap day"
        );
        assert!(
            parse(&with_check("19000229-123")).is_err(),
            "1900 was no leap year"
        );
    }

    proptest! {
        #[test]
        fn every_valid_number_round_trips_in_all_its_forms(
            days_back in 0i64..(120 * 365),
            serial in 1u32..1000,
            coordination in any::<bool>(),
        ) {
            let birth = today() - chrono::Duration::days(days_back);
            let day = birth.day() + if coordination { COORDINATION_DAY_OFFSET } else { 0 };
            let nine = format!("{:02}{:02}{:02}{:03}", birth.year() % 100, birth.month(), day, serial);
            let check = luhn_check_digit(&nine);
            let twelve = format!("{:04}{}{check}", birth.year(), &nine[2..]);
            let parsed = PersonalNumber::parse(&twelve, today()).map_err(|e| TestCaseError::fail(e.message))?;
            prop_assert_eq!(parsed.as_str(), twelve.as_str());
            prop_assert_eq!(parsed.birth_date(), birth);
            prop_assert_eq!(parsed.kind() == PersonalNumberKind::Samordningsnummer, coordination);
            // The 10-digit form: `+` from the 100th birthday on, `-` before (29 February has no
            // birthday in most years, so its age rule is left to the explicit tests).
            prop_assume!(!(birth.month() == 2 && birth.day() == 29));
            let hundredth = birth.with_year(birth.year() + 100);
            let separator = if hundredth.is_some_and(|h| h <= today()) { '+' } else { '-' };
            let short = format!("{}{separator}{}{check}", &nine[..6], &nine[6..]);
            let parsed_short = PersonalNumber::parse(&short, today()).map_err(|e| TestCaseError::fail(e.message))?;
            prop_assert_eq!(parsed_short.as_str(), twelve.as_str());
        }

        /// Both separators on any day against the rule computed another way: the birth years
        /// ending in `yy` that fit the separator's age band in today's calendar year.
        #[test]
        fn the_century_of_a_10_digit_number_follows_the_separators_age_band(
            today_offset in 0i64..(30 * 365),
            yy in 0i32..100,
            month in 1u32..13,
            day in 1u32..29,
            plus in any::<bool>(),
        ) {
            let on = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() + chrono::Duration::days(today_offset);
            let birth = format!("{yy:02}{month:02}{day:02}");
            let text = short(&birth, if plus { '+' } else { '-' }, "123");
            // Reference: the candidate years ending in yy; `+` → turns 100 or more this calendar
            // year; `-` → at most 99 this year and already born, else the one a century before.
            let candidates: Vec<i32> = (1800..=on.year()).filter(|y| y.rem_euclid(100) == yy).collect();
            let expected = if plus {
                candidates.iter().copied().filter(|y| on.year() - y >= 100).max()
            } else {
                let born = |y: i32| NaiveDate::from_ymd_opt(y, month, day).is_some_and(|b| b <= on);
                candidates.iter().copied().filter(|&y| on.year() - y <= 99 && born(y)).max()
                    .or_else(|| candidates.iter().copied().filter(|&y| on.year() - y >= 100).max())
            };
            prop_assert_eq!(year_on(&text, on).ok(), expected);
        }

        #[test]
        fn a_wrong_check_digit_is_always_refused(days_back in 0i64..(100 * 365), serial in 0u32..1000, wrong in 1u8..10) {
            let birth = today() - chrono::Duration::days(days_back);
            let nine = format!("{:02}{:02}{:02}{:03}", birth.year() % 100, birth.month(), birth.day(), serial);
            let bad = (luhn_check_digit(&nine) + wrong) % 10;
            let text = format!("{:04}{}{bad}", birth.year(), &nine[2..]);
            prop_assert!(PersonalNumber::parse(&text, today()).is_err());
        }
    }
}
