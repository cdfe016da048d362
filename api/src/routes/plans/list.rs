use actix_web::web;
use domain::record::AuditResource;
use openapi::Page;
use openapi::plan::PlanResponse;
use openapi::record::PageQuery;
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use super::visible_plans;
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Her coordinated plans the caller may see, current versions, oldest first. Paginated.
/// Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/care-plans",
    tag = "care plans",
    params(("id" = Uuid, Path, description = "Person id"), PageQuery),
    responses((status = 200, description = "A page of her plans", body = Page<PlanResponse>), RecordReadErrors)
)]
pub async fn list_plans(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<PageQuery>,
) -> Result<web::Json<Page<PlanResponse>>, ApiError> {
    let person_id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("care-plans/{person_id}"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = guarded(&state, authorized.caller, person_id, Access::read(AuditResource::CarePlans), move |conn, context, _| {
        let views = visible_plans(conn, context)?.iter().map(|plan| PlanResponse::new(plan, &plan.current)).collect();
        request.of(views, |p: &PlanResponse| p.id).ok_or_else(|| {
            ApiError::bad_request("the cursor points at a plan you may no longer see; start again without a cursor")
        })
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |p| p.id,
        |p| p,
    )?))
}
