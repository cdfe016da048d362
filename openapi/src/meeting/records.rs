//! Wire types of what a meeting records: its agenda (`/api/v1/meetings/{id}/agenda-items`),
//! its minutes with their approval, amendments and kept versions
//! (`/api/v1/meetings/{id}/minutes`), and its decisions (`/api/v1/meetings/{id}/decisions`).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::meeting::agenda::{self, AgendaItem, NewAgendaItem};
use domain::meeting::in_stockholm;
use domain::meeting::minutes::{Decision, Minutes, MinutesVersion, parse_minutes_text};
use domain::record::FreeText;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::{meeting_text, parse_instant};
use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

/// Paging of a meeting's agenda, decisions, minutes versions, café lessons and proposals.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeetingRecordQuery {
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(MeetingRecordQuery);

/// Adds an item to a meeting's agenda.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddAgendaItemRequest {
    /// Its place, 1 to 100, not taken by another item (409); absent puts it last.
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "crate::whole_number::optional")]
    pub position: Option<i64>,
    #[schema(
        example = "Esther's story",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    /// The presenting staff member: existing and active.
    pub presenter_id: Option<Uuid>,
    /// Minutes set aside, 1 to 480; all items together fit within the meeting.
    #[schema(minimum = 1, maximum = 480)]
    #[serde(default, deserialize_with = "crate::whole_number::optional")]
    pub minutes_allotted: Option<i64>,
}

impl AddAgendaItemRequest {
    /// The command, or every field that breaks a rule.
    pub fn into_domain(self, today: NaiveDate) -> Result<NewAgendaItem, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let position = self
            .position
            .map(|p| errors.check("position", agenda::parse_position(p)));
        let title = errors.check("title", domain::meeting::parse_title(&self.title, today));
        let minutes_allotted = self
            .minutes_allotted
            .map(|m| errors.check("minutes_allotted", agenda::parse_minutes_allotted(m)));
        let (Some(title), true) = (title, errors.is_empty()) else {
            return Err(errors.into_failure());
        };
        Ok(NewAgendaItem {
            position: position.flatten(),
            title,
            presenter_id: self.presenter_id,
            minutes_allotted: minutes_allotted.flatten(),
        })
    }
}

/// One item of a meeting's agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaItemResponse {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// Its place in the agenda (lists run in this order).
    pub position: u16,
    pub title: String,
    pub presenter_id: Option<Uuid>,
    pub minutes_allotted: Option<u16>,
    /// The user (token `sub`) who added it.
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AgendaItem> for AgendaItemResponse {
    fn from(item: AgendaItem) -> Self {
        Self {
            id: item.id,
            meeting_id: item.meeting_id,
            position: item.position,
            title: item.title.as_str().to_owned(),
            presenter_id: item.presenter_id,
            minutes_allotted: item.minutes_allotted,
            created_by: item.created_by,
            version: item.version,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// Writes the minutes' text: the first draft, or a new text of the draft.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteMinutesRequest {
    #[schema(
        example = "1. Esther's story. 2. Lessons learned. 3. Proposals to management.",
        min_length = 1,
        max_length = 60000,
        pattern = "<free-text>"
    )]
    pub text: String,
}

impl WriteMinutesRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<FreeText, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors
            .check("text", parse_minutes_text(&self.text, today))
            .ok_or_else(|| errors.into_failure())
    }
}

/// Records that a staff member approved the minutes (justering), now.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveMinutesRequest {
    /// The approving staff member: existing and active.
    pub approved_by: Uuid,
}

/// Amends approved minutes: the new text and why.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendMinutesRequest {
    /// The whole text as amended; it must differ from the current one.
    #[schema(min_length = 1, max_length = 60000, pattern = "<free-text>")]
    pub text: String,
    #[schema(
        example = "The host municipality was wrong",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub reason: String,
}

impl AmendMinutesRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<(FreeText, FreeText), ValidationFailed> {
        let mut errors = FieldErrors::default();
        let text = errors.check("text", parse_minutes_text(&self.text, today));
        let reason = errors.check("reason", meeting_text(&self.reason, today));
        text.zip(reason).ok_or_else(|| errors.into_failure())
    }
}

/// `draft` until approved, then `approved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    Draft,
    Approved,
}

/// A meeting's minutes as they read now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesResponse {
    pub meeting_id: Uuid,
    pub text: String,
    pub status: MinutesStatus,
    /// The staff member who approved them.
    pub approved_by: Option<Uuid>,
    /// When, with the Europe/Stockholm offset.
    pub approved_at: Option<DateTime<FixedOffset>>,
    /// The kept version this text is: 0 for a draft, 1 as approved, then one more per
    /// amendment (`GET …/minutes/versions/{number}`).
    pub revision: u32,
    /// The user (token `sub`) who started them.
    pub created_by: String,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Minutes> for MinutesResponse {
    fn from(minutes: Minutes) -> Self {
        let approval = minutes.approval.as_ref();
        Self {
            meeting_id: minutes.meeting_id,
            text: minutes.text.as_str().to_owned(),
            status: if approval.is_some() {
                MinutesStatus::Approved
            } else {
                MinutesStatus::Draft
            },
            approved_by: approval.map(|a| a.staff_id),
            approved_at: approval.map(|a| in_stockholm(a.approved_at)),
            revision: minutes.revision,
            created_by: minutes.created_by,
            version: minutes.version,
            created_at: minutes.created_at,
            updated_at: minutes.updated_at,
        }
    }
}

wire_enum! {
    /// `approved` (version 1: the text as approved) or `amendment` (a later change).
    MinutesVersionKind => meeting::minutes::MinutesVersionKind { Approved, Amendment }
}

/// One kept version of approved minutes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesVersionResponse {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub number: u32,
    pub kind: MinutesVersionKind,
    pub text: String,
    /// Why it was amended (amendments).
    pub reason: Option<String>,
    /// The staff member who approved (version 1).
    pub approved_by: Option<Uuid>,
    /// The user (token `sub`) who recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<MinutesVersion> for MinutesVersionResponse {
    fn from(version: MinutesVersion) -> Self {
        Self {
            id: version.id,
            meeting_id: version.meeting_id,
            number: version.number,
            kind: version.kind.into(),
            text: version.text.as_str().to_owned(),
            reason: version.reason.map(|r| r.as_str().to_owned()),
            approved_by: version.approved_by,
            recorded_by: version.recorded_by,
            recorded_at: in_stockholm(version.recorded_at),
        }
    }
}

/// Records a decision taken at the meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDecisionRequest {
    #[schema(
        example = "The home care service calls the ward before every discharge",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub text: String,
    /// When it was taken: RFC 3339 with an offset, not before the meeting starts nor in the
    /// future.
    #[schema(format = DateTime, example = "2026-12-01T15:30:00+01:00", pattern = "^(19|20|21)[0-9]{2}-")]
    pub decided_at: String,
}

impl RecordDecisionRequest {
    pub fn into_domain(
        self,
        today: NaiveDate,
    ) -> Result<(FreeText, DateTime<Utc>), ValidationFailed> {
        let mut errors = FieldErrors::default();
        let text = errors.check("text", meeting_text(&self.text, today));
        let decided_at = errors.check("decided_at", parse_instant(&self.decided_at));
        text.zip(decided_at).ok_or_else(|| errors.into_failure())
    }
}

/// A decision taken at a meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionResponse {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub text: String,
    /// With the Europe/Stockholm offset.
    pub decided_at: DateTime<FixedOffset>,
    /// The user (token `sub`) who recorded it.
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<Decision> for DecisionResponse {
    fn from(decision: Decision) -> Self {
        Self {
            id: decision.id,
            meeting_id: decision.meeting_id,
            text: decision.text.as_str().to_owned(),
            decided_at: in_stockholm(decision.decided_at),
            recorded_by: decision.recorded_by,
            created_at: decision.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_agenda_field_is_named_at_once() {
        let request = AddAgendaItemRequest {
            position: Some(0),
            title: " ".into(),
            presenter_id: None,
            minutes_allotted: Some(481),
        };
        let fields: Vec<String> = request
            .into_domain(chrono::NaiveDate::default())
            .err()
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["position", "title", "minutes_allotted"]);
    }

    #[test]
    fn the_version_kinds_match_the_domains_text() {
        for kind in domain::meeting::minutes::MinutesVersionKind::ALL {
            let wire = serde_json::to_value(MinutesVersionKind::from(*kind)).unwrap_or_default();
            assert_eq!(wire.as_str(), Some(kind.as_str()));
        }
    }
}
