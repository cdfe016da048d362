//! Display names of organizations, units and staff, the key they are searched by, and the
//! key persons are listed in name order by.

use std::sync::LazyLock;

use icu_collator::CollatorBorrowed;
use icu_collator::options::CollatorOptions;
use icu_locale_core::locale;

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

/// Swedish collation (CLDR's `sv` tailoring, ICU4X compiled data), at its default strength
/// (tertiary: letters, then accents, then case).
static SWEDISH: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    CollatorBorrowed::try_new(locale!("sv").into(), CollatorOptions::default()).ok()
});

/// The key a person is listed by in name order (her unit's caseload): family name, then given
/// name, in Swedish alphabetical order — `Å`, `Ä`, `Ö` after `Z` in that order, `W` after
/// `V`, `ü` with `y`, accents after the plain letter, case last, so `af Klint` stands among
/// the A:s and `de Wit` among the D:s (CLDR's `sv` collation; Unicode Technical Standard #10).
///
/// Shape: the collator's sort key of `family`, a 0 byte, the sort key of `given`. Compared
/// byte by byte (SQL `bytea`/`BLOB` order, `memcmp`), keys order as the names do under the
/// collation, family name first: a sort key holds no 0 byte, so the 0 ends the family name's
/// part before any byte of a longer one. Names equal under the collation have equal keys (the
/// list breaks ties by the person's id).
///
/// The bytes belong to the collator's version: stored keys must be computed again when the
/// `icu_collator` data changes (`a_name_s_sort_key_is_pinned` fails then; see
/// docs/ARCHITECTURE.md, "Names in Swedish order").
pub fn sort_key(family: &str, given: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(2 * (family.len() + given.len()) + 8);
    match SWEDISH.as_ref() {
        Some(collator) => {
            // Writing into a `Vec` cannot fail.
            let _ = collator.write_sort_key_to(family, &mut key);
            key.push(0);
            let _ = collator.write_sort_key_to(given, &mut key);
        }
        // Compiled data is part of the binary, so the collator is always built
        // (`the_swedish_collator_is_built`); were it not, code-point order.
        None => {
            key.extend_from_slice(family.as_bytes());
            key.push(0);
            key.extend_from_slice(given.as_bytes());
        }
    }
    key
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

    #[test]
    fn the_swedish_collator_is_built() {
        assert!(SWEDISH.is_some());
    }

    fn in_swedish_order(names: &[(&str, &str)]) -> Vec<String> {
        let mut sorted = names.to_vec();
        sorted.sort_by_key(|(family, given)| sort_key(family, given));
        sorted.iter().map(|(f, g)| format!("{f}, {g}")).collect()
    }

    #[test]
    fn names_sort_in_swedish_order() {
        let names = [
            ("Öberg", "Anna"),
            ("Zetterberg", "Bo"),
            ("Ädel", "Cecilia"),
            ("Åberg", "Dan"),
            ("af Klint", "Eva"),
            ("Wahl", "Fia"),
            ("Vik", "Gun"),
            ("de Wit", "Hans"),
            ("Dahl", "Ida"),
            ("Ekberg", "Jan"),
            ("Ek", "Karin"),
            ("ek", "Karin"),
            ("Ek", "Agnes"),
            ("Écu", "Lars"),
            ("Eck", "Maj"),
            ("Myr", "Nils"),
            ("Müller", "Olle"),
        ];
        assert_eq!(
            in_swedish_order(&names),
            [
                "af Klint, Eva",
                "Dahl, Ida",
                "de Wit, Hans",
                "Eck, Maj",
                "Écu, Lars",
                "ek, Karin",
                "Ek, Agnes",
                "Ek, Karin",
                "Ekberg, Jan",
                "Müller, Olle",
                "Myr, Nils",
                "Vik, Gun",
                "Wahl, Fia",
                "Zetterberg, Bo",
                "Åberg, Dan",
                "Ädel, Cecilia",
                "Öberg, Anna",
            ]
        );
    }

    /// The family name decides before the given name, whatever their lengths: the key's 0
    /// byte ends the family name's part.
    #[test]
    fn the_family_name_decides_first() {
        assert!(sort_key("Ek", "Örjan") < sort_key("Ekberg", "Adam"));
        assert!(sort_key("Ek", "Adam") < sort_key("Ek", "Adamsson"));
        assert!(sort_key("Ek", "") < sort_key("Ek", "A"));
    }

    proptest::proptest! {
        /// Keys order as the collator orders (family name, given name), for any names.
        #[test]
        fn keys_order_as_the_collator_does(
            a in ("\\PC{0,12}", "\\PC{0,12}"),
            b in ("\\PC{0,12}", "\\PC{0,12}"),
        ) {
            let Some(collator) = SWEDISH.as_ref() else {
                panic!("no Swedish collator");
            };
            let by_collator = collator
                .compare(&a.0, &b.0)
                .then_with(|| collator.compare(&a.1, &b.1));
            let by_key = sort_key(&a.0, &a.1).cmp(&sort_key(&b.0, &b.1));
            proptest::prop_assert_eq!(by_collator, by_key);
        }
    }

    /// The keys of a few names, byte for byte. Stored keys (`persons.name_sort_key`) are
    /// compared with keys computed now, so if an upgrade of `icu_collator` changes them this
    /// fails: then add a migration that empties the stored keys (the server computes them
    /// again at start-up, `persistence::persons::fill_name_sort_keys`) and update the bytes.
    #[test]
    fn a_name_s_sort_key_is_pinned() {
        assert_eq!(
            sort_key("Åberg", "Ek"),
            [
                0x5e, 0x7f, 0x02, 0x2d, 0x33, 0x4d, 0x37, 0x01, 0x09, 0x01, 0xc6, 0x08, 0x00, 0x33,
                0x3f, 0x01, 0x06, 0x01, 0xdc, 0x05
            ]
        );
    }

    /// The limit counts what is sent, as the spec's `maxLength` does: padding is no way past it.
    #[test]
    fn the_limit_counts_the_name_as_sent() {
        let padded = format!("{} ", "x".repeat(MAX_NAME_CHARS));
        assert!(DisplayName::parse(&padded).is_err());
        assert!(DisplayName::parse(&format!(" {} ", "x".repeat(MAX_NAME_CHARS - 2))).is_ok());
    }
}
