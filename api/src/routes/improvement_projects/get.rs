use actix_web::{HttpResponse, web};
use domain::improvement::adopted_change_points;
use openapi::improvement::measure::MeasureResponse;
use openapi::improvement::{PdsaCycleResponse, ProjectDetailResponse, ProjectResponse};
use openapi::meeting::action_item::ActionItemResponse;
use openapi::responses::RestrictedReadErrors;
use persistence::{action_items, improvement, measures};
use uuid::Uuid;

use crate::auth::{Authorized, ReadImprovement};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads an improvement project with its PDSA cycles (start order), its measures, the
/// change points its charts split at by default (the change dates of adopted cycles) and the
/// action items that feed it (due order; `overdue` computed now). The `ETag` is the project's
/// own version, for `If-Match`; it does not cover the cycles, measures and action items, so
/// `If-None-Match` is not answered with 304 here (always the whole body).
#[utoipa::path(
    get,
    path = "/api/v1/improvement-projects/{id}",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = ProjectDetailResponse,
            headers(("ETag" = String, description = "The project's own version in quotes; send it as If-Match to change the project (it does not cover the embedded cycles, measures and action items: no 304 here)"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_project(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (project, cycles, measures, items) = db::run(&state, move |conn| {
        let project = super::find(conn, id)?;
        let cycles = improvement::cycles_of(conn, id)?;
        let measures = measures::measures_of(conn, id)?;
        let items = action_items::of_project(conn, id)?;
        Ok((project, cycles, measures, items))
    })
    .await?;
    let now = persistence::now();
    let change_points = adopted_change_points(&cycles);
    Ok(respond::ok_with_etag(
        project.version,
        ProjectDetailResponse {
            project: ProjectResponse::from(project),
            pdsa_cycles: cycles.into_iter().map(PdsaCycleResponse::from).collect(),
            measures: measures.into_iter().map(MeasureResponse::from).collect(),
            change_points,
            action_items: items
                .into_iter()
                .map(|item| ActionItemResponse::at(item, now))
                .collect(),
        },
    ))
}
