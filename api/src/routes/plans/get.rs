use actix_web::{HttpResponse, web};
use domain::record::AuditResource;
use openapi::plan::PlanResponse;
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use super::guarded_plan;
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Reads a plan's current version; its `ETag` is the version to send back in `If-Match` when
/// revising or following it up. Shown to the units caring for her under the record's rules,
/// and to the units taking part while her consent to coordinated planning is in force. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/care-plans/{id}",
    tag = "care plans",
    params(("id" = Uuid, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan", body = PlanResponse, headers(("ETag" = String, description = "The plan's version"))),
        RecordReadErrors,
    )
)]
pub async fn get_plan(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let plan = guarded_plan(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::read(AuditResource::CarePlan),
        |_, _, _, plan| Ok(PlanResponse::new(&plan, &plan.current)),
    )
    .await?;
    Ok(respond::ok_with_etag(plan.version, plan))
}
