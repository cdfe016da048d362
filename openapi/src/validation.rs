//! Collects every invalid field of a request before answering, so a client learns all its
//! mistakes at once.

use domain::{FieldProblem, FieldProblems, InvalidValue};

use crate::FieldError;

/// The request's fields that break a rule; the API answers 422 (body) or 400 (query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationFailed {
    pub errors: Vec<FieldError>,
}

/// Accumulates field errors while a request is parsed into domain values: the domain's
/// [`FieldProblems`], with the wire's parse helpers.
#[derive(Debug, Default)]
pub struct FieldErrors(FieldProblems);

impl FieldErrors {
    /// Keeps the parsed value, or records the failure against `field` and returns `None`.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, InvalidValue>) -> Option<T> {
        parsed
            .map_err(|e| self.push(e.field.unwrap_or(field), e.message))
            .ok()
    }

    /// Like [`check`](Self::check) for an optional field: absent is fine.
    pub fn check_optional<T>(
        &mut self,
        field: &'static str,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, InvalidValue>,
    ) -> Option<Option<T>> {
        match value {
            None => Some(None),
            Some(text) => self.check(field, parse(text)).map(Some),
        }
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(field, message);
    }

    /// Records an error on `field` for a date outside the years the API accepts
    /// ([`domain::plausible::date`]).
    pub fn plausible_date(&mut self, field: &str, date: Option<chrono::NaiveDate>) {
        if let Some(Err(e)) = date.map(domain::plausible::date) {
            self.push(field, e.message);
        }
    }

    /// Records an error on `field` for an instant outside the years the API accepts or on a
    /// leap second ([`domain::plausible::instant`]).
    pub fn plausible_instant(&mut self, field: &str, at: Option<chrono::DateTime<chrono::Utc>>) {
        if let Some(Err(e)) = at.map(domain::plausible::instant) {
            self.push(field, e.message);
        }
    }

    /// Records the errors of a `validator` derive.
    pub fn extend_validator(&mut self, result: Result<(), validator::ValidationErrors>) {
        let Err(errors) = result else { return };
        for (field, field_errors) in errors.field_errors() {
            for error in field_errors {
                let message = error
                    .message
                    .as_ref()
                    .map_or_else(|| error.code.to_string(), ToString::to_string);
                self.push(field.as_ref(), message);
            }
        }
    }

    /// Whether `field` already has an error.
    pub fn has(&self, field: &str) -> bool {
        self.0.has(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The failure to return once a needed value is missing; never empty.
    pub fn into_failure(mut self) -> ValidationFailed {
        if self.0.is_empty() {
            self.push("body", "is invalid");
        }
        ValidationFailed::from(self.0)
    }
}

impl From<FieldProblem> for FieldError {
    fn from(problem: FieldProblem) -> Self {
        Self {
            field: problem.field,
            message: problem.message,
        }
    }
}

/// A domain rule's field problems, answered like a request's invalid fields.
impl From<FieldProblems> for ValidationFailed {
    fn from(problems: FieldProblems) -> Self {
        Self {
            errors: problems.into_iter().map(FieldError::from).collect(),
        }
    }
}

/// What a date or date-time that chrono could not read should be, in place of chrono's
/// message (`input is out of range`, `trailing input`, …; a `serde_json` message may go on
/// with ` at line 1 column 9`); `None` for any other message.
pub fn date_time_problem(message: &str) -> Option<&'static str> {
    const NOT_REAL: &str = "is not a real date or time (a day the month does not have, an hour \
        past 23): a date is YYYY-MM-DD, a date-time RFC 3339 with an offset";
    const NOT_THE_FORM: &str = "is not in the expected form: a date is YYYY-MM-DD (2026-12-24), \
        a date-time RFC 3339 with an offset (2026-12-24T09:00:00+01:00)";
    let starts = |text: &str| message.starts_with(text);
    if starts("input is out of range") || starts("no possible date and time matching input") {
        Some(NOT_REAL)
    } else if starts("trailing input")
        || starts("premature end of input")
        || starts("input contains invalid characters")
        || starts("input is not enough for unique date and time")
    {
        Some(NOT_THE_FORM)
    } else {
        None
    }
}

/// serde's message with the Rust names of the wire types replaced by what they are on the
/// wire (`expected struct RepresentativeRequest` → `expected a JSON object`), so that no
/// error shows an internal type name.
pub fn without_type_names(message: &str) -> String {
    let mut plain = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("struct ").or_else(|| rest.find("enum ")) {
        let keyword = if rest[at..].starts_with("struct ") {
            "struct "
        } else {
            "enum "
        };
        let name_start = at + keyword.len();
        let name_len = rest[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - name_start);
        plain.push_str(&rest[..at]);
        plain.push_str(if keyword == "struct " {
            "a JSON object"
        } else {
            "one of the listed values"
        });
        rest = &rest[name_start + name_len..];
    }
    plain.push_str(rest);
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrono_s_messages_are_told_as_what_the_date_should_be() {
        let date = |text: &str| {
            serde_json::from_str::<chrono::NaiveDate>(text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        for (sent, says) in [
            ("\"2026-02-30\"", "is not a real date"),
            ("\"2026-12-01T00:00:00Z\"", "is not in the expected form"),
            ("\"2026-12\"", "is not in the expected form"),
            ("\"1 december\"", "is not in the expected form"),
        ] {
            let message = date(sent);
            let problem = date_time_problem(&message).unwrap_or_default();
            assert!(problem.starts_with(says), "{sent}: {message} → {problem}");
        }
        assert_eq!(
            date_time_problem("invalid type: integer `5`, expected a string"),
            None
        );
    }

    #[test]
    fn serde_messages_name_no_rust_types() {
        assert_eq!(
            without_type_names(
                "invalid type: integer `5`, expected struct RepresentativeRequest at line 1 column 20"
            ),
            "invalid type: integer `5`, expected a JSON object at line 1 column 20"
        );
        assert_eq!(
            without_type_names("expected enum Kind"),
            "expected one of the listed values"
        );
        assert_eq!(
            without_type_names("missing field `title`"),
            "missing field `title`"
        );
    }
}
