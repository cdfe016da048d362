use actix_web::web;
use openapi::Page;
use openapi::improvement::training::{CohortQuery, CohortResponse};
use openapi::responses::RestrictedListErrors;
use persistence::training;

use crate::auth::{Authorized, ReadImprovement};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists training cohorts in creation order.
#[utoipa::path(
    get,
    path = "/api/v1/training-cohorts",
    tag = "improvement",
    params(CohortQuery),
    responses((status = 200, description = "A page of cohorts", body = Page<CohortResponse>), RestrictedListErrors)
)]
pub async fn list_cohorts(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    query: crate::query_params::Query<CohortQuery>,
) -> Result<web::Json<Page<CohortResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "training-cohorts", &query)?;
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(training::list_cohorts(conn, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |c| c.id,
        CohortResponse::from,
    )?))
}
