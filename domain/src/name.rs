//! Display names of organizations, units and staff, and the key they are searched by.

use crate::InvalidValue;

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A trimmed, non-empty name of at most [`MAX_NAME_CHARS`] characters as sent (whitespace
/// around it counts, so the limit is the spec's `maxLength`) with no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(InvalidValue::new("must not be empty"));
        }
        if text.chars().count() > MAX_NAME_CHARS {
            return Err(InvalidValue::new(format!(
                "must be at most {MAX_NAME_CHARS} characters"
            )));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(InvalidValue::new("must not contain control characters"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form names are searched by: lower-case in full Unicode, so `Ö` finds `ö` on every
    /// database (SQLite's own case folding covers ASCII only).
    pub fn search_key(&self) -> String {
        search_key(&self.0)
    }
}

/// Normalizes a search prefix the same way names are normalized for search.
pub fn search_key(text: &str) -> String {
    text.trim().to_lowercase()
}

impl std::fmt::Display for DisplayName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keys_names() {
        let name = DisplayName::parse("  Vårdcentralen Öxnehaga ")
            .map(|n| (n.to_string(), n.search_key()));
        assert_eq!(
            name,
            Ok((
                "Vårdcentralen Öxnehaga".into(),
                "vårdcentralen öxnehaga".into()
            ))
        );
    }

    #[test]
    fn rejects_empty_long_and_control_characters() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
        assert!(DisplayName::parse(&"å".repeat(MAX_NAME_CHARS)).is_ok());
    }

    /// The limit counts what is sent, as the spec's `maxLength` does: padding is no way past it.
    #[test]
    fn the_limit_counts_the_name_as_sent() {
        let padded = format!("{} ", "x".repeat(MAX_NAME_CHARS));
        assert!(DisplayName::parse(&padded).is_err());
        assert!(DisplayName::parse(&format!(" {} ", "x".repeat(MAX_NAME_CHARS - 2))).is_ok());
    }
}
