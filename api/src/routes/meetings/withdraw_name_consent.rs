use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::participant::MeetingParticipantResponse;
use openapi::responses::BodylessActionErrors;
use persistence::meeting_participants;
use uuid::Uuid;

use super::conference::on_meeting;
use super::{find_for_change, find_participant};
use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Records that a patient or relative representative withdrew her consent to be named (admin,
/// coordinator, coach, as they invite her): her name is erased from the participant, and
/// everyone, calendars included, is shown her role from now on (GDPR art. 7.3: withdrawn at
/// any time, in any meeting status). A representative not named already is answered
/// unchanged (same `version`); any other participant is 409. No body and no `If-Match`: a
/// withdrawal does not depend on what the caller last read. Texts of the meeting's minutes or
/// story are not changed: amend them as any other correction.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/participants/{participant_id}/withdraw-name-consent",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("participant_id" = Uuid, Path, description = "Participant id (a representative)"),
    ),
    responses(
        (status = 200, description = "Her name erased; the participant as now shown", body = MeetingParticipantResponse,
            headers(("ETag" = String, description = "The participant's entity tag"))),
        BodylessActionErrors,
    )
)]
pub async fn withdraw_name_consent(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, participant_id) = path.into_inner();
    let participant = on_meeting(
        &state,
        organizer.caller,
        id,
        Access::write(AuditAction::Update, AuditResource::Meeting),
        move |conn, _| {
            let meeting = find_for_change(conn, id)?;
            let participant = find_participant(conn, id, participant_id)?;
            match meeting.withdraw_name_consent(&participant)? {
                Some(withdrawn) => Ok(meeting_participants::update(conn, &withdrawn)?),
                None => Ok(participant),
            }
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        participant.version,
        MeetingParticipantResponse::from(participant),
    ))
}
