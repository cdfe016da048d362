use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::participant::{InviteParticipantRequest, MeetingParticipantResponse};
use openapi::responses::PartWriteErrors;
use persistence::meeting_participants;
use uuid::Uuid;

use super::conference::on_meeting;
use super::{check_invitee, find_for_change};
use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Invites one participant to a meeting (admin, coordinator, coach): exactly one of
/// `staff_id`, `care_unit_id`, `organization_id` (existing and active, else 422 naming the
/// field) or `representative` (a patient or relative representative: a name, a role and
/// whether she consents to be named; no personnummer). The same staff member, unit or
/// organization is invited once (409); a cancelled meeting takes no new participants (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/participants",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = InviteParticipantRequest,
    responses(
        (status = 201, description = "Invited", body = MeetingParticipantResponse,
            headers(("ETag" = String, description = "Entity tag of the new participant"), ("Location" = String, description = "URL of the new participant"))),
        PartWriteErrors,
    )
)]
pub async fn invite_participant(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<InviteParticipantRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let participant = on_meeting(
        &state,
        organizer.caller,
        id,
        Access::write(AuditAction::Create, AuditResource::Meeting),
        move |conn, caller| {
            let invitee = body.into_domain(crate::record_access::today())?;
            let meeting = find_for_change(conn, id)?;
            check_invitee(conn, &invitee)?;
            let invited = meeting_participants::all_of(conn, id)?;
            let participant = meeting.invite(
                invitee,
                &invited,
                Uuid::now_v7(),
                &caller.subject,
                persistence::now(),
            )?;
            meeting_participants::insert(conn, &participant)?;
            Ok(participant)
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/participants/{}", participant.id),
        participant.version,
        MeetingParticipantResponse::from(participant),
    ))
}
