//! The network's stock figures: how many action items are open and overdue, how many
//! improvement projects are active and how many coaches (certified or not) support a
//! municipality — each counted **at the end of the period**, not over it.
//!
//! "The end of the period" is its last day (Europe/Stockholm), or today for the period still
//! running; a period that starts after today has no figure ([`Figure::Missing`]). What was
//! true on that day is read from dates the records keep:
//!
//! - an action item is open on day D when it was recorded on or before D and had not become
//!   `done` or `cancelled` by D (a closed item is never changed again, so the day of its last
//!   change is the day it closed); it is overdue on D when open and due before D — the rule of
//!   [`ActionItem::is_overdue`](crate::meeting::action_item::ActionItem::is_overdue). It
//!   counts in its meeting's host municipality. Items of case conferences are left out: a
//!   case conference is about one person, so its items are not the network's (as
//!   `meetings_with_esther_share` leaves those meetings out);
//! - a project is active on D when it had started (`start_on` ≤ D) and not ended (`end_on`
//!   absent or ≥ D), and is not now `idea` or `paused` (a pause carries no date, so a paused
//!   project counts in no period until it is active again). It counts in each municipality
//!   it names;
//! - a coach supports a municipality on D when the coach profile existed on D (created on or
//!   before it) and names the municipality, and her staff record is active now; she is
//!   certified on D when `certified_on` ≤ D.
//!
//! Small numbers: these figures count action items, projects and staff in their work for the
//! network, not persons in care, so no figure here is suppressed — the rule of
//! [`count_of_persons`](super::count_of_persons) is for persons cared for, as for the held
//! meetings of every kind but case conferences.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Figure, IndicatorData, IndicatorName};
use crate::MunicipalityCode;
use crate::discharge::stockholm_date;
use crate::improvement::ProjectStatus;
use crate::meeting::MeetingKind;

/// An action item as the stock figures see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionItemFacts {
    /// Its meeting's host municipality.
    pub host: Option<MunicipalityCode>,
    /// Its meeting's kind.
    pub meeting_kind: MeetingKind,
    pub recorded_at: DateTime<Utc>,
    pub due: NaiveDate,
    /// When it became `done` or `cancelled`; `None` while pending.
    pub closed_at: Option<DateTime<Utc>>,
}

impl ActionItemFacts {
    /// Still `open` or `in_progress` at the end of Stockholm day `day`.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        stockholm_date(self.recorded_at) <= day
            && self.closed_at.is_none_or(|c| stockholm_date(c) > day)
    }

    /// Open on `day` and due before it.
    pub fn overdue_on(&self, day: NaiveDate) -> bool {
        self.open_on(day) && self.due < day
    }
}

/// An improvement project as the stock figures see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub municipalities: Vec<MunicipalityCode>,
    pub status: ProjectStatus,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
}

impl ProjectFacts {
    /// Active on `day`: started, not ended, and not now an idea or paused.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        !matches!(self.status, ProjectStatus::Idea | ProjectStatus::Paused)
            && self.start_on.is_some_and(|s| s <= day)
            && self.end_on.is_none_or(|e| e >= day)
    }
}

/// A coach profile (of a staff member active now) as the stock figures see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachFacts {
    pub municipalities: Vec<MunicipalityCode>,
    /// When the coach profile was made.
    pub since: DateTime<Utc>,
    pub certified_on: Option<NaiveDate>,
}

impl CoachFacts {
    /// A coach on `day`.
    pub fn coach_on(&self, day: NaiveDate) -> bool {
        stockholm_date(self.since) <= day
    }

    /// A coach on `day`, certified on or before it.
    pub fn certified_on_day(&self, day: NaiveDate) -> bool {
        self.coach_on(day) && self.certified_on.is_some_and(|c| c <= day)
    }
}

/// The stock `indicator` of `area` at the end of the period `start..=end`, with `today` the
/// Stockholm date now. Missing for a period that starts after today; never suppressed.
pub fn figure(
    indicator: IndicatorName,
    data: &IndicatorData,
    area: MunicipalityCode,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Figure {
    use IndicatorName as I;
    if start > today {
        return Figure::Missing;
    }
    let day = end.min(today);
    let network_items = || {
        data.action_items
            .iter()
            .filter(move |i| i.host == Some(area) && i.meeting_kind != MeetingKind::CaseConference)
    };
    let coaches = || {
        data.coaches
            .iter()
            .filter(move |c| c.municipalities.contains(&area))
    };
    let count = match indicator {
        I::ActionItemsOpen => network_items().filter(|i| i.open_on(day)).count(),
        I::ActionItemsOverdue => network_items().filter(|i| i.overdue_on(day)).count(),
        I::ImprovementProjectsActive => data
            .projects
            .iter()
            .filter(|p| p.municipalities.contains(&area) && p.active_on(day))
            .count(),
        I::Coaches => coaches().filter(|c| c.coach_on(day)).count(),
        I::CoachesCertified => coaches().filter(|c| c.certified_on_day(day)).count(),
        _ => return Figure::Missing,
    };
    Figure::Value(count as f64)
}
