//! Wire types of the coordinated individual plan (SIP): the plan, its actions, participants,
//! follow-ups, and its versions.

use chrono::{DateTime, NaiveDate, Utc};
use domain::plan::{CarePlan, PlanAction, PlanDraft, PlanVersion};
use domain::record::FreeText;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::wire_enum::wire_enum;
use crate::{FieldErrors, ValidationFailed};

wire_enum! {
    /// Where an action of the plan stands.
    PlanActionStatus => plan::ActionStatus { Planned, InProgress, Done, Cancelled }
}

wire_enum! {
    /// What made a version: the plan made, revised, or followed up.
    PlanChange => plan::PlanChange { Created, Revised, FollowedUp }
}

/// An intervention: what is done, by which organization, by when.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanActionRequest {
    /// An action the plan already has (on revision); leave out for a new action.
    pub id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub intervention: String,
    /// Who does it: the region, the municipality, or another organization.
    pub responsible_organization_id: Uuid,
    /// Default `planned`.
    #[schema(value_type = Option<PlanActionStatus>)]
    pub status: Option<String>,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub due_date: Option<NaiveDate>,
}

/// Who takes part: units, staff, Esther herself, and relatives (her related contacts' ids;
/// only if she has not objected to relatives taking part).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanParticipants {
    #[serde(default)]
    pub care_units: Vec<Uuid>,
    #[serde(default)]
    pub staff: Vec<Uuid>,
    /// Esther takes part herself.
    #[serde(default)]
    pub person: bool,
    #[serde(default)]
    pub relatives: Vec<Uuid>,
}

/// A plan's content, to make it or to revise it (a revision replaces the content whole). The
/// statutory parts are marked: a request lacking one is answered 422 naming each.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// Statutory: her needs — which interventions are needed.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub needs: Option<String>,
    /// Statutory: her own goals.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub goals: Option<String>,
    /// Statutory: the region or municipality holding overall responsibility.
    pub overall_responsible_organization_id: Option<Uuid>,
    /// Statutory: who does what — at least one action.
    #[serde(default)]
    pub actions: Vec<PlanActionRequest>,
    /// Statutory: at least one unit or staff member.
    pub participants: Option<PlanParticipants>,
    /// Statutory: when the plan is followed up.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub follow_up_date: Option<NaiveDate>,
    /// Why the plan changes (shown in the version history).
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub note: Option<String>,
}

/// A parsed plan request: the complete content, the note, and the action ids it named.
pub struct ParsedPlan {
    pub content: domain::plan::PlanContent,
    pub note: Option<FreeText>,
    /// Ids the request gave its actions: they must be the plan's own.
    pub named_action_ids: Vec<Uuid>,
}

fn parse_statuses(
    errors: &mut FieldErrors,
    field: &str,
    status: Option<&str>,
) -> Option<domain::plan::ActionStatus> {
    match status.map(domain::plan::ActionStatus::parse) {
        None => Some(domain::plan::ActionStatus::Planned),
        Some(Ok(status)) => Some(status),
        Some(Err(e)) => {
            errors.push(field, e.message);
            None
        }
    }
}

fn dedup(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl PlanRequest {
    pub fn into_domain(self) -> Result<ParsedPlan, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let needs = errors
            .check_optional("needs", self.needs.as_deref(), FreeText::parse)
            .flatten();
        let goals = errors
            .check_optional("goals", self.goals.as_deref(), FreeText::parse)
            .flatten();
        let note = errors
            .check_optional("note", self.note.as_deref(), FreeText::parse)
            .flatten();
        let mut actions = Vec::new();
        let mut named_action_ids = Vec::new();
        for (i, action) in self.actions.into_iter().enumerate() {
            let intervention = FreeText::parse(&action.intervention)
                .map_err(|e| errors.push(&format!("actions[{i}].intervention"), e.message))
                .ok();
            let status = parse_statuses(
                &mut errors,
                &format!("actions[{i}].status"),
                action.status.as_deref(),
            );
            errors.plausible_date(&format!("actions[{i}].due_date"), action.due_date);
            if let Some(id) = action.id {
                if named_action_ids.contains(&id) {
                    errors.push(&format!("actions[{i}].id"), "names an action twice");
                }
                named_action_ids.push(id);
            }
            if let (Some(intervention), Some(status)) = (intervention, status) {
                actions.push(PlanAction {
                    id: action.id.unwrap_or_else(Uuid::now_v7),
                    intervention,
                    responsible_organization_id: action.responsible_organization_id,
                    status,
                    due_date: action.due_date,
                });
            }
        }
        errors.plausible_date("follow_up_date", self.follow_up_date);
        let participants = self.participants.unwrap_or_default();
        let draft = PlanDraft {
            needs,
            goals,
            overall_responsible_organization_id: self.overall_responsible_organization_id,
            actions,
            participants: domain::plan::Participants {
                care_units: dedup(participants.care_units),
                staff: dedup(participants.staff),
                person: participants.person,
                relatives: dedup(participants.relatives),
            },
            follow_up_date: self.follow_up_date,
        };
        let complete = draft.complete();
        if let Err(missing) = &complete {
            for part in missing {
                // A part given but invalid already has its own error.
                if !errors.has(part.field) {
                    errors.push(part.field, part.requirement);
                }
            }
        }
        match complete {
            Ok(content) if errors.is_empty() => Ok(ParsedPlan {
                content,
                note,
                named_action_ids,
            }),
            _ => Err(errors.into_failure()),
        }
    }
}

/// A new status for one action, set at a follow-up.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionStatusChange {
    pub action_id: Uuid,
    #[schema(value_type = PlanActionStatus)]
    pub status: String,
}

/// A follow-up held: its evaluation, the actions' new statuses, and the next follow-up date.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRequest {
    /// The day it was held; not in the future.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub held_on: NaiveDate,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub evaluation: String,
    /// Statutory: the plan must always state its next follow-up; on or after `held_on`.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub next_follow_up_date: NaiveDate,
    #[serde(default)]
    pub action_statuses: Vec<ActionStatusChange>,
}

/// A parsed follow-up.
pub struct ParsedFollowUp {
    pub held_on: NaiveDate,
    pub evaluation: FreeText,
    pub next_follow_up_date: NaiveDate,
    pub statuses: Vec<(Uuid, domain::plan::ActionStatus)>,
}

impl FollowUpRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<ParsedFollowUp, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let evaluation = errors.check("evaluation", FreeText::parse(&self.evaluation));
        errors.plausible_date("held_on", Some(self.held_on));
        errors.plausible_date("next_follow_up_date", Some(self.next_follow_up_date));
        if self.held_on > today {
            errors.push("held_on", "must not be in the future");
        }
        if self.next_follow_up_date < self.held_on {
            errors.push("next_follow_up_date", "must be on or after `held_on`");
        }
        let mut statuses = Vec::new();
        for (i, change) in self.action_statuses.into_iter().enumerate() {
            let field = format!("action_statuses[{i}].status");
            if let Some(status) = parse_statuses(&mut errors, &field, Some(&change.status)) {
                statuses.push((change.action_id, status));
            }
        }
        match evaluation {
            Some(evaluation) if errors.is_empty() => Ok(ParsedFollowUp {
                held_on: self.held_on,
                evaluation,
                next_follow_up_date: self.next_follow_up_date,
                statuses,
            }),
            _ => Err(errors.into_failure()),
        }
    }
}

/// An action of the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanActionResponse {
    pub id: Uuid,
    pub intervention: String,
    pub responsible_organization_id: Uuid,
    pub status: PlanActionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
}

/// A follow-up held, with its evaluation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUpResponse {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub evaluation: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One version of a coordinated individual plan, whole. `version` is also its `ETag`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    /// The unit that made the plan.
    pub created_by_unit: Uuid,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub change: PlanChange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub changed_by: String,
    pub changed_by_unit: Uuid,
    pub changed_at: DateTime<Utc>,
    pub needs: String,
    pub goals: String,
    pub overall_responsible_organization_id: Uuid,
    pub actions: Vec<PlanActionResponse>,
    pub participants: PlanParticipants,
    pub follow_up_date: NaiveDate,
    pub follow_ups: Vec<FollowUpResponse>,
}

impl PlanResponse {
    /// `version` of `plan` (its current one or an older one).
    pub fn new(plan: &CarePlan, version: &PlanVersion) -> Self {
        let content = &version.content;
        Self {
            id: plan.id,
            person_id: plan.person_id,
            created_by_unit: plan.created_by_unit,
            created_at: plan.created_at,
            version: version.version,
            change: version.change.into(),
            note: version.note.as_ref().map(ToString::to_string),
            changed_by: version.changed_by.clone(),
            changed_by_unit: version.changed_by_unit,
            changed_at: version.changed_at,
            needs: content.needs.to_string(),
            goals: content.goals.to_string(),
            overall_responsible_organization_id: content.overall_responsible_organization_id,
            actions: content
                .actions
                .iter()
                .map(|a| PlanActionResponse {
                    id: a.id,
                    intervention: a.intervention.to_string(),
                    responsible_organization_id: a.responsible_organization_id,
                    status: a.status.into(),
                    due_date: a.due_date,
                })
                .collect(),
            participants: PlanParticipants {
                care_units: content.participants.care_units.clone(),
                staff: content.participants.staff.clone(),
                person: content.participants.person,
                relatives: content.participants.relatives.clone(),
            },
            follow_up_date: content.follow_up_date,
            follow_ups: content
                .follow_ups
                .iter()
                .map(|f| FollowUpResponse {
                    id: f.id,
                    held_on: f.held_on,
                    evaluation: f.evaluation.to_string(),
                    recorded_by: f.recorded_by.clone(),
                    recorded_at: f.recorded_at,
                })
                .collect(),
        }
    }
}

/// One entry of a plan's version history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanVersionSummary {
    pub version: i64,
    pub change: PlanChange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub changed_by: String,
    pub changed_by_unit: Uuid,
    pub changed_at: DateTime<Utc>,
}

impl From<&PlanVersion> for PlanVersionSummary {
    fn from(v: &PlanVersion) -> Self {
        Self {
            version: v.version,
            change: v.change.into(),
            note: v.note.as_ref().map(ToString::to_string),
            changed_by: v.changed_by.clone(),
            changed_by_unit: v.changed_by_unit,
            changed_at: v.changed_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan whose one action has a status of a meeting's action item: the status is named,
    /// and the plan is not also said to lack an action.
    #[test]
    fn an_action_with_a_wrong_status_is_not_also_a_missing_action() {
        let organization = Uuid::now_v7();
        let request: PlanRequest = serde_json::from_value(serde_json::json!({
            "needs": "Hjälp med mat", "goals": "Bo hemma",
            "overall_responsible_organization_id": organization,
            "actions": [{ "intervention": "Matlåda", "responsible_organization_id": organization,
                          "status": "open" }],
            "participants": { "care_units": [Uuid::now_v7()] },
            "follow_up_date": "2027-01-15",
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let failure = request.into_domain().err();
        let fields: Vec<String> = failure
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["actions[0].status"]);
    }
}
