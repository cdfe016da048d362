use actix_web::{HttpResponse, web};
use domain::Role;
use domain::meeting::MEETING_ORGANIZERS;
use domain::meeting::participant::{Answerer, Invitee, answering_identity};
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::participant::{MeetingParticipantResponse, RecordResponseRequest};
use openapi::responses::PartWriteErrors;
use persistence::{meeting_participants, staff};
use uuid::Uuid;

use super::conference::on_meeting;
use super::{find_for_change, find_participant};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Records a participant's answer to the invitation: `accepted`, `declined` or `tentative`.
/// Organizers (admin, coordinator, coach) record anyone's answer; an invited staff member
/// answers her own when her token's HSA-id claim (`SMARTCARE_JWT_HSA_ID_CLAIM`, default
/// `hsa_id`) is her staff record's HSA-id, whatever her role; anyone else is refused (403).
/// Answers are taken while the meeting is scheduled (409 once held or cancelled). No
/// `If-Match`: the latest answer is the answer.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/participants/{participant_id}/response",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("participant_id" = Uuid, Path, description = "Participant id"),
    ),
    request_body = RecordResponseRequest,
    responses(
        (status = 200, description = "Answer recorded", body = MeetingParticipantResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        PartWriteErrors,
    )
)]
pub async fn record_response(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: crate::json_body::Json<RecordResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, participant_id) = path.into_inner();
    let body = body.into_inner();
    let participant = on_meeting(
        &state,
        caller,
        id,
        Access::write(AuditAction::Answer, AuditResource::Meeting),
        move |conn, caller| {
            let response = body.into_domain()?;
            let meeting = find_for_change(conn, id)?;
            let participant = find_participant(conn, id, participant_id)?;
            let invited = match participant.invitee {
                Invitee::Staff(staff_id) => staff::find_by_id(conn, staff_id)?,
                _ => None,
            };
            let answerer = Answerer {
                organizer: caller.has_any(MEETING_ORGANIZERS),
                hsa_id: caller.hsa_id.as_ref(),
                person: caller.person.filter(|_| caller.has_any(&[Role::Person])),
            };
            let answered = meeting.answer(
                &participant,
                response,
                answerer,
                answering_identity(invited.as_ref()),
            )?;
            Ok(meeting_participants::update(conn, &answered)?)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        participant.version,
        MeetingParticipantResponse::from(participant),
    ))
}
