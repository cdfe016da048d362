use actix_web::{HttpResponse, web};
use openapi::meeting::MeetingResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use super::conference::{READ, on_meeting};
use crate::auth::{AttendMeetings, Authorized};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Reads one meeting (staff roles and integrations), cancelled ones included.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting", body = MeetingResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to change the meeting"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_meeting(
    state: web::Data<AppState>,
    reader: Authorized<AttendMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let meeting = on_meeting(&state, reader.caller, id, READ, move |conn, _| {
        super::find(conn, id)
    })
    .await?;
    Ok(respond::ok_with_etag(
        meeting.version,
        MeetingResponse::from(meeting),
    ))
}
