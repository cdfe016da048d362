//! Emergency access (nödåtkomst): a clinician opens a record without care relationship or
//! consent, stating why; time-limited, read-only, and flagged for admins' follow-up.

use actix_web::{HttpResponse, web};
use domain::access::{EmergencyOpener, parse_emergency_reason};
use domain::record::{AuditAction, AuditResource};
use domain::record::{Outcome, Purpose};
use openapi::FieldErrors;
use openapi::record::{EmergencyAccessRequest, EmergencyAccessResponse};
use openapi::responses::RecordWriteErrors;
use persistence::{audit, persons, relationships};
use uuid::Uuid;

use crate::auth::{Authorized, EmergencyAccess as EmergencyPolicy};
use crate::db;
use crate::error::ApiError;
use crate::record_access::{Access, event, today};
use crate::state::AppState;

const OPEN: Access = Access::write(AuditAction::EmergencyAccess, AuditResource::Person);

/// Grants the calling clinician (with a `unit`) read access to the record of the person with
/// this number for 4 hours, without relationship or consent. The reason is kept, and every
/// read under it is logged with purpose `emergency`. 404 when no such person is registered.
#[utoipa::path(
    post,
    path = "/api/v1/emergency-access",
    tag = "persons",
    request_body = EmergencyAccessRequest,
    responses((status = 201, description = "Granted", body = EmergencyAccessResponse), RecordWriteErrors)
)]
pub async fn open_in_emergency(
    state: web::Data<AppState>,
    authorized: Authorized<EmergencyPolicy>,
    body: crate::json_body::Json<EmergencyAccessRequest>,
) -> Result<HttpResponse, ApiError> {
    let caller = authorized.caller;
    let opener = EmergencyOpener::new(&caller.viewer(), &caller.subject)?;
    let request = body.into_inner();
    let mut errors = FieldErrors::default();
    let number = errors.check(
        "personal_number",
        domain::PersonalNumber::parse_with_reserve(
            &request.personal_number,
            today(),
            &state.reserve_numbers,
        ),
    );
    let reason = errors.check("reason", parse_emergency_reason(&request.reason));
    let (Some(number), Some(reason)) = (number, reason) else {
        return Err(errors.into_failure().into());
    };
    let granted = db::transaction(&state, move |conn| {
        let Some(person) = persons::find_by_personal_number(conn, &number)? else {
            audit::append(
                conn,
                &event(&caller, None, OPEN, Purpose::Emergency, Outcome::Denied),
            )?;
            return Ok(None);
        };
        let access = opener.open(Uuid::now_v7(), person.id, reason, persistence::now());
        relationships::insert_emergency_access(conn, &access)?;
        audit::append(
            conn,
            &event(
                &caller,
                Some(person.id),
                OPEN,
                Purpose::Emergency,
                Outcome::Allowed,
            ),
        )?;
        Ok(Some(access))
    })
    .await?
    .ok_or_else(|| ApiError::NotFound("no person is registered with this number".into()))?;
    Ok(HttpResponse::Created().json(EmergencyAccessResponse {
        id: granted.id,
        person_id: granted.person_id,
        reason: granted.reason.to_string(),
        granted_at: granted.granted_at,
        expires_at: granted.expires_at,
    }))
}
