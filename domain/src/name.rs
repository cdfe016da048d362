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
/// around it counts, so the limit is the spec's `maxLength`) with no control characters, in
/// Unicode Normalization Form C (UAX #15): `Å` sent as `A` and a combining ring is kept as the
/// one character `Å`, so the name is found by a search typed either way.
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
        Ok(Self(nfc(trimmed)))
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

/// Normalizes a search prefix the same way names are normalized for search: trimmed, in
/// Normalization Form C, lower-cased.
pub fn search_key(text: &str) -> String {
    nfc(text.trim()).to_lowercase()
}

/// `text` in Unicode Normalization Form C (UAX #15, ICU4X's compiled data).
fn nfc(text: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
        .normalize(text)
        .into_owned()
}

/// Swedish collation (CLDR's `sv` tailoring, ICU4X compiled data), at its default strength
/// (tertiary: letters, then accents, then case).
static SWEDISH: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    CollatorBorrowed::try_new(locale!("sv").into(), CollatorOptions::default()).ok()
});

/// The longest sort key kept, in bytes: a name of a few hundred characters that expand under
/// collation (Arabic presentation forms, CJK squared words) gives a key of many kilobytes,
/// past what a B-tree index entry may hold on PostgreSQL (2,704 bytes). Keys are cut here;
/// persons whose keys agree this far are listed by id.
pub const MAX_SORT_KEY_BYTES: usize = 1_024;

/// The key a person is listed by in name order (her unit's caseload), in Swedish alphabetical
/// order as a phone book lists names: family name, then given name, compared by letters first
/// (`Å`, `Ä`, `Ö` after `Z` in that order, `W` after `V`, `ü` with `y`), then by accents, then
/// by case, so `af Klint` stands among the A:s, `de Wit` among the D:s, and every `Andersson`
/// together whatever her case (CLDR's `sv` collation; Unicode Technical Standard #10).
///
/// Shape: the collator's sort key of `family`, U+FFFE, `given` — U+FFFE is UTS #10's merge
/// separator, weighted below every letter, so the family name ends before any longer one and
/// both names are compared letter by letter before accents and case. Compared byte by byte
/// (SQL `bytea`/`BLOB` order, `memcmp`); at most [`MAX_SORT_KEY_BYTES`]. Names equal under the
/// collation have equal keys (the list breaks ties by the person's id).
///
/// The bytes belong to the collator's version: stored keys must be computed again when the
/// `icu_collator` data changes (`a_name_s_sort_key_is_pinned` fails then; see
/// docs/ARCHITECTURE.md, "Names in Swedish order").
pub fn sort_key(family: &str, given: &str) -> Vec<u8> {
    // U+FFFE inside a name (a noncharacter, never text, but not refused: the spec's name
    // pattern allows it) is left out of the key, or it would split the key at the wrong place.
    let field = |name: &str| name.replace('\u{FFFE}', "");
    let joined = format!("{}\u{FFFE}{}", field(family), field(given));
    let mut key = Vec::with_capacity(2 * joined.len() + 8);
    match SWEDISH.as_ref() {
        // Writing into a `Vec` cannot fail.
        Some(collator) => {
            let _ = collator.write_sort_key_to(&joined, &mut key);
        }
        // Compiled data is part of the binary, so the collator is always built
        // (`the_swedish_collator_is_built`); were it not, code-point order.
        None => key.extend_from_slice(joined.as_bytes()),
    }
    key.truncate(MAX_SORT_KEY_BYTES);
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

    /// A name sent decomposed (an attack review: `A` + U+030A) is kept composed, and a search
    /// prefix typed either way finds it.
    #[test]
    fn names_and_search_prefixes_are_composed() {
        let sent = DisplayName::parse("A\u{30A}berg").map(|n| n.to_string());
        assert_eq!(sent.as_deref(), Ok("Åberg"));
        assert_eq!(search_key(" a\u{30A}be"), "åbe");
        assert_eq!(search_key("Åbe"), "åbe");
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
            ("Af Klint", "Anna"),
            ("Wahl", "Fia"),
            ("Vik", "Gun"),
            ("de Wit", "Hans"),
            ("Dahl", "Ida"),
            ("Ekberg", "Jan"),
            ("Ek", "Örjan"),
            ("ek", "Karin"),
            ("Ek", "Karin"),
            ("Ek", "Agnes"),
            ("Écu", "Lars"),
            ("Eck", "Maj"),
            ("Myr", "Nils"),
            ("Müller", "Olle"),
            ("ANDERSSON", "Bo"),
            ("andersson", "Örjan"),
            ("Andersson", "Anna"),
        ];
        assert_eq!(
            in_swedish_order(&names),
            [
                "Af Klint, Anna",
                "af Klint, Eva",
                "Andersson, Anna",
                "ANDERSSON, Bo",
                "andersson, Örjan",
                "Dahl, Ida",
                "de Wit, Hans",
                "Eck, Maj",
                "Écu, Lars",
                "Ek, Agnes",
                "ek, Karin",
                "Ek, Karin",
                "Ek, Örjan",
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

    /// The family name decides before the given name, whatever their lengths.
    #[test]
    fn the_family_name_decides_first() {
        assert!(sort_key("Ek", "Örjan") < sort_key("Ekberg", "Adam"));
        assert!(sort_key("Ek", "Adam") < sort_key("Ek", "Adamsson"));
        assert!(sort_key("Ek", "") < sort_key("Ek", "A"));
        assert!(sort_key("Ek", "Örjan") < sort_key("Ek-Berg", "A"));
        // U+FFFE in a name does not move its boundary (a re-check review: `Ek\u{FFFE}Zorn,
        // Anna` and `Ek, Zorn\u{FFFE}Anna` had the same key).
        assert_ne!(
            sort_key("Ek\u{FFFE}Zorn", "Anna"),
            sort_key("Ek", "Zorn\u{FFFE}Anna")
        );
        assert_eq!(
            sort_key("Ek\u{FFFE}Zorn", "Anna"),
            sort_key("EkZorn", "Anna")
        );
    }

    /// A name whose key would be kilobytes long (an attack review: 200 Arabic presentation
    /// forms in each name gave 17 KB, which PostgreSQL's index refused) is cut to
    /// [`MAX_SORT_KEY_BYTES`], still in its place by its first letters.
    #[test]
    fn a_long_key_is_cut() {
        let long: String = (0..200)
            .filter_map(|i| char::from_u32(0xFC00 + i))
            .collect();
        let key = sort_key(&long, &long);
        assert_eq!(key.len(), MAX_SORT_KEY_BYTES);
        assert!(sort_key("Zorn", "A") < key);
        let short = sort_key("Åberg", "Dan");
        assert!(short.len() < 64);
    }

    fn primary() -> CollatorBorrowed<'static> {
        let mut options = CollatorOptions::default();
        options.strength = Some(icu_collator::options::Strength::Primary);
        match CollatorBorrowed::try_new(locale!("sv").into(), options) {
            Ok(collator) => collator,
            Err(e) => panic!("{e}"),
        }
    }

    proptest::proptest! {
        /// For any names: keys order as the collator orders the family names by their
        /// letters, then, for family names of the same letters, the given names by theirs.
        #[test]
        fn keys_order_by_family_then_given_letters(
            a in ("\\PC{0,12}", "\\PC{0,12}"),
            b in ("\\PC{0,12}", "\\PC{0,12}"),
        ) {
            let by_letters = primary();
            let (key_a, key_b) = (sort_key(&a.0, &a.1), sort_key(&b.0, &b.1));
            proptest::prop_assume!(key_a.len() < MAX_SORT_KEY_BYTES && key_b.len() < MAX_SORT_KEY_BYTES);
            let expected = by_letters
                .compare(&a.0, &b.0)
                .then_with(|| by_letters.compare(&a.1, &b.1));
            if expected != std::cmp::Ordering::Equal {
                proptest::prop_assert_eq!(key_a.cmp(&key_b), expected);
            }
        }
    }

    /// The key of a name, byte for byte. Stored keys (`persons.name_sort_key`) are compared
    /// with keys computed now, so if an upgrade of `icu_collator` changes them this fails:
    /// then add a migration that empties the stored keys (the server computes them again at
    /// start-up, `persistence::persons::fill_name_sort_keys`) and update the bytes.
    #[test]
    fn a_name_s_sort_key_is_pinned() {
        assert_eq!(
            sort_key("Ek", "Örjan"),
            [
                0x33, 0x3f, 0x02, 0x5e, 0x7f, 0x04, 0x4d, 0x3d, 0x2b, 0x45, 0x01, 0x0c, 0x01, 0xdc,
                0xc4, 0xc6, 0x08
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
