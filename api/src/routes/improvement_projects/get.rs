use actix_web::{HttpResponse, web};
use domain::improvement::adopted_change_points;
use domain::record::AuditResource;
use openapi::improvement::measure::MeasureResponse;
use openapi::improvement::{PdsaCycleResponse, ProjectDetailResponse, ProjectResponse};
use openapi::meeting::action_item::ActionItemResponse;
use openapi::responses::RestrictedReadErrors;
use persistence::{action_items, improvement, measures};
use uuid::Uuid;

use crate::auth::{Authorized, ReadImprovement};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::routes::meetings::conference::shown;
use crate::state::AppState;
use crate::{db, respond};

/// Reads an improvement project with its PDSA cycles (start order), its measures, the
/// change points its charts split at by default (the change dates of adopted cycles) and the
/// action items that feed it (due order; `overdue` computed now). An item of a case
/// conference about a registered person is shown only to a caller who may see the conference
/// under her record's access rules, with one access-log event per person shown, as in
/// `GET /action-items`. The `ETag` is
/// `"<version>.<digest>"`: it changes with anything the body shows, and passes `If-Match` for
/// the project's own version (decision 0028).
#[utoipa::path(
    get,
    path = "/api/v1/improvement-projects/{id}",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = ProjectDetailResponse,
            headers(("ETag" = String, description = "`\"<version>.<digest>\"`: changes with the project and with its cycles, measures and action items (decision 0028); send it as If-Match to change the project"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_project(
    state: web::Data<AppState>,
    reader: Authorized<ReadImprovement>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (shared, caller) = (state.clone(), reader.caller);
    let (project, cycles, measures, items) = db::run(&state, move |conn| {
        let project = super::find(conn, id)?;
        let cycles = improvement::cycles_of(conn, id)?;
        let measures = measures::measures_of(conn, id)?;
        let items = action_items::of_project(conn, id)?;
        // An item of a case conference about her is her record's: shown under its rules
        // and logged (an attack review found the project showing them to anyone).
        let access = Access::read(AuditResource::ActionItems);
        let items = shown(conn, &shared, &caller, access, items, |i| i.meeting_id)?;
        Ok((project, cycles, measures, items))
    })
    .await?;
    let now = persistence::now();
    let change_points = adopted_change_points(&cycles);
    respond::ok_with_view_etag(
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
    )
}
