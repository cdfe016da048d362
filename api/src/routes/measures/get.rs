use actix_web::{HttpResponse, web};
use openapi::improvement::measure::MeasureResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeasures};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads a measure (staff roles, integrations and analysts).
#[utoipa::path(
    get,
    path = "/api/v1/measures/{id}",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Measure id")),
    responses(
        (status = 200, description = "The measure", body = MeasureResponse,
            headers(("ETag" = String, description = "The version in quotes"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_measure(
    state: web::Data<AppState>,
    _reader: Authorized<ReadMeasures>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let measure = db::run(&state, move |conn| super::find(conn, id)).await?;
    Ok(respond::ok_with_etag(
        measure.version,
        MeasureResponse::from(measure),
    ))
}
