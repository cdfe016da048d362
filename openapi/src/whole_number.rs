//! Integers as JSON Schema counts them. An `integer` in JSON Schema 2020-12 (Validation §6.1.1,
//! and the JSON data model of Core §4.2.1) is any number with a zero fractional part, so `105.0`
//! is the integer 105, and generated clients (JavaScript has one number type) send such values.
//! serde reads an integer field strictly; these deserializers accept what the spec allows and
//! nothing more: a number with a fractional part, or one outside the field's type, is refused
//! with the same 400 as any other malformed body.

use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// The whole number `value` holds: an integer, or a float with no fractional part within
/// `i64`; `None` otherwise.
fn whole(value: &serde_json::Number) -> Option<i64> {
    if let Some(n) = value.as_i64() {
        return Some(n);
    }
    let n = value.as_f64()?;
    // `i64::MAX as f64` rounds up to 2^63, itself out of range: hence the strict `<`.
    (n.fract() == 0.0 && n >= i64::MIN as f64 && n < i64::MAX as f64).then_some(n as i64)
}

fn convert<T: TryFrom<i64>, E: Error>(value: serde_json::Number) -> Result<T, E> {
    whole(&value)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| E::custom(format!("expected a whole number in range, found {value}")))
}

/// For a required integer field: `#[serde(deserialize_with = "crate::whole_number::required")]`.
pub(crate) fn required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    convert(serde_json::Number::deserialize(deserializer)?)
}

/// For an optional integer field (absent or `null` is `None`):
/// `#[serde(default, deserialize_with = "crate::whole_number::optional")]`.
pub(crate) fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    Option::<serde_json::Number>::deserialize(deserializer)?
        .map(convert)
        .transpose()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::required")]
        count: u32,
        #[serde(default, deserialize_with = "super::optional")]
        minutes: Option<i64>,
    }

    fn parse(json: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn a_float_with_no_fraction_is_an_integer() -> Result<(), serde_json::Error> {
        let body = parse(r#"{"count": 105.0, "minutes": 90.0}"#)?;
        assert_eq!((body.count, body.minutes), (105, Some(90)));
        let body = parse(r#"{"count": 7, "minutes": -3}"#)?;
        assert_eq!((body.count, body.minutes), (7, Some(-3)));
        let body = parse(r#"{"count": 1e2}"#)?;
        assert_eq!((body.count, body.minutes), (100, None));
        let body = parse(r#"{"count": 0, "minutes": null}"#)?;
        assert_eq!(body.minutes, None);
        Ok(())
    }

    #[test]
    fn fractions_other_types_and_out_of_range_are_refused() {
        for json in [
            r#"{"count": 105.5}"#,
            r#"{"count": -1}"#,
            r#"{"count": 4294967296}"#,
            r#"{"count": "7"}"#,
            r#"{"count": true}"#,
            r#"{"count": 1, "minutes": 1e300}"#,
            r#"{"count": 1, "minutes": 9223372036854775808}"#,
        ] {
            let error = parse(json).err();
            assert!(error.is_some(), "{json} was accepted");
        }
    }
}
