use actix_web::{HttpResponse, web};
use openapi::meeting::records::MinutesResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use super::recording::find_minutes;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Reads a meeting's minutes as they read now: the draft, or the approved text with its
/// amendments (staff roles and integrations). 404 before they are started.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/minutes",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The minutes", body = MinutesResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to change the minutes"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_minutes(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let minutes = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        find_minutes(conn, id)
    })
    .await?;
    Ok(respond::ok_with_etag(
        minutes.version,
        MinutesResponse::from(minutes),
    ))
}
