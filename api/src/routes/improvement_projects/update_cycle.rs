use actix_web::{HttpResponse, web};
use openapi::improvement::{PdsaCycleResponse, UpdatePdsaCycleRequest};
use openapi::responses::UpdateErrors;
use persistence::improvement;
use uuid::Uuid;

use super::get_cycle::find_cycle;
use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Records a PDSA cycle's next step (admin, coordinator, coach); needs `If-Match`. Do is
/// recorded once the cycle has started (`starts_on` on or before today, Europe/Stockholm),
/// Study needs Do and Act needs Study (422); a decided Act stands with its plan, prediction,
/// do, study, start and change point (409; title and end may change); a change that changes
/// nothing keeps the version; a cycle of a completed or
/// abandoned project is not changed (409). An adopted cycle's `change_point_on` splits the
/// project's charts.
#[utoipa::path(
    patch,
    path = "/api/v1/pdsa-cycles/{id}",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "PDSA cycle id"),
        ("If-Match" = String, Header, description = "The ETag the cycle was read with"),
    ),
    request_body = UpdatePdsaCycleRequest,
    responses(
        (status = 200, description = "Changed", body = PdsaCycleResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_cycle(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdatePdsaCycleRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let today = today();
    let changes = body.into_inner().into_domain(today)?;
    let cycle = db::transaction(&state, move |conn| {
        let current = find_cycle(conn, id)?;
        if_match.check(current.version)?;
        super::find(conn, current.project_id)?.check_open("changes to its PDSA cycles")?;
        let next = current.apply(changes, today)?;
        // Nothing changed: no new version, so other clients' If-Match still holds.
        if next == current {
            return Ok(current);
        }
        Ok(improvement::update_cycle(conn, &next)?)
    })
    .await?;
    Ok(respond::ok_with_etag(
        cycle.version,
        PdsaCycleResponse::from(cycle),
    ))
}
