//! Wire types of recurring meetings (`/api/v1/meeting-series`).
//!
//! A series is given in the network's wall-clock time: `starts_local` is a local date-time in
//! Europe/Stockholm without an offset (`2027-03-02T09:00:00`), so 09:00 stays 09:00 across
//! daylight-saving changes; each occurrence is a meeting of its own, shown with its offset.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use domain::InvalidValue;
use domain::meeting::series::{MeetingSeries, NewSeries, OccurrenceMeeting, Schedule};
use domain::meeting::{self as rules, in_stockholm};
use domain::record::FreeText;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MeetingKind, MeetingStatus};
use crate::validation::{FieldErrors, ValidationFailed};

/// Most excluded starts one series lists.
pub const MAX_EXDATES: usize = 100;
const LOCAL_FORM: &str = "%Y-%m-%dT%H:%M:%S";

/// A local date-time in Europe/Stockholm, `YYYY-MM-DDTHH:MM:SS` with no offset.
pub fn parse_local(text: &str) -> Result<NaiveDateTime, InvalidValue> {
    let parsed = NaiveDateTime::parse_from_str(text.trim(), LOCAL_FORM).map_err(|_| {
        InvalidValue::new(
            "must be a local date-time in Europe/Stockholm without an offset, e.g. 2027-03-02T09:00:00",
        )
    })?;
    rules::plausible_instant(parsed.and_utc())?;
    Ok(parsed)
}

fn show_local(at: NaiveDateTime) -> String {
    at.format(LOCAL_FORM).to_string()
}

/// Creates a recurring meeting: every occurrence the rule gives (excluded starts left out)
/// becomes a scheduled meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSeriesRequest {
    #[schema(value_type = MeetingKind)]
    pub kind: String,
    #[schema(
        example = "Nätverket i Eksjö",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub description: Option<String>,
    /// An RFC 5545 RRULE value with `COUNT` or `UNTIL` (UTC, ending in `Z`), repeating daily
    /// or less often, within two years of the first start and at most 200 occurrences; names
    /// and values in any case (kept upper-case), an `RRULE:` prefix accepted.
    #[schema(
        example = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=20",
        min_length = 1,
        max_length = 500
    )]
    pub rrule: String,
    /// The first occurrence's start, local time in Europe/Stockholm without an offset; it
    /// must be the rule's first occurrence.
    #[schema(example = "2027-03-02T09:00:00")]
    pub starts_local: String,
    /// Length of each occurrence, 1 to 2,880 minutes.
    #[schema(example = 90, minimum = 1, maximum = 2880)]
    #[serde(deserialize_with = "crate::whole_number::required")]
    pub duration_minutes: i64,
    /// Starts the rule gives that never take place (local, as `starts_local`; RFC 5545
    /// `EXDATE`); not every one of them (a series has at least one meeting, else 422). To call
    /// off one occurrence that was planned, cancel its meeting instead: it stays, shown as
    /// cancelled.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub exdates: Vec<String>,
    #[schema(min_length = 1, max_length = 300, pattern = "<free-text>")]
    pub place: Option<String>,
    #[schema(max_length = 2000, pattern = "^https://[^/?#\\s]+\\S*$")]
    pub video_link: Option<String>,
    #[schema(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub host_municipality: Option<String>,
    /// An existing, active organization.
    pub host_organization_id: Option<Uuid>,
    /// An existing, active staff member.
    pub organizer_id: Option<Uuid>,
}

impl CreateSeriesRequest {
    /// The command, or every field that breaks a rule (the rule's bounds included).
    pub fn into_domain(self, today: chrono::NaiveDate) -> Result<NewSeries, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let heading = super::parse_heading(
            &mut errors,
            &self.kind,
            &self.title,
            self.description.as_deref(),
            today,
        );
        let venue = super::parse_venue(
            &mut errors,
            self.place.as_deref(),
            self.video_link.as_deref(),
            self.host_municipality.as_deref(),
            today,
        );
        let starts_local = errors.check("starts_local", parse_local(&self.starts_local));
        if self.exdates.len() > MAX_EXDATES {
            errors.push("exdates", format!("at most {MAX_EXDATES} excluded starts"));
        }
        let exdates: Option<Vec<NaiveDateTime>> = self
            .exdates
            .iter()
            .map(|d| errors.check("exdates", parse_local(d)))
            .collect();
        let schedule = match (starts_local, exdates) {
            (Some(start), Some(exdates)) => {
                Schedule::parse(&self.rrule, start, self.duration_minutes, exdates)
                    .map_err(|problems| {
                        for p in problems {
                            errors.push(p.field.unwrap_or("rrule"), p.message);
                        }
                    })
                    .ok()
            }
            _ => None,
        };
        let (
            Some((kind, title, description)),
            Some((place, video_link, host_municipality)),
            Some(schedule),
            true,
        ) = (heading, venue, schedule, errors.is_empty())
        else {
            return Err(errors.into_failure());
        };
        Ok(NewSeries {
            kind,
            title,
            description,
            schedule,
            place,
            video_link,
            host_municipality,
            host_organization_id: self.host_organization_id,
            organizer_id: self.organizer_id,
        })
    }
}

/// One occurrence of a series: a meeting of its own (`/api/v1/meetings/{meeting_id}`; cancel
/// or move it there).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccurrenceResponse {
    pub meeting_id: Uuid,
    /// The start the rule gave it (its RFC 5545 `RECURRENCE-ID`), kept when it is moved.
    #[schema(example = "2027-03-30T09:00:00+02:00")]
    pub recurrence_id: DateTime<FixedOffset>,
    /// Its start now, with the Europe/Stockholm offset.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub status: MeetingStatus,
}

impl From<&OccurrenceMeeting> for OccurrenceResponse {
    fn from(occurrence: &OccurrenceMeeting) -> Self {
        Self {
            meeting_id: occurrence.meeting.id,
            recurrence_id: in_stockholm(occurrence.recurrence_id),
            starts_at: in_stockholm(occurrence.meeting.starts_at),
            ends_at: in_stockholm(occurrence.meeting.ends_at),
            status: occurrence.meeting.status.into(),
        }
    }
}

/// A recurring meeting and its occurrences as they stand (moved, cancelled).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeriesResponse {
    pub id: Uuid,
    pub kind: MeetingKind,
    pub title: String,
    pub description: Option<String>,
    /// The RRULE value as the server keeps it: canonical, upper-case, no `RRULE:` prefix.
    #[schema(example = "FREQ=WEEKLY;COUNT=20;INTERVAL=2;BYDAY=TU")]
    pub rrule: String,
    /// The first start, local time in `time_zone`.
    #[schema(example = "2027-03-02T09:00:00")]
    pub starts_local: String,
    /// Always `Europe/Stockholm`.
    #[schema(example = "Europe/Stockholm")]
    pub time_zone: String,
    pub duration_minutes: i64,
    /// Excluded starts, local time.
    pub exdates: Vec<String>,
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub host_municipality: Option<String>,
    pub host_organization_id: Option<Uuid>,
    pub organizer_id: Option<Uuid>,
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every occurrence in `recurrence_id` order.
    pub occurrences: Vec<OccurrenceResponse>,
}

impl SeriesResponse {
    pub fn new(series: MeetingSeries, occurrences: &[OccurrenceMeeting]) -> Self {
        let text = |value: Option<FreeText>| value.map(|t| t.as_str().to_owned());
        Self {
            id: series.id,
            kind: series.kind.into(),
            title: series.title.as_str().to_owned(),
            description: text(series.description),
            rrule: series.schedule.rule().to_owned(),
            starts_local: show_local(series.schedule.starts_local),
            time_zone: crate::calendar::TZID.to_owned(),
            duration_minutes: series.schedule.duration_minutes,
            exdates: series
                .schedule
                .exdates
                .iter()
                .copied()
                .map(show_local)
                .collect(),
            place: text(series.place),
            video_link: series.video_link.map(|l| l.as_str().to_owned()),
            host_municipality: series.host_municipality.map(|m| m.as_str().to_owned()),
            host_organization_id: series.host_organization_id,
            organizer_id: series.organizer_id,
            created_by: series.created_by,
            version: series.version,
            created_at: series.created_at,
            updated_at: series.updated_at,
            occurrences: occurrences.iter().map(OccurrenceResponse::from).collect(),
        }
    }
}
