use actix_web::{HttpResponse, web};
use domain::record::AuditResource;
use openapi::coordination::CaseResponse;
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use super::{case_view, guarded_case};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Reads a case: its state and allowed next messages, messages and answers, the notice
/// deadline and whether it was missed, the periods she was ready for discharge, and the
/// municipality's payment liability so far. Logged. The messages are shown as her blocks let
/// the caller see them: a blocked unit's messages only when sent to the caller's unit, its
/// entries among a message's recipients only to the unit that sent the message (decision
/// 0027); the state, deadlines and liability count every message.
#[utoipa::path(
    get,
    path = "/api/v1/coordination-cases/{id}",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = CaseResponse,
            headers(("ETag" = String, description = "`\"<version>.<digest>\"`: changes with anything the case as shown changes with — answers, liability by the day (decision 0028); send it as If-Match to record which municipality pays"))),
        RecordReadErrors,
    )
)]
pub async fn get_case(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let agreement = state.agreement.clone();
    let view = guarded_case(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::read(AuditResource::CoordinationCase),
        move |conn, context, _, case| case_view(conn, context, &case, &agreement),
    )
    .await?;
    respond::ok_with_view_etag(view.version, view)
}
