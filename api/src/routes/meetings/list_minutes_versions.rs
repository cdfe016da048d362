use actix_web::web;
use openapi::Page;
use openapi::meeting::records::{MeetingRecordQuery, MinutesVersionResponse};
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists the kept versions of a meeting's approved minutes, oldest first: version 1 as
/// approved, then each amendment with its reason (staff roles and integrations). Empty while
/// the minutes are a draft.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/minutes/versions",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), MeetingRecordQuery),
    responses(
        (status = 200, description = "A page of versions", body = Page<MinutesVersionResponse>),
        RestrictedReadErrors,
    )
)]
pub async fn list_minutes_versions(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<MeetingRecordQuery>,
) -> Result<web::Json<Page<MinutesVersionResponse>>, ApiError> {
    let id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("meetings/{id}/minutes/versions"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        Ok(meeting_records::list_minutes_versions(conn, id, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |v| v.id,
        MinutesVersionResponse::from,
    )?))
}
