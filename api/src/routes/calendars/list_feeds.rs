use actix_web::web;
use domain::Role;
use domain::calendar::listed_owner;
use domain::meeting::MeetingRuleError;
use openapi::FieldErrors;
use openapi::Page;
use openapi::calendar::{CalendarFeedQuery, CalendarFeedResponse};
use openapi::responses::RestrictedListErrors;
use persistence::calendar_feeds;

use crate::auth::{Authorized, ReadMeetings};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists calendar feeds, revoked ones included, in creation order: the caller's own (by her
/// token's `sub`); an administrator also any user's (`owner`) or every user's (`all=true`), to
/// find and revoke a leaked one (403 for anyone else; `owner` with `all` is a 400 naming `all`). Their
/// secret URLs are never shown again.
#[utoipa::path(
    get,
    path = "/api/v1/calendar-feeds",
    tag = "meetings",
    params(CalendarFeedQuery),
    responses(
        (status = 200, description = "A page of feeds", body = Page<CalendarFeedResponse>),
        RestrictedListErrors,
    )
)]
pub async fn list_calendar_feeds(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    query: crate::query_params::Query<CalendarFeedQuery>,
) -> Result<web::Json<Page<CalendarFeedResponse>>, ApiError> {
    let query = query.into_inner();
    let admin = reader.caller.has_any(&[Role::Admin]);
    let subject = reader.caller.subject;
    // The caller is part of the list's identity: a cursor serves only its own user.
    let listing = Listing::start(&state.cursors, &format!("calendar-feeds/{subject}"), &query)?;
    let owner = listed_owner(&subject, admin, query.owner, query.all.unwrap_or(false)).map_err(
        |error| match error {
            MeetingRuleError::Invalid(invalid) => {
                let mut errors = FieldErrors::default();
                errors.check::<()>("all", Err(invalid));
                ApiError::invalid_query(errors.into_failure())
            }
            refused => refused.into(),
        },
    )?;
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(calendar_feeds::list(conn, owner.as_deref(), request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |f| f.id,
        CalendarFeedResponse::from,
    )?))
}
