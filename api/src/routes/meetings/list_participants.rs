use actix_web::web;
use openapi::Page;
use openapi::meeting::participant::{MeetingParticipantResponse, ParticipantQuery};
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_participants;
use uuid::Uuid;

use super::conference::{READ, on_meeting};
use crate::auth::{AttendMeetings, Authorized};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists a meeting's participants in invitation order (staff roles and integrations). A
/// representative who did not consent to be named is shown as "patient representative" or
/// "relative representative"; her name is withheld from everyone.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/participants",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), ParticipantQuery),
    responses(
        (status = 200, description = "A page of participants", body = Page<MeetingParticipantResponse>),
        RestrictedReadErrors,
    )
)]
pub async fn list_participants(
    state: web::Data<AppState>,
    reader: Authorized<AttendMeetings>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<ParticipantQuery>,
) -> Result<web::Json<Page<MeetingParticipantResponse>>, ApiError> {
    let id = id.into_inner();
    let query = query.into_inner();
    // The meeting is part of the list's identity: a cursor serves only its own meeting.
    let listing = Listing::start(
        &state.cursors,
        &format!("meetings/{id}/participants"),
        &query,
    )?;
    let request = listing.request;
    let page = on_meeting(&state, reader.caller, id, READ, move |conn, _| {
        Ok(meeting_participants::list(conn, id, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |p| p.id,
        MeetingParticipantResponse::from,
    )?))
}
