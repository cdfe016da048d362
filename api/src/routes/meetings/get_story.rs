use actix_web::{HttpResponse, web};
use openapi::meeting::cafe::StoryResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use super::recording::find_story;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Reads an ESTHER café's opening story (staff roles and integrations); 404 when none is
/// recorded.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/story",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The story", body = StoryResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to replace the story"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_story(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let story = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        find_story(conn, id)
    })
    .await?;
    Ok(respond::ok_with_etag(
        story.version,
        StoryResponse::from(story),
    ))
}
