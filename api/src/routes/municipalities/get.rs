use actix_web::{HttpResponse, web};
use domain::Municipality;
use openapi::directory::MunicipalityResponse;
use openapi::responses::ReadErrors;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::respond;

/// Reference data never changes while the service runs; its ETag is constant.
const REFERENCE_DATA_VERSION: i64 = 1;

/// Reads one municipality by its official code.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{code}",
    tag = "directory",
    params(("code" = String, Path, description = "Four-digit municipality code, e.g. 0682 (Nässjö)")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityResponse,
            headers(("ETag" = String, description = "Entity tag of the resource"))),
        ReadErrors,
    )
)]
pub async fn get_municipality(
    _caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let municipality = Municipality::by_code(&code).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no municipality in Jönköping County has code `{code}`"
        ))
    })?;
    Ok(respond::ok_with_etag(
        REFERENCE_DATA_VERSION,
        MunicipalityResponse::from(municipality),
    ))
}
