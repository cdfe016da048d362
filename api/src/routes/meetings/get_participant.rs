use actix_web::{HttpResponse, web};
use openapi::meeting::participant::MeetingParticipantResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use super::conference::{READ, on_meeting};
use crate::auth::{AttendMeetings, Authorized};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Reads one participant of a meeting (staff roles and integrations). A representative who
/// did not consent to be named is shown by her role; her name is withheld.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/participants/{participant_id}",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("participant_id" = Uuid, Path, description = "Participant id"),
    ),
    responses(
        (status = 200, description = "The participant", body = MeetingParticipantResponse,
            headers(("ETag" = String, description = "The version in quotes"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_participant(
    state: web::Data<AppState>,
    reader: Authorized<AttendMeetings>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, participant_id) = path.into_inner();
    let participant = on_meeting(&state, reader.caller, id, READ, move |conn, _| {
        super::find_participant(conn, id, participant_id)
    })
    .await?;
    Ok(respond::ok_with_etag(
        participant.version,
        MeetingParticipantResponse::from(participant),
    ))
}
