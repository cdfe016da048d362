use actix_web::{HttpResponse, web};
use domain::Municipality;
use openapi::directory::MunicipalityResponse;
use openapi::responses::ReadErrors;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::respond;

/// Reference data never changes while the service runs; its ETag follows the body, so a
/// release that changes the list changes it (decision 0028).
const REFERENCE_DATA_VERSION: i64 = 1;

/// Reads one municipality by its official code.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{code}",
    tag = "directory",
    params(("code" = String, Path, description = "Four-digit municipality code, e.g. 0682 (Nässjö)")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityResponse,
            headers(("ETag" = String, description = "`\"1.<digest>\"`: follows the body (decision 0028)"))),
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
    respond::ok_with_view_etag(
        REFERENCE_DATA_VERSION,
        MunicipalityResponse::from(municipality),
    )
}
