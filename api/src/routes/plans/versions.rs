use actix_web::web;
use domain::record::AuditResource;
use openapi::Page;
use openapi::plan::{PlanResponse, PlanVersionSummary};
use openapi::record::PageQuery;
use openapi::responses::RecordReadErrors;
use persistence::plans;
use uuid::Uuid;

use super::guarded_plan;
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::Access;
use crate::state::AppState;

/// A version's place in the list, for cursors (versions are numbered, cursors carry ids).
fn version_key(version: i64) -> Uuid {
    Uuid::from_u64_pair(0, version.unsigned_abs())
}

/// The plan's version history, oldest first: what changed, who changed it, when, and why.
/// Paginated. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/care-plans/{id}/versions",
    tag = "care plans",
    params(("id" = Uuid, Path, description = "Plan id"), PageQuery),
    responses((status = 200, description = "A page of its versions", body = Page<PlanVersionSummary>), RecordReadErrors)
)]
pub async fn list_versions(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<PageQuery>,
) -> Result<web::Json<Page<PlanVersionSummary>>, ApiError> {
    let plan_id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("care-plan-versions/{plan_id}"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = guarded_plan(
        &state,
        authorized.caller,
        plan_id,
        Access::read(AuditResource::CarePlanVersions),
        move |conn, _, _, plan| {
            let history = plans::versions(conn, plan.id)?
                .iter()
                .map(PlanVersionSummary::from)
                .collect();
            request
                .of(history, |v: &PlanVersionSummary| version_key(v.version))
                .ok_or_else(|| {
                    ApiError::bad_request("the cursor does not point at a version of this plan")
                })
        },
    )
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |v| version_key(v.version),
        |v| v,
    )?))
}

/// One version of the plan, whole, as it was written. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/care-plans/{id}/versions/{version}",
    tag = "care plans",
    params(
        ("id" = Uuid, Path, description = "Plan id"),
        ("version" = i64, Path, description = "Version number, from 1", minimum = 1),
    ),
    responses((status = 200, description = "That version", body = PlanResponse), RecordReadErrors)
)]
pub async fn get_version(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, i64)>,
) -> Result<web::Json<PlanResponse>, ApiError> {
    let (plan_id, number) = path.into_inner();
    let version = guarded_plan(
        &state,
        authorized.caller,
        plan_id,
        Access::read(AuditResource::CarePlanVersion),
        move |conn, _, _, plan| {
            let version = plans::versions(conn, plan.id)?
                .into_iter()
                .find(|v| v.version == number)
                .ok_or_else(|| {
                    ApiError::NotFound(format!("care plan {plan_id} has no version {number}"))
                })?;
            Ok(PlanResponse::new(&plan, &version))
        },
    )
    .await?;
    Ok(web::Json(version))
}
