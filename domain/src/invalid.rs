//! The errors a domain parse or rule check returns: one invalid value, or every invalid field
//! of an input.

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

/// One input field that breaks a rule: the field as the input names it (`actions[0].id`,
/// `line 3: personal_number`) and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Every field problem of one input, collected so that whoever sent it learns all its
/// mistakes at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldProblems(Vec<FieldProblem>);

/// Longest field name kept in a problem, in characters: a longer one (an unknown parameter
/// named by 20,000 characters) is cut and ends in `…`, so an error never echoes a huge input.
pub const MAX_FIELD_CHARS: usize = 100;
/// Longest message kept in a problem, in characters (it may quote what was sent), cut as
/// [`MAX_FIELD_CHARS`].
pub const MAX_MESSAGE_CHARS: usize = 500;

/// `text` cut to `max` characters, ending in `…` when it was longer.
pub fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

impl FieldProblems {
    /// Adds the problem of `field`; a field name or message longer than [`MAX_FIELD_CHARS`] or
    /// [`MAX_MESSAGE_CHARS`] is cut.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldProblem {
            field: cut(field.into(), MAX_FIELD_CHARS),
            message: cut(message.into(), MAX_MESSAGE_CHARS),
        });
    }

    /// The value of a check, or `None` with its problem kept against `field`.
    pub fn keep<T>(
        &mut self,
        field: impl Into<String>,
        checked: Result<T, InvalidValue>,
    ) -> Option<T> {
        checked
            .map_err(|invalid| self.push(field, invalid.message))
            .ok()
    }

    /// Whether `field` or a part of it (`field[0].status`, `field.name`) already has a
    /// problem.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|p| {
            p.field
                .strip_prefix(field)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['[', '.']))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was found, otherwise every problem.
    pub fn into_result(self) -> Result<(), FieldProblems> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl IntoIterator for FieldProblems {
    type Item = FieldProblem;
    type IntoIter = std::vec::IntoIter<FieldProblem>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a FieldProblems {
    type Item = &'a FieldProblem;
    type IntoIter = std::slice::Iter<'a, FieldProblem>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_has_the_problems_of_its_parts() {
        let mut problems = FieldProblems::default();
        problems.push("actions[0].status", "is not a status");
        problems.push("participants.care_units", "is empty");
        assert!(problems.has("actions") && problems.has("actions[0].status"));
        assert!(problems.has("participants"));
        assert!(!problems.has("action") && !problems.has("actions[1]"));
    }

    #[test]
    fn a_huge_field_or_message_is_cut_and_says_so() {
        let mut problems = FieldProblems::default();
        problems.push(
            "å".repeat(20_000),
            format!("`{}` is not a role", "y".repeat(20_000)),
        );
        problems.push("role", "is not a role");
        let [long, short] = problems.0.as_slice() else {
            panic!("two problems: {problems:?}");
        };
        assert_eq!(long.field.chars().count(), MAX_FIELD_CHARS + 1);
        assert!(long.field.ends_with("å…"), "{}", long.field);
        assert_eq!(long.message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(long.message.starts_with("`yyy") && long.message.ends_with('…'));
        assert_eq!(
            (short.field.as_str(), short.message.as_str()),
            ("role", "is not a role")
        );
    }
}
