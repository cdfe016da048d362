use actix_web::web;
use domain::discharge::{self, Retraction};
use domain::record::FreeText;
use domain::record::{AuditAction, AuditResource};
use openapi::coordination::{CaseResponse, RetractRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{coordination, relationships};
use uuid::Uuid;

use super::{case_view, guarded_case, release_if_uninvolved};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::state::AppState;

/// Takes a message back from a unit it was sent to by mistake, with a reason: it leaves that
/// unit's inbox and queues, and the case shows it as `retracted`; a unit the case brought
/// into her care team leaves it when nothing else in the case is addressed to it. Only the
/// sending unit may retract; 409 when already retracted. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/coordination-cases/{id}/messages/{message_id}/recipients/{unit_id}/retract",
    tag = "coordination",
    params(
        ("id" = Uuid, Path, description = "Case id"),
        ("message_id" = Uuid, Path, description = "Message id"),
        ("unit_id" = Uuid, Path, description = "The unit the message was wrongly sent to"),
    ),
    request_body = RetractRequest,
    responses((status = 200, description = "Retracted; the case", body = CaseResponse), RecordWriteErrors)
)]
pub async fn retract_message(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: crate::json_body::Json<RetractRequest>,
) -> Result<web::Json<CaseResponse>, ApiError> {
    let (case_id, message_id, unit_id) = path.into_inner();
    let reason = FreeText::parse_max(&body.reason, 1_000)
        .map_err(|e| ApiError::invalid_field("reason", e.message))?;
    let agreement = state.agreement.clone();
    let view = guarded_case(
        &state,
        authorized.caller,
        case_id,
        Access::write(AuditAction::Retract, AuditResource::CoordinationMessage),
        move |conn, context, caller, case| {
            // Her relationships first, as every write that may end one takes them.
            relationships::lock_in_force(conn, context.person.id, None)?;
            let messages = coordination::messages(conn, case.id)?;
            let retraction = Retraction {
                by: &caller.subject,
                unit: caller.unit,
                at: persistence::now(),
            };
            let retracted = discharge::retract(&messages, message_id, unit_id, reason, retraction)?;
            coordination::update_recipient(conn, message_id, &retracted)?;
            release_if_uninvolved(conn, context, case.id, unit_id, caller)?;
            case_view(conn, context, &case, &agreement)
        },
    )
    .await?;
    Ok(web::Json(view))
}
