use actix_web::{HttpResponse, web};
use openapi::improvement::{CreatePdsaCycleRequest, PdsaCycleResponse};
use openapi::responses::PartWriteErrors;
use persistence::improvement;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Plans a PDSA cycle of a project (admin, coordinator, coach): the change to test, the plan
/// and the prediction, the dates. A completed or abandoned project takes none (409). Do, Study
/// and Act are recorded with `PATCH /api/v1/pdsa-cycles/{id}`.
#[utoipa::path(
    post,
    path = "/api/v1/improvement-projects/{id}/pdsa-cycles",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = CreatePdsaCycleRequest,
    responses(
        (status = 201, description = "Planned", body = PdsaCycleResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        PartWriteErrors,
    )
)]
pub async fn add_cycle(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<CreatePdsaCycleRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let new = body.into_inner().into_domain(today())?;
    let cycle = db::transaction(&state, move |conn| {
        let project = super::find(conn, id)?;
        let cycle = new.into_record(Uuid::now_v7(), &project, persistence::now())?;
        improvement::insert_cycle(conn, &cycle)?;
        Ok(cycle)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/pdsa-cycles/{}", cycle.id),
        cycle.version,
        PdsaCycleResponse::from(cycle),
    ))
}
