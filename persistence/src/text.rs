//! Conversions between stored text and domain values, shared by the row modules.

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;

use crate::PersistenceError;

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid, PersistenceError> {
    Uuid::parse_str(text).map_err(|e| PersistenceError::Corrupt(format!("id `{text}`: {e}")))
}

/// Converts a domain parse failure of a stored value into [`PersistenceError::Corrupt`].
pub(crate) fn stored<T>(
    column: &str,
    parsed: Result<T, domain::InvalidValue>,
) -> Result<T, PersistenceError> {
    parsed.map_err(|e| PersistenceError::Corrupt(format!("{column}: {e}")))
}

/// The parsed optional id column.
pub(crate) fn parse_optional_uuid(text: Option<&str>) -> Result<Option<Uuid>, PersistenceError> {
    text.map(parse_uuid).transpose()
}

/// Who recorded an entry, from its `recorded_by`, `recorded_by_unit`, `recorded_by_org`.
pub(crate) fn recorder(
    subject: String,
    unit: Option<&str>,
    organization: Option<&str>,
) -> Result<domain::record::Recorder, PersistenceError> {
    Ok(domain::record::Recorder {
        subject,
        unit_id: parse_optional_uuid(unit)?,
        organization_id: parse_optional_uuid(organization)?,
    })
}

/// The text columns of a recorder: (subject, unit, organization).
pub(crate) fn recorder_columns(
    recorder: &domain::record::Recorder,
) -> (String, Option<String>, Option<String>) {
    (
        recorder.subject.clone(),
        recorder.unit_id.map(|id| id.to_string()),
        recorder.organization_id.map(|id| id.to_string()),
    )
}

pub(crate) fn to_utc(stored: NaiveDateTime) -> DateTime<Utc> {
    stored.and_utc()
}

/// A `LIKE` pattern matching values that start with `prefix`, with `\` as the escape
/// character so `%` and `_` in the prefix match only themselves.
pub(crate) fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_prefix_escapes_wildcards() {
        assert_eq!(super::like_prefix("50%_a\\"), "50\\%\\_a\\\\%");
    }
}
