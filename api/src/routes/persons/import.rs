use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use domain::record::{Outcome, Purpose};
use domain::registration::Import;
use openapi::import::{
    IMPORT_CONTENT_TYPE, ImportReport, MAX_IMPORT_BYTES, MAX_IMPORT_LINES, parse_person_import,
};
use openapi::record::RegisterPersonRequest;
use openapi::responses::CreateErrors;
use persistence::{audit, persons, relationships};
use uuid::Uuid;

use super::register::{active_registering_unit, registering_unit_id, registration_access};
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
        content = RegisterPersonRequest,
        content_type = "application/x-ndjson",
        description = "NDJSON: one registration (the body of `POST /api/v1/persons`) per line. The schema is that of one line (the NDJSON convention for a JSON Schema of a stream): a client writes each registration as one line of JSON followed by `\\n`."
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
    let reserve = state.reserve_numbers.clone();
    let lines = web::block(move || parse_person_import(&body, today(), &reserve))
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
        let mut import = Import::match_lines(
            lines,
            |number| known.get(number.as_str()).copied(),
            &caller.recorder(),
            Uuid::now_v7,
            now,
        );
        persons::insert_all(conn, &import.new_records)?;
        let cared_for = relationships::cared_for_by_unit(conn, unit.id, &import.person_ids())?;
        let started =
            import.start_relationships(&unit, &cared_for, caller.actor(), Uuid::now_v7, now);
        relationships::insert_all(conn, &started)?;
        let events: Vec<_> = import
            .lines
            .iter()
            .map(|line| {
                event(
                    &caller,
                    Some(line.person_id),
                    registration_access(line.action()),
                    Purpose::Care,
                    Outcome::Allowed,
                )
            })
            .collect();
        audit::append_all(conn, &events)?;
        Ok(ImportReport::from(&import))
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
