use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::{MeetingResponse, UpdateMeetingRequest};
use openapi::responses::UpdateErrors;
use persistence::{meeting_records, meetings};
use uuid::Uuid;

use super::check_references;
use super::conference::on_meeting;
use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Changes a meeting (admin, coordinator, coach); needs `If-Match`. `status: held` records
/// that it took place, once it has started. A cancelled meeting is not changed any more, and a
/// held one is not moved (409). A meeting (an occurrence of a series too) is not made shorter
/// than the minutes allotted to its agenda (422 naming `ends_at`).
#[utoipa::path(
    patch,
    path = "/api/v1/meetings/{id}",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-Match" = String, Header, description = "The ETag the meeting was read with"),
    ),
    request_body = UpdateMeetingRequest,
    responses(
        (status = 200, description = "Changed", body = MeetingResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_meeting(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let meeting = on_meeting(
        &state,
        organizer.caller,
        id,
        Access::write(AuditAction::Update, AuditResource::Meeting),
        move |conn, _| {
            let changes = body.into_domain(crate::record_access::today())?;
            let current = super::find(conn, id)?;
            if_match.check(current.version)?;
            let next = current.apply(changes, persistence::now())?;
            if (next.starts_at, next.ends_at) != (current.starts_at, current.ends_at) {
                next.check_agenda_fits(&meeting_records::agenda_of(conn, id)?)?;
            }
            check_references(conn, &next)?;
            Ok(meetings::update(conn, &next)?)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        meeting.version,
        MeetingResponse::from(meeting),
    ))
}
