use actix_web::{HttpResponse, web};
use openapi::improvement::PdsaCycleResponse;
use openapi::responses::RestrictedReadErrors;
use persistence::improvement;
use uuid::Uuid;

use crate::auth::{Authorized, ReadImprovement};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads one PDSA cycle, with the `ETag` to record its next step with.
#[utoipa::path(
    get,
    path = "/api/v1/pdsa-cycles/{id}",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "PDSA cycle id")),
    responses(
        (status = 200, description = "The cycle", body = PdsaCycleResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to change the cycle"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_cycle(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let cycle = db::run(&state, move |conn| find_cycle(conn, id)).await?;
    Ok(respond::ok_with_etag(
        cycle.version,
        PdsaCycleResponse::from(cycle),
    ))
}

/// The cycle, or 404.
pub(super) fn find_cycle(
    conn: &mut persistence::DbConnection,
    id: Uuid,
) -> Result<domain::improvement::PdsaCycle, ApiError> {
    improvement::find_cycle(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no PDSA cycle has id {id}")))
}
