//! Wire types of improvement coaches (`/api/v1/coaches`) and their training cohorts
//! (`/api/v1/training-cohorts`).

use chrono::{DateTime, NaiveDate, Utc};
use domain::MunicipalityCode;
use domain::improvement::MAX_TITLE_CHARS;
use domain::improvement::training::{
    CoachProfile, Completion, CompletionRule, Enrolment, NewCohort, TrainingCohort,
    check_certified_on,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::{check_date, distinct, municipalities, plausible_date, required_story};
use crate::directory::present;
use crate::validation::{FieldErrors, ValidationFailed};

/// When an enrolled staff member has completed the training.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionRuleBody {
    /// Sessions she must have attended (at most the number of sessions).
    #[schema(example = 6, minimum = 0)]
    #[serde(deserialize_with = "crate::whole_number::required")]
    pub min_sessions_attended: u32,
    /// Whether she must also have presented an improvement project.
    #[schema(example = true)]
    pub project_presentation_required: bool,
}

/// One training day as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", example = "2026-09-03")]
    pub held_on: NaiveDate,
    #[schema(
        example = "Förbättringskunskap och Esther",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub topic: String,
}

/// Sets up a training cohort with its sessions and completion rule.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCohortRequest {
    #[schema(
        example = "ESTHER-coachutbildning",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub programme: String,
    #[schema(
        example = "Höglandet hösten 2026",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub name: String,
    pub completion_rule: CompletionRuleBody,
    /// 1 to 40 sessions.
    #[schema(min_items = 1, max_items = 40)]
    pub sessions: Vec<SessionBody>,
}

impl CreateCohortRequest {
    /// The cohort, checked on `today` (the century of a six-digit personnummer in its texts):
    /// its programme, name and session topics are free text of improvement work, 1 to
    /// [`MAX_TITLE_CHARS`] characters and no personal identity number
    /// ([`domain::improvement::parse_story`]).
    pub fn into_domain(self, today: NaiveDate) -> Result<NewCohort, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let programme = required_story(
            &mut errors,
            "programme",
            &self.programme,
            MAX_TITLE_CHARS,
            today,
        );
        let name = required_story(&mut errors, "name", &self.name, MAX_TITLE_CHARS, today);
        let mut sessions = Vec::with_capacity(self.sessions.len());
        for session in &self.sessions {
            let held_on = errors.check("sessions.held_on", plausible_date(session.held_on));
            let topic = required_story(
                &mut errors,
                "sessions.topic",
                &session.topic,
                MAX_TITLE_CHARS,
                today,
            );
            if let (Some(held_on), Some(topic)) = (held_on, topic) {
                sessions.push((held_on, topic));
            }
        }
        let (Some(programme), Some(name), true) = (programme, name, errors.is_empty()) else {
            return Err(errors.into_failure());
        };
        Ok(NewCohort {
            programme,
            name,
            completion_rule: CompletionRule {
                min_sessions_attended: self.completion_rule.min_sessions_attended,
                project_presentation_required: self.completion_rule.project_presentation_required,
            },
            sessions,
        })
    }
}

/// One training day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub topic: String,
}

/// A training cohort with its sessions in date order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CohortResponse {
    pub id: Uuid,
    pub programme: String,
    pub name: String,
    pub completion_rule: CompletionRuleBody,
    pub sessions: Vec<SessionResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TrainingCohort> for CohortResponse {
    fn from(c: TrainingCohort) -> Self {
        Self {
            id: c.id,
            programme: c.programme.as_str().to_owned(),
            name: c.name.as_str().to_owned(),
            completion_rule: CompletionRuleBody {
                min_sessions_attended: c.completion_rule.min_sessions_attended,
                project_presentation_required: c.completion_rule.project_presentation_required,
            },
            sessions: c
                .sessions
                .into_iter()
                .map(|s| SessionResponse {
                    id: s.id,
                    held_on: s.held_on,
                    topic: s.topic.as_str().to_owned(),
                })
                .collect(),
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Enrols a staff member in a cohort.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// An existing, active staff member.
    pub staff_id: Uuid,
}

/// Who attended a session: the enrolled staff members present (the others were absent).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    /// Enrolled staff members who attended, each once; replaces what was recorded.
    #[schema(max_items = 500)]
    pub attended_staff_ids: Vec<Uuid>,
}

impl AttendanceRequest {
    pub fn into_domain(self) -> Result<Vec<Uuid>, ValidationFailed> {
        let mut errors = FieldErrors::default();
        if self.attended_staff_ids.len() > 500 {
            errors.push("attended_staff_ids", "at most 500 staff members");
            return Err(errors.into_failure());
        }
        let mut seen = Vec::with_capacity(self.attended_staff_ids.len());
        for id in self.attended_staff_ids {
            if seen.contains(&id) {
                errors.push("attended_staff_ids", format!("lists {id} twice"));
            } else {
                seen.push(id);
            }
        }
        if errors.is_empty() {
            Ok(seen)
        } else {
            Err(errors.into_failure())
        }
    }
}

/// Records the improvement project an enrolled staff member presented (`null` withdraws it).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresentationRequest {
    /// Required: the project, or `null` to withdraw it (`{}` withdrew it unasked: trial).
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true)]
    pub improvement_project_id: Option<Uuid>,
}

/// Whether an enrolment meets the cohort's completion rule, and what is missing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompletionResponse {
    pub completed: bool,
    pub sessions_attended: u32,
    pub sessions_required: u32,
    /// Each part of the rule not met, in words (`attended 5 of 8 sessions; at least 6
    /// required`); empty when completed.
    pub missing: Vec<String>,
}

impl From<Completion> for CompletionResponse {
    fn from(c: Completion) -> Self {
        Self {
            completed: c.completed,
            sessions_attended: c.sessions_attended,
            sessions_required: c.sessions_required,
            missing: c.missing,
        }
    }
}

/// A staff member enrolled in a cohort, with her attendance and completion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentResponse {
    pub cohort_id: Uuid,
    pub staff_id: Uuid,
    pub enrolled_at: DateTime<Utc>,
    pub attended_session_ids: Vec<Uuid>,
    pub presented_project_id: Option<Uuid>,
    pub completion: CompletionResponse,
}

impl EnrolmentResponse {
    pub fn new(cohort: &TrainingCohort, enrolment: Enrolment) -> Self {
        let completion = cohort.completion(&enrolment).into();
        Self {
            cohort_id: enrolment.cohort_id,
            staff_id: enrolment.staff_id,
            enrolled_at: enrolment.enrolled_at,
            attended_session_ids: enrolment.attended_session_ids,
            presented_project_id: enrolment.presented_project_id,
            completion,
        }
    }
}

/// A cohort's enrolments in staff id order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentList {
    pub items: Vec<EnrolmentResponse>,
}

/// Paging of `GET /api/v1/training-cohorts`, in creation order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CohortQuery {
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(CohortQuery);

/// Gives a staff member a coach profile.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCoachRequest {
    /// An existing, active staff member without a coach profile.
    pub staff_id: Uuid,
    /// The training cohort she came from.
    pub cohort_id: Option<Uuid>,
    /// When she was certified; absent while in training.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub certified_on: Option<NaiveDate>,
    /// Units she supports, at most 50, each once.
    #[serde(default)]
    #[schema(max_items = 50, value_type = BTreeSet<Uuid>)]
    pub care_unit_ids: Vec<Uuid>,
    /// Municipality codes she supports, at most 50, each once.
    #[serde(default)]
    #[schema(
        max_items = 50,
        example = json!(["0686", "0604"]),
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$",
        value_type = BTreeSet<String>
    )]
    pub municipalities: Vec<String>,
}

/// A coach profile as the request gives it.
pub struct CoachFields {
    pub cohort_id: Option<Uuid>,
    pub certified_on: Option<NaiveDate>,
    pub care_unit_ids: Vec<Uuid>,
    pub municipalities: Vec<MunicipalityCode>,
}

impl CreateCoachRequest {
    /// The profile's fields on `today` (a certification date is today or before).
    pub fn into_domain(self, today: NaiveDate) -> Result<CoachFields, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let certified_on = check_date(&mut errors, "certified_on", self.certified_on).map(|date| {
            date.and_then(|d| errors.check("certified_on", check_certified_on(d, today)))
        });
        let units = distinct(&mut errors, "care_unit_ids", &self.care_unit_ids);
        let codes = municipalities(&mut errors, "municipalities", &self.municipalities);
        let (Some(certified_on), Some(care_unit_ids), Some(municipalities)) =
            (certified_on, units, codes)
        else {
            return Err(errors.into_failure());
        };
        // A date refused above is `None` here, not a failure of its own: never drop it
        // silently (attack review: a certification to come was created as none).
        if !errors.is_empty() {
            return Err(errors.into_failure());
        }
        Ok(CoachFields {
            cohort_id: self.cohort_id,
            certified_on,
            care_unit_ids,
            municipalities,
        })
    }
}

/// Changes a coach profile; absent fields stay, `null` clears, lists are replaced whole.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCoachRequest {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub cohort_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", value_type = Option<NaiveDate>)]
    pub certified_on: Option<Option<NaiveDate>>,
    #[schema(max_items = 50, value_type = Option<BTreeSet<Uuid>>)]
    pub care_unit_ids: Option<Vec<Uuid>>,
    #[schema(max_items = 50, pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$", value_type = Option<BTreeSet<String>>)]
    pub municipalities: Option<Vec<String>>,
}

impl UpdateCoachRequest {
    /// `current` with the changes, or every field that breaks a rule.
    pub fn apply(
        self,
        current: &CoachProfile,
        today: NaiveDate,
    ) -> Result<CoachProfile, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let mut next = current.clone();
        if let Some(cohort) = self.cohort_id {
            next.cohort_id = cohort;
        }
        if let Some(certified_on) = self.certified_on {
            if let Some(Some(date)) = check_date(&mut errors, "certified_on", certified_on) {
                if let Some(date) = errors.check("certified_on", check_certified_on(date, today)) {
                    next.certified_on = Some(date);
                }
            } else if certified_on.is_none() {
                next.certified_on = None;
            }
        }
        if let Some(units) = self.care_unit_ids
            && let Some(units) = distinct(&mut errors, "care_unit_ids", &units)
        {
            next.care_unit_ids = units;
        }
        if let Some(codes) = self.municipalities
            && let Some(codes) = municipalities(&mut errors, "municipalities", &codes)
        {
            next.municipalities = codes;
        }
        if errors.is_empty() {
            Ok(next)
        } else {
            Err(errors.into_failure())
        }
    }
}

/// An improvement coach: a staff member with a coach profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoachResponse {
    pub staff_id: Uuid,
    pub cohort_id: Option<Uuid>,
    /// Whether she is certified.
    pub certified: bool,
    pub certified_on: Option<NaiveDate>,
    pub care_unit_ids: Vec<Uuid>,
    pub municipalities: Vec<String>,
    /// The `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CoachProfile> for CoachResponse {
    fn from(c: CoachProfile) -> Self {
        Self {
            staff_id: c.staff_id,
            cohort_id: c.cohort_id,
            certified: c.certified_on.is_some(),
            certified_on: c.certified_on,
            care_unit_ids: c.care_unit_ids,
            municipalities: c
                .municipalities
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Filters and paging of `GET /api/v1/coaches`, in staff id order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CoachQuery {
    /// Only coaches supporting this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Only coaches supporting this care unit.
    pub unit: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(CoachQuery);
