//! `wire_enum!`: the wire form of a domain enum, for the spec and for responses.

/// Declares the wire twin of a domain enum: serialized in `snake_case` (the same text as the
/// domain's `as_str`, which a test checks) and converted from the domain value.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident => $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<domain::$domain> for $name {
            fn from(value: domain::$domain) -> Self {
                match value { $(domain::$domain::$variant => $name::$variant),+ }
            }
        }
    };
}

pub(crate) use wire_enum;
