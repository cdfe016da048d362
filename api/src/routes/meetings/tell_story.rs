use actix_web::{HttpResponse, web};
use openapi::meeting::cafe::{StoryRequest, StoryResponse};
use openapi::responses::PartWriteErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::{find_for_recording, today};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Records an ESTHER café's opening story (admin, coordinator, coach, or the meeting's
/// organizer by her HSA-id): the text, who told it (`esther`, a `relative`, or `other`) and
/// how that person is described. No personal identifiers: a text or description containing
/// something that parses as a personnummer or samordningsnummer is 422 naming the field.
/// Only a café (kind `esther_cafe`) has a story, told once (409; replace it with PUT).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/story",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = StoryRequest,
    responses(
        (status = 201, description = "Recorded", body = StoryResponse,
            headers(("ETag" = String, description = "Entity tag of the story"), ("Location" = String, description = "URL of the story"))),
        PartWriteErrors,
    )
)]
pub async fn tell_story(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<StoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let story = body.into_inner().into_domain(today())?;
    let story = on_meeting(
        &state,
        writer.caller,
        id,
        ADD_RECORD,
        move |conn, caller| {
            let meeting = find_for_recording(conn, caller, id)?;
            let recorded = meeting_records::find_story(conn, id)?;
            let story = meeting.tell_story(
                story,
                recorded.as_ref(),
                &caller.subject,
                persistence::now(),
            )?;
            meeting_records::insert_story(conn, &story)?;
            Ok(story)
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/story"),
        story.version,
        StoryResponse::from(story),
    ))
}
