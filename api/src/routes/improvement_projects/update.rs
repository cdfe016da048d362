use actix_web::{HttpResponse, web};
use openapi::improvement::{ProjectResponse, UpdateProjectRequest};
use openapi::responses::UpdateErrors;
use persistence::improvement;
use uuid::Uuid;

use super::check_references;
use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Changes an improvement project (admin, coordinator, coach); needs `If-Match`. The status
/// moves idea → active | abandoned, active → paused | completed | abandoned, paused → active |
/// abandoned (409 otherwise); a completed or abandoned project is not changed any more (409).
/// Becoming active dates the start, closing dates the end, unless given. On a project still
/// open, a change that changes nothing (`{}`, the values it has, its sets in another order)
/// answers the project as it is, same version; a closed one answers 409 as for any change.
#[utoipa::path(
    patch,
    path = "/api/v1/improvement-projects/{id}",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "Project id"),
        ("If-Match" = String, Header, description = "The ETag the project was read with"),
    ),
    request_body = UpdateProjectRequest,
    responses(
        (status = 200, description = "Changed", body = ProjectResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_project(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateProjectRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let today = today();
    let changes = body.into_inner().into_domain(today)?;
    let project = db::transaction(&state, move |conn| {
        let current = super::find(conn, id)?;
        if_match.check(current.version)?;
        let next = current.apply(changes, today)?;
        // Nothing changed: no new version, so other clients' If-Match still holds.
        if next == current {
            return Ok(current);
        }
        check_references(conn, &next)?;
        Ok(improvement::update_project(conn, &next)?)
    })
    .await?;
    Ok(respond::ok_with_etag(
        project.version,
        ProjectResponse::from(project),
    ))
}
