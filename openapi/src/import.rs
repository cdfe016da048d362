//! The person import: a file of registrations that an import script sends in one request, as
//! NDJSON — one [`RegisterPersonRequest`] JSON object per line — so that a unit joining the
//! network can register the people it already cares for without one call per person.
//!
//! The whole file is checked before anything is written: every invalid line is reported at
//! once, by its line number, and one bad line means nothing of the file is imported.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use domain::personal_number::ReserveNumberPattern;
use domain::registration::{Import, ImportLine, Registration};

use crate::record::RegisterPersonRequest;
use crate::{FieldError, ValidationFailed};

/// The media type of an import file: newline-delimited JSON.
pub const IMPORT_CONTENT_TYPE: &str = "application/x-ndjson";
/// Most registrations in one import; a larger file is sent in parts.
pub const MAX_IMPORT_LINES: usize = 10_000;
/// Largest import body: 10,000 registrations of about 800 bytes.
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;
/// Most line errors one answer lists; a file with more is mostly wrong anyway.
const MAX_REPORTED_ERRORS: usize = 100;
/// Windows tools may begin a UTF-8 file with a byte-order mark.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Parses one line: a JSON registration, checked like the body of `POST /persons`. Errors
/// name the fields as that operation does (`personal_number`); `body` when the line is not a
/// registration at all.
pub fn parse_person_line(
    line: &[u8],
    today: NaiveDate,
    reserve: &ReserveNumberPattern,
) -> Result<Registration, Vec<FieldError>> {
    let not_a_registration = |why: String| {
        vec![FieldError {
            field: "body".into(),
            message: format!("is not a registration: {why}"),
        }]
    };
    // serde would read a registration from a JSON array by position: a line is an object.
    if line.iter().find(|byte| !byte.is_ascii_whitespace()) != Some(&b'{') {
        return Err(not_a_registration(
            "a line must be a JSON object with the registration's fields".into(),
        ));
    }
    let request: RegisterPersonRequest = serde_json::from_slice(line)
        .map_err(|error| not_a_registration(crate::without_type_names(&error.to_string())))?;
    request
        .into_domain(today, reserve)
        .map_err(|failure| failure.errors)
}

/// Parses an import file. Lines are separated by `\n` (a `\r` before it is dropped); blank
/// lines are skipped but counted. Every error names its line — `line 3: personal_number` —
/// and a number that repeats an earlier line is an error on the later one.
pub fn parse_person_import(
    body: &[u8],
    today: NaiveDate,
    reserve: &ReserveNumberPattern,
) -> Result<Vec<ImportLine>, ValidationFailed> {
    let body = body.strip_prefix(BYTE_ORDER_MARK).unwrap_or(body);
    let lines = || {
        body.split(|byte| *byte == b'\n')
            .map(|text| text.strip_suffix(b"\r").unwrap_or(text))
            .enumerate()
            .filter(|(_, text)| !text.iter().all(u8::is_ascii_whitespace))
            .map(|(index, text)| (index + 1, text))
    };
    let registrations = lines().count();
    if registrations > MAX_IMPORT_LINES {
        return Err(ValidationFailed {
            errors: vec![FieldError {
                field: "body".into(),
                message: format!(
                    "holds {registrations} registrations; at most {MAX_IMPORT_LINES} may be sent at once: split the file"
                ),
            }],
        });
    }
    let mut errors = Vec::new();
    let report = |errors: &mut Vec<FieldError>, line: usize, field: &str, message: String| {
        errors.push(FieldError {
            field: format!("line {line}: {field}"),
            message,
        });
    };
    let mut parsed = Vec::new();
    let mut first_line_of_number: HashMap<String, usize> = HashMap::new();
    for (line, text) in lines() {
        match parse_person_line(text, today, reserve) {
            Err(line_errors) => {
                for error in line_errors {
                    report(&mut errors, line, &error.field, error.message);
                }
            }
            Ok(registration) => {
                let number = registration.personal_number.as_str().to_owned();
                match first_line_of_number.get(&number) {
                    Some(first) => report(
                        &mut errors,
                        line,
                        "personal_number",
                        format!("repeats the number of line {first}"),
                    ),
                    None => {
                        first_line_of_number.insert(number, line);
                        parsed.push(ImportLine { line, registration });
                    }
                }
            }
        }
        if errors.len() >= MAX_REPORTED_ERRORS {
            errors.truncate(MAX_REPORTED_ERRORS);
            errors.push(FieldError {
                field: format!("line {line}"),
                message: format!(
                    "checking stopped here after {MAX_REPORTED_ERRORS} errors; later lines were not checked"
                ),
            });
            break;
        }
    }
    if registrations == 0 {
        errors.push(FieldError {
            field: "body".into(),
            message: "holds no registrations: send one JSON object per line".into(),
        });
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ValidationFailed { errors })
    }
}

/// What the import did with one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A new record.
    Created,
    /// Her number was already registered: the existing record is used, no duplicate made.
    Existing,
}

/// One imported registration.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportedPerson {
    /// The line of the file, counted from 1.
    pub line: usize,
    /// Her record's id.
    pub id: Uuid,
    pub outcome: ImportOutcome,
    /// Whether the import started the caller's unit's care relationship with her (`false`
    /// when the unit already cared for her).
    pub care_relationship_started: bool,
}

/// The result of an import: all of it was written, in one transaction.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// Records created.
    pub created: usize,
    /// Registrations that found an existing record.
    pub existing: usize,
    /// Care relationships the caller's unit started.
    pub care_relationships_started: usize,
    /// Per registration, in file order.
    pub persons: Vec<ImportedPerson>,
}

impl From<&Import> for ImportReport {
    fn from(import: &Import) -> Self {
        let persons: Vec<ImportedPerson> = import
            .lines
            .iter()
            .map(|line| ImportedPerson {
                line: line.line,
                id: line.person_id,
                outcome: if line.created {
                    ImportOutcome::Created
                } else {
                    ImportOutcome::Existing
                },
                care_relationship_started: line.care_relationship_started,
            })
            .collect();
        Self {
            created: import.new_records.len(),
            existing: persons.len() - import.new_records.len(),
            care_relationships_started: persons
                .iter()
                .filter(|p| p.care_relationship_started)
                .count(),
            persons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_is_not_an_object_is_refused_without_type_names() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        for line in [
            &br#"["19121212-1212","Esther","Andersson"]"#[..],
            b"null",
            b"42",
        ] {
            let errors = parse_person_line(line, today, &ReserveNumberPattern::default())
                .err()
                .unwrap_or_default();
            assert_eq!(errors.len(), 1);
            assert!(
                errors[0].message.contains("JSON object"),
                "{}",
                errors[0].message
            );
        }
        let nested = parse_person_line(
            br#"{"personal_number":{"n":1}}"#,
            today,
            &ReserveNumberPattern::default(),
        )
        .err()
        .unwrap_or_default();
        assert!(
            !nested[0].message.contains("Request"),
            "{}",
            nested[0].message
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn fields(body: &str) -> Vec<String> {
        match parse_person_import(body.as_bytes(), today(), &ReserveNumberPattern::default()) {
            Ok(_) => Vec::new(),
            Err(failure) => failure.errors.into_iter().map(|e| e.field).collect(),
        }
    }

    const ESTHER: &str =
        r#"{"personal_number":"19121212-1212","given_name":"Esther","family_name":"Andersson"}"#;
    const ARVID: &str =
        r#"{"personal_number":"194107086995","given_name":"Arvid","family_name":"Berg"}"#;

    #[test]
    fn lines_blank_lines_crlf_and_a_byte_order_mark() {
        let body = format!("\u{FEFF}{ESTHER}\r\n\n  \r\n{ARVID}\n");
        let parsed =
            parse_person_import(body.as_bytes(), today(), &ReserveNumberPattern::default())
                .unwrap_or_default();
        let lines: Vec<usize> = parsed.iter().map(|l| l.line).collect();
        assert_eq!(lines, [1, 4]);
        assert_eq!(
            parsed[1].registration.personal_number.as_str(),
            "194107086995"
        );
    }

    #[test]
    fn every_bad_line_is_named() {
        // Line 5 is Esther's number in its 10-digit form (`+`: she is over 100): the same
        // person as line 1.
        let body = format!(
            "{ESTHER}\n{{\"personal_number\":\"19121212-1213\",\"given_name\":\"A\",\"family_name\":\"B\"}}\nnot json\n{ARVID}\n{}\n",
            ESTHER.replace("19121212-1212", "121212+1212")
        );
        assert_eq!(
            fields(&body),
            [
                "line 2: personal_number",
                "line 3: body",
                "line 5: personal_number"
            ]
        );
        let messages: Vec<String> =
            parse_person_import(body.as_bytes(), today(), &ReserveNumberPattern::default())
                .err()
                .map(|failure| failure.errors.into_iter().map(|e| e.message).collect())
                .unwrap_or_default();
        assert_eq!(
            messages.get(2).map(String::as_str),
            Some("repeats the number of line 1")
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let line = ESTHER.replace('}', r#","shoe_size":41}"#);
        assert_eq!(fields(&line), ["line 1: body"]);
    }

    #[test]
    fn an_empty_file_and_too_many_lines() {
        assert_eq!(fields(" \n\n"), ["body"]);
        // Refused by its size before any line is parsed.
        let too_many = format!("{ESTHER}\n").repeat(MAX_IMPORT_LINES + 1);
        assert_eq!(fields(&too_many), ["body"]);
    }

    #[test]
    fn reporting_stops_after_enough_errors() {
        let body = "x\n".repeat(500);
        let reported = fields(&body);
        assert_eq!(reported.len(), MAX_REPORTED_ERRORS + 1);
        assert_eq!(reported.last().map(String::as_str), Some("line 100"));
    }
}
