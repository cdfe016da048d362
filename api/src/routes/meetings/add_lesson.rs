use actix_web::{HttpResponse, web};
use openapi::meeting::cafe::{LessonRequest, LessonResponse};
use openapi::responses::PartWriteErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::{find_for_recording, today};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Records a lesson learned at an ESTHER café (admin, coordinator, coach, or the meeting's
/// organizer by her HSA-id). No personal identifiers (422 `text`); only a café that is not
/// cancelled (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/lessons",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = LessonRequest,
    responses(
        (status = 201, description = "Recorded", body = LessonResponse,
            headers(("ETag" = String, description = "Entity tag of the lesson"), ("Location" = String, description = "URL of the café's lessons"))),
        PartWriteErrors,
    )
)]
pub async fn add_lesson(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<LessonRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let text = body.into_inner().into_domain(today())?;
    let lesson = on_meeting(
        &state,
        writer.caller,
        id,
        ADD_RECORD,
        move |conn, caller| {
            let meeting = find_for_recording(conn, caller, id)?;
            let lesson =
                meeting.learn(text, Uuid::now_v7(), &caller.subject, persistence::now())?;
            meeting_records::insert_lesson(conn, &lesson)?;
            Ok(lesson)
        },
    )
    .await?;
    // Lessons are never changed: every one is at version 1.
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/lessons"),
        1,
        LessonResponse::from(lesson),
    ))
}
