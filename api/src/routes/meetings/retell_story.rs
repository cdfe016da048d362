use actix_web::{HttpResponse, web};
use openapi::meeting::cafe::{StoryRequest, StoryResponse};
use openapi::responses::UpdateErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{CHANGE_RECORD, on_meeting};
use super::recording::{find_for_recording, find_story, today};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::respond;
use crate::state::AppState;

/// Replaces an ESTHER café's story (admin, coordinator, coach, or the meeting's organizer by
/// her HSA-id); needs `If-Match`. The same rules as recording it: no personal identifiers
/// (422 naming the field).
#[utoipa::path(
    put,
    path = "/api/v1/meetings/{id}/story",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-Match" = String, Header, description = "The ETag the story was read with"),
    ),
    request_body = StoryRequest,
    responses(
        (status = 200, description = "Replaced", body = StoryResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn retell_story(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<StoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let story = body.into_inner().into_domain(today())?;
    let story = on_meeting(
        &state,
        writer.caller,
        id,
        CHANGE_RECORD,
        move |conn, caller| {
            let meeting = find_for_recording(conn, caller, id)?;
            let current = find_story(conn, id)?;
            if_match.check(current.version)?;
            Ok(meeting_records::update_story(
                conn,
                &current.retell(&meeting, story)?,
            )?)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        story.version,
        StoryResponse::from(story),
    ))
}
