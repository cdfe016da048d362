//! The JSON Schema patterns (ECMA-262 and Python `re` alike) that state this crate's text
//! parsers in the OpenAPI spec, so that a generated client or schemathesis knows what the
//! server accepts before it sends it: what the pattern allows, the parser accepts, and what the
//! parser refuses for its shape, the pattern refuses.
//!
//! The wire types repeat these strings in their `#[schema(pattern = …)]` attributes (utoipa
//! takes only literals); a spec test in `api` finds any pattern in the spec that is not one of
//! these constants.
//!
//! The parsers trim with [`str::trim`] (Unicode `White_Space`), so every pattern allows that
//! whitespace around the value, spelled out (`\s` differs between regex dialects), and
//! "control characters" are the Unicode category `Cc` (U+0000–U+001F, U+007F–U+009F) as
//! [`char::is_control`] reads them. Lengths are `minLength`/`maxLength` next to the pattern.

/// A name ([`crate::DisplayName`]): not blank, no control character.
pub const NAME: &str = "^[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000-\\u001F\\u007F-\\u009F]([^\\u0000-\\u001F\\u007F-\\u009F]*[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000-\\u001F\\u007F-\\u009F])?[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*$";

/// Free text ([`crate::record::FreeText`]): not blank; line breaks (`\n`) and tabs inside, no
/// other control character.
pub const FREE_TEXT: &str = "^[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000-\\u001F\\u007F-\\u009F]([^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]*[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000-\\u001F\\u007F-\\u009F])?[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*$";

/// A phone number ([`crate::record::parse_phone`]): 5 to 20 digits, an optional leading `+`,
/// spaces and dashes.
pub const PHONE: &str = "^[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*\\+?[ -]*([0-9][ -]*){5,20}[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*$";

/// An e-mail address's shape ([`crate::record::parse_email`]): a local part without `@`, `@`,
/// a domain with a dot neither first nor last; no whitespace or control character inside.
/// The spec gives no `format: email`: the server checks this shape only (non-ASCII and
/// surrounding whitespace pass), and the format would promise a stricter check than it makes.
pub const EMAIL: &str = "^[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*[^@\\s\\u0000-\\u001F\\u007F-\\u009F\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]+@[^.\\s\\u0000-\\u001F\\u007F-\\u009F\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\s\\u0000-\\u001F\\u007F-\\u009F\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*\\.[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*[^.\\s\\u0000-\\u001F\\u007F-\\u009F\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*$";

/// The shapes of a personal number ([`crate::PersonalNumber::parse`]): 10 digits with an
/// optional `-` or `+` before the last four, or 12 digits with an optional `-` (month `00` and
/// day `60` of an incomplete samordningsnummer included); or a reservnummer of the default
/// pattern ([`crate::personal_number::ReserveNumberPattern::DEFAULT`]: eight digits, an
/// optional `-`, a letter and three digits). The check digit, the date, the birth number and a
/// region's own reservnummer pattern (`SMARTCARE_RESERVE_NUMBER_PATTERN`) are rules this
/// static pattern cannot state (422).
pub const PERSONAL_NUMBER: &str = "^[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*(([0-9]{6}[-+]?|[0-9]{8}-?)[0-9]{4}|[0-9]{8}-?[A-Za-z][0-9]{3})[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*$";

/// A municipality code of Jönköping County ([`crate::MunicipalityCode::parse`]).
pub const MUNICIPALITY: &str = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$";

/// An HSA-id ([`crate::HsaId::parse`]).
pub const HSA_ID: &str = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$";

/// A video link's shape ([`crate::meeting::VideoLink::parse`]): `https://`, a host, no spaces.
pub const VIDEO_LINK: &str = "^https://[^/?#\\s]+\\S*$";

/// Any text without the NUL character (U+0000): a filter compared as it is (a user, an
/// action, a name's start). No text may hold NUL — PostgreSQL cannot store it — and the API
/// refuses it at its edge (400 in a query parameter, 422 in a body field).
pub const TEXT: &str = "^[^\\u0000]*$";

/// A paging cursor's shape: the `next` value of a previous page, URL-safe base64 (RFC 4648
/// §5), never empty. Only a cursor the server issued for the same list and filters is
/// accepted (it carries a MAC): any other is a 400, which no pattern can state.
pub const CURSOR: &str = "^[A-Za-z0-9_-]+$";

/// A name search ([`crate::record::PersonSearch::name_prefix`]): at least three characters
/// once trimmed (the length limits are `minLength`/`maxLength`), no NUL (see [`TEXT`]).
pub const NAME_SEARCH: &str = "^[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000][^\\u0000]+[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000][\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]*$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_pattern_lists_exactly_the_county() {
        for m in crate::MUNICIPALITIES {
            assert!(MUNICIPALITY.contains(&m.code[2..]), "{}", m.code);
        }
        assert_eq!(
            MUNICIPALITY.matches('|').count() + 1,
            crate::MUNICIPALITIES.len()
        );
    }
}
