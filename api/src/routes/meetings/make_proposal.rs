use actix_web::{HttpResponse, web};
use openapi::meeting::cafe::{ProposalRequest, ProposalResponse};
use openapi::responses::PartWriteErrors;
use persistence::{action_items, meeting_records};
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::{find_for_recording, today};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::routes::references;
use crate::state::AppState;

/// Makes a proposal to management from an ESTHER café (admin, coordinator, coach, or the
/// meeting's organizer by her HSA-id), addressed to an organization (existing and active,
/// else 422 `organization_id`), and opens the action item that follows it: addressed to
/// that organization, due on `due` (not before the café's date, else 422 `due`). Both are
/// written together or not at all. No personal identifiers (422); only a café that is not
/// cancelled (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/proposals",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = ProposalRequest,
    responses(
        (status = 201, description = "Proposed; `action_item_id` is the item that follows it", body = ProposalResponse,
            headers(("ETag" = String, description = "Entity tag of the proposal"), ("Location" = String, description = "URL of the action item that follows it"))),
        PartWriteErrors,
    )
)]
pub async fn make_proposal(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<ProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let proposal = body.into_inner().into_domain(today())?;
    let proposal = on_meeting(
        &state,
        writer.caller,
        id,
        ADD_RECORD,
        move |conn, caller| {
            let meeting = find_for_recording(conn, caller, id)?;
            references::active_organization(conn, "organization_id", proposal.organization_id)?;
            let (proposal, item) = meeting.propose(
                proposal,
                Uuid::now_v7(),
                Uuid::now_v7(),
                &caller.subject,
                persistence::now(),
            )?;
            action_items::insert(conn, &item)?;
            meeting_records::insert_proposal(conn, &proposal)?;
            Ok(proposal)
        },
    )
    .await?;
    // Proposals are never changed (their action item is): every one is at version 1.
    Ok(respond::created(
        format!("/api/v1/action-items/{}", proposal.action_item_id),
        1,
        ProposalResponse::from(proposal),
    ))
}
