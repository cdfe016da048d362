//! Wire types of action items: recorded at a meeting (`/api/v1/meetings/{id}/action-items`),
//! followed across meetings (`/api/v1/action-items`).

use chrono::{DateTime, NaiveDate, Utc};
use domain::meeting::action_item::{
    self as rules, ActionItem, ActionItemChanges, NewActionItem, parse_title,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::directory::present;
use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// `open`, `in_progress`, then `done` or `cancelled` (both final); `open` and
    /// `in_progress` may turn into each other.
    ActionStatus => meeting::action_item::ActionStatus { Open, InProgress, Done, Cancelled }
}

/// Records an action item at a meeting: a title, a due date, and an owner and/or a unit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateActionItemRequest {
    #[schema(
        example = "Add the home care phone number to the discharge checklist",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub description: Option<String>,
    /// The owning staff member (existing, active); this and/or `care_unit_id`.
    pub owner_id: Option<Uuid>,
    /// The responsible care unit (existing, active); this and/or `owner_id`.
    pub care_unit_id: Option<Uuid>,
    /// Due date (`YYYY-MM-DD`), not before the meeting's date in Europe/Stockholm.
    #[schema(example = "2027-01-31", pattern = "^(19|20|21)[0-9]{2}-")]
    pub due: NaiveDate,
    /// The improvement project the item feeds (an existing project, else 422 naming this
    /// field).
    pub improvement_project_id: Option<Uuid>,
}

impl CreateActionItemRequest {
    /// The command, or every field that breaks a rule (the due date against the meeting is
    /// the domain's).
    pub fn into_domain(self, today: NaiveDate) -> Result<NewActionItem, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors.plausible_date("due", Some(self.due));
        let title = errors.check("title", parse_title(&self.title, today));
        let description = errors.check_optional("description", self.description.as_deref(), |t| {
            super::meeting_text(t, today)
        });
        let (Some(title), Some(description)) = (title, description) else {
            return Err(errors.into_failure());
        };
        Ok(NewActionItem {
            title,
            description,
            owner_id: self.owner_id,
            care_unit_id: self.care_unit_id,
            due: self.due,
            improvement_project_id: self.improvement_project_id,
        })
    }
}

/// Changes an action item; absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateActionItemRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub care_unit_id: Option<Option<Uuid>>,
    /// Not before the meeting's date.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub due: Option<NaiveDate>,
    /// A transition the status allows (409 otherwise); `done` stamps `completed_at`.
    #[schema(value_type = Option<ActionStatus>)]
    pub status: Option<String>,
    /// The improvement project it feeds (an existing project, else 422); `null` unlinks it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub improvement_project_id: Option<Option<Uuid>>,
}

impl UpdateActionItemRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<ActionItemChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors.plausible_date("due", self.due);
        let title =
            errors.check_optional("title", self.title.as_deref(), |t| parse_title(t, today));
        let description = match self.description {
            None => Some(None),
            Some(None) => Some(Some(None)),
            Some(Some(text)) => errors
                .check("description", super::meeting_text(&text, today))
                .map(|t| Some(Some(t))),
        };
        let status =
            errors.check_optional("status", self.status.as_deref(), rules::ActionStatus::parse);
        let (Some(title), Some(description), Some(status)) = (title, description, status) else {
            return Err(errors.into_failure());
        };
        Ok(ActionItemChanges {
            title,
            description,
            owner_id: self.owner_id,
            care_unit_id: self.care_unit_id,
            due: self.due,
            status,
            improvement_project_id: self.improvement_project_id,
        })
    }
}

/// An action item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionItemResponse {
    pub id: Uuid,
    /// The meeting it was recorded at.
    pub meeting_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// The owning staff member.
    pub owner_id: Option<Uuid>,
    /// The responsible care unit.
    pub care_unit_id: Option<Uuid>,
    /// The organization it is addressed to (an ESTHER café's proposal to management).
    pub organization_id: Option<Uuid>,
    pub due: NaiveDate,
    pub status: ActionStatus,
    /// Whether it is overdue now: still `open` or `in_progress` with `due` before today's
    /// date in Europe/Stockholm.
    pub overdue: bool,
    /// When it became `done` (set by the server).
    pub completed_at: Option<DateTime<Utc>>,
    /// The improvement project it feeds.
    pub improvement_project_id: Option<Uuid>,
    /// The user (token `sub`) who recorded it.
    pub created_by: String,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ActionItemResponse {
    /// The item as shown at `now` (which decides `overdue`).
    pub fn at(item: ActionItem, now: DateTime<Utc>) -> Self {
        let overdue = item.is_overdue(now);
        Self {
            id: item.id,
            meeting_id: item.meeting_id,
            title: item.title.as_str().to_owned(),
            description: item.description.map(|d| d.as_str().to_owned()),
            owner_id: item.owner_id,
            care_unit_id: item.care_unit_id,
            organization_id: item.organization_id,
            due: item.due,
            status: item.status.into(),
            overdue,
            completed_at: item.completed_at,
            improvement_project_id: item.improvement_project_id,
            created_by: item.created_by,
            version: item.version,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// Filters and paging of `GET /api/v1/action-items`, in due order (then id).
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionItemQuery {
    /// Only items this staff member owns.
    pub owner: Option<Uuid>,
    /// Only this care unit's items: assigned to it or owned by one of its staff.
    pub unit: Option<Uuid>,
    /// Only this organization's items: addressed to it (a café's proposal), or assigned to
    /// one of its units or their staff.
    pub organization: Option<Uuid>,
    /// Only the items of this meeting.
    pub meeting: Option<Uuid>,
    /// Only the items feeding this improvement project.
    pub improvement_project: Option<Uuid>,
    /// Only items in this state.
    #[param(value_type = Option<ActionStatus>)]
    pub status: Option<String>,
    /// `true`: only overdue items (still `open` or `in_progress`, due before today in
    /// Europe/Stockholm); `false`: only items that are not overdue.
    pub overdue: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(ActionItemQuery);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_match_the_domains_text() {
        for status in rules::ActionStatus::ALL {
            let wire = serde_json::to_value(ActionStatus::from(*status)).unwrap_or_default();
            assert_eq!(wire.as_str(), Some(status.as_str()));
        }
    }

    #[test]
    fn bad_fields_are_named() {
        let request = UpdateActionItemRequest {
            title: Some(" ".into()),
            status: Some("finished".into()),
            ..Default::default()
        };
        let fields: Vec<String> = request
            .into_domain(chrono::NaiveDate::default())
            .err()
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["title", "status"]);
    }
}
