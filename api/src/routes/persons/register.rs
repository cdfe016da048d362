use actix_web::{HttpResponse, web};
use domain::directory::CareUnit;
use domain::record::Outcome;
use domain::record::{AuditAction, AuditResource};
use domain::registration::{Import, ImportLine};
use openapi::record::{PersonResponse, RegisterPersonRequest};
use openapi::responses::CreateErrors;
use persistence::{DbConnection, audit, care_units, persons, relationships};
use uuid::Uuid;

use super::render;
use crate::auth::{Authorized, Caller, RegisterPersons};
use crate::error::ApiError;
use crate::record_access::{Access, RecordSource, event, load_record, today};
use crate::state::AppState;
use crate::{db, respond};

/// Registers Esther at the caller's unit (clinician, coordinator): creates her record, or —
/// when her number is already known — uses the existing one instead of a duplicate. Either
/// way the caller's unit starts a care relationship with her, and the access is logged.
/// 201 when created, 200 when she was already registered.
#[utoipa::path(
    post,
    path = "/api/v1/persons",
    tag = "persons",
    request_body = RegisterPersonRequest,
    responses(
        (status = 201, description = "Registered; her record as the caller may now see it", body = PersonResponse,
            headers(("ETag" = String, description = "Entity tag"), ("Location" = String, description = "URL of the record"))),
        (status = 200, description = "Already registered; the caller's unit now cares for her", body = PersonResponse,
            headers(("ETag" = String, description = "Entity tag"), ("Location" = String, description = "URL of the record"))),
        CreateErrors,
    )
)]
pub async fn register_person(
    state: web::Data<AppState>,
    authorized: Authorized<RegisterPersons>,
    body: crate::json_body::Json<RegisterPersonRequest>,
) -> Result<HttpResponse, ApiError> {
    let caller = authorized.caller;
    let unit_id = registering_unit_id(&caller)?;
    let registration = body
        .into_inner()
        .into_domain(today(), &state.reserve_numbers)?;
    let (person, created) = db::transaction(&state, move |conn| {
        let unit = active_registering_unit(conn, unit_id)?;
        let now = persistence::now();
        // One registration is an import of one line: the same decisions (domain::registration).
        let existing = persons::find_by_personal_number(conn, &registration.personal_number)?;
        let mut import = Import::match_lines(
            vec![ImportLine {
                line: 1,
                registration,
            }],
            |_| existing.as_ref().map(|person| person.id),
            &caller.recorder(),
            Uuid::now_v7,
            now,
        );
        persons::insert_all(conn, &import.new_records)?;
        let cared_for = relationships::cared_for_by_unit(conn, unit.id, &import.person_ids())?;
        let started =
            import.start_relationships(&unit, &cared_for, caller.actor(), Uuid::now_v7, now);
        relationships::insert_all(conn, &started)?;
        let [line] = import.lines[..] else {
            return Err(ApiError::Internal("a registration is one line".into()));
        };
        let context = load_record(conn, RecordSource::Transaction, &caller, line.person_id)?
            .ok_or_else(|| {
                ApiError::Internal(
                    "a registered person is not visible to the registering unit".into(),
                )
            })?;
        audit::append(
            conn,
            &event(
                &caller,
                Some(line.person_id),
                registration_access(line.action()),
                context.grant.purpose(),
                Outcome::Allowed,
            ),
        )?;
        Ok((render(&context), line.created))
    })
    .await?;
    let location = format!("/api/v1/persons/{}", person.id);
    Ok(if created {
        respond::created(location, person.version, person)
    } else {
        respond::ok_at(location, person.version, person)
    })
}

/// The access-log entry of a registration, named by [`registration_action`]; admins follow
/// up registrations of someone already known (`?action=register-existing`).
pub(super) fn registration_access(action: AuditAction) -> Access {
    Access::write(action, AuditResource::Person)
}

/// The unit a registration is made at: the token's `unit`.
pub(super) fn registering_unit_id(caller: &Caller) -> Result<Uuid, ApiError> {
    caller.unit.ok_or_else(|| {
        ApiError::Forbidden("registering needs a token with the caller's `unit`".into())
    })
}

/// The token's unit, which must be an active care unit to register anyone.
pub(super) fn active_registering_unit(
    conn: &mut DbConnection,
    unit_id: Uuid,
) -> Result<CareUnit, ApiError> {
    care_units::find_by_id(conn, unit_id)?
        .filter(|unit| unit.active)
        .ok_or_else(|| {
            ApiError::Forbidden(format!(
                "the token's unit {unit_id} is not an active care unit"
            ))
        })
}
