//! The network's improvement work: improvement projects with their aim, team and status, and
//! their PDSA cycles (Plan–Do–Study–Act, Langley et al., *The Improvement Guide*, 2nd ed. 2009).
//! Measures and their data points are in [`measure`]; coaches and their training in
//! [`training`].
//!
//! Improvement work holds no personal data of patients: it is about how the care chain works,
//! not about whom it cares for. Free text that a team writes (a problem, "what matters to
//! Esther", a PDSA note, a data point's annotation) is refused when it contains something that
//! parses as a Swedish personal number ([`parse_story`]).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::record::FreeText;
use crate::{InvalidValue, MunicipalityCode, Role};

pub mod measure;
pub mod training;

/// Roles that read improvement projects, PDSA cycles, coaches and cohorts: the network's staff
/// and machine clients. Projects name staff (coach, team, enrolled coaches), so analysts, who
/// read aggregates only, do not read them (they read measures: [`AGGREGATE_READERS`]).
pub const IMPROVEMENT_READERS: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Coach,
    Role::Integration,
];

/// Roles that write improvement work: coaches run the projects, coordinators and admins too.
pub const IMPROVEMENT_WRITERS: &[Role] = &[Role::Admin, Role::Coordinator, Role::Coach];

/// Roles that read a measure, its data points and its chart: every staff role and analysts
/// (a measure's series is an aggregate: counts and proportions, never a person).
pub const AGGREGATE_READERS: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Coach,
    Role::Integration,
    Role::Analyst,
];

/// Longest title (a project, a PDSA cycle, a measure's name).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest story field (a problem, a PDSA note, an operational definition).
pub const MAX_STORY_CHARS: usize = 4_000;
/// Most change ideas, units, municipalities or team members on one project.
pub const MAX_LIST_ITEMS: usize = 50;

pub use crate::personal_number::contains_personal_number;

/// Free text of improvement work: trimmed, 1 to `max` characters, and no personal number in
/// it (improvement work holds no patient's data; the message says so).
pub fn parse_story(text: &str, max: usize, today: NaiveDate) -> Result<FreeText, InvalidValue> {
    FreeText::parse_without_personal_number(
        text,
        max,
        today,
        "improvement work holds no patient's data — describe the situation without identifying anyone",
    )
}

crate::string_enum! {
    /// Where an improvement project stands.
    pub enum ProjectStatus {
        /// Proposed, not yet started.
        Idea => "idea",
        /// Being worked on: PDSA cycles running.
        Active => "active",
        /// Put on hold; may become active again.
        Paused => "paused",
        /// Finished; the aim reached or the work handed over. Final.
        Completed => "completed",
        /// Given up. Final.
        Abandoned => "abandoned",
    }
}

impl ProjectStatus {
    /// The allowed transitions: idea → active | abandoned; active → paused | completed |
    /// abandoned; paused → active | abandoned; completed and abandoned are final. Staying in
    /// the same status is always allowed.
    pub fn may_become(self, next: ProjectStatus) -> bool {
        use ProjectStatus::*;
        self == next
            || matches!(
                (self, next),
                (Idea, Active | Abandoned)
                    | (Active, Paused | Completed | Abandoned)
                    | (Paused, Active | Abandoned)
            )
    }

    /// Whether the project is closed: no new PDSA cycles, measures or data points.
    pub fn is_closed(self) -> bool {
        matches!(self, ProjectStatus::Completed | ProjectStatus::Abandoned)
    }
}

/// A project's aim, as the Model for Improvement states it: what will improve, by how much,
/// by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aim {
    pub what: FreeText,
    pub how_much: FreeText,
    pub by_when: NaiveDate,
}

/// An improvement project of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImprovementProject {
    pub id: Uuid,
    pub title: FreeText,
    pub problem: Option<FreeText>,
    pub aim: Aim,
    /// What matters to Esther that the project serves.
    pub what_matters: Option<FreeText>,
    pub care_unit_ids: Vec<Uuid>,
    pub municipalities: Vec<MunicipalityCode>,
    /// The coach (a staff member) supporting the team.
    pub coach_id: Option<Uuid>,
    /// Staff members of the team.
    pub team_member_ids: Vec<Uuid>,
    pub status: ProjectStatus,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub change_ideas: Vec<FreeText>,
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to start an improvement project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    pub title: FreeText,
    pub problem: Option<FreeText>,
    pub aim: Aim,
    pub what_matters: Option<FreeText>,
    pub care_unit_ids: Vec<Uuid>,
    pub municipalities: Vec<MunicipalityCode>,
    pub coach_id: Option<Uuid>,
    pub team_member_ids: Vec<Uuid>,
    /// `idea` when absent.
    pub status: Option<ProjectStatus>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub change_ideas: Vec<FreeText>,
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectChanges {
    pub title: Option<FreeText>,
    pub problem: Option<Option<FreeText>>,
    pub aim_what: Option<FreeText>,
    pub aim_how_much: Option<FreeText>,
    pub aim_by_when: Option<NaiveDate>,
    pub what_matters: Option<Option<FreeText>>,
    pub care_unit_ids: Option<Vec<Uuid>>,
    pub municipalities: Option<Vec<MunicipalityCode>>,
    pub coach_id: Option<Option<Uuid>>,
    pub team_member_ids: Option<Vec<Uuid>>,
    pub status: Option<ProjectStatus>,
    pub start_on: Option<Option<NaiveDate>>,
    pub end_on: Option<Option<NaiveDate>>,
    pub change_ideas: Option<Vec<FreeText>>,
}

/// Why a change to improvement work is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImprovementRuleError {
    /// A field breaks a rule (422), naming the field.
    #[error("{0}")]
    Invalid(InvalidValue),
    /// The resource is not in a state that allows the change (409).
    #[error("{0}")]
    State(String),
}

impl From<InvalidValue> for ImprovementRuleError {
    fn from(value: InvalidValue) -> Self {
        ImprovementRuleError::Invalid(value)
    }
}

/// The end of a period must not come before its start.
fn check_period(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    end_field: &'static str,
) -> Result<(), InvalidValue> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(InvalidValue::for_field(
            end_field,
            "must not be before the start",
        )),
        _ => Ok(()),
    }
}

/// A project that is or has been active has a start date; a closed one has an end date.
fn dates_for_status(project: &mut ImprovementProject, today: NaiveDate) {
    if project.status != ProjectStatus::Idea && project.start_on.is_none() {
        project.start_on = Some(today);
    }
    if project.status.is_closed() && project.end_on.is_none() {
        project.end_on = Some(today.max(project.start_on.unwrap_or(today)));
    }
}

impl NewProject {
    /// The project as first stored, version 1. A project that starts beyond `idea` gets
    /// `start_on` = `today` unless given; `end_on` must not be before `start_on` (422).
    pub fn into_record(
        self,
        id: Uuid,
        created_by: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<ImprovementProject, InvalidValue> {
        check_period(self.start_on, self.end_on, "end_on")?;
        let mut project = ImprovementProject {
            id,
            title: self.title,
            problem: self.problem,
            aim: self.aim,
            what_matters: self.what_matters,
            care_unit_ids: self.care_unit_ids,
            municipalities: self.municipalities,
            coach_id: self.coach_id,
            team_member_ids: self.team_member_ids,
            status: self.status.unwrap_or(ProjectStatus::Idea),
            start_on: self.start_on,
            end_on: self.end_on,
            change_ideas: self.change_ideas,
            created_by: created_by.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        dates_for_status(&mut project, today);
        Ok(project)
    }
}

/// `new` as the set it stands for: `current` itself when both hold the same members, in
/// whatever order, so that reordering a set changes nothing.
fn as_set_change<T: PartialEq + Clone>(current: &[T], new: Vec<T>) -> Vec<T> {
    let same_members = current.len() == new.len()
        && current.iter().all(|member| new.contains(member))
        && new.iter().all(|member| current.contains(member));
    if same_members { current.to_vec() } else { new }
}

impl ImprovementProject {
    /// A closed (completed or abandoned) project takes no new `what` (409).
    pub fn check_open(&self, what: &str) -> Result<(), ImprovementRuleError> {
        if self.status.is_closed() {
            return Err(ImprovementRuleError::State(format!(
                "the project is {}; it takes no new {what}",
                self.status
            )));
        }
        Ok(())
    }

    /// The project with `changes` applied on `today`. The status moves only along
    /// [`ProjectStatus::may_become`] (409 otherwise); a closed project keeps its content
    /// (409); dates are checked together (422).
    pub fn apply(
        &self,
        changes: ProjectChanges,
        today: NaiveDate,
    ) -> Result<ImprovementProject, ImprovementRuleError> {
        if self.status.is_closed() {
            return Err(ImprovementRuleError::State(format!(
                "the project is {}; it can no longer be changed",
                self.status
            )));
        }
        let mut next = self.clone();
        if let Some(status) = changes.status {
            if !self.status.may_become(status) {
                return Err(ImprovementRuleError::State(format!(
                    "a project that is {} cannot become {status}",
                    self.status
                )));
            }
            next.status = status;
        }
        if let Some(title) = changes.title {
            next.title = title;
        }
        if let Some(problem) = changes.problem {
            next.problem = problem;
        }
        if let Some(what) = changes.aim_what {
            next.aim.what = what;
        }
        if let Some(how_much) = changes.aim_how_much {
            next.aim.how_much = how_much;
        }
        if let Some(by_when) = changes.aim_by_when {
            next.aim.by_when = by_when;
        }
        if let Some(what_matters) = changes.what_matters {
            next.what_matters = what_matters;
        }
        // Sets: the same members in another order are no change (so a PATCH that reorders
        // them keeps the version, and others' If-Match).
        if let Some(units) = changes.care_unit_ids {
            next.care_unit_ids = as_set_change(&self.care_unit_ids, units);
        }
        if let Some(municipalities) = changes.municipalities {
            next.municipalities = as_set_change(&self.municipalities, municipalities);
        }
        if let Some(coach) = changes.coach_id {
            next.coach_id = coach;
        }
        if let Some(team) = changes.team_member_ids {
            next.team_member_ids = as_set_change(&self.team_member_ids, team);
        }
        if let Some(start_on) = changes.start_on {
            next.start_on = start_on;
        }
        if let Some(end_on) = changes.end_on {
            next.end_on = end_on;
        }
        if let Some(ideas) = changes.change_ideas {
            next.change_ideas = ideas;
        }
        if next.status != ProjectStatus::Idea && next.start_on.is_none() && self.start_on.is_some()
        {
            return Err(InvalidValue::for_field(
                "start_on",
                "a project that has started keeps its start date",
            )
            .into());
        }
        dates_for_status(&mut next, today);
        check_period(next.start_on, next.end_on, "end_on")?;
        Ok(next)
    }
}

crate::string_enum! {
    /// The Act of a PDSA cycle: what the team decided after studying it.
    pub enum PdsaAct {
        /// The change worked as predicted: keep it (its change point splits the charts).
        Adopt => "adopt",
        /// Modify it and test again in a new cycle.
        Adapt => "adapt",
        /// Drop the change.
        Abandon => "abandon",
    }
}

/// One PDSA cycle of a project: a test of a change idea.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdsaCycle {
    pub id: Uuid,
    pub project_id: Uuid,
    /// The change being tested.
    pub title: FreeText,
    /// Plan: what will be done, by whom, where, when.
    pub plan: FreeText,
    /// Plan: what the team predicts will happen.
    pub prediction: FreeText,
    /// Do: what happened, problems and observations.
    pub do_notes: Option<FreeText>,
    /// Study: the results against the prediction.
    pub study: Option<FreeText>,
    /// Act: adopt, adapt or abandon; needs the study.
    pub act: Option<PdsaAct>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// The date from which the change was in place: a change point on the project's charts
    /// (their default split, when the cycle is adopted).
    pub change_point_on: Option<NaiveDate>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The plan of a new cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPdsaCycle {
    pub title: FreeText,
    pub plan: FreeText,
    pub prediction: FreeText,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub change_point_on: Option<NaiveDate>,
}

/// A partial update of a cycle: recording Do, Study and Act as the cycle goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdsaChanges {
    pub title: Option<FreeText>,
    pub plan: Option<FreeText>,
    pub prediction: Option<FreeText>,
    pub do_notes: Option<Option<FreeText>>,
    pub study: Option<Option<FreeText>>,
    pub act: Option<Option<PdsaAct>>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub change_point_on: Option<Option<NaiveDate>>,
}

/// The order of a cycle's steps: Study needs Do, Act needs Study; the end and the change
/// point are not before the start.
fn check_cycle(cycle: &PdsaCycle) -> Result<(), InvalidValue> {
    if cycle.study.is_some() && cycle.do_notes.is_none() {
        return Err(InvalidValue::for_field(
            "study",
            "record what was done (`do_notes`) before studying it",
        ));
    }
    if cycle.act.is_some() && cycle.study.is_none() {
        return Err(InvalidValue::for_field(
            "act",
            "study the results (`study`) before deciding to adopt, adapt or abandon",
        ));
    }
    check_period(Some(cycle.starts_on), cycle.ends_on, "ends_on")?;
    check_period(
        Some(cycle.starts_on),
        cycle.change_point_on,
        "change_point_on",
    )
}

impl NewPdsaCycle {
    /// The cycle as first stored, for a project that is not closed (409 otherwise).
    pub fn into_record(
        self,
        id: Uuid,
        project: &ImprovementProject,
        now: DateTime<Utc>,
    ) -> Result<PdsaCycle, ImprovementRuleError> {
        project.check_open("PDSA cycles")?;
        let cycle = PdsaCycle {
            id,
            project_id: project.id,
            title: self.title,
            plan: self.plan,
            prediction: self.prediction,
            do_notes: None,
            study: None,
            act: None,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            change_point_on: self.change_point_on,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        check_cycle(&cycle)?;
        Ok(cycle)
    }
}

impl PdsaCycle {
    /// The cycle with `changes` applied on `today` (Europe/Stockholm); once Act is recorded
    /// the decision stands (409 to change it) with what it was decided on — plan, prediction,
    /// do, study, start and change point (409; a prediction rewritten after the result, a
    /// chart split moved, were possible: attack review) — and the steps keep their order
    /// (422). What was
    /// done (`do_notes`, and so Study and Act after it) is recorded once the cycle has
    /// started, `starts_on` on or before `today` (422 on `do_notes`, or on `starts_on` when
    /// the change moves the start of a cycle already done into the future).
    pub fn apply(
        &self,
        changes: PdsaChanges,
        today: NaiveDate,
    ) -> Result<PdsaCycle, ImprovementRuleError> {
        let moves_start = changes.starts_on.is_some();
        if self.act.is_some() {
            let kept = changes.plan.as_ref().is_none_or(|v| *v == self.plan)
                && changes
                    .prediction
                    .as_ref()
                    .is_none_or(|v| *v == self.prediction)
                && changes
                    .do_notes
                    .as_ref()
                    .is_none_or(|v| *v == self.do_notes)
                && changes.study.as_ref().is_none_or(|v| *v == self.study)
                && changes.starts_on.is_none_or(|v| v == self.starts_on)
                && changes
                    .change_point_on
                    .is_none_or(|v| v == self.change_point_on);
            if !kept {
                return Err(ImprovementRuleError::State(
                    "the cycle's Act is decided, so its plan, prediction, do, study, start and \
                     change point stand as they were decided on (its title and end may change); \
                     start a new cycle to test again"
                        .into(),
                ));
            }
        }
        let mut next = self.clone();
        if let Some(act) = changes.act {
            if self.act.is_some() && act != self.act {
                return Err(ImprovementRuleError::State(
                    "the cycle's Act is decided; start a new cycle to test again".into(),
                ));
            }
            next.act = act;
        }
        if let Some(title) = changes.title {
            next.title = title;
        }
        if let Some(plan) = changes.plan {
            next.plan = plan;
        }
        if let Some(prediction) = changes.prediction {
            next.prediction = prediction;
        }
        if let Some(do_notes) = changes.do_notes {
            next.do_notes = do_notes;
        }
        if let Some(study) = changes.study {
            next.study = study;
        }
        if let Some(starts_on) = changes.starts_on {
            next.starts_on = starts_on;
        }
        if let Some(ends_on) = changes.ends_on {
            next.ends_on = ends_on;
        }
        if let Some(change_point_on) = changes.change_point_on {
            next.change_point_on = change_point_on;
        }
        check_cycle(&next)?;
        if next.do_notes.is_some() && next.starts_on > today {
            let field = if moves_start { "starts_on" } else { "do_notes" };
            return Err(InvalidValue::for_field(
                field,
                format!(
                    "the cycle starts on {}: what was done is recorded once it has started \
                     (today is {today})",
                    next.starts_on
                ),
            )
            .into());
        }
        Ok(next)
    }
}

/// The project's change points for its charts: the change dates of its adopted cycles, in
/// order, each once.
pub fn adopted_change_points(cycles: &[PdsaCycle]) -> Vec<NaiveDate> {
    let mut points: Vec<NaiveDate> = cycles
        .iter()
        .filter(|c| c.act == Some(PdsaAct::Adopt))
        .filter_map(|c| c.change_point_on)
        .collect();
    points.sort_unstable();
    points.dedup();
    points
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn day(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    pub(crate) fn text(t: &str) -> FreeText {
        FreeText::parse(t).unwrap_or_else(|_| unreachable!())
    }

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH
    }

    pub(crate) fn project(status: ProjectStatus) -> ImprovementProject {
        NewProject {
            title: text("Trygg hemgång"),
            problem: Some(text("Många återinskrivs inom 30 dagar")),
            aim: Aim {
                what: text("återinskrivningar inom 30 dagar"),
                how_much: text("halveras"),
                by_when: day("2027-06-30"),
            },
            what_matters: None,
            care_unit_ids: Vec::new(),
            municipalities: Vec::new(),
            coach_id: None,
            team_member_ids: Vec::new(),
            status: Some(status),
            start_on: None,
            end_on: None,
            change_ideas: vec![text("Telefonsamtal dagen efter hemgång")],
        }
        .into_record(Uuid::nil(), "coach", day("2026-12-01"), now())
        .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn a_personal_number_in_any_accepted_form_is_found_in_free_text() {
        let today = day("2026-12-01");
        for found in [
            "Esther 19121212-1212 kom hem",
            "pnr 191212121212.",
            "121212-1212",
            "(1212121212)",
            "ref:19121212-1212",
        ] {
            assert!(contains_personal_number(found, today), "{found}");
            assert!(parse_story(found, 200, today).is_err(), "{found}");
        }
        for fine in [
            "12 av 40 patienter",
            "2026-12-01 till 2027-01-31",
            "19121212-1213",
            "tel 036-123456",
            "1234567890",
        ] {
            assert!(!contains_personal_number(fine, today), "{fine}");
        }
    }

    #[test]
    fn status_moves_only_along_the_allowed_transitions() {
        use ProjectStatus::*;
        let allowed = [
            (Idea, Active),
            (Idea, Abandoned),
            (Active, Paused),
            (Active, Completed),
            (Active, Abandoned),
            (Paused, Active),
            (Paused, Abandoned),
        ];
        for &from in ProjectStatus::ALL {
            for &to in ProjectStatus::ALL {
                let expected = from == to || allowed.contains(&(from, to));
                assert_eq!(from.may_become(to), expected, "{from} → {to}");
            }
        }
    }

    #[test]
    fn starting_dates_the_project_and_closing_ends_it() {
        let idea = project(ProjectStatus::Idea);
        assert_eq!(idea.start_on, None);
        let start = ProjectChanges {
            status: Some(ProjectStatus::Active),
            ..Default::default()
        };
        let active = idea
            .apply(start, day("2027-01-10"))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(active.start_on, Some(day("2027-01-10")));
        let done = active
            .apply(
                ProjectChanges {
                    status: Some(ProjectStatus::Completed),
                    ..Default::default()
                },
                day("2027-05-02"),
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(done.end_on, Some(day("2027-05-02")));
        assert!(matches!(
            done.apply(ProjectChanges::default(), day("2027-05-03")),
            Err(ImprovementRuleError::State(_))
        ));
        assert!(matches!(
            idea.apply(
                ProjectChanges {
                    status: Some(ProjectStatus::Completed),
                    ..Default::default()
                },
                day("2027-01-10")
            ),
            Err(ImprovementRuleError::State(_))
        ));
        let backwards = ProjectChanges {
            end_on: Some(Some(day("2026-01-01"))),
            ..Default::default()
        };
        assert!(matches!(
            active.apply(backwards, day("2027-01-11")),
            Err(ImprovementRuleError::Invalid(InvalidValue {
                field: Some("end_on"),
                ..
            }))
        ));
    }

    #[test]
    fn a_set_given_in_another_order_is_no_change() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let mut current = project(ProjectStatus::Active);
        current.care_unit_ids = vec![a, b];
        let today = day("2027-01-10");
        let set = |ids: Vec<Uuid>| ProjectChanges {
            care_unit_ids: Some(ids),
            team_member_ids: Some(vec![]),
            ..Default::default()
        };
        let reordered = current.apply(set(vec![b, a]), today);
        assert_eq!(reordered.as_ref().ok(), Some(&current));
        let changed = current.apply(set(vec![b, c]), today);
        assert_eq!(changed.map(|p| p.care_unit_ids).ok(), Some(vec![b, c]));
        let fewer = current.apply(set(vec![a]), today);
        assert_eq!(fewer.map(|p| p.care_unit_ids).ok(), Some(vec![a]));
    }

    fn cycle() -> PdsaCycle {
        NewPdsaCycle {
            title: text("Samtal dag 1"),
            plan: text("Sjuksköterskan ringer dagen efter hemgång, 2 veckor"),
            prediction: text("Hälften av de uppringda behöver ingen akut kontakt"),
            starts_on: day("2027-01-10"),
            ends_on: None,
            change_point_on: None,
        }
        .into_record(Uuid::nil(), &project(ProjectStatus::Active), now())
        .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn a_cycle_runs_plan_do_study_act_in_order_and_its_act_stands() {
        let planned = cycle();
        let act_first = PdsaChanges {
            act: Some(Some(PdsaAct::Adopt)),
            ..Default::default()
        };
        assert!(matches!(
            planned.apply(act_first, day("2027-02-01")),
            Err(ImprovementRuleError::Invalid(InvalidValue {
                field: Some("act"),
                ..
            }))
        ));
        let study_first = PdsaChanges {
            study: Some(Some(text("färre samtal"))),
            ..Default::default()
        };
        assert!(planned.apply(study_first, day("2027-02-01")).is_err());
        let all = PdsaChanges {
            do_notes: Some(Some(text("32 samtal"))),
            study: Some(Some(text("Som förutsagt"))),
            act: Some(Some(PdsaAct::Adopt)),
            change_point_on: Some(Some(day("2027-01-24"))),
            ..Default::default()
        };
        let adopted = planned
            .apply(all, day("2027-02-01"))
            .unwrap_or_else(|_| unreachable!());
        let change = PdsaChanges {
            act: Some(Some(PdsaAct::Abandon)),
            ..Default::default()
        };
        assert!(matches!(
            adopted.apply(change, day("2027-02-01")),
            Err(ImprovementRuleError::State(_))
        ));
        let before_start = PdsaChanges {
            change_point_on: Some(Some(day("2027-01-01"))),
            ..Default::default()
        };
        assert!(adopted.apply(before_start, day("2027-02-01")).is_err());
        let rewritten = PdsaChanges {
            prediction: Some(text("Precis detta")),
            ..Default::default()
        };
        assert!(matches!(
            adopted.apply(rewritten, day("2027-02-01")),
            Err(ImprovementRuleError::State(_))
        ));
        let renamed = PdsaChanges {
            title: Some(text("Samtal dag 1 (v2)")),
            study: Some(Some(text("Som förutsagt"))),
            ends_on: Some(Some(day("2027-01-31"))),
            ..Default::default()
        };
        assert!(
            adopted.apply(renamed, day("2027-02-01")).is_ok(),
            "the same study, a new end"
        );
        let closed = project(ProjectStatus::Abandoned);
        let new = NewPdsaCycle {
            title: text("x"),
            plan: text("x"),
            prediction: text("x"),
            starts_on: day("2027-01-10"),
            ends_on: None,
            change_point_on: None,
        };
        assert!(matches!(
            new.into_record(Uuid::nil(), &closed, now()),
            Err(ImprovementRuleError::State(_))
        ));
    }

    /// Attack review (issue 13): a cycle planned for next month could be recorded as done,
    /// studied and adopted today, its change point splitting the charts ahead of the change.
    #[test]
    fn what_was_done_is_recorded_once_the_cycle_has_started() {
        let planned = cycle();
        let done = || PdsaChanges {
            do_notes: Some(Some(text("32 samtal"))),
            ..Default::default()
        };
        let field = |result: Result<PdsaCycle, ImprovementRuleError>| match result {
            Err(ImprovementRuleError::Invalid(invalid)) => invalid.field,
            _ => None,
        };
        assert_eq!(
            field(planned.apply(done(), day("2027-01-09"))),
            Some("do_notes")
        );
        let started = planned
            .apply(done(), day("2027-01-10"))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(started.do_notes, Some(text("32 samtal")));
        let later = PdsaChanges {
            starts_on: Some(day("2027-03-01")),
            ..Default::default()
        };
        assert_eq!(
            field(started.apply(later, day("2027-02-01"))),
            Some("starts_on")
        );
        let moved = PdsaChanges {
            starts_on: Some(day("2027-03-01")),
            ..Default::default()
        };
        assert!(
            planned.apply(moved, day("2027-02-01")).is_ok(),
            "a plan moves freely"
        );
    }

    #[test]
    fn only_adopted_cycles_mark_the_charts_change_points() {
        let adopted = |date: &str, act: Option<PdsaAct>| PdsaCycle {
            act,
            change_point_on: Some(day(date)),
            ..cycle()
        };
        let cycles = [
            adopted("2027-03-01", Some(PdsaAct::Adopt)),
            adopted("2027-02-01", Some(PdsaAct::Adapt)),
            adopted("2027-01-15", Some(PdsaAct::Adopt)),
            adopted("2027-03-01", Some(PdsaAct::Adopt)),
            adopted("2027-04-01", None),
        ];
        assert_eq!(
            adopted_change_points(&cycles),
            [day("2027-01-15"), day("2027-03-01")]
        );
    }
}
