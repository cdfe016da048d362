use actix_web::{HttpResponse, web};
use domain::discharge::PayingDecision;
use domain::record::{AuditAction, AuditResource};
use openapi::coordination::{CaseResponse, DecidePayingMunicipalityRequest};
use openapi::responses::ActionErrors;
use persistence::coordination;
use uuid::Uuid;

use super::{case_view, guarded_case};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Records that another municipality than hers pays for the case, with the reason (coordinator
/// or admin who may see her record). Replaces an earlier decision; the case's liability is
/// then that municipality's, counted from what its units received. Needs `If-Match` with the
/// case's `version` in quotes. Logged.
#[utoipa::path(
    put,
    path = "/api/v1/coordination-cases/{id}/paying-municipality",
    tag = "coordination",
    params(
        ("id" = Uuid, Path, description = "Case id"),
        ("If-Match" = String, Header, description = "The case's `version` in quotes"),
    ),
    request_body = DecidePayingMunicipalityRequest,
    responses(
        (status = 200, description = "Recorded; the case", body = CaseResponse,
            headers(("ETag" = String, description = "The case's new `version` in quotes"))),
        ActionErrors,
    )
)]
pub async fn decide_paying_municipality(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<DecidePayingMunicipalityRequest>,
) -> Result<HttpResponse, ApiError> {
    let (municipality, reason) = body.into_inner().into_domain()?;
    let agreement = state.agreement.clone();
    let view = guarded_case(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::DecidePayer, AuditResource::CoordinationCase),
        move |conn, context, caller, case| {
            if_match.check(case.version)?;
            let decision = PayingDecision {
                municipality,
                reason,
                decided_by: caller.subject.clone(),
                decided_at: persistence::now(),
                decided_for_unit: caller.unit,
            };
            let decided = case
                .decide_payer(decision, &caller.roles)
                .map_err(ApiError::Forbidden)?;
            let stored = coordination::update_case(conn, &decided)?;
            case_view(conn, context, &stored, &agreement)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(view.version, view))
}
