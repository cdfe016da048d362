//! Wire types of the network's meetings (`/api/v1/meetings`).
//!
//! Times come in as RFC 3339 date-times with an offset (`2026-12-01T09:00:00+01:00` or `…Z`),
//! are stored as UTC instants and are shown with the Europe/Stockholm offset of their date.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::meeting::{
    self as rules, Meeting, MeetingChanges, NewMeeting, VideoLink, in_stockholm,
};
use domain::record::FreeText;
use domain::{InvalidValue, MunicipalityCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::directory::present;
use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

pub mod action_item;
pub mod cafe;
pub mod participant;
pub mod records;
pub mod series;

wire_enum! {
    /// The kind of meeting place: the organizing committee (about six a year), a
    /// municipality's ESTHER network (monthly or more often), an ESTHER café (twice a term, a
    /// different host municipality each time), the coach network, the October strategy day,
    /// a case conference (SIP meeting) about one person, or another meeting.
    MeetingKind => meeting::MeetingKind {
        OrganizingCommittee, MunicipalNetwork, EstherCafe, CoachNetwork, StrategyDay,
        CaseConference, Other,
    }
}

wire_enum! {
    /// `scheduled`, then `held` (once it has started) or `cancelled` (with a reason; it stays).
    MeetingStatus => meeting::MeetingStatus { Scheduled, Held, Cancelled }
}

/// A meeting of the network.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingResponse {
    pub id: Uuid,
    pub kind: MeetingKind,
    #[schema(example = "ESTHER-café i Eksjö")]
    pub title: String,
    pub description: Option<String>,
    /// Start, with the Europe/Stockholm offset of its date.
    #[schema(example = "2026-12-01T13:00:00+01:00")]
    pub starts_at: DateTime<FixedOffset>,
    /// End, with the Europe/Stockholm offset of its date.
    #[schema(example = "2026-12-01T16:00:00+01:00")]
    pub ends_at: DateTime<FixedOffset>,
    pub place: Option<String>,
    pub video_link: Option<String>,
    /// The hosting municipality's code.
    #[schema(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub host_municipality: Option<String>,
    pub host_organization_id: Option<Uuid>,
    /// The staff member organizing it.
    pub organizer_id: Option<Uuid>,
    pub status: MeetingStatus,
    /// Why it was cancelled (only when `status` is `cancelled`).
    pub cancel_reason: Option<String>,
    /// Whether Esther, or someone speaking for her (a patient or relative representative),
    /// took part: `null` until the meeting is held, then `true` when such a participant is
    /// recorded as attended, else `false`.
    pub esther_present: Option<bool>,
    /// The registered person a case conference is about (`null` for a meeting naming nobody).
    /// Shown only to callers who may see the conference under her record's access rules.
    pub person_id: Option<Uuid>,
    /// The user (token `sub`) who scheduled it.
    pub created_by: String,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Meeting> for MeetingResponse {
    fn from(meeting: Meeting) -> Self {
        let text = |value: Option<FreeText>| value.map(|t| t.as_str().to_owned());
        let person_id = meeting.person_id();
        Self {
            id: meeting.id,
            kind: meeting.kind.into(),
            title: meeting.title.as_str().to_owned(),
            description: text(meeting.description),
            starts_at: in_stockholm(meeting.starts_at),
            ends_at: in_stockholm(meeting.ends_at),
            place: text(meeting.place),
            video_link: meeting.video_link.map(|l| l.as_str().to_owned()),
            host_municipality: meeting.host_municipality.map(|m| m.as_str().to_owned()),
            host_organization_id: meeting.host_organization_id,
            organizer_id: meeting.organizer_id,
            status: meeting.status.into(),
            cancel_reason: text(meeting.cancel_reason),
            esther_present: meeting.esther_present,
            person_id,
            created_by: meeting.created_by,
            version: meeting.version,
            created_at: meeting.created_at,
            updated_at: meeting.updated_at,
        }
    }
}

/// An RFC 3339 date-time with an offset, as a UTC instant.
///
/// A space where the offset's sign belongs (`…T09:00:00 01:00`) is what a `+` sent
/// unencoded in a query string becomes (`application/x-www-form-urlencoded`); the error then
/// says to send it as `%2B`.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, InvalidValue> {
    let at = DateTime::parse_from_rfc3339(text.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            if lost_plus_sign(text) {
                InvalidValue::new(
                    "must be an RFC 3339 date-time with an offset; the offset's `+` arrived as a \
                     space: in a query string send it as `%2B`, e.g. \
                     2026-12-01T09:00:00%2B01:00",
                )
            } else {
                InvalidValue::new(
                    "must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T09:00:00+01:00",
                )
            }
        })?;
    rules::plausible_instant(at)
}

/// Whether `text` is a date-time whose offset sign is a space (`…:00 01:00`), as an
/// unencoded `+` in a URL query reads.
pub fn lost_plus_sign(text: &str) -> bool {
    text.trim().rsplit_once(' ').is_some_and(|(time, offset)| {
        DateTime::parse_from_rfc3339(&format!("{time}+{offset}")).is_ok()
    })
}

/// Schedules a meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeetingRequest {
    #[schema(value_type = MeetingKind)]
    pub kind: String,
    #[schema(
        example = "ESTHER-café i Eksjö",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub description: Option<String>,
    /// RFC 3339 with an offset.
    #[schema(format = DateTime, example = "2026-12-01T13:00:00+01:00", pattern = "^(19|20|21)[0-9]{2}-")]
    pub starts_at: String,
    /// RFC 3339 with an offset; after `starts_at`, at most 48 hours later.
    #[schema(format = DateTime, example = "2026-12-01T16:00:00+01:00", pattern = "^(19|20|21)[0-9]{2}-")]
    pub ends_at: String,
    /// An address or a room.
    #[schema(min_length = 1, max_length = 300, pattern = "<free-text>")]
    pub place: Option<String>,
    /// An `https://` link to the video meeting.
    #[schema(max_length = 2000, pattern = "^https://[^/?#\\s]+\\S*$")]
    pub video_link: Option<String>,
    /// The hosting municipality's code (an ESTHER café's host, a municipal network's own).
    #[schema(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub host_municipality: Option<String>,
    /// An existing, active organization.
    pub host_organization_id: Option<Uuid>,
    /// An existing, active staff member.
    pub organizer_id: Option<Uuid>,
    /// Only for kind `case_conference` (else 422): the registered person it is about. The
    /// meeting then follows her record's access rules: the caller must be allowed to write to
    /// her record (else 404, before any other field is checked), and every request that
    /// reaches the meeting is in her access log. Fixed once set. A case conference about
    /// someone not in the register names nobody.
    pub person_id: Option<Uuid>,
}

/// What a meeting and a series are: kind, title and description, parsed.
pub(crate) type Heading = (rules::MeetingKind, FreeText, Option<FreeText>);
/// Where a meeting and a series take place: place, video link and host municipality, parsed.
pub(crate) type Venue = (
    Option<FreeText>,
    Option<VideoLink>,
    Option<MunicipalityCode>,
);

/// A meeting's free text up to [`domain::record::MAX_TEXT_CHARS`] characters, with no personal
/// identity number ([`rules::parse_text`]).
pub(crate) fn meeting_text(text: &str, today: NaiveDate) -> Result<FreeText, domain::InvalidValue> {
    rules::parse_text(text, domain::record::MAX_TEXT_CHARS, today)
}

/// Parses a meeting's or a series' kind, title and description, recording every failure.
pub(crate) fn parse_heading(
    errors: &mut FieldErrors,
    kind: &str,
    title: &str,
    description: Option<&str>,
    today: NaiveDate,
) -> Option<Heading> {
    let kind = errors.check("kind", rules::MeetingKind::parse(kind));
    let title = errors.check("title", rules::parse_title(title, today));
    let description = errors.check_optional("description", description, |t| meeting_text(t, today));
    Some((kind?, title?, description?))
}

/// Parses a meeting's or a series' place, video link and host municipality, recording every
/// failure.
pub(crate) fn parse_venue(
    errors: &mut FieldErrors,
    place: Option<&str>,
    video_link: Option<&str>,
    host_municipality: Option<&str>,
    today: NaiveDate,
) -> Option<Venue> {
    let place = errors.check_optional("place", place, |t| rules::parse_place(t, today));
    let video_link = errors.check_optional("video_link", video_link, VideoLink::parse);
    let host_municipality = errors.check_optional(
        "host_municipality",
        host_municipality,
        MunicipalityCode::parse,
    );
    Some((place?, video_link?, host_municipality?))
}

impl CreateMeetingRequest {
    /// The command, or every field that breaks a rule.
    pub fn into_domain(self, today: NaiveDate) -> Result<NewMeeting, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let heading = parse_heading(
            &mut errors,
            &self.kind,
            &self.title,
            self.description.as_deref(),
            today,
        );
        let starts_at = errors.check("starts_at", parse_instant(&self.starts_at));
        let ends_at = errors.check("ends_at", parse_instant(&self.ends_at));
        let venue = parse_venue(
            &mut errors,
            self.place.as_deref(),
            self.video_link.as_deref(),
            self.host_municipality.as_deref(),
            today,
        );
        if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at)
            && let Err(e) = rules::check_times(starts_at, ends_at)
        {
            errors.push(e.field.unwrap_or("ends_at"), e.message);
        }
        if let Some((kind, _, _)) = &heading
            && let Err(e) = rules::conference::check_person(*kind, self.person_id)
        {
            errors.push(e.field.unwrap_or("person_id"), e.message);
        }
        let (
            Some((kind, title, description)),
            Some(starts_at),
            Some(ends_at),
            Some((place, video_link, host_municipality)),
            true,
        ) = (heading, starts_at, ends_at, venue, errors.is_empty())
        else {
            return Err(errors.into_failure());
        };
        Ok(NewMeeting {
            kind,
            title,
            description,
            starts_at,
            ends_at,
            place,
            video_link,
            host_municipality,
            host_organization_id: self.host_organization_id,
            organizer_id: self.organizer_id,
            person_id: self.person_id,
        })
    }
}

/// Changes a meeting; absent fields stay as they are, `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeetingRequest {
    #[schema(value_type = Option<MeetingKind>)]
    pub kind: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub description: Option<Option<String>>,
    /// RFC 3339 with an offset.
    #[schema(format = DateTime, pattern = "^(19|20|21)[0-9]{2}-")]
    pub starts_at: Option<String>,
    /// RFC 3339 with an offset.
    #[schema(format = DateTime, pattern = "^(19|20|21)[0-9]{2}-")]
    pub ends_at: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 300, pattern = "<free-text>")]
    pub place: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 2000, pattern = "^https://[^/?#\\s]+\\S*$")]
    pub video_link: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub host_municipality: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub host_organization_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub organizer_id: Option<Option<Uuid>>,
    /// `held` records that it took place (once it has started). Cancelling is
    /// `POST /api/v1/meetings/{id}/cancel`, with a reason.
    #[schema(value_type = Option<MeetingStatus>)]
    pub status: Option<String>,
}

/// Parses a field that may be absent (`None`), `null` (`Some(None)`) or a value.
fn nullable<T>(
    errors: &mut FieldErrors,
    field: &'static str,
    value: Option<Option<String>>,
    parse: impl FnOnce(&str) -> Result<T, InvalidValue>,
) -> Option<Option<Option<T>>> {
    match value {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(text)) => errors.check(field, parse(&text)).map(|v| Some(Some(v))),
    }
}

impl UpdateMeetingRequest {
    /// The changes, or every field that breaks a rule. Rules across fields and the meeting's
    /// state are [`domain::meeting::Meeting::apply`]'s.
    pub fn into_domain(self, today: NaiveDate) -> Result<MeetingChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let kind = errors.check_optional("kind", self.kind.as_deref(), rules::MeetingKind::parse);
        let title = errors.check_optional("title", self.title.as_deref(), |t| {
            rules::parse_title(t, today)
        });
        let description = nullable(&mut errors, "description", self.description, |t| {
            meeting_text(t, today)
        });
        let starts_at =
            errors.check_optional("starts_at", self.starts_at.as_deref(), parse_instant);
        let ends_at = errors.check_optional("ends_at", self.ends_at.as_deref(), parse_instant);
        let place = nullable(&mut errors, "place", self.place, |t| {
            rules::parse_place(t, today)
        });
        let video_link = nullable(&mut errors, "video_link", self.video_link, VideoLink::parse);
        let host_municipality = nullable(
            &mut errors,
            "host_municipality",
            self.host_municipality,
            MunicipalityCode::parse,
        );
        let status = errors.check_optional(
            "status",
            self.status.as_deref(),
            rules::MeetingStatus::parse,
        );
        let (
            Some(kind),
            Some(title),
            Some(description),
            Some(starts_at),
            Some(ends_at),
            Some(place),
            Some(video_link),
            Some(host_municipality),
            Some(status),
        ) = (
            kind,
            title,
            description,
            starts_at,
            ends_at,
            place,
            video_link,
            host_municipality,
            status,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(MeetingChanges {
            kind,
            title,
            description,
            starts_at,
            ends_at,
            place,
            video_link,
            host_municipality,
            host_organization_id: self.host_organization_id,
            organizer_id: self.organizer_id,
            status,
        })
    }
}

/// Cancels a meeting; it stays, shown as cancelled with the reason.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelMeetingRequest {
    #[schema(
        example = "Too few could come; moved to January",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub reason: String,
}

impl CancelMeetingRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<FreeText, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors
            .check("reason", meeting_text(&self.reason, today))
            .ok_or_else(|| errors.into_failure())
    }
}

/// Filters and paging of `GET /api/v1/meetings`, in start order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// Only meetings of this kind.
    #[param(value_type = Option<MeetingKind>)]
    pub kind: Option<String>,
    /// Only meetings in this state.
    #[param(value_type = Option<MeetingStatus>)]
    pub status: Option<String>,
    /// Only meetings hosted by this municipality (code), e.g. `0686` for Eksjö.
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Only meetings hosted by this organization.
    pub organization: Option<Uuid>,
    /// Only meetings organized by this staff member.
    pub organizer: Option<Uuid>,
    /// Only the meetings this staff member is invited to: herself, or through her care unit
    /// or its organization (her calendar). An unknown staff member has none.
    pub participant: Option<Uuid>,
    /// Only held meetings where Esther or someone speaking for her took part (`true`), or
    /// held meetings where nobody did (`false`); meetings not held have neither.
    pub esther_present: Option<bool>,
    /// Meetings that end after this time (RFC 3339 with an offset).
    #[param(format = DateTime, pattern = "^(19|20|21)[0-9]{2}-")]
    pub from: Option<String>,
    /// Meetings that start before this time (RFC 3339 with an offset).
    #[param(format = DateTime, pattern = "^(19|20|21)[0-9]{2}-")]
    pub to: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

crate::directory::page_params!(MeetingQuery);

#[cfg(test)]
mod tests {
    use super::*;

    use crate::wire_enum::wire_text;

    #[test]
    fn an_offset_whose_plus_arrived_as_a_space_is_told_to_be_sent_as_2b() {
        let message = |text: &str| parse_instant(text).err().map(|e| e.message);
        for lost in [
            "2026-12-01T09:00:00 01:00",
            "2026-12-01 09:00:00 01:00",
            "2026-12-01T09:00:00 01:00 ",
        ] {
            let hinted = message(lost).unwrap_or_default();
            assert!(hinted.contains("%2B"), "{lost}: {hinted}");
        }
        for other in [
            "2026-12-01 09:00",
            "2026-12-01T09:00:00 Z",
            "tomorrow 01:00",
        ] {
            let plain = message(other).unwrap_or_default();
            assert!(
                plain.contains("e.g.") && !plain.contains("%2B"),
                "{other}: {plain}"
            );
        }
        assert!(parse_instant("2026-12-01T09:00:00+01:00").is_ok());
    }

    #[test]
    fn wire_enums_match_the_domains_text() {
        for kind in rules::MeetingKind::ALL {
            assert_eq!(wire_text(MeetingKind::from(*kind)), kind.as_str());
        }
        for status in rules::MeetingStatus::ALL {
            assert_eq!(wire_text(MeetingStatus::from(*status)), status.as_str());
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let request = CreateMeetingRequest {
            kind: "party".into(),
            title: " ".into(),
            description: None,
            starts_at: "2026-12-01 09:00".into(),
            ends_at: "2026-12-01T08:00:00Z".into(),
            place: None,
            video_link: Some("http://x".into()),
            host_municipality: Some("0999".into()),
            host_organization_id: None,
            organizer_id: None,
            person_id: None,
        };
        let failure = request
            .into_domain(chrono::NaiveDate::default())
            .err()
            .map(|f| f.errors)
            .unwrap_or_default();
        let fields: Vec<&str> = failure.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "title",
                "starts_at",
                "video_link",
                "host_municipality"
            ]
        );
    }

    #[test]
    fn only_a_case_conference_names_a_person() {
        let request = |kind: &str| CreateMeetingRequest {
            kind: kind.into(),
            title: "SIP".into(),
            description: None,
            starts_at: "2026-12-01T09:00:00+01:00".into(),
            ends_at: "2026-12-01T10:00:00+01:00".into(),
            place: None,
            video_link: None,
            host_municipality: None,
            host_organization_id: None,
            organizer_id: None,
            person_id: Some(Uuid::from_u128(7)),
        };
        let fields = request("esther_cafe")
            .into_domain(chrono::NaiveDate::default())
            .err()
            .map(|f| f.errors)
            .unwrap_or_default();
        let fields: Vec<&str> = fields.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["person_id"]);
        let conference = request("case_conference").into_domain(chrono::NaiveDate::default());
        assert!(conference.is_ok_and(|m| m.person_id == Some(Uuid::from_u128(7))));
    }

    #[test]
    fn times_with_an_offset_are_instants() {
        let winter = parse_instant("2026-12-01T09:00:00+01:00");
        assert_eq!(
            winter.map(|t| t.to_rfc3339()),
            Ok("2026-12-01T08:00:00+00:00".into())
        );
        assert!(parse_instant("2026-12-01T09:00:00").is_err(), "no offset");
        assert!(parse_instant("tomorrow").is_err());
        assert!(
            parse_instant("9999-12-31T23:00:00Z").is_err(),
            "not plausible"
        );
        assert!(
            parse_instant("2026-12-10T13:00:60+01:00").is_err(),
            "leap second"
        );
        assert_eq!(
            parse_instant("2026-12-10T13:00:00.123456789+01:00").map(|t| t.to_rfc3339()),
            Ok("2026-12-10T12:00:00.123456+00:00".into()),
            "microseconds, as both databases keep them"
        );
    }
}
