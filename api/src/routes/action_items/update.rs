use actix_web::{HttpResponse, web};
use openapi::meeting::action_item::{ActionItemResponse, UpdateActionItemRequest};
use openapi::responses::UpdateErrors;
use persistence::action_items;
use uuid::Uuid;

use super::check_references;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::respond;
use crate::routes::meetings::conference::CHANGE_RECORD;
use crate::routes::meetings::recording::find_for_recording;
use crate::state::AppState;

/// Changes an action item (admin, coordinator, coach, or its meeting's organizer by her
/// HSA-id); needs `If-Match`. Status changes follow the allowed transitions (`open` ⇄
/// `in_progress`, either to `done` or `cancelled`, both final; else 409); `done` sets
/// `completed_at` to the server's time. A new `due` is not before the meeting's date (422);
/// an owner or unit named must exist and be active (422), and the item keeps an owner, a
/// unit or an organization (422 `owner_id`). `improvement_project_id` links it to an
/// existing improvement project (else 422 naming the field); `null` unlinks it.
#[utoipa::path(
    patch,
    path = "/api/v1/action-items/{id}",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Action item id"),
        ("If-Match" = String, Header, description = "The ETag the item was read with"),
    ),
    request_body = UpdateActionItemRequest,
    responses(
        (status = 200, description = "Changed", body = ActionItemResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_action_item(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateActionItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let now = persistence::now();
    let access = CHANGE_RECORD;
    let item = super::on_action_item(&state, writer.caller, id, access, move |conn, caller| {
        let changes = body.into_domain(crate::record_access::today())?;
        let current = super::find(conn, id)?;
        let meeting = find_for_recording(conn, caller, current.meeting_id)?;
        if_match.check(current.version)?;
        check_references(
            conn,
            changes.owner_id.flatten(),
            changes.care_unit_id.flatten(),
            changes.improvement_project_id.flatten(),
        )?;
        let next = current.apply(&meeting, changes, now)?;
        Ok(action_items::update(conn, &next)?)
    })
    .await?;
    Ok(respond::ok_with_etag(
        item.version,
        ActionItemResponse::at(item, now),
    ))
}
