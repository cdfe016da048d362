use actix_web::{HttpRequest, HttpResponse, web};
use chrono::TimeDelta;
use domain::calendar::{CalendarFeed, FEED_HISTORY_DAYS, FEED_READER_ROLES, FeedTarget};
use domain::record::AuditResource;
use openapi::calendar::parse_feed_secret;
use openapi::responses::FeedErrors;
use persistence::{DbConnection, calendar_feeds, care_units, meetings, staff};

use super::{calendar_of, calendar_response, secret_sha256};
use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::record_access::Access;
use crate::routes::meetings::conference::shown;
use crate::state::AppState;

/// A calendar feed by its secret URL, for calendar apps (no bearer token: the secret is the
/// credential). Valid iCalendar (RFC 5545) with the Europe/Stockholm `VTIMEZONE`: the feed's
/// meetings from a year back, at most 1,000, and no other; a series all of whose occurrences
/// are in the feed's scope as its master event (`RRULE`, `EXDATE`) with each occurrence as an
/// override (`RECURRENCE-ID`), the occurrences of a series only partly in scope as standalone
/// events with their own `UID`s; cancelled meetings stay, with `STATUS:CANCELLED`. No
/// person's name: a case conference shows as "Case conference", a representative by her role.
/// A case conference about a registered person is in a `mine` or `unit` feed only when care
/// staff of that unit may see it under her record's access rules (logged in her access log as
/// the feed owner's read), never in a municipality's. An unknown or revoked secret is 404, and
/// so is a `mine` feed of a staff member no longer active. `ETag` and `If-None-Match` → 304.
#[utoipa::path(
    get,
    path = "/feeds/{secret}.ics",
    tag = "meetings",
    security(()),
    params(
        ("secret" = String, Path, description = "The feed's secret, from its `url`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of a copy the client holds"),
    ),
    responses(
        (status = 200, description = "The feed as iCalendar", content_type = "text/calendar", body = String,
            headers(("ETag" = String, description = "SHA-256 of the body"))),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        FeedErrors,
    )
)]
pub async fn get_feed(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no calendar feed has this URL".into());
    let secret = secret.into_inner();
    let hash = secret_sha256(parse_feed_secret(&secret).map_err(|_| not_found())?);
    let shared = state.clone();
    let body = db::run(&state, move |conn| {
        let feed = calendar_feeds::find_active_by_secret(conn, &hash)?.ok_or_else(not_found)?;
        let staff_active = match feed.target {
            FeedTarget::Staff(id) => staff::find_by_id(conn, id)?.is_some_and(|s| s.active),
            _ => true,
        };
        if !feed.answers(staff_active) {
            return Err(not_found());
        }
        let from = persistence::now() - TimeDelta::days(FEED_HISTORY_DAYS);
        let mut found = Vec::new();
        for id in calendar_feeds::meeting_ids(conn, feed.target, from)? {
            found.extend(meetings::find_by_id(conn, id)?);
        }
        let found = match feed_reader(conn, &feed)? {
            Some(reader) => {
                let access = Access::read(AuditResource::Meetings);
                shown(conn, &shared, &reader, access, found, |m| m.id)?
            }
            None => found.into_iter().filter(|m| m.about.is_none()).collect(),
        };
        let name = match feed.target {
            FeedTarget::Staff(_) => "ESTHER network: my meetings".to_owned(),
            FeedTarget::CareUnit(_) => "ESTHER network: unit meetings".to_owned(),
            FeedTarget::Municipality(code) => format!("ESTHER network: meetings hosted by {code}"),
        };
        calendar_of(conn, &name, found, Some(feed.target))
    })
    .await?;
    Ok(calendar_response(&request, body))
}

/// Who a feed is read as, for the case conferences about a person in it (no bearer token
/// comes with a feed): its owner in a care role ([`FEED_READER_ROLES`]) at the unit of its
/// scope — her own unit for `mine`, the unit for `unit`. `None` for a municipality's feed,
/// or a unit no longer in the directory: such a feed shows no case conference about a person.
fn feed_reader(conn: &mut DbConnection, feed: &CalendarFeed) -> Result<Option<Caller>, ApiError> {
    let unit = match feed.target {
        FeedTarget::Staff(id) => staff::find_by_id(conn, id)?.map(|member| member.care_unit_id),
        FeedTarget::CareUnit(id) => Some(id),
        FeedTarget::Municipality(_) => None,
    };
    let Some(unit) = unit else { return Ok(None) };
    Ok(care_units::find_by_id(conn, unit)?.map(|unit| Caller {
        subject: feed.owner.clone(),
        roles: FEED_READER_ROLES.to_vec(),
        organization: Some(unit.organization_id),
        unit: Some(unit.id),
        person: None,
        hsa_id: None,
    }))
}
