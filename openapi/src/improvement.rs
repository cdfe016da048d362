//! Wire types of the network's improvement work: improvement projects
//! (`/api/v1/improvement-projects`) and their PDSA cycles. Measures and data points are in
//! [`measure`]; coaches and training cohorts in [`training`].
//!
//! Dates are `YYYY-MM-DD` (the Stockholm calendar day). Free text is refused when it contains
//! a personal number: improvement work holds no patient's data.

use chrono::{DateTime, NaiveDate, Utc};
use domain::improvement::{
    self as rules, Aim, ImprovementProject, MAX_LIST_ITEMS, MAX_STORY_CHARS, MAX_TITLE_CHARS,
    NewPdsaCycle, NewProject, PdsaChanges, PdsaCycle, ProjectChanges, parse_story,
};
use domain::record::FreeText;
use domain::{InvalidValue, MunicipalityCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::directory::present;
use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

pub mod measure;
pub mod training;

wire_enum! {
    /// `idea` → `active` | `abandoned`; `active` → `paused` | `completed` | `abandoned`;
    /// `paused` → `active` | `abandoned`; `completed` and `abandoned` are final.
    ProjectStatus => improvement::ProjectStatus { Idea, Active, Paused, Completed, Abandoned }
}

wire_enum! {
    /// A PDSA cycle's Act: `adopt` the change (its change point splits the charts), `adapt`
    /// it and test again, or `abandon` it.
    PdsaAct => improvement::PdsaAct { Adopt, Adapt, Abandon }
}

/// A date within the years the API accepts ([`domain::plausible::date`]), or the field's error.
pub fn plausible_date(date: NaiveDate) -> Result<NaiveDate, InvalidValue> {
    domain::plausible::date(date)
}

/// Checks an optional date, naming `field`.
pub(crate) fn check_date(
    errors: &mut FieldErrors,
    field: &'static str,
    date: Option<NaiveDate>,
) -> Option<Option<NaiveDate>> {
    match date {
        None => Some(None),
        Some(date) => errors.check(field, plausible_date(date)).map(Some),
    }
}

/// Parses a story field (problem, note, definition) of at most `max` characters.
pub(crate) fn story(
    errors: &mut FieldErrors,
    field: &'static str,
    text: Option<&str>,
    max: usize,
    today: NaiveDate,
) -> Option<Option<FreeText>> {
    errors.check_optional(field, text, |t| parse_story(t, max, today))
}

/// Parses a required story field.
pub(crate) fn required_story(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    max: usize,
    today: NaiveDate,
) -> Option<FreeText> {
    errors.check(field, parse_story(text, max, today))
}

/// Parses a field that may be absent (`None`), `null` (`Some(None)`) or a story.
pub(crate) fn nullable_story(
    errors: &mut FieldErrors,
    field: &'static str,
    value: Option<Option<String>>,
    max: usize,
    today: NaiveDate,
) -> Option<Option<Option<FreeText>>> {
    match value {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(text)) => errors
            .check(field, parse_story(&text, max, today))
            .map(|v| Some(Some(v))),
    }
}

/// A list of at most [`MAX_LIST_ITEMS`] distinct items, in the order given.
pub(crate) fn distinct<T: PartialEq + Clone>(
    errors: &mut FieldErrors,
    field: &'static str,
    items: &[T],
) -> Option<Vec<T>> {
    if items.len() > MAX_LIST_ITEMS {
        errors.push(field, format!("at most {MAX_LIST_ITEMS} items"));
        return None;
    }
    let mut seen: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if seen.contains(item) {
            errors.push(field, "lists an item twice");
            return None;
        }
        seen.push(item.clone());
    }
    Some(seen)
}

/// Municipality codes, each valid and listed once.
pub(crate) fn municipalities(
    errors: &mut FieldErrors,
    field: &'static str,
    codes: &[String],
) -> Option<Vec<MunicipalityCode>> {
    let mut parsed = Vec::with_capacity(codes.len());
    for code in codes {
        parsed.push(errors.check(field, MunicipalityCode::parse(code))?);
    }
    distinct(errors, field, &parsed)
}

/// Change ideas: each a title-length story.
fn change_ideas(
    errors: &mut FieldErrors,
    ideas: &[String],
    today: NaiveDate,
) -> Option<Vec<FreeText>> {
    let mut parsed = Vec::with_capacity(ideas.len());
    for idea in ideas {
        parsed.push(required_story(
            errors,
            "change_ideas",
            idea,
            MAX_TITLE_CHARS,
            today,
        )?);
    }
    distinct(errors, "change_ideas", &parsed)
}

/// A project's aim: what will improve, by how much, by when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AimBody {
    /// What will improve.
    #[schema(
        example = "Återinskrivningar inom 30 dagar efter utskrivning",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub what: String,
    /// By how much.
    #[schema(
        example = "från 18 % till 12 %",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub how_much: String,
    /// By when.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", example = "2027-06-30")]
    pub by_when: NaiveDate,
}

impl AimBody {
    fn into_domain(self, errors: &mut FieldErrors, today: NaiveDate) -> Option<Aim> {
        let what = required_story(errors, "aim.what", &self.what, MAX_TITLE_CHARS, today);
        let how_much = required_story(
            errors,
            "aim.how_much",
            &self.how_much,
            MAX_TITLE_CHARS,
            today,
        );
        let by_when = errors.check("aim.by_when", plausible_date(self.by_when));
        Some(Aim {
            what: what?,
            how_much: how_much?,
            by_when: by_when?,
        })
    }
}

/// Starts an improvement project.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProjectRequest {
    #[schema(
        example = "Trygg hemgång i Eksjö",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    /// The problem the team sees.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub problem: Option<String>,
    pub aim: AimBody,
    /// What matters to Esther that the project serves.
    #[schema(
        example = "Att få komma hem och känna sig trygg",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub what_matters: Option<String>,
    /// Care units the project works in (existing, active), at most 50, each once.
    #[serde(default)]
    #[schema(max_items = 50, value_type = BTreeSet<Uuid>)]
    pub care_unit_ids: Vec<Uuid>,
    /// Municipality codes, at most 50, each once.
    #[serde(default)]
    #[schema(
        max_items = 50,
        example = json!(["0686"]),
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$",
        value_type = BTreeSet<String>
    )]
    pub municipalities: Vec<String>,
    /// The supporting coach: a staff member with a coach profile.
    pub coach_id: Option<Uuid>,
    /// Staff members of the team (existing, active), at most 50, each once.
    #[serde(default)]
    #[schema(max_items = 50, value_type = BTreeSet<Uuid>)]
    pub team_member_ids: Vec<Uuid>,
    /// `idea` when absent.
    #[schema(value_type = Option<ProjectStatus>)]
    pub status: Option<String>,
    /// Set to today when the project starts beyond `idea` without one.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub start_on: Option<NaiveDate>,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub end_on: Option<NaiveDate>,
    /// Ideas the team may test in PDSA cycles, each 1 to 200 characters and listed once, at
    /// most 50.
    #[serde(default)]
    #[schema(
        max_items = 50,
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>",
        value_type = BTreeSet<String>
    )]
    pub change_ideas: Vec<String>,
}

impl CreateProjectRequest {
    /// The command, or every field that breaks a rule.
    pub fn into_domain(self, today: NaiveDate) -> Result<NewProject, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let title = required_story(&mut errors, "title", &self.title, MAX_TITLE_CHARS, today);
        let problem = story(
            &mut errors,
            "problem",
            self.problem.as_deref(),
            MAX_STORY_CHARS,
            today,
        );
        let aim = self.aim.into_domain(&mut errors, today);
        let what_matters = story(
            &mut errors,
            "what_matters",
            self.what_matters.as_deref(),
            MAX_STORY_CHARS,
            today,
        );
        let care_unit_ids = distinct(&mut errors, "care_unit_ids", &self.care_unit_ids);
        let municipalities = municipalities(&mut errors, "municipalities", &self.municipalities);
        let team_member_ids = distinct(&mut errors, "team_member_ids", &self.team_member_ids);
        let status = errors.check_optional(
            "status",
            self.status.as_deref(),
            rules::ProjectStatus::parse,
        );
        let start_on = check_date(&mut errors, "start_on", self.start_on);
        let end_on = check_date(&mut errors, "end_on", self.end_on);
        let change_ideas = change_ideas(&mut errors, &self.change_ideas, today);
        let (
            Some(title),
            Some(problem),
            Some(aim),
            Some(what_matters),
            Some(care_unit_ids),
            Some(municipalities),
            Some(team_member_ids),
            Some(status),
            Some(start_on),
            Some(end_on),
            Some(change_ideas),
        ) = (
            title,
            problem,
            aim,
            what_matters,
            care_unit_ids,
            municipalities,
            team_member_ids,
            status,
            start_on,
            end_on,
            change_ideas,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(NewProject {
            title,
            problem,
            aim,
            what_matters,
            care_unit_ids,
            municipalities,
            coach_id: self.coach_id,
            team_member_ids,
            status,
            start_on,
            end_on,
            change_ideas,
        })
    }
}

/// Changes a project; absent fields stay, `null` clears an optional one, lists are replaced
/// whole.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProjectRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub problem: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub aim_what: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub aim_how_much: Option<String>,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub aim_by_when: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub what_matters: Option<Option<String>>,
    #[schema(max_items = 50, value_type = Option<BTreeSet<Uuid>>)]
    pub care_unit_ids: Option<Vec<Uuid>>,
    #[schema(max_items = 50, pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$", value_type = Option<BTreeSet<String>>)]
    pub municipalities: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub coach_id: Option<Option<Uuid>>,
    #[schema(max_items = 50, value_type = Option<BTreeSet<Uuid>>)]
    pub team_member_ids: Option<Vec<Uuid>>,
    /// Moves along the allowed transitions only (409 otherwise).
    #[schema(value_type = Option<ProjectStatus>)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", value_type = Option<NaiveDate>)]
    pub start_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", value_type = Option<NaiveDate>)]
    pub end_on: Option<Option<NaiveDate>>,
    #[schema(
        max_items = 50,
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>",
        value_type = Option<BTreeSet<String>>
    )]
    pub change_ideas: Option<Vec<String>>,
}

/// Checks a date that may be absent, `null` or a date.
fn nullable_date(
    errors: &mut FieldErrors,
    field: &'static str,
    value: Option<Option<NaiveDate>>,
) -> Option<Option<Option<NaiveDate>>> {
    match value {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(date)) => errors
            .check(field, plausible_date(date))
            .map(|d| Some(Some(d))),
    }
}

/// Parses an optional list with `parse`; absent stays absent.
fn optional_list<T, U>(
    value: Option<Vec<T>>,
    parse: impl FnOnce(&[T]) -> Option<Vec<U>>,
) -> Option<Option<Vec<U>>> {
    match value {
        None => Some(None),
        Some(items) => parse(&items).map(Some),
    }
}

impl UpdateProjectRequest {
    /// The changes, or every field that breaks a rule; the status transition and the dates
    /// together are [`ImprovementProject::apply`]'s.
    pub fn into_domain(self, today: NaiveDate) -> Result<ProjectChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let e = &mut errors;
        let title = e.check_optional("title", self.title.as_deref(), |t| {
            parse_story(t, MAX_TITLE_CHARS, today)
        });
        let problem = nullable_story(e, "problem", self.problem, MAX_STORY_CHARS, today);
        let aim_what = e.check_optional("aim_what", self.aim_what.as_deref(), |t| {
            parse_story(t, MAX_TITLE_CHARS, today)
        });
        let aim_how_much = e.check_optional("aim_how_much", self.aim_how_much.as_deref(), |t| {
            parse_story(t, MAX_TITLE_CHARS, today)
        });
        let aim_by_when = check_date(e, "aim_by_when", self.aim_by_when);
        let what_matters =
            nullable_story(e, "what_matters", self.what_matters, MAX_STORY_CHARS, today);
        let care_unit_ids =
            optional_list(self.care_unit_ids, |ids| distinct(e, "care_unit_ids", ids));
        let municipalities = optional_list(self.municipalities, |codes| {
            municipalities(e, "municipalities", codes)
        });
        let team_member_ids = optional_list(self.team_member_ids, |ids| {
            distinct(e, "team_member_ids", ids)
        });
        let status = e.check_optional(
            "status",
            self.status.as_deref(),
            rules::ProjectStatus::parse,
        );
        let start_on = nullable_date(e, "start_on", self.start_on);
        let end_on = nullable_date(e, "end_on", self.end_on);
        let change_ideas = optional_list(self.change_ideas, |ideas| change_ideas(e, ideas, today));
        let (
            Some(title),
            Some(problem),
            Some(aim_what),
            Some(aim_how_much),
            Some(aim_by_when),
            Some(what_matters),
            Some(care_unit_ids),
            Some(municipalities),
            Some(team_member_ids),
            Some(status),
            Some(start_on),
            Some(end_on),
            Some(change_ideas),
        ) = (
            title,
            problem,
            aim_what,
            aim_how_much,
            aim_by_when,
            what_matters,
            care_unit_ids,
            municipalities,
            team_member_ids,
            status,
            start_on,
            end_on,
            change_ideas,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(ProjectChanges {
            title,
            problem,
            aim_what,
            aim_how_much,
            aim_by_when,
            what_matters,
            care_unit_ids,
            municipalities,
            coach_id: self.coach_id,
            team_member_ids,
            status,
            start_on,
            end_on,
            change_ideas,
        })
    }
}

/// A project's aim.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AimResponse {
    pub what: String,
    pub how_much: String,
    pub by_when: NaiveDate,
}

/// An improvement project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectResponse {
    pub id: Uuid,
    pub title: String,
    pub problem: Option<String>,
    pub aim: AimResponse,
    /// What matters to Esther that the project serves.
    pub what_matters: Option<String>,
    pub care_unit_ids: Vec<Uuid>,
    /// Municipality codes.
    pub municipalities: Vec<String>,
    pub coach_id: Option<Uuid>,
    pub team_member_ids: Vec<Uuid>,
    pub status: ProjectStatus,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub change_ideas: Vec<String>,
    /// The user (token `sub`) who started it.
    pub created_by: String,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn texts(items: &[FreeText]) -> Vec<String> {
    items.iter().map(|t| t.as_str().to_owned()).collect()
}

fn text(value: Option<FreeText>) -> Option<String> {
    value.map(|t| t.as_str().to_owned())
}

impl From<ImprovementProject> for ProjectResponse {
    fn from(p: ImprovementProject) -> Self {
        Self {
            id: p.id,
            title: p.title.as_str().to_owned(),
            problem: text(p.problem),
            aim: AimResponse {
                what: p.aim.what.as_str().to_owned(),
                how_much: p.aim.how_much.as_str().to_owned(),
                by_when: p.aim.by_when,
            },
            what_matters: text(p.what_matters),
            care_unit_ids: p.care_unit_ids,
            municipalities: p
                .municipalities
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
            coach_id: p.coach_id,
            team_member_ids: p.team_member_ids,
            status: p.status.into(),
            start_on: p.start_on,
            end_on: p.end_on,
            change_ideas: texts(&p.change_ideas),
            created_by: p.created_by,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// An improvement project with its PDSA cycles (in start order), its measures, the change
/// points its charts split at by default (the change dates of its adopted cycles) and the
/// action items of the network's meetings that feed it (in due order).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectDetailResponse {
    #[serde(flatten)]
    pub project: ProjectResponse,
    pub pdsa_cycles: Vec<PdsaCycleResponse>,
    pub measures: Vec<measure::MeasureResponse>,
    pub change_points: Vec<NaiveDate>,
    /// Action items linked to the project (`improvement_project_id`), in due order; also
    /// `GET /api/v1/action-items?improvement_project=…`, paged.
    pub action_items: Vec<crate::meeting::action_item::ActionItemResponse>,
}

/// Filters and paging of `GET /api/v1/improvement-projects`, in creation order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only projects in this status.
    #[param(value_type = Option<ProjectStatus>)]
    pub status: Option<String>,
    /// Only projects in this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Only projects working in this care unit.
    pub unit: Option<Uuid>,
    /// Only projects this staff member coaches.
    pub coach: Option<Uuid>,
    /// Only projects with this staff member on the team.
    pub team_member: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(ProjectQuery);

/// Plans a PDSA cycle: the change to test and the prediction.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePdsaCycleRequest {
    /// The change being tested.
    #[schema(
        example = "Telefonsamtal dagen efter hemgång",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub title: String,
    /// Plan: what, who, where, when.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub plan: String,
    /// Plan: what the team predicts will happen.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub prediction: String,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub starts_on: NaiveDate,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub ends_on: Option<NaiveDate>,
    /// From when the change is in place: a change point on the project's charts once the
    /// cycle is adopted.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub change_point_on: Option<NaiveDate>,
}

impl CreatePdsaCycleRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<NewPdsaCycle, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let e = &mut errors;
        let title = required_story(e, "title", &self.title, MAX_TITLE_CHARS, today);
        let plan = required_story(e, "plan", &self.plan, MAX_STORY_CHARS, today);
        let prediction = required_story(e, "prediction", &self.prediction, MAX_STORY_CHARS, today);
        let starts_on = e.check("starts_on", plausible_date(self.starts_on));
        let ends_on = check_date(e, "ends_on", self.ends_on);
        let change_point_on = check_date(e, "change_point_on", self.change_point_on);
        let (
            Some(title),
            Some(plan),
            Some(prediction),
            Some(starts_on),
            Some(ends_on),
            Some(change_point_on),
        ) = (title, plan, prediction, starts_on, ends_on, change_point_on)
        else {
            return Err(errors.into_failure());
        };
        Ok(NewPdsaCycle {
            title,
            plan,
            prediction,
            starts_on,
            ends_on,
            change_point_on,
        })
    }
}

/// Records a cycle's Do, Study and Act as it goes; absent fields stay, `null` clears.
/// Study needs Do, Act needs Study; a decided Act stands.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePdsaCycleRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub plan: Option<String>,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub prediction: Option<String>,
    /// Do: what happened.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub do_notes: Option<Option<String>>,
    /// Study: the results against the prediction.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub study: Option<Option<String>>,
    /// Act.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<PdsaAct>)]
    pub act: Option<Option<String>>,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub starts_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", value_type = Option<NaiveDate>)]
    pub change_point_on: Option<Option<NaiveDate>>,
}

impl UpdatePdsaCycleRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<PdsaChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let e = &mut errors;
        let title = e.check_optional("title", self.title.as_deref(), |t| {
            parse_story(t, MAX_TITLE_CHARS, today)
        });
        let plan = e.check_optional("plan", self.plan.as_deref(), |t| {
            parse_story(t, MAX_STORY_CHARS, today)
        });
        let prediction = e.check_optional("prediction", self.prediction.as_deref(), |t| {
            parse_story(t, MAX_STORY_CHARS, today)
        });
        let do_notes = nullable_story(e, "do_notes", self.do_notes, MAX_STORY_CHARS, today);
        let study = nullable_story(e, "study", self.study, MAX_STORY_CHARS, today);
        let act = match self.act {
            None => Some(None),
            Some(None) => Some(Some(None)),
            Some(Some(act)) => e
                .check("act", rules::PdsaAct::parse(&act))
                .map(|a| Some(Some(a))),
        };
        let starts_on = check_date(e, "starts_on", self.starts_on);
        let ends_on = nullable_date(e, "ends_on", self.ends_on);
        let change_point_on = nullable_date(e, "change_point_on", self.change_point_on);
        let (
            Some(title),
            Some(plan),
            Some(prediction),
            Some(do_notes),
            Some(study),
            Some(act),
            Some(starts_on),
            Some(ends_on),
            Some(change_point_on),
        ) = (
            title,
            plan,
            prediction,
            do_notes,
            study,
            act,
            starts_on,
            ends_on,
            change_point_on,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(PdsaChanges {
            title,
            plan,
            prediction,
            do_notes,
            study,
            act,
            starts_on,
            ends_on,
            change_point_on,
        })
    }
}

/// A PDSA cycle.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PdsaCycleResponse {
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub plan: String,
    pub prediction: String,
    pub do_notes: Option<String>,
    pub study: Option<String>,
    pub act: Option<PdsaAct>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub change_point_on: Option<NaiveDate>,
    /// The `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PdsaCycle> for PdsaCycleResponse {
    fn from(c: PdsaCycle) -> Self {
        Self {
            id: c.id,
            project_id: c.project_id,
            title: c.title.as_str().to_owned(),
            plan: c.plan.as_str().to_owned(),
            prediction: c.prediction.as_str().to_owned(),
            do_notes: text(c.do_notes),
            study: text(c.study),
            act: c.act.map(Into::into),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            change_point_on: c.change_point_on,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A project's PDSA cycles in start order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PdsaCycleList {
    pub items: Vec<PdsaCycleResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::wire_enum::wire_text;

    #[test]
    fn wire_enums_match_the_domains_text() {
        for status in rules::ProjectStatus::ALL {
            assert_eq!(wire_text(ProjectStatus::from(*status)), status.as_str());
        }
        for act in rules::PdsaAct::ALL {
            assert_eq!(wire_text(PdsaAct::from(*act)), act.as_str());
        }
    }
}
