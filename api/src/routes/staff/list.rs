use actix_web::web;
use domain::{MunicipalityCode, Profession, name::search_key};
use openapi::directory::{StaffQuery, StaffResponse};
use openapi::responses::ListErrors;
use openapi::{FieldErrors, Page};
use persistence::staff::{self, StaffFilter};

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists staff members, oldest first, with optional filters.
#[utoipa::path(
    get,
    path = "/api/v1/staff",
    tag = "directory",
    params(StaffQuery),
    responses((status = 200, description = "A page of staff members", body = Page<StaffResponse>), ListErrors)
)]
pub async fn list_staff(
    state: web::Data<AppState>,
    _caller: Caller,
    query: crate::query_params::Query<StaffQuery>,
) -> Result<web::Json<Page<StaffResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "staff", &query)?;
    let mut errors = FieldErrors::default();
    let profession =
        errors.check_optional("profession", query.profession.as_deref(), Profession::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let (Some(profession), Some(municipality)) = (profession, municipality) else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = StaffFilter {
        profession,
        care_unit_id: query.care_unit,
        organization_id: query.organization,
        municipality,
        name_prefix: query.name.as_deref().map(search_key),
        include_inactive: query.include_inactive.unwrap_or(false),
    };
    let request = listing.request;
    let page = db::run(&state, move |conn| Ok(staff::list(conn, &filter, request)?)).await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |s| s.id,
        StaffResponse::from,
    )?))
}
