use actix_web::{HttpRequest, HttpResponse, web};
use openapi::responses::RestrictedReadErrors;
use persistence::meetings;
use uuid::Uuid;

use super::{calendar_of, calendar_response};
use crate::auth::{AttendMeetings, Authorized};
use crate::error::ApiError;
use crate::routes::meetings::conference::{READ, on_meeting};
use crate::state::AppState;

/// One meeting as an iCalendar object (RFC 5545; staff roles and integrations), to import
/// into a calendar app: the Europe/Stockholm `VTIMEZONE` and one `VEVENT` with a stable `UID`,
/// `SEQUENCE` raised on every change, `STATUS:CANCELLED` once cancelled, `ORGANIZER` and
/// `ATTENDEE`s with `PARTSTAT`. An occurrence of a series is a standalone event too, with the
/// meeting's own `UID` and no `RECURRENCE-ID` (an override without its series' master is
/// dropped by many calendar apps on import). A case conference shows as "Case conference"; a
/// representative by her role only. `ETag`/`If-None-Match` → 304.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}.ics",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of a copy the client holds"),
    ),
    responses(
        (status = 200, description = "The meeting as iCalendar", content_type = "text/calendar", body = String,
            headers(("ETag" = String, description = "SHA-256 of the body"))),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        RestrictedReadErrors,
    )
)]
pub async fn get_meeting_ics(
    state: web::Data<AppState>,
    reader: Authorized<AttendMeetings>,
    id: web::Path<Uuid>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = on_meeting(&state, reader.caller, id, READ, move |conn, _| {
        let meeting = meetings::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no meeting has id {id}")))?;
        calendar_of(conn, "ESTHER network meeting", vec![meeting], None)
    })
    .await?;
    Ok(calendar_response(&request, body))
}
