//! What an ESTHER café keeps: the opening story (Esther's story: someone admitted in the last
//! twelve months, told by herself, a relative or someone retelling it), the lessons learned,
//! and the proposals to management — each addressed to an organization and followed as an
//! action item of that organization.
//!
//! A story and lessons hold no personal identifiers: a text with something that parses as a
//! personnummer or samordningsnummer ([`crate::PersonalNumber::parse`]) is refused.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::action_item::{ActionItem, NewActionItem};
use super::{Meeting, MeetingKind, MeetingRuleError};
use crate::InvalidValue;
use crate::record::FreeText;

/// Longest narrator description ("her daughter", "a district nurse retelling it").
pub const MAX_NARRATOR_CHARS: usize = 200;

crate::string_enum! {
    /// Who told the story.
    pub enum Narrator {
        /// Esther told it herself.
        Esther => "esther",
        /// A relative (närstående) told it herself.
        Relative => "relative",
        /// Someone else retold it (a staff member, a patient representative).
        Other => "other",
    }
}

/// Free text of a café with no personal identity number in it
/// ([`FreeText::parse_without_personal_number`]).
pub fn parse_without_personal_number(
    text: &str,
    max_chars: usize,
    today: NaiveDate,
) -> Result<FreeText, InvalidValue> {
    FreeText::parse_without_personal_number(
        text,
        max_chars,
        today,
        "the café's texts carry no personal identifiers",
    )
}

/// An ESTHER café's opening story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub meeting_id: Uuid,
    pub text: FreeText,
    pub narrator: Narrator,
    /// Who told it, without identifiers ("her daughter").
    pub narrator_description: Option<FreeText>,
    /// The user (token `sub`) who recorded it.
    pub recorded_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The story as told, to record or to replace the recorded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryText {
    pub text: FreeText,
    pub narrator: Narrator,
    pub narrator_description: Option<FreeText>,
}

/// A lesson learned at an ESTHER café.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub text: FreeText,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

/// A proposal to management from an ESTHER café, followed as action item `action_item_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub title: FreeText,
    pub text: FreeText,
    /// The organization whose management it is addressed to.
    pub organization_id: Uuid,
    pub action_item_id: Uuid,
    pub proposed_by: String,
    pub created_at: DateTime<Utc>,
}

/// What it takes to make a proposal: a title (the action item's), the proposal, the
/// organization addressed and when an answer is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub title: FreeText,
    pub text: FreeText,
    pub organization_id: Uuid,
    pub due: NaiveDate,
}

impl Meeting {
    /// Stories, lessons and proposals belong to ESTHER cafés (409 for another kind) that are
    /// not cancelled (409).
    fn check_cafe(&self) -> Result<(), MeetingRuleError> {
        if self.kind != MeetingKind::EstherCafe {
            return Err(MeetingRuleError::State(format!(
                "the meeting is of kind {}; only an ESTHER café (`esther_cafe`) has a story, lessons and proposals",
                self.kind
            )));
        }
        self.check_takes_records("it takes no story, lessons or proposals")
    }

    /// The café's opening story, told once (409 when one is recorded: replace it with
    /// [`Story::retell`]).
    pub fn tell_story(
        &self,
        story: StoryText,
        recorded: Option<&Story>,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Story, MeetingRuleError> {
        self.check_cafe()?;
        if recorded.is_some() {
            return Err(MeetingRuleError::State(
                "the café's story is recorded; replace it with PUT and If-Match".into(),
            ));
        }
        Ok(Story {
            meeting_id: self.id,
            text: story.text,
            narrator: story.narrator,
            narrator_description: story.narrator_description,
            recorded_by: recorded_by.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }

    /// A lesson learned at this café.
    pub fn learn(
        &self,
        text: FreeText,
        id: Uuid,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Lesson, MeetingRuleError> {
        self.check_cafe()?;
        Ok(Lesson {
            id,
            meeting_id: self.id,
            text,
            recorded_by: recorded_by.to_owned(),
            created_at: now,
        })
    }

    /// A proposal to the management of `proposal.organization_id`, and the action item that
    /// follows it: addressed to that organization, `open`, due no earlier than the café's
    /// date (422 `due`).
    pub fn propose(
        &self,
        proposal: NewProposal,
        id: Uuid,
        action_item_id: Uuid,
        proposed_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Proposal, ActionItem), MeetingRuleError> {
        self.check_cafe()?;
        let item = self.new_action_item(
            NewActionItem {
                title: proposal.title.clone(),
                description: Some(proposal.text.clone()),
                owner_id: None,
                care_unit_id: None,
                due: proposal.due,
                improvement_project_id: None,
            },
            Some(proposal.organization_id),
            action_item_id,
            proposed_by,
            now,
        )?;
        Ok((
            Proposal {
                id,
                meeting_id: self.id,
                title: proposal.title,
                text: proposal.text,
                organization_id: proposal.organization_id,
                action_item_id,
                proposed_by: proposed_by.to_owned(),
                created_at: now,
            },
            item,
        ))
    }
}

impl Story {
    /// The story replaced by `story` (the café must still be one, 409).
    pub fn retell(&self, meeting: &Meeting, story: StoryText) -> Result<Story, MeetingRuleError> {
        meeting.check_cafe()?;
        Ok(Story {
            text: story.text,
            narrator: story.narrator,
            narrator_description: story.narrator_description,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::action_item::ActionStatus;
    use crate::meeting::action_item::tests::date;
    use crate::meeting::tests::{at, scheduled, text};

    fn today() -> NaiveDate {
        date(2026, 12, 1)
    }

    fn story() -> StoryText {
        StoryText {
            text: text("She waited three days for home care after discharge."),
            narrator: Narrator::Relative,
            narrator_description: Some(text("her daughter")),
        }
    }

    #[test]
    fn a_text_with_a_personal_number_is_refused_in_any_form() {
        for bad in [
            "Esther (19121212-1212) waited.",
            "Esther, 191212121212, waited.",
            "pnr:121212-1212.",
            "Her number 121212+1212 was read out",
            // A samordningsnummer (day + 60).
            "Her coordination number 19121272-1219.",
            // Glued to other digit groups or letters.
            "19121212-1212-2",
            "ref 7-19121212-1212",
            "x191212121212y",
        ] {
            assert!(
                parse_without_personal_number(bad, 4000, today()).is_err(),
                "{bad}"
            );
        }
        for good in [
            "She was admitted on 2026-03-04 and waited 3 days.",
            "Call 036-123 45 67 for the home care service.",
            "19121212-1213 has a wrong check digit, so it is no personal number.",
            "Ward 12, 1212 metres from home.",
            // Thirteen digits in one group are no number.
            "Invoice 1191212121212.",
        ] {
            assert!(
                parse_without_personal_number(good, 4000, today()).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn a_number_is_found_wherever_it_stands() {
        let number = "19121212-1212";
        for at in 0..=20 {
            let filler = "ab -+ c-".repeat(3);
            let text = format!("{}{number}{}", &filler[..at], &filler[at..]);
            assert!(
                crate::personal_number::contains_personal_number(&text, today()),
                "{text}"
            );
        }
    }

    #[test]
    fn only_a_cafe_has_a_story_told_once_lessons_and_proposals() {
        let cafe = scheduled();
        let told = cafe
            .tell_story(story(), None, "c", at(9))
            .unwrap_or_else(|_| unreachable!());
        assert!(matches!(
            cafe.tell_story(story(), Some(&told), "c", at(9)),
            Err(MeetingRuleError::State(_))
        ));
        let retold = told
            .retell(
                &cafe,
                StoryText {
                    narrator: Narrator::Esther,
                    ..story()
                },
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(retold.narrator, Narrator::Esther);
        let committee = Meeting {
            kind: MeetingKind::OrganizingCommittee,
            ..scheduled()
        };
        assert!(matches!(
            committee.tell_story(story(), None, "c", at(9)),
            Err(MeetingRuleError::State(_))
        ));
        assert!(matches!(
            committee.learn(text("x"), Uuid::nil(), "c", at(9)),
            Err(MeetingRuleError::State(_))
        ));
        assert!(
            cafe.learn(text("Call before discharge"), Uuid::nil(), "c", at(9))
                .is_ok()
        );
    }

    #[test]
    fn a_proposal_is_followed_as_an_action_item_of_the_organization() {
        let organization = Uuid::now_v7();
        let proposal = NewProposal {
            title: text("Home care contact on the ward's discharge checklist"),
            text: text("Add the home care service's phone number to the discharge checklist."),
            organization_id: organization,
            due: date(2027, 3, 1),
        };
        let (made, item) = scheduled()
            .propose(proposal.clone(), Uuid::nil(), Uuid::max(), "c", at(9))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(made.action_item_id, item.id);
        assert_eq!(item.organization_id, Some(organization));
        assert_eq!((item.owner_id, item.care_unit_id), (None, None));
        assert_eq!(item.status, ActionStatus::Open);
        assert_eq!(item.description, Some(proposal.text.clone()));
        let early = NewProposal {
            due: date(2026, 11, 1),
            ..proposal
        };
        assert!(matches!(
            scheduled().propose(early, Uuid::nil(), Uuid::max(), "c", at(9)),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("due"),
                ..
            }))
        ));
    }
}
