use actix_web::{HttpResponse, web};
use openapi::improvement::{CreateProjectRequest, ProjectResponse};
use openapi::responses::CreateErrors;
use persistence::improvement;
use uuid::Uuid;

use super::check_references;
use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Starts an improvement project (admin, coordinator, coach): title, problem, aim (what, how
/// much, by when), what matters to Esther, units, municipalities, coach (a staff member with a
/// coach profile), team, status (`idea` unless given), dates and change ideas. Free text with
/// a personal number is refused (422): improvement work holds no patient's data.
#[utoipa::path(
    post,
    path = "/api/v1/improvement-projects",
    tag = "improvement",
    request_body = CreateProjectRequest,
    responses(
        (status = 201, description = "Started", body = ProjectResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_project(
    state: web::Data<AppState>,
    writer: Authorized<WriteImprovement>,
    body: crate::json_body::Json<CreateProjectRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = today();
    let project = body.into_inner().into_domain(today)?.into_record(
        Uuid::now_v7(),
        &writer.caller.subject,
        today,
        persistence::now(),
    )?;
    let project = db::transaction(&state, move |conn| {
        check_references(conn, &project)?;
        improvement::insert_project(conn, &project)?;
        Ok(project)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/improvement-projects/{}", project.id),
        project.version,
        ProjectResponse::from(project),
    ))
}
