use actix_web::web;
use domain::record::AuditResource;
use openapi::Page;
use openapi::meeting::cafe::LessonResponse;
use openapi::meeting::records::MeetingRecordQuery;
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::on_meeting;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::Access;
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
    query: web::Query<MeetingRecordQuery>,
) -> Result<web::Json<Page<LessonResponse>>, ApiError> {
    let id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("meetings/{id}/lessons"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = on_meeting(
        &state,
        reader.caller,
        id,
        Access::read(AuditResource::MeetingRecords),
        move |conn, _| {
            super::find(conn, id)?;
            Ok(meeting_records::list_lessons(conn, id, request)?)
        },
    )
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |l| l.id,
        LessonResponse::from,
    )?))
}
