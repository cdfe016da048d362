use actix_web::{HttpResponse, web};
use openapi::improvement::measure::{CreateMeasureRequest, MeasureResponse};
use openapi::responses::PartWriteErrors;
use persistence::measures;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Adds a measure to a project (admin, coordinator, coach): name, operational definition,
/// type (outcome, process, balancing), unit, value kind (count, proportion, rate,
/// measurement; it decides the data points' fields and the control chart), direction of
/// improvement, target. A completed or abandoned project takes none (409).
#[utoipa::path(
    post,
    path = "/api/v1/improvement-projects/{id}/measures",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = CreateMeasureRequest,
    responses(
        (status = 201, description = "Added", body = MeasureResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        PartWriteErrors,
    )
)]
pub async fn add_measure(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<CreateMeasureRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let new = body.into_inner().into_domain(today())?;
    let measure = db::transaction(&state, move |conn| {
        let project = super::find(conn, id)?;
        let measure = new.into_record(Uuid::now_v7(), &project, persistence::now())?;
        measures::insert_measure(conn, &measure)?;
        Ok(measure)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/measures/{}", measure.id),
        measure.version,
        MeasureResponse::from(measure),
    ))
}
