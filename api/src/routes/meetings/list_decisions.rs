use actix_web::web;
use openapi::Page;
use openapi::meeting::records::{DecisionResponse, MeetingRecordQuery};
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists a meeting's decisions in the order they were recorded (staff roles and
/// integrations).
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/decisions",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), MeetingRecordQuery),
    responses(
        (status = 200, description = "A page of decisions", body = Page<DecisionResponse>),
        RestrictedReadErrors,
    )
)]
pub async fn list_decisions(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<MeetingRecordQuery>,
) -> Result<web::Json<Page<DecisionResponse>>, ApiError> {
    let id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("meetings/{id}/decisions"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        Ok(meeting_records::list_decisions(conn, id, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |d| d.id,
        DecisionResponse::from,
    )?))
}
