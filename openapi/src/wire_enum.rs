//! `wire_enum!`: the wire form of a domain enum, for the spec and for responses.

/// Declares the wire twin of a domain enum (named by its path under `domain`): serialized in
/// `snake_case`, the same text as the domain's `as_str` (a test checks each), and converted
/// from the domain value.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident => $($domain:ident)::+ { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<domain::$($domain)::+> for $name {
            fn from(value: domain::$($domain)::+) -> Self {
                use domain::$($domain)::+ as Source;
                match value { $(Source::$variant => $name::$variant),+ }
            }
        }
    };
}

pub(crate) use wire_enum;
