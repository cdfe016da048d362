use actix_web::{HttpResponse, web};
use openapi::meeting::records::{MinutesResponse, WriteMinutesRequest};
use openapi::responses::PartWriteErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::find_for_recording;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Starts a meeting's minutes, a draft (admin, coordinator, coach, or the meeting's organizer
/// by her HSA-id). A meeting has one set of minutes (409 when started: edit them with PATCH);
/// a cancelled meeting has none (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/minutes",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = WriteMinutesRequest,
    responses(
        (status = 201, description = "Started", body = MinutesResponse,
            headers(("ETag" = String, description = "Entity tag of the minutes"), ("Location" = String, description = "URL of the minutes"))),
        PartWriteErrors,
    )
)]
pub async fn start_minutes(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<WriteMinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let minutes = on_meeting(&state, writer.caller, id, ADD_RECORD, move |conn, caller| {
        let text = body.into_domain(crate::record_access::today())?;
        let meeting = find_for_recording(conn, caller, id)?;
        if meeting_records::find_minutes(conn, id)?.is_some() {
            return Err(ApiError::Conflict(format!(
                "meeting {id} has minutes; change the draft with PATCH /api/v1/meetings/{id}/minutes and If-Match"
            )));
        }
        let minutes = meeting.start_minutes(text, &caller.subject, persistence::now())?;
        meeting_records::insert_minutes(conn, &minutes)?;
        Ok(minutes)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/minutes"),
        minutes.version,
        MinutesResponse::from(minutes),
    ))
}
