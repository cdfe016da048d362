use actix_web::{HttpResponse, web};
use openapi::improvement::training::CohortResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, ReadImprovement};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads a training cohort with its sessions in date order and its completion rule.
#[utoipa::path(
    get,
    path = "/api/v1/training-cohorts/{id}",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses(
        (status = 200, description = "The cohort", body = CohortResponse,
            headers(("ETag" = String, description = "The version in quotes"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_cohort(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let cohort = db::run(&state, move |conn| super::find(conn, id)).await?;
    Ok(respond::ok_with_etag(
        cohort.version,
        CohortResponse::from(cohort),
    ))
}
