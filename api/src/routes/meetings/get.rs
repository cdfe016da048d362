use actix_web::{HttpResponse, web};
use openapi::meeting::MeetingResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

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
    _reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let meeting = db::run(&state, move |conn| super::find(conn, id)).await?;
    Ok(respond::ok_with_etag(
        meeting.version,
        MeetingResponse::from(meeting),
    ))
}
