use actix_web::web;
use domain::MunicipalityCode;
use openapi::improvement::training::{CoachQuery, CoachResponse};
use openapi::responses::RestrictedListErrors;
use openapi::{FieldErrors, Page};
use persistence::training::{self, CoachFilter};

use crate::auth::{Authorized, ReadImprovement};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists coaches in staff id order; `municipality` (code) and `unit` select those supporting
/// it (e.g. `?municipality=0686` for Eksjö's coaches).
#[utoipa::path(
    get,
    path = "/api/v1/coaches",
    tag = "improvement",
    params(CoachQuery),
    responses((status = 200, description = "A page of coaches", body = Page<CoachResponse>), RestrictedListErrors)
)]
pub async fn list_coaches(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    query: crate::query_params::Query<CoachQuery>,
) -> Result<web::Json<Page<CoachResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "coaches", &query)?;
    let mut errors = FieldErrors::default();
    let Some(municipality) = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    ) else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = CoachFilter {
        municipality,
        care_unit_id: query.unit,
    };
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(training::list_coaches(conn, &filter, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |c| c.staff_id,
        CoachResponse::from,
    )?))
}
