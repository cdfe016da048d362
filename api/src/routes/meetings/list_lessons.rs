use actix_web::web;
use openapi::Page;
use openapi::meeting::cafe::LessonResponse;
use openapi::meeting::records::MeetingRecordQuery;
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists the lessons learned at an ESTHER café, in the order recorded (staff roles and
/// integrations).
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/lessons",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), MeetingRecordQuery),
    responses(
        (status = 200, description = "A page of lessons", body = Page<LessonResponse>),
        RestrictedReadErrors,
    )
)]
pub async fn list_lessons(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<MeetingRecordQuery>,
) -> Result<web::Json<Page<LessonResponse>>, ApiError> {
    let id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("meetings/{id}/lessons"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        Ok(meeting_records::list_lessons(conn, id, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |l| l.id,
        LessonResponse::from,
    )?))
}
