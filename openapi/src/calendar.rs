//! iCalendar (RFC 5545) bodies of meetings and feeds, written with the `icalendar` crate, and
//! the wire types of secret-URL calendar feeds (`/api/v1/calendar-feeds`).
//!
//! Every time is written as RFC 5545 FORM #3 (`DTSTART;TZID=Europe/Stockholm:20270302T090000`)
//! with the `VTIMEZONE` it refers to, and `EXDATE`/`RECURRENCE-ID` in the same form as
//! `DTSTART` (a UTC `EXDATE` against a zoned `DTSTART` is ignored by several clients);
//! `DTSTAMP` is UTC (§3.8.7.2). The `icalendar` crate folds lines at 75 octets and escapes
//! text (§3.1, §3.3.11). It writes no `VTIMEZONE` of its own (and would add a random `UID` and
//! the current `DTSTAMP` to any component it writes), so [`STOCKHOLM_VTIMEZONE`] is a fixed
//! text inserted after the calendar's properties (docs/decisions/0021).

use chrono::{DateTime, NaiveDateTime, Utc};
use domain::calendar::{
    self as rules, CalendarEntry, CalendarFeed, CalendarUser, EventBasics, FeedTarget, SeriesEntry,
    local,
};
use domain::{InvalidValue, MunicipalityCode};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus, Property};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

/// The media type of iCalendar bodies (RFC 5545 §8.1).
pub const CALENDAR_CONTENT_TYPE: &str = "text/calendar; charset=utf-8";
/// The zone every time is written in.
pub const TZID: &str = "Europe/Stockholm";

/// Europe/Stockholm as RFC 5545 §3.6.5 describes a zone: CET (+01:00) from the last Sunday of
/// October at 03:00, CEST (+02:00) from the last Sunday of March at 02:00 (the EU rule since
/// 1996, Directive 2000/84/EC).
pub const STOCKHOLM_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Stockholm\r\n\
X-LIC-LOCATION:Europe/Stockholm\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

fn zoned(at: NaiveDateTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: at,
        tzid: TZID.to_owned(),
    }
}

fn calendar_user(key: &str, user: &CalendarUser, attendee: bool) -> Property {
    let mut property = Property::new(key, &user.address);
    property.add_parameter("CN", &user.name);
    if attendee {
        property
            .add_parameter("CUTYPE", user.kind.as_str())
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", user.partstat.as_str());
    }
    property.done()
}

/// The properties a master and its occurrences share.
fn common(event: &mut Event, basics: &EventBasics) {
    event
        .uid(&basics.uid)
        .summary(&basics.summary)
        .sequence(basics.sequence)
        .timestamp(basics.stamp)
        .last_modified(basics.stamp);
    if let Some(description) = &basics.description {
        event.description(description);
    }
    if let Some(location) = &basics.location {
        event.location(location);
    }
    if let Some(url) = &basics.url {
        event.url(url);
    }
    if let Some(organizer) = &basics.organizer {
        event.append_property(calendar_user("ORGANIZER", organizer, false));
    }
}

fn series_event(series: &SeriesEntry) -> Event {
    let mut event = Event::new();
    common(&mut event, &series.basics);
    event
        .starts(zoned(series.starts_local))
        .ends(zoned(series.ends_local))
        .status(EventStatus::Confirmed)
        .add_property("RRULE", &series.rule);
    for exdate in &series.exdates {
        event.exdate(zoned(*exdate));
    }
    event.done()
}

fn meeting_event(entry: &CalendarEntry) -> Event {
    let mut event = Event::new();
    common(&mut event, &entry.basics);
    event
        .starts(zoned(local(entry.starts_at)))
        .ends(zoned(local(entry.ends_at)))
        .status(if entry.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(recurrence_id) = entry.recurrence_id {
        event.recurrence_id(zoned(local(recurrence_id)));
    }
    for attendee in &entry.attendees {
        event.append_multi_property(calendar_user("ATTENDEE", attendee, true));
    }
    event.done()
}

/// An iCalendar object named `name`: the Stockholm `VTIMEZONE`, each series' master event
/// (`RRULE`, `EXDATE`) and each meeting (an occurrence with its series' `UID` and its
/// `RECURRENCE-ID`). The same input always gives the same text, so its hash is an `ETag`.
pub fn write_calendar(name: &str, series: &[SeriesEntry], entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//ESTHER network//SmartCare Home//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", name),
        ("X-WR-TIMEZONE", TZID),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    for master in series {
        calendar.push(series_event(master));
    }
    for entry in entries {
        calendar.push(meeting_event(entry));
    }
    let text = calendar.to_string();
    let at = text
        .find("BEGIN:VEVENT\r\n")
        .or_else(|| text.rfind("END:VCALENDAR"))
        .unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + STOCKHOLM_VTIMEZONE.len());
    out.push_str(&text[..at]);
    out.push_str(STOCKHOLM_VTIMEZONE);
    out.push_str(&text[at..]);
    out
}

wire_enum! {
    /// Which meetings a feed carries: `mine` (the caller's, found by her token's HSA-id
    /// claim: invited herself, through her unit or organization, or organizing), `unit` (a
    /// care unit's: the unit, its organization or one of its staff invited) or `municipality`
    /// (the meetings a municipality hosts).
    FeedScope => calendar::FeedScope { Mine, Unit, Municipality }
}

/// Subscribes to a calendar feed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCalendarFeedRequest {
    #[schema(value_type = FeedScope)]
    pub scope: String,
    /// The care unit (scope `unit` only).
    pub care_unit_id: Option<Uuid>,
    /// The municipality's code (scope `municipality` only).
    #[schema(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
}

/// What a feed request asks for, before the caller's own staff record is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedRequest {
    /// Scope `mine`: the caller's staff record, found by her HSA-id.
    Mine,
    Target(FeedTarget),
}

impl CreateCalendarFeedRequest {
    /// The request, or every field that breaks a rule: `care_unit_id` only and always with
    /// scope `unit`, `municipality` only and always with scope `municipality`.
    pub fn into_domain(self) -> Result<FeedRequest, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let scope = errors.check("scope", rules::FeedScope::parse(&self.scope));
        let municipality = errors.check_optional(
            "municipality",
            self.municipality.as_deref(),
            MunicipalityCode::parse,
        );
        let needs = |errors: &mut FieldErrors, field: &str, wanted: bool, given: bool| {
            if wanted && !given {
                errors.push(field, "is required for this scope");
            } else if !wanted && given {
                errors.push(field, "is not used with this scope");
            }
        };
        if let Some(scope) = scope {
            needs(
                &mut errors,
                "care_unit_id",
                scope == rules::FeedScope::Unit,
                self.care_unit_id.is_some(),
            );
            needs(
                &mut errors,
                "municipality",
                scope == rules::FeedScope::Municipality,
                self.municipality.is_some(),
            );
        }
        let (Some(scope), Some(municipality), true) = (scope, municipality, errors.is_empty())
        else {
            return Err(errors.into_failure());
        };
        Ok(match (scope, self.care_unit_id, municipality) {
            (rules::FeedScope::Unit, Some(unit), _) => {
                FeedRequest::Target(FeedTarget::CareUnit(unit))
            }
            (rules::FeedScope::Municipality, _, Some(code)) => {
                FeedRequest::Target(FeedTarget::Municipality(code))
            }
            _ => FeedRequest::Mine,
        })
    }
}

/// A calendar feed. `url` is given once, in the answer that creates it: only the secret's
/// SHA-256 is kept, so it cannot be shown again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarFeedResponse {
    pub id: Uuid,
    /// The user (token `sub`) who created it.
    pub owner: String,
    pub scope: FeedScope,
    /// The staff member whose meetings it carries (scope `mine`).
    pub staff_id: Option<Uuid>,
    pub care_unit_id: Option<Uuid>,
    pub municipality: Option<String>,
    /// The feed's path, holding its secret; subscribe to it (after this server's address)
    /// from a calendar app. Only in the answer that creates the feed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "/feeds/k3Jx…Q.ics")]
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked feed answers 404.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<CalendarFeed> for CalendarFeedResponse {
    fn from(feed: CalendarFeed) -> Self {
        let (staff_id, care_unit_id, municipality) = match feed.target {
            FeedTarget::Staff(id) => (Some(id), None, None),
            FeedTarget::CareUnit(id) => (None, Some(id), None),
            FeedTarget::Municipality(code) => (None, None, Some(code.as_str().to_owned())),
        };
        Self {
            id: feed.id,
            owner: feed.owner,
            scope: feed.target.scope().into(),
            staff_id,
            care_unit_id,
            municipality,
            url: None,
            created_at: feed.created_at,
            revoked_at: feed.revoked_at,
        }
    }
}

/// Paging of `GET /api/v1/calendar-feeds`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarFeedQuery {
    /// Another user's feeds, by her token `sub` (administrators only; 403 for anyone else
    /// but the user herself). Without it (and `all`), the caller's own.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[param(min_length = 1, max_length = 200, pattern = "<text>")]
    pub owner: Option<String>,
    /// Every user's feeds (administrators only, 403 for anyone else; not with `owner`).
    pub all: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(CalendarFeedQuery);

/// A feed secret as it appears in the URL: 43 characters of unpadded base64url (256 bits).
pub fn parse_feed_secret(text: &str) -> Result<&str, InvalidValue> {
    let ok = text.len() == 43
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(text)
    } else {
        Err(InvalidValue::for_field("secret", "is not a feed secret"))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use domain::calendar::{CalendarUserType, PartStat};

    use super::*;

    fn at(month: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, month, 2, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn entry() -> CalendarEntry {
        CalendarEntry {
            basics: EventBasics {
                uid: "a@smartcare-home".into(),
                summary: "Nätverk; Eksjö, \"hösten\"".into(),
                description: Some("Rad ett\nrad två — med en lång text som måste vikas eftersom raden blir längre än sjuttiofem oktetter".into()),
                location: None,
                url: None,
                sequence: 3,
                stamp: at(5, 10),
                organizer: None,
            },
            recurrence_id: Some(at(6, 7)),
            starts_at: at(6, 8),
            ends_at: at(6, 9),
            cancelled: true,
            attendees: vec![CalendarUser {
                address: "urn:uuid:00000000-0000-0000-0000-000000000001".into(),
                name: "patient representative".into(),
                kind: CalendarUserType::Individual,
                partstat: PartStat::Tentative,
            }],
        }
    }

    #[test]
    fn times_are_zoned_with_a_vtimezone_and_stamps_are_utc() {
        let text = write_calendar("Test", &[], &[entry()]);
        let unfolded = text.replace("\r\n ", "");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(unfolded.contains("DTSTART;TZID=Europe/Stockholm:20270602T100000\r\n"));
        assert!(unfolded.contains("RECURRENCE-ID;TZID=Europe/Stockholm:20270602T090000\r\n"));
        assert!(unfolded.contains("DTSTAMP:20270502T100000Z\r\n"));
        assert!(unfolded.contains("STATUS:CANCELLED\r\n"));
        assert!(unfolded.contains("SEQUENCE:3\r\n"));
        assert!(unfolded.contains("PARTSTAT=TENTATIVE"));
        assert!(unfolded.contains("SUMMARY:Nätverk\\; Eksjö\\, \"hösten\"\r\n"));
        assert!(unfolded.contains("DESCRIPTION:Rad ett\\nrad två"));
        let vtimezone = text.find("BEGIN:VTIMEZONE").unwrap_or(usize::MAX);
        assert!(vtimezone < text.find("BEGIN:VEVENT").unwrap_or(0));
        assert!(text.lines().all(|l| l.len() <= 75), "folded at 75 octets");
        assert_eq!(text, write_calendar("Test", &[], &[entry()]), "stable");
    }

    #[test]
    fn a_feed_request_names_the_fields_its_scope_needs() {
        let request = |scope: &str, unit: Option<Uuid>, municipality: Option<&str>| {
            CreateCalendarFeedRequest {
                scope: scope.into(),
                care_unit_id: unit,
                municipality: municipality.map(str::to_owned),
            }
            .into_domain()
        };
        assert_eq!(request("mine", None, None).ok(), Some(FeedRequest::Mine));
        let fields = |r: Result<FeedRequest, ValidationFailed>| -> Vec<String> {
            r.err()
                .map(|f| f.errors.into_iter().map(|e| e.field).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            fields(request("unit", None, Some("0686"))),
            ["care_unit_id", "municipality"]
        );
        assert_eq!(
            fields(request("municipality", None, Some("9999"))),
            ["municipality"]
        );
        assert_eq!(fields(request("everything", None, None)), ["scope"]);
        assert!(parse_feed_secret(&"a".repeat(43)).is_ok());
        assert!(parse_feed_secret("short").is_err());
    }
}
