use actix_web::{HttpResponse, web};
use openapi::meeting::records::{AddAgendaItemRequest, AgendaItemResponse};
use openapi::responses::PartWriteErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::find_for_recording;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::routes::references;
use crate::state::AppState;

/// Adds an item to a meeting's agenda (admin, coordinator, coach, or the meeting's organizer
/// by her HSA-id): a title, an optional `position` (else last; a taken one is 409), an
/// optional presenter (an existing, active staff member, else 422) and minutes allotted (all
/// items together fit within the meeting, else 422). A cancelled meeting's agenda is closed
/// (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/agenda-items",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AddAgendaItemRequest,
    responses(
        (status = 201, description = "Added", body = AgendaItemResponse,
            headers(("ETag" = String, description = "Entity tag of the new item"), ("Location" = String, description = "URL of the agenda"))),
        PartWriteErrors,
    )
)]
pub async fn add_agenda_item(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<AddAgendaItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let item = on_meeting(
        &state,
        writer.caller,
        id,
        ADD_RECORD,
        move |conn, caller| {
            let item = body.into_domain(crate::record_access::today())?;
            let meeting = find_for_recording(conn, caller, id)?;
            if let Some(presenter) = item.presenter_id {
                references::active_staff_member(conn, "presenter_id", presenter)?;
            }
            let agenda = meeting_records::agenda_of(conn, id)?;
            let item = meeting.add_agenda_item(
                item,
                &agenda,
                Uuid::now_v7(),
                &caller.subject,
                persistence::now(),
            )?;
            meeting_records::insert_agenda_item(conn, &item)?;
            Ok(item)
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/agenda-items"),
        item.version,
        AgendaItemResponse::from(item),
    ))
}
