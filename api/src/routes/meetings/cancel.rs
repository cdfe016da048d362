use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::{CancelMeetingRequest, MeetingResponse};
use openapi::responses::ActionErrors;
use persistence::meetings;
use uuid::Uuid;

use super::conference::on_meeting;
use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Cancels a meeting with a reason (admin, coordinator, coach); needs `If-Match`. The meeting
/// stays, shown as cancelled. A meeting already cancelled, or held, cannot be cancelled (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/cancel",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-Match" = String, Header, description = "The ETag the meeting was read with"),
    ),
    request_body = CancelMeetingRequest,
    responses(
        (status = 200, description = "Cancelled", body = MeetingResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        ActionErrors,
    )
)]
pub async fn cancel_meeting(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<CancelMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let meeting = on_meeting(
        &state,
        organizer.caller,
        id,
        Access::write(AuditAction::Cancel, AuditResource::Meeting),
        move |conn, _| {
            let reason = body.into_domain(crate::record_access::today())?;
            let current = super::find(conn, id)?;
            if_match.check(current.version)?;
            Ok(meetings::update(conn, &current.cancel(reason)?)?)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        meeting.version,
        MeetingResponse::from(meeting),
    ))
}
