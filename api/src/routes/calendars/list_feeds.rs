use actix_web::web;
use openapi::Page;
use openapi::calendar::{CalendarFeedQuery, CalendarFeedResponse};
use openapi::responses::RestrictedListErrors;
use persistence::calendar_feeds;

use crate::auth::{Authorized, ReadMeetings};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists the caller's own calendar feeds (by her token's `sub`), revoked ones included, in
/// creation order. Their secret URLs are not shown again.
#[utoipa::path(
    get,
    path = "/api/v1/calendar-feeds",
    tag = "meetings",
    params(CalendarFeedQuery),
    responses(
        (status = 200, description = "A page of the caller's feeds", body = Page<CalendarFeedResponse>),
        RestrictedListErrors,
    )
)]
pub async fn list_calendar_feeds(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    query: web::Query<CalendarFeedQuery>,
) -> Result<web::Json<Page<CalendarFeedResponse>>, ApiError> {
    let owner = reader.caller.subject;
    // The owner is part of the list's identity: a cursor serves only its own user.
    let listing = Listing::start(
        &state.cursors,
        &format!("calendar-feeds/{owner}"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(calendar_feeds::list(conn, &owner, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |f| f.id,
        CalendarFeedResponse::from,
    )?))
}
