use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::participant::{MeetingParticipantResponse, RecordAttendanceRequest};
use openapi::responses::PartWriteErrors;
use persistence::{meeting_participants, meetings};
use uuid::Uuid;

use super::conference::on_meeting;
use super::find_for_change;
use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Records whether a participant took part (`attended` or `absent`; admin, coordinator,
/// coach), only for a meeting with status `held` (409 otherwise). The meeting's
/// `esther_present` follows: true when a patient or relative representative attended. No
/// `If-Match`: the latest record is the record (a correction replaces it).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/participants/{participant_id}/attendance",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("participant_id" = Uuid, Path, description = "Participant id"),
    ),
    request_body = RecordAttendanceRequest,
    responses(
        (status = 200, description = "Attendance recorded", body = MeetingParticipantResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        PartWriteErrors,
    )
)]
pub async fn record_attendance(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    path: web::Path<(Uuid, Uuid)>,
    body: crate::json_body::Json<RecordAttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, participant_id) = path.into_inner();
    let body = body.into_inner();
    let participant = on_meeting(
        &state,
        organizer.caller,
        id,
        Access::write(AuditAction::Update, AuditResource::Meeting),
        move |conn, _| {
            let attendance = body.into_domain()?;
            let meeting = find_for_change(conn, id)?;
            let participants = meeting_participants::all_of(conn, id)?;
            let participant = participants
                .iter()
                .find(|p| p.id == participant_id)
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "meeting {id} has no participant with id {participant_id}"
                    ))
                })?;
            let (recorded, next) =
                meeting.record_attendance(&participants, participant, attendance)?;
            let recorded = meeting_participants::update(conn, &recorded)?;
            if next != meeting {
                meetings::update(conn, &next)?;
            }
            Ok(recorded)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        participant.version,
        MeetingParticipantResponse::from(participant),
    ))
}
