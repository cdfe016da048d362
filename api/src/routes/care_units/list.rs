use actix_web::web;
use domain::{CareUnitKind, MunicipalityCode, name::search_key};
use openapi::directory::{CareUnitQuery, CareUnitResponse};
use openapi::responses::ListErrors;
use openapi::{FieldErrors, Page};
use persistence::care_units::{self, CareUnitFilter};

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists care units, oldest first, with optional filters (e.g. `?municipality=0682` for the
/// units in Nässjö).
#[utoipa::path(
    get,
    path = "/api/v1/care-units",
    tag = "directory",
    params(CareUnitQuery),
    responses((status = 200, description = "A page of care units", body = Page<CareUnitResponse>), ListErrors)
)]
pub async fn list_care_units(
    state: web::Data<AppState>,
    _caller: Caller,
    query: crate::query_params::Query<CareUnitQuery>,
) -> Result<web::Json<Page<CareUnitResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "care-units", &query)?;
    let mut errors = FieldErrors::default();
    let kind = errors.check_optional("kind", query.kind.as_deref(), CareUnitKind::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let (Some(kind), Some(municipality)) = (kind, municipality) else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = CareUnitFilter {
        kind,
        municipality,
        organization_id: query.organization,
        name_prefix: query.name.as_deref().map(search_key),
        include_inactive: query.include_inactive.unwrap_or(false),
    };
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(care_units::list(conn, &filter, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |u| u.id,
        CareUnitResponse::from,
    )?))
}
