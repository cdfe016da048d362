use actix_web::{HttpResponse, web};
use openapi::directory::CareUnitResponse;
use openapi::responses::ReadErrors;
use persistence::care_units;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads one care unit.
#[utoipa::path(
    get,
    path = "/api/v1/care-units/{id}",
    tag = "directory",
    params(("id" = Uuid, Path, description = "Care unit id")),
    responses(
        (status = 200, description = "The care unit", body = CareUnitResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to update"))),
        ReadErrors,
    )
)]
pub async fn get_care_unit(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let unit = db::run(&state, move |conn| {
        care_units::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no care unit has id {id}")))
    })
    .await?;
    Ok(respond::ok_with_etag(
        unit.version,
        CareUnitResponse::from(unit),
    ))
}
