//! A meeting's agenda: items in order, each with a title, an optional presenter (a staff
//! member) and the minutes allotted to it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Meeting, MeetingRuleError};
use crate::InvalidValue;
use crate::record::FreeText;

/// Most items on one agenda.
pub const MAX_AGENDA_ITEMS: u16 = 100;
/// Most minutes one item is given: a whole strategy day (8 hours).
pub const MAX_MINUTES_ALLOTTED: u16 = 480;

/// One item of a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// Its place in the agenda, 1 to [`MAX_AGENDA_ITEMS`]; unique within the meeting.
    pub position: u16,
    pub title: FreeText,
    /// The staff member presenting it.
    pub presenter_id: Option<Uuid>,
    /// Minutes set aside for it, 1 to [`MAX_MINUTES_ALLOTTED`].
    pub minutes_allotted: Option<u16>,
    /// The user (token `sub`) who added it.
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to add an item to the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgendaItem {
    /// Its place; `None` puts it last.
    pub position: Option<u16>,
    pub title: FreeText,
    pub presenter_id: Option<Uuid>,
    pub minutes_allotted: Option<u16>,
}

/// An agenda position: 1 to [`MAX_AGENDA_ITEMS`].
pub fn parse_position(value: i64) -> Result<u16, InvalidValue> {
    u16::try_from(value)
        .ok()
        .filter(|p| (1..=MAX_AGENDA_ITEMS).contains(p))
        .ok_or_else(|| InvalidValue::new(format!("must be between 1 and {MAX_AGENDA_ITEMS}")))
}

/// Minutes allotted to one item: 1 to [`MAX_MINUTES_ALLOTTED`].
pub fn parse_minutes_allotted(value: i64) -> Result<u16, InvalidValue> {
    u16::try_from(value)
        .ok()
        .filter(|m| (1..=MAX_MINUTES_ALLOTTED).contains(m))
        .ok_or_else(|| InvalidValue::new(format!("must be between 1 and {MAX_MINUTES_ALLOTTED}")))
}

/// The minutes allotted to all items of an agenda together.
pub fn minutes_allotted(agenda: &[AgendaItem]) -> i64 {
    agenda
        .iter()
        .filter_map(|i| i.minutes_allotted)
        .map(i64::from)
        .sum()
}

impl Meeting {
    /// How long the meeting lasts, in whole minutes.
    fn length_minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes()
    }

    /// Whether this meeting, as changed, still holds its `agenda`: a meeting is not made
    /// shorter than the minutes allotted to its agenda items together (422 naming `ends_at`
    /// with the agenda's total), the same rule [`Meeting::add_agenda_item`] keeps from the
    /// agenda's side.
    pub fn check_agenda_fits(&self, agenda: &[AgendaItem]) -> Result<(), InvalidValue> {
        let allotted = minutes_allotted(agenda);
        let length = self.length_minutes();
        if allotted > length {
            return Err(InvalidValue::for_field(
                "ends_at",
                format!(
                    "the agenda takes {allotted} minutes; the meeting would last {length} minutes (shorten the agenda first)"
                ),
            ));
        }
        Ok(())
    }

    /// The new agenda item, given the meeting's `agenda` so far. A cancelled meeting's agenda
    /// is closed (409); a position already taken is refused (409), none given puts the item
    /// last; an agenda holds at most [`MAX_AGENDA_ITEMS`] items (409); the minutes allotted
    /// to all items together must fit within the meeting (422 naming `minutes_allotted`).
    pub fn add_agenda_item(
        &self,
        item: NewAgendaItem,
        agenda: &[AgendaItem],
        id: Uuid,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<AgendaItem, MeetingRuleError> {
        self.check_takes_records("its agenda is closed")?;
        let last = agenda.iter().map(|i| i.position).max().unwrap_or(0);
        let position = match item.position {
            Some(position) => {
                if let Some(taken) = agenda.iter().find(|i| i.position == position) {
                    return Err(MeetingRuleError::State(format!(
                        "agenda position {position} is taken by item {}",
                        taken.id
                    )));
                }
                position
            }
            None if last >= MAX_AGENDA_ITEMS => {
                return Err(MeetingRuleError::State(format!(
                    "the agenda's last position {MAX_AGENDA_ITEMS} is taken; give a free `position`"
                )));
            }
            None => last + 1,
        };
        if agenda.len() >= usize::from(MAX_AGENDA_ITEMS) {
            return Err(MeetingRuleError::State(format!(
                "an agenda holds at most {MAX_AGENDA_ITEMS} items"
            )));
        }
        let allotted = minutes_allotted(agenda) + item.minutes_allotted.map_or(0, i64::from);
        let length = self.length_minutes();
        if allotted > length {
            return Err(InvalidValue::for_field(
                "minutes_allotted",
                format!(
                    "the agenda would take {allotted} minutes; the meeting lasts {length} minutes"
                ),
            )
            .into());
        }
        Ok(AgendaItem {
            id,
            meeting_id: self.id,
            position,
            title: item.title,
            presenter_id: item.presenter_id,
            minutes_allotted: item.minutes_allotted,
            created_by: created_by.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::tests::{at, scheduled, text};

    fn item(position: Option<u16>, minutes: Option<u16>) -> NewAgendaItem {
        NewAgendaItem {
            position,
            title: text("Esther's story"),
            presenter_id: None,
            minutes_allotted: minutes,
        }
    }

    fn add(agenda: &mut Vec<AgendaItem>, new: NewAgendaItem) -> Result<u16, MeetingRuleError> {
        let added =
            scheduled().add_agenda_item(new, agenda, Uuid::now_v7(), "coordinator", at(8))?;
        let position = added.position;
        agenda.push(added);
        Ok(position)
    }

    #[test]
    fn items_go_last_unless_placed_and_a_place_is_taken_once() {
        let mut agenda = Vec::new();
        assert_eq!(add(&mut agenda, item(None, Some(30))), Ok(1));
        assert_eq!(add(&mut agenda, item(Some(5), None)), Ok(5));
        assert_eq!(add(&mut agenda, item(None, None)), Ok(6));
        assert!(matches!(
            add(&mut agenda, item(Some(5), None)),
            Err(MeetingRuleError::State(_))
        ));
        assert_eq!(add(&mut agenda, item(Some(2), None)), Ok(2));
    }

    #[test]
    fn the_minutes_allotted_fit_within_the_meeting() {
        // The café lasts three hours.
        let mut agenda = Vec::new();
        assert!(add(&mut agenda, item(None, Some(120))).is_ok());
        assert!(add(&mut agenda, item(None, Some(60))).is_ok());
        assert!(matches!(
            add(&mut agenda, item(None, Some(1))),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("minutes_allotted"),
                ..
            }))
        ));
        assert!(parse_minutes_allotted(0).is_err());
        assert!(parse_minutes_allotted(481).is_err());
        assert!(parse_position(0).is_err());
        assert!(parse_position(101).is_err());
        assert_eq!(parse_position(100), Ok(100));
    }

    #[test]
    fn a_meeting_is_not_made_shorter_than_its_agenda() {
        // The café lasts three hours; its agenda takes two.
        let mut agenda = Vec::new();
        assert!(add(&mut agenda, item(None, Some(60))).is_ok());
        assert!(add(&mut agenda, item(None, Some(60))).is_ok());
        assert!(add(&mut agenda, item(None, None)).is_ok());
        assert_eq!(minutes_allotted(&agenda), 120);
        let mut meeting = scheduled();
        assert_eq!(meeting.check_agenda_fits(&agenda), Ok(()));
        meeting.ends_at = meeting.starts_at + chrono::TimeDelta::minutes(120);
        assert_eq!(meeting.check_agenda_fits(&agenda), Ok(()));
        meeting.ends_at = meeting.starts_at + chrono::TimeDelta::minutes(119);
        let refused = meeting.check_agenda_fits(&agenda);
        assert_eq!(
            refused.as_ref().err().and_then(|e| e.field),
            Some("ends_at")
        );
        assert!(
            refused
                .err()
                .is_some_and(|e| e.message.contains("120 minutes")),
            "names the agenda's total"
        );
        assert_eq!(meeting.check_agenda_fits(&[]), Ok(()));
    }

    #[test]
    fn a_cancelled_meetings_agenda_is_closed() {
        let cancelled = scheduled()
            .cancel(text("Storm"))
            .unwrap_or_else(|_| unreachable!());
        assert!(matches!(
            cancelled.add_agenda_item(item(None, None), &[], Uuid::nil(), "c", at(8)),
            Err(MeetingRuleError::State(_))
        ));
    }
}
