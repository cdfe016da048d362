//! Action items: what a meeting's participants promised to do, by when, and whether it is
//! done. Each has an owner (a staff member) and/or a care unit, or — when it follows an ESTHER
//! café's proposal to management — the organization the proposal is addressed to.
//!
//! Whether an item is overdue is decided here, on Europe/Stockholm calendar dates: an item
//! still `open` or `in_progress` whose due date is before today's date in Stockholm.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Meeting, MeetingRuleError};
use crate::InvalidValue;
use crate::discharge::stockholm_date;
use crate::record::FreeText;

crate::string_enum! {
    /// Where an action item stands: `open`, `in_progress`, then `done` or `cancelled`
    /// ([`ActionStatus::may_become`]).
    pub enum ActionStatus {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        Cancelled => "cancelled",
    }
}

impl ActionStatus {
    /// The statuses an item is still pending in (and can be overdue in).
    pub const PENDING: &'static [ActionStatus] = &[ActionStatus::Open, ActionStatus::InProgress];

    /// The allowed transitions: `open` ⇄ `in_progress`, either to `done` or `cancelled`;
    /// `done` and `cancelled` are final.
    pub fn may_become(self, next: ActionStatus) -> bool {
        use ActionStatus::*;
        matches!(
            (self, next),
            (Open, InProgress | Done | Cancelled) | (InProgress, Open | Done | Cancelled)
        )
    }

    pub fn is_pending(self) -> bool {
        Self::PENDING.contains(&self)
    }
}

/// One action item of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub title: FreeText,
    pub description: Option<FreeText>,
    /// The staff member who owns it.
    pub owner_id: Option<Uuid>,
    /// The care unit responsible for it.
    pub care_unit_id: Option<Uuid>,
    /// The organization it is addressed to (an ESTHER café's proposal to management).
    pub organization_id: Option<Uuid>,
    /// Due date (Europe/Stockholm calendar); not before the meeting's date.
    pub due: NaiveDate,
    pub status: ActionStatus,
    /// Set by the server when it becomes `done`.
    pub completed_at: Option<DateTime<Utc>>,
    /// The improvement project it feeds (the caller checks that it exists).
    pub improvement_project_id: Option<Uuid>,
    /// The user (token `sub`) who recorded it.
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to record an action item at a meeting: a title, a due date, and an owner
/// and/or a care unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActionItem {
    pub title: FreeText,
    pub description: Option<FreeText>,
    pub owner_id: Option<Uuid>,
    pub care_unit_id: Option<Uuid>,
    pub due: NaiveDate,
    /// The improvement project it feeds.
    pub improvement_project_id: Option<Uuid>,
}

/// A partial update; `None` leaves a field, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionItemChanges {
    pub title: Option<FreeText>,
    pub description: Option<Option<FreeText>>,
    pub owner_id: Option<Option<Uuid>>,
    pub care_unit_id: Option<Option<Uuid>>,
    pub due: Option<NaiveDate>,
    pub status: Option<ActionStatus>,
    pub improvement_project_id: Option<Option<Uuid>>,
}

/// An action item title: as a meeting's ([`super::parse_title`]).
pub fn parse_title(text: &str, today: NaiveDate) -> Result<FreeText, InvalidValue> {
    super::parse_title(text, today)
}

/// The due date may not be before the meeting's date in Europe/Stockholm (422 naming `due`).
pub fn check_due(meeting: &Meeting, due: NaiveDate) -> Result<(), InvalidValue> {
    let meeting_date = stockholm_date(meeting.starts_at);
    if due < meeting_date {
        return Err(InvalidValue::for_field(
            "due",
            format!("must not be before the meeting's date {meeting_date}"),
        ));
    }
    Ok(())
}

/// The date before which a pending item is overdue: today in Europe/Stockholm.
pub fn overdue_before(now: DateTime<Utc>) -> NaiveDate {
    stockholm_date(now)
}

impl ActionItem {
    /// Still pending (`open`, `in_progress`) with its due date before Stockholm's date at
    /// `now`; an item due today is not overdue yet.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status.is_pending() && self.due < overdue_before(now)
    }

    /// The item with `changes` applied at `now`. A `done` or `cancelled` item is not changed
    /// any more (409); a status change must be allowed ([`ActionStatus::may_become`], else
    /// 409); becoming `done` sets `completed_at` to `now`; a new due date is checked against
    /// the `meeting`'s date (422 `due`); it keeps an owner, a unit or an organization (422
    /// `owner_id`).
    pub fn apply(
        &self,
        meeting: &Meeting,
        changes: ActionItemChanges,
        now: DateTime<Utc>,
    ) -> Result<ActionItem, MeetingRuleError> {
        if !self.status.is_pending() {
            return Err(MeetingRuleError::State(format!(
                "the action item is {}; it is no longer changed",
                self.status
            )));
        }
        let mut next = self.clone();
        if let Some(status) = changes.status
            && status != self.status
        {
            if !self.status.may_become(status) {
                return Err(MeetingRuleError::State(format!(
                    "an action item that is {} cannot become {status}",
                    self.status
                )));
            }
            next.status = status;
            if status == ActionStatus::Done {
                next.completed_at = Some(now);
            }
        }
        if let Some(due) = changes.due {
            check_due(meeting, due)?;
            next.due = due;
        }
        if let Some(title) = changes.title {
            next.title = title;
        }
        if let Some(description) = changes.description {
            next.description = description;
        }
        if let Some(owner) = changes.owner_id {
            next.owner_id = owner;
        }
        if let Some(unit) = changes.care_unit_id {
            next.care_unit_id = unit;
        }
        if let Some(project) = changes.improvement_project_id {
            next.improvement_project_id = project;
        }
        if next.owner_id.is_none() && next.care_unit_id.is_none() && next.organization_id.is_none()
        {
            return Err(responsible_missing().into());
        }
        Ok(next)
    }
}

fn responsible_missing() -> InvalidValue {
    InvalidValue::for_field(
        "owner_id",
        "an action item needs an owner (`owner_id`) and/or a care unit (`care_unit_id`)",
    )
}

impl Meeting {
    /// A new action item of this meeting, `open`: not at a cancelled meeting (409), with an
    /// owner and/or a unit (422 `owner_id`), due no earlier than the meeting's date (422
    /// `due`).
    pub fn add_action_item(
        &self,
        item: NewActionItem,
        id: Uuid,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<ActionItem, MeetingRuleError> {
        if item.owner_id.is_none() && item.care_unit_id.is_none() {
            return Err(responsible_missing().into());
        }
        self.new_action_item(item, None, id, created_by, now)
    }

    /// An `open` item of this meeting (not a cancelled one, 409) due no earlier than its date.
    pub(crate) fn new_action_item(
        &self,
        item: NewActionItem,
        organization_id: Option<Uuid>,
        id: Uuid,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<ActionItem, MeetingRuleError> {
        self.check_takes_records("it takes no action items")?;
        check_due(self, item.due)?;
        Ok(ActionItem {
            id,
            meeting_id: self.id,
            title: item.title,
            description: item.description,
            owner_id: item.owner_id,
            care_unit_id: item.care_unit_id,
            organization_id,
            due: item.due,
            status: ActionStatus::Open,
            completed_at: None,
            improvement_project_id: item.improvement_project_id,
            created_by: created_by.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::meeting::tests::{at, scheduled, text};

    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn new_item(due: NaiveDate) -> NewActionItem {
        NewActionItem {
            title: text("Call the home care unit before discharge"),
            description: None,
            owner_id: Some(Uuid::nil()),
            care_unit_id: None,
            due,
            improvement_project_id: Some(Uuid::from_u128(7)),
        }
    }

    fn open_item() -> ActionItem {
        scheduled()
            .add_action_item(new_item(date(2026, 12, 15)), Uuid::nil(), "c", at(8))
            .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn due_not_before_the_meetings_stockholm_date_and_someone_responsible() {
        // The café starts 13:00 UTC on 1 December 2026.
        let meeting = scheduled();
        assert!(
            meeting
                .add_action_item(new_item(date(2026, 12, 1)), Uuid::nil(), "c", at(8))
                .is_ok()
        );
        let early = meeting.add_action_item(new_item(date(2026, 11, 30)), Uuid::nil(), "c", at(8));
        assert!(matches!(
            early,
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("due"),
                ..
            }))
        ));
        // 23:30 UTC on 30 November is already 1 December in Stockholm.
        let late_evening = Meeting {
            starts_at: Utc
                .with_ymd_and_hms(2026, 11, 30, 23, 30, 0)
                .single()
                .unwrap_or_default(),
            ..scheduled()
        };
        assert!(check_due(&late_evening, date(2026, 11, 30)).is_err());
        assert!(check_due(&late_evening, date(2026, 12, 1)).is_ok());
        let nobody = NewActionItem {
            owner_id: None,
            ..new_item(date(2026, 12, 2))
        };
        assert!(matches!(
            meeting.add_action_item(nobody, Uuid::nil(), "c", at(8)),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("owner_id"),
                ..
            }))
        ));
    }

    #[test]
    fn transitions_follow_the_rule_and_done_is_stamped_by_the_server() {
        use ActionStatus::*;
        for (from, to, allowed) in [
            (Open, InProgress, true),
            (Open, Done, true),
            (Open, Cancelled, true),
            (InProgress, Open, true),
            (InProgress, Done, true),
            (Done, Open, false),
            (Done, InProgress, false),
            (Cancelled, Open, false),
            (Cancelled, Done, false),
        ] {
            assert_eq!(from.may_become(to), allowed, "{from} → {to}");
        }
        let meeting = scheduled();
        let started = open_item()
            .apply(
                &meeting,
                ActionItemChanges {
                    status: Some(InProgress),
                    ..Default::default()
                },
                at(9),
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(started.completed_at, None);
        let done = started
            .apply(
                &meeting,
                ActionItemChanges {
                    status: Some(Done),
                    ..Default::default()
                },
                at(10),
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(done.completed_at, Some(at(10)));
        assert!(matches!(
            done.apply(
                &meeting,
                ActionItemChanges {
                    status: Some(Open),
                    ..Default::default()
                },
                at(11)
            ),
            Err(MeetingRuleError::State(_))
        ));
        let unlinked = open_item()
            .apply(
                &meeting,
                ActionItemChanges {
                    improvement_project_id: Some(None),
                    ..Default::default()
                },
                at(9),
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(open_item().improvement_project_id, Some(Uuid::from_u128(7)));
        assert_eq!(unlinked.improvement_project_id, None);
        let unowned = ActionItemChanges {
            owner_id: Some(None),
            ..Default::default()
        };
        assert!(matches!(
            open_item().apply(&meeting, unowned, at(9)),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("owner_id"),
                ..
            }))
        ));
        let early = ActionItemChanges {
            due: Some(date(2026, 11, 1)),
            ..Default::default()
        };
        assert!(matches!(
            open_item().apply(&meeting, early, at(9)),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("due"),
                ..
            }))
        ));
    }

    #[test]
    fn overdue_on_stockholm_dates_only_while_pending() {
        // Due 15 December 2026.
        let item = open_item();
        let utc = |d: u32, h: u32| {
            Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0)
                .single()
                .unwrap_or_default()
        };
        assert!(!item.is_overdue(utc(15, 22)), "the due day itself");
        // 23:00 UTC on 15 December is 00:00 on 16 December in Stockholm.
        assert!(item.is_overdue(utc(15, 23)));
        let done = ActionItem {
            status: ActionStatus::Done,
            ..item
        };
        assert!(!done.is_overdue(utc(20, 12)));
    }
}
