//! The ESTHER network's meetings across organizations: the organizing committee, the municipal
//! networks, ESTHER cafés, the coach network, the strategy day and case conferences.
//!
//! A meeting is scheduled, then held or cancelled; a cancelled meeting stays, with its reason,
//! so that a calendar can show it as cancelled instead of letting it vanish. Times are instants
//! (stored in UTC); the network's calendar is Europe/Stockholm, where they are shown.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use chrono_tz::Europe::Stockholm;
use uuid::Uuid;

use crate::record::{FreeText, Recorder};
use crate::{InvalidValue, MunicipalityCode, Role};

pub use conference::CaseSubject;

pub mod action_item;
pub mod agenda;
pub mod cafe;
pub mod conference;
pub mod minutes;
pub mod participant;
pub mod series;

crate::string_enum! {
    /// What kind of meeting place it is (seed texts on the ESTHER network).
    pub enum MeetingKind {
        /// The organizing committee: directors of hospital, primary care, social care and
        /// medicine; about six meetings a year.
        OrganizingCommittee => "organizing_committee",
        /// A municipality's ESTHER network, monthly or more often.
        MunicipalNetwork => "municipal_network",
        /// An ESTHER café: twice a term, hosted by a different municipality each time, opened
        /// by the story of someone admitted in the last twelve months.
        EstherCafe => "esther_cafe",
        /// The network of improvement coaches.
        CoachNetwork => "coach_network",
        /// The network's strategy day, every October.
        StrategyDay => "strategy_day",
        /// A case conference (SIP meeting) about one person.
        CaseConference => "case_conference",
        Other => "other",
    }
}

crate::string_enum! {
    /// Where a meeting stands.
    pub enum MeetingStatus {
        Scheduled => "scheduled",
        /// Took place (recorded once it has started).
        Held => "held",
        /// Called off; kept with its reason.
        Cancelled => "cancelled",
    }
}

/// Roles that see the network's meetings: its staff and machine clients. (Analysts see
/// aggregates only; Esther sees the case conferences she is invited to: [`MEETING_ATTENDEES`].)
pub const MEETING_READERS: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Coach,
    Role::Integration,
];

/// Roles that read the meetings they may see: the readers, and Esther's own token (role
/// `person`), which sees only the case conferences about her that she is invited to
/// ([`conference::sees_network_meetings`], [`Meeting::admits`]).
pub const MEETING_ATTENDEES: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Coach,
    Role::Integration,
    Role::Person,
];

/// Roles that schedule, change and cancel meetings: coordinators run the municipal networks
/// and cafés, coaches the coach network, admins the committee.
pub const MEETING_ORGANIZERS: &[Role] = &[Role::Admin, Role::Coordinator, Role::Coach];

/// Longest meeting accepted: the strategy day is a day; two days leaves room for a conference.
pub const MAX_MEETING_HOURS: i64 = 48;
/// Longest title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest place (an address or a room).
pub const MAX_PLACE_CHARS: usize = 300;
/// Longest video link.
pub const MAX_VIDEO_LINK_CHARS: usize = 2_000;

/// Why a meeting's texts hold no personal identity number.
const SHARED_TEXT: &str = "a meeting's texts are shared across organizations and in calendar feeds; a case conference names its person by her record, never in text";

/// A meeting's free text (a description, minutes, a decision, a reason): trimmed, 1 to `max`
/// characters, no control characters, and no personal identity number in any written form
/// ([`crate::personal_number::contains_personal_number`]; `today` decides the century of a
/// 10-digit form).
pub fn parse_text(
    text: &str,
    max: usize,
    today: chrono::NaiveDate,
) -> Result<FreeText, InvalidValue> {
    FreeText::parse_without_personal_number(text, max, today, SHARED_TEXT)
}

/// A meeting title: as [`parse_text`], 1 to 200 characters.
pub fn parse_title(text: &str, today: chrono::NaiveDate) -> Result<FreeText, InvalidValue> {
    parse_text(text, MAX_TITLE_CHARS, today)
}

/// A meeting place: as [`parse_text`], 1 to 300 characters.
pub fn parse_place(text: &str, today: chrono::NaiveDate) -> Result<FreeText, InvalidValue> {
    parse_text(text, MAX_PLACE_CHARS, today)
}

/// A video link: an absolute `https://` URL with a host, no spaces, at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoLink(String);

impl VideoLink {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim();
        let Some(rest) = text.strip_prefix("https://") else {
            return Err(InvalidValue::new("must be an https:// link"));
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty()
            || text.chars().count() > MAX_VIDEO_LINK_CHARS
            || text.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(InvalidValue::new(format!(
                "must be an https:// link with a host, without spaces, at most {MAX_VIDEO_LINK_CHARS} characters"
            )));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A meeting of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: Uuid,
    pub kind: MeetingKind,
    pub title: FreeText,
    pub description: Option<FreeText>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<FreeText>,
    pub video_link: Option<VideoLink>,
    /// The municipality hosting it (an ESTHER café's host, a municipal network's own).
    pub host_municipality: Option<MunicipalityCode>,
    pub host_organization_id: Option<Uuid>,
    /// The staff member who organizes it.
    pub organizer_id: Option<Uuid>,
    pub status: MeetingStatus,
    /// Why it was cancelled; set exactly when `status` is `cancelled`.
    pub cancel_reason: Option<FreeText>,
    /// Whether Esther, or someone speaking for her, took part: `None` until the meeting is
    /// held, then [`participant::esther_present`] of its participants' attendance.
    pub esther_present: Option<bool>,
    /// The user (token `sub`) who created it.
    pub created_by: String,
    /// The registered person a case conference is about, if it names one: the meeting then
    /// follows her record's access rules ([`conference`]).
    pub about: Option<CaseSubject>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to schedule a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: FreeText,
    pub description: Option<FreeText>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<FreeText>,
    pub video_link: Option<VideoLink>,
    pub host_municipality: Option<MunicipalityCode>,
    pub host_organization_id: Option<Uuid>,
    pub organizer_id: Option<Uuid>,
    /// The registered person a case conference is about (only kind `case_conference`:
    /// [`conference::check_person`]).
    pub person_id: Option<Uuid>,
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingChanges {
    pub kind: Option<MeetingKind>,
    pub title: Option<FreeText>,
    pub description: Option<Option<FreeText>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub place: Option<Option<FreeText>>,
    pub video_link: Option<Option<VideoLink>>,
    pub host_municipality: Option<Option<MunicipalityCode>>,
    pub host_organization_id: Option<Option<Uuid>>,
    pub organizer_id: Option<Option<Uuid>>,
    /// Only `held` may be set this way (cancelling takes a reason: [`Meeting::cancel`]).
    pub status: Option<MeetingStatus>,
}

/// Why a change to a meeting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingRuleError {
    /// The input breaks a rule about its fields (422), naming the field.
    #[error("{0}")]
    Invalid(InvalidValue),
    /// The meeting is not in a state that allows the change (409).
    #[error("{0}")]
    State(String),
    /// The caller may not make this change (403), e.g. answer someone else's invitation.
    #[error("{0}")]
    NotAllowed(String),
}

impl From<InvalidValue> for MeetingRuleError {
    fn from(value: InvalidValue) -> Self {
        MeetingRuleError::Invalid(value)
    }
}

/// Meetings are between these years (the API's one range, [`crate::plausible::YEARS`]).
pub use crate::plausible::YEARS as PLAUSIBLE_YEARS;

/// An instant as the network's meetings keep it ([`crate::plausible::instant`]).
pub use crate::plausible::instant as plausible_instant;

/// A period asked for in a list (`from`, `to`, both optional): the end must not be before the
/// start (an empty list would hide the mistake). The caller names the end's field.
pub fn check_period(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(), InvalidValue> {
    match (from, to) {
        (Some(from), Some(to)) if to < from => Err(InvalidValue::new(
            "must not be before the start of the period",
        )),
        _ => Ok(()),
    }
}

/// The end must come after the start, and a meeting lasts at most [`MAX_MEETING_HOURS`].
pub fn check_times(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<(), InvalidValue> {
    if ends_at <= starts_at {
        return Err(InvalidValue::for_field(
            "ends_at",
            "must be after `starts_at`",
        ));
    }
    if ends_at - starts_at > TimeDelta::hours(MAX_MEETING_HOURS) {
        return Err(InvalidValue::for_field(
            "ends_at",
            format!("a meeting lasts at most {MAX_MEETING_HOURS} hours"),
        ));
    }
    Ok(())
}

impl NewMeeting {
    /// The meeting as first stored: scheduled, version 1, created by `recorder` (whose entry
    /// it is in the record of the person a case conference names). A person named by a meeting
    /// of another kind than `case_conference` is refused (422 `person_id`).
    pub fn into_record(
        self,
        id: Uuid,
        recorder: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<Meeting, InvalidValue> {
        conference::check_person(self.kind, self.person_id)?;
        check_times(self.starts_at, self.ends_at)?;
        Ok(Meeting {
            id,
            kind: self.kind,
            title: self.title,
            description: self.description,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            place: self.place,
            video_link: self.video_link,
            host_municipality: self.host_municipality,
            host_organization_id: self.host_organization_id,
            organizer_id: self.organizer_id,
            status: MeetingStatus::Scheduled,
            cancel_reason: None,
            esther_present: None,
            created_by: recorder.subject.clone(),
            about: self.person_id.map(|person_id| CaseSubject {
                person_id,
                recorded_by: recorder.clone(),
            }),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

impl Meeting {
    /// The meeting with `changes` applied at `now`. A cancelled meeting is not changed any
    /// more (409); `held` can only be recorded once the meeting has started, and a held
    /// meeting cannot be moved (409); the times are checked again together (422).
    pub fn apply(
        &self,
        changes: MeetingChanges,
        now: DateTime<Utc>,
    ) -> Result<Meeting, MeetingRuleError> {
        if self.status == MeetingStatus::Cancelled {
            return Err(MeetingRuleError::State(
                "the meeting is cancelled and can no longer be changed".into(),
            ));
        }
        let mut next = self.clone();
        let moved = changes.starts_at.is_some_and(|t| t != self.starts_at)
            || changes.ends_at.is_some_and(|t| t != self.ends_at);
        match (self.status, changes.status) {
            (_, None) | (MeetingStatus::Scheduled, Some(MeetingStatus::Scheduled)) => {}
            (_, Some(MeetingStatus::Held)) => next.status = MeetingStatus::Held,
            (_, Some(MeetingStatus::Scheduled)) => {
                return Err(MeetingRuleError::State(
                    "the meeting is recorded as held; it cannot be scheduled again".into(),
                ));
            }
            (_, Some(MeetingStatus::Cancelled)) => {
                return Err(InvalidValue::for_field(
                    "status",
                    "cancel a meeting with POST /api/v1/meetings/{id}/cancel and a reason",
                )
                .into());
            }
        }
        if next.status == MeetingStatus::Held && moved {
            return Err(MeetingRuleError::State(
                "a meeting that was held cannot be moved".into(),
            ));
        }
        next.kind = changes.kind.unwrap_or(self.kind);
        if (next.kind == MeetingKind::CaseConference) != (self.kind == MeetingKind::CaseConference)
        {
            // A case conference is about one person and is shown and shared under her
            // record's rules; a network meeting is shared with the whole network. Turning one
            // into the other would publish what was kept, or keep what was shared.
            return Err(InvalidValue::for_field(
                "kind",
                "a case conference stays a case conference, and a network meeting cannot become one: create a new meeting instead",
            )
            .into());
        }
        next.title = changes.title.unwrap_or_else(|| self.title.clone());
        if let Some(description) = changes.description {
            next.description = description;
        }
        next.starts_at = changes.starts_at.unwrap_or(self.starts_at);
        next.ends_at = changes.ends_at.unwrap_or(self.ends_at);
        if let Some(place) = changes.place {
            next.place = place;
        }
        if let Some(video_link) = changes.video_link {
            next.video_link = video_link;
        }
        if let Some(municipality) = changes.host_municipality {
            next.host_municipality = municipality;
        }
        if let Some(organization) = changes.host_organization_id {
            next.host_organization_id = organization;
        }
        if let Some(organizer) = changes.organizer_id {
            next.organizer_id = organizer;
        }
        check_times(next.starts_at, next.ends_at)?;
        if next.status == MeetingStatus::Held && self.status != MeetingStatus::Held {
            if next.starts_at > now {
                return Err(MeetingRuleError::State(
                    "a meeting can be recorded as held only once it has started".into(),
                ));
            }
            // Attendance is recorded only for a held meeting, so nobody has attended yet.
            next.esther_present = participant::esther_present(next.status, &[]);
        }
        Ok(next)
    }

    /// The meeting cancelled for `reason`. A meeting already cancelled, or held, cannot be
    /// cancelled (409).
    pub fn cancel(&self, reason: FreeText) -> Result<Meeting, MeetingRuleError> {
        match self.status {
            MeetingStatus::Cancelled => Err(MeetingRuleError::State(
                "the meeting is already cancelled".into(),
            )),
            MeetingStatus::Held => Err(MeetingRuleError::State(
                "the meeting was held; it cannot be cancelled".into(),
            )),
            MeetingStatus::Scheduled => Ok(Meeting {
                status: MeetingStatus::Cancelled,
                cancel_reason: Some(reason),
                ..self.clone()
            }),
        }
    }
}

/// An instant as the network's calendar shows it: Europe/Stockholm, with its UTC offset
/// (+01:00 in winter, +02:00 in summer).
pub fn in_stockholm(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&Stockholm).fixed_offset()
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeZone;

    use super::*;

    /// 1 December 2026 at `hour`:00 UTC.
    pub(crate) fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    pub(crate) fn text(t: &str) -> FreeText {
        FreeText::parse(t).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn a_period_may_be_open_or_a_point_but_not_reversed() {
        assert!(check_period(Some(at(9)), Some(at(10))).is_ok());
        assert!(check_period(Some(at(9)), Some(at(9))).is_ok());
        assert!(check_period(None, Some(at(9))).is_ok());
        assert!(check_period(Some(at(9)), None).is_ok());
        let reversed = check_period(Some(at(10)), Some(at(9)));
        assert!(reversed.is_err_and(|e| e.field.is_none()));
    }

    fn new_meeting(start: u32, end: u32) -> NewMeeting {
        NewMeeting {
            kind: MeetingKind::EstherCafe,
            title: text("ESTHER-café Eksjö"),
            description: None,
            starts_at: at(start),
            ends_at: at(end),
            place: Some(text("Eksjö stadshotell")),
            video_link: None,
            host_municipality: MunicipalityCode::parse("0686").ok(),
            host_organization_id: None,
            organizer_id: None,
            person_id: None,
        }
    }

    /// The user who schedules the meetings of these tests.
    pub(crate) fn coordinator() -> Recorder {
        Recorder {
            subject: "coordinator".into(),
            unit_id: None,
            organization_id: None,
        }
    }

    /// An ESTHER café from 13:00 to 16:00 UTC on 1 December 2026, scheduled at 08:00.
    pub(crate) fn scheduled() -> Meeting {
        new_meeting(13, 16)
            .into_record(Uuid::nil(), &coordinator(), at(8))
            .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn the_end_comes_after_the_start_within_two_days() {
        assert!(
            new_meeting(13, 16)
                .into_record(Uuid::nil(), &coordinator(), at(8))
                .is_ok()
        );
        for (start, end) in [(13, 13), (13, 12)] {
            let error = new_meeting(start, end).into_record(Uuid::nil(), &coordinator(), at(8));
            assert_eq!(error.err().and_then(|e| e.field), Some("ends_at"));
        }
        assert!(check_times(at(0), at(0) + TimeDelta::hours(48)).is_ok());
        assert!(check_times(at(0), at(0) + TimeDelta::hours(48) + TimeDelta::seconds(1)).is_err());
    }

    #[test]
    fn a_case_conference_never_becomes_a_network_meeting_nor_the_reverse() {
        let cafe = scheduled();
        let into_conference = MeetingChanges {
            kind: Some(MeetingKind::CaseConference),
            ..MeetingChanges::default()
        };
        let refused = cafe.apply(into_conference, at(9));
        assert!(
            matches!(refused, Err(MeetingRuleError::Invalid(ref e)) if e.field == Some("kind")),
            "{refused:?}"
        );
        let mut conference = scheduled();
        conference.kind = MeetingKind::CaseConference;
        let into_cafe = MeetingChanges {
            kind: Some(MeetingKind::EstherCafe),
            ..MeetingChanges::default()
        };
        assert!(conference.apply(into_cafe, at(9)).is_err());
        let same = MeetingChanges {
            kind: Some(MeetingKind::MunicipalNetwork),
            ..MeetingChanges::default()
        };
        assert!(
            cafe.apply(same, at(9)).is_ok(),
            "one network kind to another"
        );
    }

    #[test]
    fn a_change_rechecks_the_times_together() {
        let meeting = scheduled();
        let earlier_end = MeetingChanges {
            ends_at: Some(at(12)),
            ..Default::default()
        };
        assert!(matches!(
            meeting.apply(earlier_end, at(9)),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("ends_at"),
                ..
            }))
        ));
        let moved = MeetingChanges {
            starts_at: Some(at(9)),
            ends_at: Some(at(11)),
            ..Default::default()
        };
        let next = meeting
            .apply(moved, at(8))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!((next.starts_at, next.ends_at), (at(9), at(11)));
    }

    #[test]
    fn held_only_once_started_and_then_never_moved_or_rescheduled() {
        let meeting = scheduled();
        let held = MeetingChanges {
            status: Some(MeetingStatus::Held),
            ..Default::default()
        };
        assert!(matches!(
            meeting.apply(held.clone(), at(12)),
            Err(MeetingRuleError::State(_))
        ));
        let done = meeting
            .apply(held, at(13))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(done.status, MeetingStatus::Held);
        assert_eq!(
            (meeting.esther_present, done.esther_present),
            (None, Some(false)),
            "unknown until held, then computed from attendance"
        );
        let moved = MeetingChanges {
            starts_at: Some(at(14)),
            ..Default::default()
        };
        assert!(matches!(
            done.apply(moved, at(17)),
            Err(MeetingRuleError::State(_))
        ));
        let again = MeetingChanges {
            status: Some(MeetingStatus::Scheduled),
            ..Default::default()
        };
        assert!(matches!(
            done.apply(again, at(17)),
            Err(MeetingRuleError::State(_))
        ));
        let retitled = MeetingChanges {
            title: Some(text("ESTHER-café Eksjö, hösten")),
            ..Default::default()
        };
        assert!(
            done.apply(retitled, at(17)).is_ok(),
            "a held meeting's text can be corrected"
        );
    }

    #[test]
    fn cancelling_needs_the_endpoint_and_is_final() {
        let meeting = scheduled();
        let by_status = MeetingChanges {
            status: Some(MeetingStatus::Cancelled),
            ..Default::default()
        };
        assert!(matches!(
            meeting.apply(by_status, at(9)),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("status"),
                ..
            }))
        ));
        let cancelled = meeting
            .cancel(text("Too few could come"))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(cancelled.status, MeetingStatus::Cancelled);
        assert_eq!(cancelled.cancel_reason, Some(text("Too few could come")));
        assert!(matches!(
            cancelled.cancel(text("again")),
            Err(MeetingRuleError::State(_))
        ));
        assert!(matches!(
            cancelled.apply(MeetingChanges::default(), at(9)),
            Err(MeetingRuleError::State(_))
        ));
        let held = MeetingChanges {
            status: Some(MeetingStatus::Held),
            ..Default::default()
        };
        let held = meeting
            .apply(held, at(14))
            .unwrap_or_else(|_| unreachable!());
        assert!(matches!(
            held.cancel(text("late")),
            Err(MeetingRuleError::State(_))
        ));
    }

    #[test]
    fn video_links_are_https_with_a_host() {
        assert!(VideoLink::parse("https://meet.example.se/esther-cafe").is_ok());
        for bad in [
            "http://meet.example.se",
            "https://",
            "https:///x",
            "https://a b",
            "ftp://x",
            "",
        ] {
            assert!(VideoLink::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stockholm_shows_winter_and_summer_offsets() {
        assert_eq!(
            in_stockholm(at(8)).to_rfc3339(),
            "2026-12-01T09:00:00+01:00"
        );
        let summer = Utc
            .with_ymd_and_hms(2026, 6, 1, 7, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            in_stockholm(summer).to_rfc3339(),
            "2026-06-01T09:00:00+02:00"
        );
    }
}
