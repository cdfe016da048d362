use actix_web::{HttpResponse, web};
use openapi::meeting::action_item::{ActionItemResponse, CreateActionItemRequest};
use openapi::responses::PartWriteErrors;
use persistence::action_items;
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::find_for_recording;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::routes::action_items::check_references;
use crate::state::AppState;

/// Records an action item at a meeting (admin, coordinator, coach, or the meeting's organizer
/// by her HSA-id): a title, a due date not before the meeting's date in Europe/Stockholm
/// (else 422 `due`), and an owner (staff) and/or a care unit (at least one, existing and
/// active, else 422 naming the field), optionally the improvement project it feeds
/// (`improvement_project_id`, an existing project, else 422 naming the field). It starts
/// `open`. Not at a cancelled meeting (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/action-items",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = CreateActionItemRequest,
    responses(
        (status = 201, description = "Recorded", body = ActionItemResponse,
            headers(("ETag" = String, description = "Entity tag of the new item"), ("Location" = String, description = "URL of the new item"))),
        PartWriteErrors,
    )
)]
pub async fn add_action_item(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<CreateActionItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let now = persistence::now();
    let item = on_meeting(
        &state,
        writer.caller,
        id,
        ADD_RECORD,
        move |conn, caller| {
            let item = body.into_domain(crate::record_access::today())?;
            let meeting = find_for_recording(conn, caller, id)?;
            check_references(
                conn,
                item.owner_id,
                item.care_unit_id,
                item.improvement_project_id,
            )?;
            let item = meeting.add_action_item(item, Uuid::now_v7(), &caller.subject, now)?;
            action_items::insert(conn, &item)?;
            Ok(item)
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/action-items/{}", item.id),
        item.version,
        ActionItemResponse::at(item, now),
    ))
}
