//! What a calendar (RFC 5545) shows of the network's meetings, and the secret-URL feeds
//! calendar apps subscribe to.
//!
//! Calendar apps cannot send bearer tokens, so a feed is reached by a URL holding a long
//! random secret (as the large calendar products do); only its SHA-256 is stored. A feed is
//! read by anyone who has the URL, so it never carries a person's name or personal number: a
//! case conference shows as "Case conference" with no title or description, and a patient or
//! relative representative shows by her role only, whatever she consented to.
//!
//! Each meeting is one `VEVENT` with a stable `UID`. A feed carries exactly the meetings in its
//! scope: a series all of whose occurrences are in scope is its master event (`RRULE`,
//! `EXDATE`) with each occurrence sharing the series' `UID`, told apart by its `RECURRENCE-ID`
//! (RFC 5545 §3.8.4.4); an occurrence of a series only partly in scope, and one meeting's
//! `.ics`, is a standalone event with the meeting's own `UID` ([`shows_series_master`]). `SEQUENCE`
//! (§3.8.7.4) rises with every change to the meeting or its participants, `DTSTAMP` is the last
//! change (§3.8.7.2: without `METHOD` it is the last modification), and a cancelled meeting
//! stays, with `STATUS:CANCELLED` (§3.8.1.11).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;

use crate::meeting::participant::{Invitee, Participant, ResponseStatus};
use crate::meeting::series::{MeetingSeries, OccurrenceMeeting, stockholm_local};
use crate::meeting::{Meeting, MeetingKind, MeetingRuleError, MeetingStatus, VideoLink};
use crate::record::FreeText;
use crate::{InvalidValue, MunicipalityCode};

/// The domain part of every `UID` (RFC 5545 §3.8.4.7 recommends a domain suffix).
pub const UID_DOMAIN: &str = "smartcare-home";
/// What a case conference is called in a calendar: it is about one person, who is not named.
pub const CASE_CONFERENCE_SUMMARY: &str = "Case conference";
/// Bytes of randomness in a feed secret (256 bits).
pub const FEED_SECRET_BYTES: usize = 32;
/// Most feeds one user keeps active.
pub const MAX_FEEDS_PER_OWNER: usize = 20;
/// Most meetings one feed carries (the next and last year of a municipality's network).
pub const MAX_FEED_MEETINGS: i64 = 1_000;
/// How far back a feed reaches, in days: last year's meetings stay visible.
pub const FEED_HISTORY_DAYS: i64 = 366;

crate::string_enum! {
    /// Which meetings a feed carries.
    pub enum FeedScope {
        /// The caller's own: meetings her staff record (found by her token's HSA-id) is
        /// invited to, herself or through her unit or organization, or organizes.
        Mine => "mine",
        /// A care unit's: meetings the unit, its organization or one of its staff is invited to.
        Unit => "unit",
        /// A municipality's network meetings: the meetings it hosts.
        Municipality => "municipality",
    }
}

/// Whose meetings a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedTarget {
    /// A staff member's (scope `mine`).
    Staff(Uuid),
    CareUnit(Uuid),
    Municipality(MunicipalityCode),
}

impl FeedTarget {
    pub fn scope(&self) -> FeedScope {
        match self {
            FeedTarget::Staff(_) => FeedScope::Mine,
            FeedTarget::CareUnit(_) => FeedScope::Unit,
            FeedTarget::Municipality(_) => FeedScope::Municipality,
        }
    }
}

/// A subscription by secret URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub id: Uuid,
    /// The token subject that created it; she and an administrator list and revoke it.
    pub owner: String,
    pub target: FeedTarget,
    pub created_at: DateTime<Utc>,
    /// Set once revoked; a revoked feed answers 404.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl CalendarFeed {
    /// A new feed for `owner`, who keeps at most [`MAX_FEEDS_PER_OWNER`] active ones (422
    /// naming `scope` beyond that).
    pub fn create(
        id: Uuid,
        owner: &str,
        target: FeedTarget,
        active_feeds: usize,
        now: DateTime<Utc>,
    ) -> Result<CalendarFeed, InvalidValue> {
        if active_feeds >= MAX_FEEDS_PER_OWNER {
            return Err(InvalidValue::for_field(
                "scope",
                format!("a user keeps at most {MAX_FEEDS_PER_OWNER} feeds; revoke one first"),
            ));
        }
        Ok(CalendarFeed {
            id,
            owner: owner.to_owned(),
            target,
            created_at: now,
            revoked_at: None,
        })
    }

    /// Whether the feed answers its URL: not revoked, and a staff member's own feed (scope
    /// `mine`) only while `staff_active` says she is active: a feed does not outlive its
    /// owner's place in the network. A feed that does not answer is 404, as an unknown one.
    pub fn answers(&self, staff_active: bool) -> bool {
        self.revoked_at.is_none() && (staff_active || !matches!(self.target, FeedTarget::Staff(_)))
    }

    /// Whether the user with token subject `subject` may see and revoke this feed: its owner,
    /// or an administrator (`admin`), so that a leaked URL can be revoked whoever made it.
    pub fn managed_by(&self, subject: &str, admin: bool) -> bool {
        admin || self.owner == subject
    }

    /// The feed revoked at `now`; `None` when it already is (it stays as it was).
    pub fn revoke(&self, now: DateTime<Utc>) -> Option<CalendarFeed> {
        self.revoked_at.is_none().then(|| CalendarFeed {
            revoked_at: Some(now),
            ..self.clone()
        })
    }
}

/// Whose feeds a list of feeds shows: the owner's token subject, or `None` for every user's.
/// Anyone sees her own (`owner` absent or her own `subject`); an administrator (`admin`) sees
/// any one user's (`owner`) or every user's (`all`). Anyone else asking for other feeds is
/// refused (403); `owner` together with `all` is refused naming `all`.
pub fn listed_owner(
    subject: &str,
    admin: bool,
    owner: Option<String>,
    all: bool,
) -> Result<Option<String>, MeetingRuleError> {
    match (owner, all) {
        (Some(_), true) => Err(InvalidValue::for_field(
            "all",
            "lists every user's feeds; leave out `owner`",
        )
        .into()),
        (None, true) if admin => Ok(None),
        (Some(owner), false) if admin || owner == subject => Ok(Some(owner)),
        (None, false) => Ok(Some(subject.to_owned())),
        _ => Err(MeetingRuleError::NotAllowed(
            "only an administrator lists other users' calendar feeds".into(),
        )),
    }
}

crate::string_enum! {
    /// An attendee's participation status (RFC 5545 §3.2.12, `PARTSTAT`).
    pub enum PartStat {
        NeedsAction => "NEEDS-ACTION",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
        Tentative => "TENTATIVE",
    }
}

impl From<ResponseStatus> for PartStat {
    fn from(response: ResponseStatus) -> Self {
        match response {
            ResponseStatus::Invited => PartStat::NeedsAction,
            ResponseStatus::Accepted => PartStat::Accepted,
            ResponseStatus::Declined => PartStat::Declined,
            ResponseStatus::Tentative => PartStat::Tentative,
        }
    }
}

crate::string_enum! {
    /// What kind of calendar user an attendee is (RFC 5545 §3.2.3, `CUTYPE`).
    pub enum CalendarUserType {
        Individual => "INDIVIDUAL",
        Group => "GROUP",
    }
}

/// An `ORGANIZER` or `ATTENDEE`: addressed as `urn:uuid:<id>` (staff have no e-mail in the
/// directory), with a common name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarUser {
    pub address: String,
    pub name: String,
    pub kind: CalendarUserType,
    pub partstat: PartStat,
}

/// The names of the directory records a calendar shows (staff, units, organizations), by id.
pub type DirectoryNames = HashMap<Uuid, String>;

/// What every `VEVENT` carries, a series' master and a meeting alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBasics {
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// Changes since it was first written (`SEQUENCE`).
    pub sequence: u32,
    /// The last change (`DTSTAMP`, `LAST-MODIFIED`).
    pub stamp: DateTime<Utc>,
    pub organizer: Option<CalendarUser>,
}

/// One `VEVENT`: a meeting, or one occurrence of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub basics: EventBasics,
    /// Set for an occurrence of a series: the start the rule gave it.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    pub attendees: Vec<CalendarUser>,
}

/// A series' master `VEVENT`: the rule, its start in Europe/Stockholm and its exclusions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesEntry {
    pub basics: EventBasics,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub rule: String,
    pub exdates: Vec<NaiveDateTime>,
}

/// Whether a feed shows a series as its master event (`RRULE`, `EXDATE`) with its occurrences
/// as overrides: only when every one of the series' `occurrences` (meeting ids) is among the
/// meetings `in_scope` of the feed. A calendar app shows every start the rule gives, so a
/// series partly in scope would put meetings the feed does not carry into the calendar (all
/// seven of a series whose one occurrence someone is invited to); its occurrences in scope are
/// then standalone events, each with the meeting's own `UID` and no `RECURRENCE-ID`, as one
/// meeting's `.ics` shows them (an override without its master is dropped by many clients).
pub fn shows_series_master(occurrences: &[Uuid], in_scope: &HashSet<Uuid>) -> bool {
    !occurrences.is_empty() && occurrences.iter().all(|id| in_scope.contains(id))
}

/// The `UID` of a meeting that is not part of a series, or of a series.
pub fn uid(id: Uuid) -> String {
    format!("{id}@{UID_DOMAIN}")
}

/// What a calendar shows of a meeting: summary, description, location and link.
struct Shown {
    summary: String,
    description: Option<String>,
    location: Option<String>,
    url: Option<String>,
}

/// What a calendar may show of a meeting: a case conference is about one person and shows
/// only as "Case conference", without its description, its place (often her home) or its
/// video link; those are read through the API under her record's access rules.
fn shown(
    kind: MeetingKind,
    title: &FreeText,
    description: Option<&FreeText>,
    place: Option<&FreeText>,
    video_link: Option<&VideoLink>,
) -> Shown {
    if kind == MeetingKind::CaseConference {
        return Shown {
            summary: CASE_CONFERENCE_SUMMARY.to_owned(),
            description: None,
            location: None,
            url: None,
        };
    }
    Shown {
        summary: title.as_str().to_owned(),
        description: description.map(|d| d.as_str().to_owned()),
        location: place.map(|p| p.as_str().to_owned()),
        url: video_link.map(|l| l.as_str().to_owned()),
    }
}

fn organizer(organizer_id: Option<Uuid>, names: &DirectoryNames) -> Option<CalendarUser> {
    let id = organizer_id?;
    Some(CalendarUser {
        address: format!("urn:uuid:{id}"),
        name: names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "Organizer".into()),
        kind: CalendarUserType::Individual,
        partstat: PartStat::Accepted,
    })
}

/// What a calendar shows for the person a case conference is about, when she is invited.
pub const PERSON_ATTENDEE: &str = "The person the conference is about";

/// A participant as an `ATTENDEE`. A representative shows by her role only, never her name;
/// the person a case conference is about as [`PERSON_ATTENDEE`].
fn attendee(participant: &Participant, names: &DirectoryNames) -> CalendarUser {
    let (address, name, kind) = match &participant.invitee {
        Invitee::Staff(id) => (*id, names.get(id).cloned(), CalendarUserType::Individual),
        Invitee::CareUnit(id) | Invitee::Organization(id) => {
            (*id, names.get(id).cloned(), CalendarUserType::Group)
        }
        Invitee::Representative(r) => (
            participant.id,
            Some(r.role.anonymous_name().to_owned()),
            CalendarUserType::Individual,
        ),
        // Never her name nor her record's id: the invitation's own id.
        Invitee::Person(_) => (
            participant.id,
            Some(PERSON_ATTENDEE.to_owned()),
            CalendarUserType::Individual,
        ),
    };
    CalendarUser {
        address: format!("urn:uuid:{address}"),
        name: name.unwrap_or_else(|| "Participant".into()),
        kind,
        partstat: participant.response.into(),
    }
}

/// The meeting as a calendar shows it: with `occurrence`, as an override of its series'
/// master (the series' `UID` and its `RECURRENCE-ID`), else standalone with its own `UID`
/// (see [`shows_series_master`]). `SEQUENCE` is the number of changes since it was
/// scheduled: the meeting's version less one, plus every participant's version (participants
/// are never removed, so it only rises).
pub fn entry(
    meeting: &Meeting,
    occurrence: Option<&OccurrenceMeeting>,
    participants: &[Participant],
    names: &DirectoryNames,
) -> CalendarEntry {
    let shown = shown(
        meeting.kind,
        &meeting.title,
        meeting.description.as_ref(),
        meeting.place.as_ref(),
        meeting.video_link.as_ref(),
    );
    let changes = (meeting.version - 1) + participants.iter().map(|p| p.version).sum::<i64>();
    let stamp = participants
        .iter()
        .map(|p| p.updated_at)
        .chain([meeting.updated_at])
        .max()
        .unwrap_or(meeting.updated_at);
    CalendarEntry {
        basics: EventBasics {
            uid: uid(occurrence.map_or(meeting.id, |o| o.series_id)),
            summary: shown.summary,
            description: shown.description,
            location: shown.location,
            url: shown.url,
            sequence: u32::try_from(changes.max(0)).unwrap_or(u32::MAX),
            stamp,
            organizer: organizer(meeting.organizer_id, names),
        },
        recurrence_id: occurrence.map(|o| o.recurrence_id),
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        cancelled: meeting.status == MeetingStatus::Cancelled,
        attendees: participants.iter().map(|p| attendee(p, names)).collect(),
    }
}

/// A series' master entry: the rule, shown with the same care as its meetings.
pub fn series_entry(series: &MeetingSeries, names: &DirectoryNames) -> SeriesEntry {
    let shown = shown(
        series.kind,
        &series.title,
        series.description.as_ref(),
        series.place.as_ref(),
        series.video_link.as_ref(),
    );
    let schedule = &series.schedule;
    SeriesEntry {
        basics: EventBasics {
            uid: uid(series.id),
            summary: shown.summary,
            description: shown.description,
            location: shown.location,
            url: shown.url,
            sequence: u32::try_from((series.version - 1).max(0)).unwrap_or(u32::MAX),
            stamp: series.updated_at,
            organizer: organizer(series.organizer_id, names),
        },
        starts_local: schedule.starts_local,
        ends_local: schedule.starts_local + chrono::TimeDelta::minutes(schedule.duration_minutes),
        rule: schedule.rule().to_owned(),
        exdates: schedule.exdates.clone(),
    }
}

/// An instant as RFC 5545 writes a zoned local time (`TZID=Europe/Stockholm`).
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    stockholm_local(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::participant::{Representative, RepresentativeRole};
    use crate::meeting::tests::{at, scheduled, text};

    fn participant(invitee: Invitee, version: i64) -> Participant {
        Participant {
            id: Uuid::from_u128(7),
            meeting_id: Uuid::nil(),
            invitee,
            response: ResponseStatus::Accepted,
            attendance: None,
            invited_by: "c".into(),
            version,
            created_at: at(8),
            updated_at: at(9),
        }
    }

    #[test]
    fn a_case_conference_and_a_representative_are_never_named() {
        let mut meeting = scheduled();
        meeting.kind = MeetingKind::CaseConference;
        meeting.title = text("SIP för Esther Svensson");
        meeting.description = Some(text("Om Esther Svensson, 19400101-1234"));
        meeting.place = Some(text("Hemma hos Esther, Storgatan 1"));
        let representative = participant(
            Invitee::Representative(Representative::invited(
                text("Greta Andersson"),
                RepresentativeRole::RelativeRepresentative,
                true,
            )),
            2,
        );
        let shown = entry(&meeting, None, &[representative], &DirectoryNames::new());
        assert_eq!(shown.basics.summary, "Case conference");
        assert_eq!(shown.basics.description, None);
        assert_eq!((shown.basics.location, shown.basics.url), (None, None));
        assert_eq!(shown.attendees[0].name, "relative representative");
        assert_eq!(shown.attendees[0].partstat, PartStat::Accepted);
    }

    #[test]
    fn sequence_rises_with_every_change_to_the_meeting_or_its_participants() {
        let meeting = scheduled();
        let first = entry(&meeting, None, &[], &DirectoryNames::new());
        assert_eq!(
            (first.basics.sequence, first.basics.stamp),
            (0, meeting.updated_at)
        );
        assert_eq!(first.basics.uid, format!("{}@smartcare-home", meeting.id));
        let invited = [participant(Invitee::Staff(Uuid::from_u128(1)), 1)];
        let second = entry(&meeting, None, &invited, &DirectoryNames::new());
        assert_eq!((second.basics.sequence, second.basics.stamp), (1, at(9)));
        let cancelled = meeting
            .cancel(text("Sjukdom"))
            .map(|m| Meeting { version: 2, ..m })
            .unwrap_or_else(|_| unreachable!());
        let third = entry(&cancelled, None, &invited, &DirectoryNames::new());
        assert!(third.cancelled);
        assert_eq!(third.basics.sequence, 2);
    }

    #[test]
    fn a_series_is_its_master_only_when_all_its_occurrences_are_in_scope() {
        let occurrences: Vec<Uuid> = (1..=7).map(Uuid::from_u128).collect();
        let all: HashSet<Uuid> = occurrences.iter().copied().collect();
        assert!(shows_series_master(&occurrences, &all));
        let one: HashSet<Uuid> = [Uuid::from_u128(3)].into();
        assert!(!shows_series_master(&occurrences, &one));
        assert!(!shows_series_master(&[], &all));
        let meeting = scheduled();
        let standalone = entry(&meeting, None, &[], &DirectoryNames::new());
        assert_eq!(standalone.basics.uid, uid(meeting.id));
        assert_eq!(standalone.recurrence_id, None);
    }

    #[test]
    fn a_staff_members_feed_answers_only_while_she_is_active() {
        let mine =
            CalendarFeed::create(Uuid::nil(), "me", FeedTarget::Staff(Uuid::nil()), 0, at(8))
                .unwrap_or_else(|_| unreachable!());
        assert!(mine.answers(true));
        assert!(!mine.answers(false));
        let revoked = mine.revoke(at(9)).unwrap_or_else(|| unreachable!());
        assert!(!revoked.answers(true));
        let unit = CalendarFeed {
            target: FeedTarget::CareUnit(Uuid::nil()),
            ..mine
        };
        assert!(unit.answers(false), "a unit's feed is not a staff member's");
    }

    #[test]
    fn an_administrator_lists_and_revokes_anyones_feeds_others_their_own() {
        let feed = CalendarFeed::create(
            Uuid::nil(),
            "karin",
            FeedTarget::Staff(Uuid::nil()),
            0,
            at(8),
        )
        .unwrap_or_else(|_| unreachable!());
        assert!(feed.managed_by("karin", false));
        assert!(feed.managed_by("admin", true));
        assert!(!feed.managed_by("erik", false));
        let own =
            |owner: Option<&str>, all| listed_owner("karin", false, owner.map(Into::into), all);
        assert_eq!(own(None, false), Ok(Some("karin".into())));
        assert_eq!(own(Some("karin"), false), Ok(Some("karin".into())));
        assert!(matches!(
            own(Some("erik"), false),
            Err(MeetingRuleError::NotAllowed(_))
        ));
        assert!(matches!(
            own(None, true),
            Err(MeetingRuleError::NotAllowed(_))
        ));
        let admin =
            |owner: Option<&str>, all| listed_owner("root", true, owner.map(Into::into), all);
        assert_eq!(admin(Some("karin"), false), Ok(Some("karin".into())));
        assert_eq!(admin(None, true), Ok(None));
        assert_eq!(admin(None, false), Ok(Some("root".into())));
        assert!(matches!(
            admin(Some("karin"), true),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("all"),
                ..
            }))
        ));
    }

    #[test]
    fn a_feed_is_revoked_once_and_owners_keep_a_bounded_number() {
        let target = FeedTarget::CareUnit(Uuid::nil());
        let feed = CalendarFeed::create(Uuid::nil(), "me", target, 0, at(8))
            .unwrap_or_else(|_| unreachable!());
        let revoked = feed.revoke(at(9)).unwrap_or_else(|| unreachable!());
        assert_eq!(revoked.revoked_at, Some(at(9)));
        assert!(revoked.revoke(at(10)).is_none());
        let refused = CalendarFeed::create(Uuid::nil(), "me", target, MAX_FEEDS_PER_OWNER, at(8));
        assert_eq!(refused.err().and_then(|e| e.field), Some("scope"));
    }
}
