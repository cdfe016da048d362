//! Wire types of an ESTHER café's story (`/api/v1/meetings/{id}/story`), lessons learned
//! (`…/lessons`) and proposals to management (`…/proposals`).

use chrono::{DateTime, NaiveDate, Utc};
use domain::meeting::cafe::{
    self as rules, Lesson, MAX_NARRATOR_CHARS, NewProposal, Proposal, Story, StoryText,
    parse_without_personal_number,
};
use domain::record::MAX_TEXT_CHARS;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// Who told the story: `esther` (she told it herself), `relative` (a relative told it
    /// herself) or `other` (someone retold it).
    Narrator => meeting::cafe::Narrator { Esther, Relative, Other }
}

/// The café's opening story: no personal identifiers (a text containing a personnummer or
/// samordningsnummer is refused, 422).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoryRequest {
    #[schema(
        example = "She waited three days for home care after discharge.",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub text: String,
    #[schema(value_type = Narrator)]
    pub narrator: String,
    /// Who told it, without identifiers.
    #[schema(
        example = "her daughter",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub narrator_description: Option<String>,
}

impl StoryRequest {
    /// The story, or every field that breaks a rule; `today` (Europe/Stockholm) decides the
    /// century of 10-digit personal numbers.
    pub fn into_domain(self, today: NaiveDate) -> Result<StoryText, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let text = errors.check(
            "text",
            parse_without_personal_number(&self.text, MAX_TEXT_CHARS, today),
        );
        let narrator = errors.check("narrator", rules::Narrator::parse(&self.narrator));
        let narrator_description = errors.check_optional(
            "narrator_description",
            self.narrator_description.as_deref(),
            |d| parse_without_personal_number(d, MAX_NARRATOR_CHARS, today),
        );
        let (Some(text), Some(narrator), Some(narrator_description)) =
            (text, narrator, narrator_description)
        else {
            return Err(errors.into_failure());
        };
        Ok(StoryText {
            text,
            narrator,
            narrator_description,
        })
    }
}

/// An ESTHER café's opening story.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryResponse {
    pub meeting_id: Uuid,
    pub text: String,
    pub narrator: Narrator,
    pub narrator_description: Option<String>,
    /// The user (token `sub`) who recorded it.
    pub recorded_by: String,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Story> for StoryResponse {
    fn from(story: Story) -> Self {
        Self {
            meeting_id: story.meeting_id,
            text: story.text.as_str().to_owned(),
            narrator: story.narrator.into(),
            narrator_description: story.narrator_description.map(|d| d.as_str().to_owned()),
            recorded_by: story.recorded_by,
            version: story.version,
            created_at: story.created_at,
            updated_at: story.updated_at,
        }
    }
}

/// A lesson learned at the café; no personal identifiers.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonRequest {
    #[schema(
        example = "Nobody told the home care service she was coming home.",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub text: String,
}

impl LessonRequest {
    pub fn into_domain(
        self,
        today: NaiveDate,
    ) -> Result<domain::record::FreeText, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors
            .check(
                "text",
                parse_without_personal_number(&self.text, MAX_TEXT_CHARS, today),
            )
            .ok_or_else(|| errors.into_failure())
    }
}

/// A lesson learned at an ESTHER café.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonResponse {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub text: String,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<Lesson> for LessonResponse {
    fn from(lesson: Lesson) -> Self {
        Self {
            id: lesson.id,
            meeting_id: lesson.meeting_id,
            text: lesson.text.as_str().to_owned(),
            recorded_by: lesson.recorded_by,
            created_at: lesson.created_at,
        }
    }
}

/// A proposal to an organization's management; it is followed as an action item addressed
/// to that organization.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// Short; also the action item's title.
    #[schema(
        example = "Home care contact on the discharge checklist",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    /// The proposal; also the action item's description. No personal identifiers.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub text: String,
    /// The organization whose management it is addressed to: existing and active.
    pub organization_id: Uuid,
    /// When an answer is due (`YYYY-MM-DD`), not before the café's date.
    #[schema(example = "2027-03-01", pattern = "^(19|20|21)[0-9]{2}-")]
    pub due: NaiveDate,
}

impl ProposalRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<NewProposal, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors.plausible_date("due", Some(self.due));
        let title = errors.check(
            "title",
            parse_without_personal_number(&self.title, domain::meeting::MAX_TITLE_CHARS, today),
        );
        let text = errors.check(
            "text",
            parse_without_personal_number(&self.text, MAX_TEXT_CHARS, today),
        );
        let (Some(title), Some(text)) = (title, text) else {
            return Err(errors.into_failure());
        };
        Ok(NewProposal {
            title,
            text,
            organization_id: self.organization_id,
            due: self.due,
        })
    }
}

/// A proposal to management from an ESTHER café.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalResponse {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub title: String,
    pub text: String,
    pub organization_id: Uuid,
    /// The action item that follows it (`GET /api/v1/action-items/{id}`).
    pub action_item_id: Uuid,
    pub proposed_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<Proposal> for ProposalResponse {
    fn from(proposal: Proposal) -> Self {
        Self {
            id: proposal.id,
            meeting_id: proposal.meeting_id,
            title: proposal.title.as_str().to_owned(),
            text: proposal.text.as_str().to_owned(),
            organization_id: proposal.organization_id,
            action_item_id: proposal.action_item_id,
            proposed_by: proposal.proposed_by,
            created_at: proposal.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personal_number_in_any_story_field_is_named() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let request = StoryRequest {
            text: "Esther 19121212-1212 waited".into(),
            narrator: "neighbour".into(),
            narrator_description: Some("daughter of 121212-1212".into()),
        };
        let fields: Vec<String> = request
            .into_domain(today)
            .err()
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["text", "narrator", "narrator_description"]);
        for narrator in rules::Narrator::ALL {
            let wire = serde_json::to_value(Narrator::from(*narrator)).unwrap_or_default();
            assert_eq!(wire.as_str(), Some(narrator.as_str()));
        }
    }
}
