use actix_web::web;
use domain::{MunicipalityCode, OrganizationKind, name::search_key};
use openapi::directory::{OrganizationQuery, OrganizationResponse};
use openapi::responses::ListErrors;
use openapi::{FieldErrors, Page};
use persistence::organizations::{self, OrganizationFilter};

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists organizations, oldest first, with optional filters.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    tag = "directory",
    params(OrganizationQuery),
    responses((status = 200, description = "A page of organizations", body = Page<OrganizationResponse>), ListErrors)
)]
pub async fn list_organizations(
    state: web::Data<AppState>,
    _caller: Caller,
    query: crate::query_params::Query<OrganizationQuery>,
) -> Result<web::Json<Page<OrganizationResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "organizations", &query)?;
    let mut errors = FieldErrors::default();
    let kind = errors.check_optional("kind", query.kind.as_deref(), OrganizationKind::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let (Some(kind), Some(municipality)) = (kind, municipality) else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = OrganizationFilter {
        kind,
        municipality,
        name_prefix: query.name.as_deref().map(search_key),
        include_inactive: query.include_inactive.unwrap_or(false),
    };
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(organizations::list(conn, &filter, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |o| o.id,
        OrganizationResponse::from,
    )?))
}
