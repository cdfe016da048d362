use actix_web::web;
use domain::MUNICIPALITIES;
use openapi::Page;
use openapi::directory::MunicipalityResponse;
use openapi::responses::ListErrors;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;

/// Filter of `GET /api/v1/municipalities`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Only the six Höglandet municipalities (`true`) or only the others (`false`).
    pub hoglandet: Option<bool>,
}

/// Lists the 13 municipalities of Jönköping County, ordered by code. A single page: the set
/// is fixed, so no cursor is ever returned.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities",
    tag = "directory",
    params(MunicipalityQuery),
    responses((status = 200, description = "The municipalities", body = Page<MunicipalityResponse>), ListErrors)
)]
pub async fn list_municipalities(
    _caller: Caller,
    query: crate::query_params::Query<MunicipalityQuery>,
) -> web::Json<Page<MunicipalityResponse>> {
    let items = MUNICIPALITIES
        .iter()
        .filter(|m| query.hoglandet.is_none_or(|h| m.hoglandet == h))
        .map(|m| MunicipalityResponse::from(*m))
        .collect();
    web::Json(Page { items, next: None })
}
