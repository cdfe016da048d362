use actix_web::web;
use openapi::Page;
use openapi::meeting::records::{AgendaItemResponse, MeetingRecordQuery};
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists a meeting's agenda in its order (staff roles and integrations).
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/agenda-items",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), MeetingRecordQuery),
    responses(
        (status = 200, description = "A page of the agenda, in order", body = Page<AgendaItemResponse>),
        RestrictedReadErrors,
    )
)]
pub async fn list_agenda_items(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<MeetingRecordQuery>,
) -> Result<web::Json<Page<AgendaItemResponse>>, ApiError> {
    let id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("meetings/{id}/agenda-items"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let agenda = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        Ok(meeting_records::agenda_of(conn, id)?)
    })
    .await?;
    // An agenda holds at most 100 items: paged in memory, in its own order.
    let page = request
        .of(agenda, |item| item.id)
        .unwrap_or(persistence::Page {
            items: Vec::new(),
            has_more: false,
        });
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |item| item.id,
        AgendaItemResponse::from,
    )?))
}
