//! HSA-id: the national identifier of care givers, care units and staff in the Swedish
//! catalogue service (HSA), e.g. `SE2321000057-1003`.

use crate::InvalidValue;

/// The longest HSA-id the catalogue issues.
const MAX_LENGTH: usize = 31;

/// A syntactically valid HSA-id: `SE`, the ten-digit organisation number of the issuing care
/// giver, `-`, and a local part of letters and digits (any case). Stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HsaId(String);

impl HsaId {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let normalized = text.to_ascii_uppercase();
        let rule = "an HSA-id is `SE`, a ten-digit organisation number, `-` and a local part of letters and digits, at most 31 characters (e.g. SE2321000057-1003)";
        let Some(rest) = normalized.strip_prefix("SE") else {
            return Err(InvalidValue::new(format!("{rule}: it must start with SE")));
        };
        let Some((organisation_number, local_part)) = rest.split_once('-') else {
            return Err(InvalidValue::new(format!("{rule}: the `-` is missing")));
        };
        if organisation_number.len() != 10
            || !organisation_number.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(InvalidValue::new(format!(
                "{rule}: `{organisation_number}` is not ten digits"
            )));
        }
        if local_part.is_empty() || !local_part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(InvalidValue::new(format!(
                "{rule}: the local part `{local_part}` must be letters and digits"
            )));
        }
        if normalized.len() > MAX_LENGTH {
            return Err(InvalidValue::new(format!(
                "{rule}: it is {} characters",
                normalized.len()
            )));
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for HsaId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalizes_catalogue_ids() {
        assert_eq!(
            HsaId::parse("se2321000057-1003").map(|id| id.to_string()),
            Ok("SE2321000057-1003".into())
        );
        assert!(HsaId::parse("SE2120000522-E1X").is_ok());
        assert!(
            HsaId::parse(" SE2120000522-E1X").is_err(),
            "no silent trimming: the spec's pattern says the same"
        );
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "",
            "2321000057-1003",
            "SE232100005-1003",
            "SE2321000057",
            "SE2321000057-",
            "SE2321000057-10 3",
            "SE2321000057-ÅÄÖ",
            "SE2321000057-1234567890123456789",
        ] {
            assert!(HsaId::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
