use actix_web::{HttpResponse, web};
use openapi::meeting::records::{MinutesResponse, WriteMinutesRequest};
use openapi::responses::UpdateErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{CHANGE_RECORD, on_meeting};
use super::recording::{find_for_recording, find_minutes};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::respond;
use crate::state::AppState;

/// Changes the draft of a meeting's minutes (admin, coordinator, coach, or the meeting's
/// organizer by her HSA-id); needs `If-Match`. Approved minutes are never edited: the answer
/// is 409 saying that an amendment is required (`POST …/minutes/amendments`).
#[utoipa::path(
    patch,
    path = "/api/v1/meetings/{id}/minutes",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-Match" = String, Header, description = "The ETag the minutes were read with"),
    ),
    request_body = WriteMinutesRequest,
    responses(
        (status = 200, description = "Changed", body = MinutesResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn edit_minutes(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<WriteMinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let minutes = on_meeting(
        &state,
        writer.caller,
        id,
        CHANGE_RECORD,
        move |conn, caller| {
            let text = body.into_domain(crate::record_access::today())?;
            find_for_recording(conn, caller, id)?;
            let current = find_minutes(conn, id)?;
            if_match.check(current.version)?;
            Ok(meeting_records::update_minutes(conn, &current.edit(text)?)?)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        minutes.version,
        MinutesResponse::from(minutes),
    ))
}
