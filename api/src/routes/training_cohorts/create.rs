use actix_web::{HttpResponse, web};
use openapi::improvement::training::{CohortResponse, CreateCohortRequest};
use openapi::responses::CreateErrors;
use persistence::training;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Sets up a training cohort (admin, coordinator, coach): programme, name, 1 to 40 sessions
/// (date, topic) and the completion rule (sessions to attend, at most the number of
/// sessions; whether a presented improvement project is required).
#[utoipa::path(
    post,
    path = "/api/v1/training-cohorts",
    tag = "improvement",
    request_body = CreateCohortRequest,
    responses(
        (status = 201, description = "Set up", body = CohortResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_cohort(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    body: crate::json_body::Json<CreateCohortRequest>,
) -> Result<HttpResponse, ApiError> {
    let cohort = body
        .into_inner()
        .into_domain(crate::record_access::today())?
        .into_record(Uuid::now_v7(), Uuid::now_v7, persistence::now())?;
    let cohort = db::transaction(&state, move |conn| {
        training::insert_cohort(conn, &cohort)?;
        Ok(cohort)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/training-cohorts/{}", cohort.id),
        cohort.version,
        CohortResponse::from(cohort),
    ))
}
