//! Meetings as iCalendar (RFC 5545): one meeting's `.ics` (bearer token), and secret-URL
//! feeds calendar apps subscribe to (`/api/v1/calendar-feeds`, read at `/feeds/…`).
//! What a calendar shows is [`domain::calendar`]'s; the text is [`openapi::calendar`]'s.

pub mod create_feed;
pub mod feed;
pub mod list_feeds;
pub mod meeting_ics;
pub mod revoke_feed;

use std::collections::{BTreeMap, HashMap};

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use domain::calendar::{self, CalendarEntry, DirectoryNames, FeedTarget, SeriesEntry};
use domain::meeting::Meeting;
use domain::meeting::participant::{Invitee, Participant};
use domain::meeting::series::OccurrenceMeeting;
use openapi::calendar::{CALENDAR_CONTENT_TYPE, write_calendar};
use persistence::{
    DbConnection, calendar_feeds, care_units, meeting_participants, meeting_series, organizations,
    staff,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;

/// The directory names a calendar shows: organizers, invited staff, units and organizations.
fn directory_names(
    conn: &mut DbConnection,
    meetings: &[Meeting],
    participants: &HashMap<Uuid, Vec<Participant>>,
) -> Result<DirectoryNames, ApiError> {
    let mut names = DirectoryNames::new();
    let people = meetings.iter().filter_map(|m| m.organizer_id).chain(
        participants
            .values()
            .flatten()
            .filter_map(|p| match p.invitee {
                Invitee::Staff(id) => Some(id),
                _ => None,
            }),
    );
    for id in people.collect::<Vec<_>>() {
        if !names.contains_key(&id)
            && let Some(member) = staff::find_by_id(conn, id)?
        {
            names.insert(id, member.name.as_str().to_owned());
        }
    }
    for participant in participants.values().flatten() {
        match participant.invitee {
            Invitee::CareUnit(id) if !names.contains_key(&id) => {
                if let Some(unit) = care_units::find_by_id(conn, id)? {
                    names.insert(id, unit.name.as_str().to_owned());
                }
            }
            Invitee::Organization(id) if !names.contains_key(&id) => {
                if let Some(org) = organizations::find_by_id(conn, id)? {
                    names.insert(id, org.name.as_str().to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(names)
}

/// The calendar text of these meetings. In a feed for `scope`, a series all of whose
/// occurrences are in the scope goes as its master event (once) with its occurrences as
/// overrides; every other meeting, and every meeting when `scope` is `None` (one meeting's
/// `.ics`), stands alone with its own `UID` ([`calendar::shows_series_master`]).
pub(crate) fn calendar_of(
    conn: &mut DbConnection,
    name: &str,
    meetings: Vec<Meeting>,
    scope: Option<FeedTarget>,
) -> Result<String, ApiError> {
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let mut links = meeting_series::links(conn, &ids)?;
    let mut series_ids: Vec<Uuid> = links.values().map(|l| l.series_id).collect();
    series_ids.sort();
    series_ids.dedup();
    let mut whole = Vec::new();
    if let Some(target) = scope {
        for (series_id, occurrences) in meeting_series::occurrence_ids(conn, &series_ids)? {
            let in_scope = calendar_feeds::in_scope(conn, target, &occurrences)?;
            if calendar::shows_series_master(&occurrences, &in_scope) {
                whole.push(series_id);
            }
        }
    }
    links.retain(|_, link| whole.contains(&link.series_id));
    let series = meeting_series::find_many(conn, &whole)?;
    let mut participants = HashMap::new();
    for id in &ids {
        participants.insert(*id, meeting_participants::all_of(conn, *id)?);
    }
    let names = directory_names(conn, &meetings, &participants)?;
    let masters: BTreeMap<Uuid, SeriesEntry> = series
        .values()
        .map(|s| (s.id, calendar::series_entry(s, &names)))
        .collect();
    let entries: Vec<CalendarEntry> = meetings
        .into_iter()
        .map(|meeting| {
            let occurrence = links.get(&meeting.id).map(|link| OccurrenceMeeting {
                series_id: link.series_id,
                recurrence_id: link.recurrence_id,
                meeting: meeting.clone(),
            });
            let invited = participants.get(&meeting.id).map_or(&[][..], Vec::as_slice);
            calendar::entry(&meeting, occurrence.as_ref(), invited, &names)
        })
        .collect();
    let masters: Vec<SeriesEntry> = masters.into_values().collect();
    Ok(write_calendar(name, &masters, &entries))
}

/// 200 with the calendar and an `ETag` (the SHA-256 of the text), or 304 when the client's
/// `If-None-Match` names it (calendar apps poll).
pub(crate) fn calendar_response(request: &HttpRequest, body: String) -> HttpResponse {
    let tag = EntityTag::new_strong(format!("{:x}", Sha256::digest(body.as_bytes())));
    let unchanged = match request.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
        None => false,
    };
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if unchanged {
        response.finish()
    } else {
        response
            .insert_header((header::CONTENT_TYPE, CALENDAR_CONTENT_TYPE))
            .body(body)
    }
}

/// The hex SHA-256 of a feed secret: all the server keeps of it.
pub(crate) fn secret_sha256(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}
