//! `string_enum!`: a closed set of values with one stable text form each, used for storage.

/// Declares an enum whose variants each have one stable text form, with `ALL`, `as_str` and a
/// `parse` that names the accepted values when it fails.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text form (storage and wire).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the text form; the error lists the accepted values.
            pub fn parse(text: &str) -> Result<Self, $crate::InvalidValue> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::InvalidValue::new(format!(
                        "`{other}` is not one of: {}",
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
