//! `wire_enum!`: the wire form of a domain enum, for the spec and for responses.

/// Declares the wire twin of a domain enum (named by its path under `domain`): serialized in
/// `snake_case`, the same text as the domain's `as_str` (a test checks each), and converted
/// from the domain value. A variant whose name `snake_case` would not spell as the domain does
/// (digits: `Within30Days` is `within30_days` to serde) gives its text: `Within30Days =
/// "within_30_days"`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident => $($domain:ident)::+ { $($variant:ident $(= $text:literal)?),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[serde(rename = $text)] #[schema(rename = $text)])? $variant),+ }

        impl From<domain::$($domain)::+> for $name {
            fn from(value: domain::$($domain)::+) -> Self {
                use domain::$($domain)::+ as Source;
                match value { $(Source::$variant => $name::$variant),+ }
            }
        }
    };
}

pub(crate) use wire_enum;

/// A wire enum's text, for the tests that compare it with the domain's.
#[cfg(test)]
pub(crate) fn wire_text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
