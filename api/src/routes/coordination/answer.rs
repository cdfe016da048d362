use actix_web::web;
use domain::discharge::{self, Answer};
use domain::record::{AuditAction, AuditResource};
use openapi::coordination::CaseResponse;
use openapi::responses::BodylessActionErrors;
use persistence::{coordination, relationships};
use uuid::Uuid;

use super::{case_view, guarded_case, release_if_uninvolved};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::state::AppState;

/// Records the caller's unit's answer to a message addressed to it.
async fn answer(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid)>,
    given: Answer,
) -> Result<web::Json<CaseResponse>, ApiError> {
    let (case_id, message_id) = path.into_inner();
    let agreement = state.agreement.clone();
    let action = match given {
        Answer::OptOut => AuditAction::OptOut,
        Answer::Acknowledge => AuditAction::Acknowledge,
    };
    let view = guarded_case(
        &state,
        authorized.caller,
        case_id,
        Access::write(action, AuditResource::CoordinationMessage),
        move |conn, context, caller, case| {
            let unit = caller.unit.ok_or_else(|| {
                ApiError::Forbidden("answering needs a token with the caller's `unit`".into())
            })?;
            // Her relationships first, as every write that may end one takes them.
            relationships::lock_in_force(conn, context.person.id, None)?;
            let messages = coordination::messages(conn, case.id)?;
            let answered = discharge::answer(
                &messages,
                message_id,
                unit,
                given,
                &caller.subject,
                persistence::now(),
            )?;
            coordination::update_recipient(conn, message_id, &answered)?;
            release_if_uninvolved(conn, context, case.id, unit, caller)?;
            case_view(conn, context, &case, &agreement)
        },
    )
    .await?;
    Ok(web::Json(view))
}

/// Acknowledges a message to the caller's unit: it is out of the unit's inbox. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/coordination-cases/{id}/messages/{message_id}/acknowledge",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Case id"), ("message_id" = Uuid, Path, description = "Message id")),
    responses((status = 200, description = "Acknowledged; the case", body = CaseResponse), BodylessActionErrors)
)]
pub async fn acknowledge(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<CaseResponse>, ApiError> {
    answer(state, authorized, path, Answer::Acknowledge).await
}

/// Answers "not involved" for the caller's unit: it gets no further messages in this case,
/// and if the case brought it into her care team, it leaves it (and her record). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/coordination-cases/{id}/messages/{message_id}/opt-out",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Case id"), ("message_id" = Uuid, Path, description = "Message id")),
    responses((status = 200, description = "Opted out; the case", body = CaseResponse), BodylessActionErrors)
)]
pub async fn opt_out(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<CaseResponse>, ApiError> {
    answer(state, authorized, path, Answer::OptOut).await
}
