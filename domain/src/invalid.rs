//! The one error a domain parse or rule check returns.

/// A value or combination of values that breaks a domain rule; the message says which rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidValue {
    /// The input field the rule is about, in the wire name (`hsa_id`, `municipality`), when one
    /// field is to blame; `None` for rules about the whole value.
    pub field: Option<&'static str>,
    pub message: String,
}

impl InvalidValue {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            field: None,
            message: message.into(),
        }
    }

    pub fn for_field(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field),
            message: message.into(),
        }
    }
}
