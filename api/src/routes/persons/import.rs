use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use domain::record::{Outcome, Purpose};
use openapi::import::{
    IMPORT_CONTENT_TYPE, ImportOutcome, ImportReport, ImportedPerson, MAX_IMPORT_BYTES,
    MAX_IMPORT_LINES, parse_person_import,
};
use openapi::record::RegisterPersonRequest;
use openapi::responses::CreateErrors;
use persistence::{audit, persons, relationships};

use super::register::{
    active_registering_unit, new_care_relationship, new_record, registering_unit_id,
    registration_access,
};
use crate::auth::{Authorized, RegisterPersons};
use crate::db;
use crate::error::ApiError;
use crate::record_access::{event, today};
use crate::state::AppState;

/// Imports one process reads and applies at once. Each holds its file, its parsed lines and
/// its rows in memory (about 35 MB at 10,000 lines): more are refused with 503 and
/// `Retry-After` rather than let memory grow with the number of callers.
pub const MAX_CONCURRENT_IMPORTS: usize = 2;

/// Registers many people at the caller's unit in one request (clinician, coordinator): the
/// bulk form of `POST /api/v1/persons`, for a unit joining the network with the people it
/// already cares for.
///
/// The body is NDJSON (`Content-Type: application/x-ndjson`): one registration per line, each
/// the JSON object `POST /api/v1/persons` takes; blank lines are skipped, at most 10,000
/// registrations and 8 MiB. The whole file is checked first: a 422 lists every invalid line
/// (`field` is `line N: <field>`, lines counted from 1; a number repeated in the file is an
/// error on the later line) and nothing is written. Otherwise every line is applied in one
/// transaction, as a registration would be: a new record, or the existing one when her
/// number is known (no duplicate), and the caller's unit's care relationship unless it already
/// has one. Each person gets her own access-log event (`register`, or `register-existing` for
/// admins to follow up), so importing is never a way around the log. Sending the same file
/// again creates nothing new. A 422 lists at most 100 errors. A process applies at most two
/// imports at once (503 `at-capacity` beyond); on SQLite an import holds the database's write
/// lock while it is applied (about 0.5 s per 5,000 lines).
#[utoipa::path(
    post,
    path = "/api/v1/persons/imports",
    tag = "persons",
    request_body(
        content = Vec<RegisterPersonRequest>,
        content_type = "application/x-ndjson",
        description = "One registration (the body of `POST /api/v1/persons`) per line."
    ),
    responses(
        (status = 200, description = "Every line imported; what happened to each", body = ImportReport),
        CreateErrors,
    )
)]
pub async fn import_persons(
    state: web::Data<AppState>,
    authorized: Authorized<RegisterPersons>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let caller = authorized.caller;
    let unit_id = registering_unit_id(&caller)?;
    let ndjson = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(IMPORT_CONTENT_TYPE));
    if !ndjson {
        return Err(ApiError::UnsupportedMediaType(format!(
            "an import must be sent as Content-Type: {IMPORT_CONTENT_TYPE}, one registration per line"
        )));
    }
    let _import_slot = state.imports.try_acquire().map_err(|_| {
        ApiError::AtCapacity(format!(
            "{MAX_CONCURRENT_IMPORTS} imports are already being applied; retry after `Retry-After` seconds"
        ))
    })?;
    let body = payload
        .to_bytes_limited(MAX_IMPORT_BYTES)
        .await
        .map_err(|_| {
            ApiError::PayloadTooLarge(format!(
                "an import may be at most {MAX_IMPORT_BYTES} bytes and {MAX_IMPORT_LINES} registrations: split the file"
            ))
        })?
        .map_err(|error| ApiError::bad_request(format!("the body could not be read: {error}")))?;
    // Parsing thousands of lines is CPU work: off the worker that serves other requests.
    let lines = web::block(move || parse_person_import(&body, today()))
        .await
        .map_err(|error| ApiError::Internal(format!("import parsing failed: {error}")))??;

    let report = db::transaction(&state, move |conn| {
        let unit = active_registering_unit(conn, unit_id)?;
        let now = persistence::now();
        let numbers: Vec<_> = lines
            .iter()
            .map(|line| &line.registration.personal_number)
            .collect();
        let known = persons::ids_by_personal_number(conn, &numbers)?;
        // Each person with the role the caller's unit takes in her care.
        let mut imported = Vec::with_capacity(lines.len());
        let mut new_records = Vec::new();
        for line in lines {
            let role = line.registration.role;
            let (id, outcome) = match known.get(line.registration.personal_number.as_str()) {
                Some(id) => (*id, ImportOutcome::Existing),
                None => {
                    let person = new_record(line.registration, &caller, now);
                    let id = person.id;
                    new_records.push(person);
                    (id, ImportOutcome::Created)
                }
            };
            let person = ImportedPerson {
                line: line.line,
                id,
                outcome,
                care_relationship_started: false,
            };
            imported.push((person, role));
        }
        // Rows are written in one order — records by number, relationships by person — so two
        // imports that overlap wait for each other instead of deadlocking.
        new_records.sort_by(|a, b| a.personal_number.as_str().cmp(b.personal_number.as_str()));
        persons::insert_all(conn, &new_records)?;

        let ids: Vec<_> = imported.iter().map(|(person, _)| person.id).collect();
        let cared_for = relationships::cared_for_by_unit(conn, unit.id, &ids)?;
        let mut started = Vec::new();
        for (person, role) in &mut imported {
            if !cared_for.contains(&person.id) {
                started.push(new_care_relationship(person.id, &unit, *role, &caller, now));
                person.care_relationship_started = true;
            }
        }
        started.sort_by_key(|relationship| relationship.person_id);
        relationships::insert_all(conn, &started)?;

        let imported: Vec<ImportedPerson> =
            imported.into_iter().map(|(person, _)| person).collect();
        let events: Vec<_> = imported
            .iter()
            .map(|person| {
                event(
                    &caller,
                    Some(person.id),
                    registration_access(person.outcome == ImportOutcome::Created),
                    Purpose::Care,
                    Outcome::Allowed,
                )
            })
            .collect();
        audit::append_all(conn, &events)?;
        Ok(ImportReport {
            created: new_records.len(),
            existing: imported.len() - new_records.len(),
            care_relationships_started: started.len(),
            persons: imported,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
