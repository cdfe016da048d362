//! Improvement projects and their PDSA cycles: rows, conversion and queries. A project's
//! units, municipalities and team, and a coach's units and municipalities, are rows of
//! `improvement_links` (owner, relation, target), replaced whole when they change.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::improvement::{Aim, ImprovementProject, PdsaAct, PdsaCycle, ProjectStatus};
use domain::record::FreeText;
use uuid::Uuid;

use crate::connection::insert_all;
use crate::schema::{improvement_links, improvement_projects, pdsa_cycles};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

/// What a row of `improvement_links` says about its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    ProjectUnit,
    ProjectMunicipality,
    ProjectMember,
    CoachUnit,
    CoachMunicipality,
}

impl Relation {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Relation::ProjectUnit => "project_unit",
            Relation::ProjectMunicipality => "project_municipality",
            Relation::ProjectMember => "project_member",
            Relation::CoachUnit => "coach_unit",
            Relation::CoachMunicipality => "coach_municipality",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = improvement_links)]
struct LinkRow {
    owner_id: String,
    relation: String,
    target: String,
}

impl From<&LinkRow> for LinkRow {
    fn from(row: &LinkRow) -> Self {
        row.clone()
    }
}

/// Replaces the owner's links of each relation with `sets` (relation, targets).
pub(crate) fn replace_links(
    conn: &mut DbConnection,
    owner: Uuid,
    sets: &[(Relation, Vec<String>)],
) -> Result<(), PersistenceError> {
    let owner = owner.to_string();
    let relations: Vec<&str> = sets.iter().map(|(r, _)| r.as_str()).collect();
    diesel::delete(
        improvement_links::table
            .filter(improvement_links::owner_id.eq(&owner))
            .filter(improvement_links::relation.eq_any(relations)),
    )
    .execute(conn)?;
    let rows: Vec<LinkRow> = sets
        .iter()
        .flat_map(|(relation, targets)| {
            targets.iter().map(|target| LinkRow {
                owner_id: owner.clone(),
                relation: relation.as_str().to_owned(),
                target: target.clone(),
            })
        })
        .collect();
    insert_all!(conn, improvement_links::table, rows, LinkRow)
}

/// The links of `owners`, by (owner, relation), targets in their stored order.
pub(crate) fn load_links(
    conn: &mut DbConnection,
    owners: &[String],
) -> Result<HashMap<(String, String), Vec<String>>, PersistenceError> {
    let mut links: HashMap<(String, String), Vec<String>> = HashMap::new();
    for chunk in owners.chunks(crate::ROWS_PER_STATEMENT) {
        let rows: Vec<LinkRow> = improvement_links::table
            .filter(improvement_links::owner_id.eq_any(chunk))
            .order((
                improvement_links::owner_id,
                improvement_links::relation,
                improvement_links::target,
            ))
            .select(LinkRow::as_select())
            .load(conn)?;
        for row in rows {
            links
                .entry((row.owner_id, row.relation))
                .or_default()
                .push(row.target);
        }
    }
    Ok(links)
}

/// Targets of `owner`'s `relation` as ids.
pub(crate) fn ids_of(
    links: &HashMap<(String, String), Vec<String>>,
    owner: &str,
    relation: Relation,
) -> Result<Vec<Uuid>, PersistenceError> {
    links
        .get(&(owner.to_owned(), relation.as_str().to_owned()))
        .map_or(Ok(Vec::new()), |targets| {
            targets.iter().map(|t| parse_uuid(t)).collect()
        })
}

/// Targets of `owner`'s `relation` as municipality codes.
pub(crate) fn municipalities_of(
    links: &HashMap<(String, String), Vec<String>>,
    owner: &str,
    relation: Relation,
) -> Result<Vec<MunicipalityCode>, PersistenceError> {
    links
        .get(&(owner.to_owned(), relation.as_str().to_owned()))
        .map_or(Ok(Vec::new()), |targets| {
            targets
                .iter()
                .map(|t| stored("improvement_links.target", MunicipalityCode::parse(t)))
                .collect()
        })
}

pub(crate) fn id_texts(ids: &[Uuid]) -> Vec<String> {
    ids.iter().map(Uuid::to_string).collect()
}

/// Every owner's municipalities of `relation`, in one statement.
pub(crate) fn municipality_links(
    conn: &mut DbConnection,
    relation: Relation,
) -> Result<HashMap<String, Vec<MunicipalityCode>>, PersistenceError> {
    let rows: Vec<(String, String)> = improvement_links::table
        .filter(improvement_links::relation.eq(relation.as_str()))
        .select((improvement_links::owner_id, improvement_links::target))
        .load(conn)?;
    let mut links: HashMap<String, Vec<MunicipalityCode>> = HashMap::new();
    for (owner, target) in rows {
        links.entry(owner).or_default().push(stored(
            "improvement_links.target",
            MunicipalityCode::parse(&target),
        )?);
    }
    Ok(links)
}

/// What the network's stock figures need of every project that may be active between
/// `from` and `to`: started by `to`, not ended before `from`, with its municipalities.
pub fn project_facts_in_span(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<domain::indicator::stock::ProjectFacts>, PersistenceError> {
    let mut municipalities = municipality_links(conn, Relation::ProjectMunicipality)?;
    let rows: Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)> =
        improvement_projects::table
            .filter(improvement_projects::start_on.le(to))
            .filter(
                improvement_projects::end_on
                    .is_null()
                    .or(improvement_projects::end_on.ge(from)),
            )
            .select((
                improvement_projects::id,
                improvement_projects::status,
                improvement_projects::start_on,
                improvement_projects::end_on,
            ))
            .load(conn)?;
    rows.into_iter()
        .map(|(id, status, start_on, end_on)| {
            Ok(domain::indicator::stock::ProjectFacts {
                municipalities: municipalities.remove(&id).unwrap_or_default(),
                status: stored("improvement_projects.status", ProjectStatus::parse(&status))?,
                start_on,
                end_on,
            })
        })
        .collect()
}

pub(crate) fn code_texts(codes: &[MunicipalityCode]) -> Vec<String> {
    codes.iter().map(|c| c.as_str().to_owned()).collect()
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = improvement_projects, treat_none_as_null = true)]
struct ProjectRow {
    id: String,
    title: String,
    problem: Option<String>,
    aim_what: String,
    aim_how_much: String,
    aim_by_when: NaiveDate,
    what_matters: Option<String>,
    coach_id: Option<String>,
    status: String,
    start_on: Option<NaiveDate>,
    end_on: Option<NaiveDate>,
    change_ideas: String,
    created_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn text_of(value: &Option<FreeText>) -> Option<String> {
    value.as_ref().map(|t| t.as_str().to_owned())
}

fn free_text(column: &str, value: Option<String>) -> Result<Option<FreeText>, PersistenceError> {
    value
        .map(|t| stored(column, FreeText::parse(&t)))
        .transpose()
}

impl ProjectRow {
    fn from_project(project: &ImprovementProject) -> Result<Self, PersistenceError> {
        let ideas: Vec<&str> = project.change_ideas.iter().map(FreeText::as_str).collect();
        Ok(Self {
            id: project.id.to_string(),
            title: project.title.as_str().to_owned(),
            problem: text_of(&project.problem),
            aim_what: project.aim.what.as_str().to_owned(),
            aim_how_much: project.aim.how_much.as_str().to_owned(),
            aim_by_when: project.aim.by_when,
            what_matters: text_of(&project.what_matters),
            coach_id: project.coach_id.map(|id| id.to_string()),
            status: project.status.as_str().to_owned(),
            start_on: project.start_on,
            end_on: project.end_on,
            change_ideas: serde_json::to_string(&ideas)
                .map_err(|e| PersistenceError::Corrupt(format!("change ideas: {e}")))?,
            created_by: project.created_by.clone(),
            version: project.version,
            created_at: project.created_at.naive_utc(),
            updated_at: project.updated_at.naive_utc(),
        })
    }

    fn into_project(
        self,
        links: &HashMap<(String, String), Vec<String>>,
    ) -> Result<ImprovementProject, PersistenceError> {
        let ideas: Vec<String> = serde_json::from_str(&self.change_ideas).map_err(|e| {
            PersistenceError::Corrupt(format!("improvement_projects.change_ideas: {e}"))
        })?;
        Ok(ImprovementProject {
            id: parse_uuid(&self.id)?,
            title: stored("improvement_projects.title", FreeText::parse(&self.title))?,
            problem: free_text("improvement_projects.problem", self.problem)?,
            aim: Aim {
                what: stored(
                    "improvement_projects.aim_what",
                    FreeText::parse(&self.aim_what),
                )?,
                how_much: stored(
                    "improvement_projects.aim_how_much",
                    FreeText::parse(&self.aim_how_much),
                )?,
                by_when: self.aim_by_when,
            },
            what_matters: free_text("improvement_projects.what_matters", self.what_matters)?,
            care_unit_ids: ids_of(links, &self.id, Relation::ProjectUnit)?,
            municipalities: municipalities_of(links, &self.id, Relation::ProjectMunicipality)?,
            coach_id: parse_optional_uuid(self.coach_id.as_deref())?,
            team_member_ids: ids_of(links, &self.id, Relation::ProjectMember)?,
            status: stored(
                "improvement_projects.status",
                ProjectStatus::parse(&self.status),
            )?,
            start_on: self.start_on,
            end_on: self.end_on,
            change_ideas: ideas
                .iter()
                .map(|t| stored("improvement_projects.change_ideas", FreeText::parse(t)))
                .collect::<Result<_, _>>()?,
            created_by: self.created_by,
            version: self.version,
            created_at: to_utc(self.created_at),
            updated_at: to_utc(self.updated_at),
        })
    }
}

fn project_links(project: &ImprovementProject) -> [(Relation, Vec<String>); 3] {
    [
        (Relation::ProjectUnit, id_texts(&project.care_unit_ids)),
        (
            Relation::ProjectMunicipality,
            code_texts(&project.municipalities),
        ),
        (Relation::ProjectMember, id_texts(&project.team_member_ids)),
    ]
}

/// Which projects a list returns.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub status: Option<ProjectStatus>,
    pub municipality: Option<MunicipalityCode>,
    pub care_unit_id: Option<Uuid>,
    pub coach_id: Option<Uuid>,
    /// Projects with this staff member on the team.
    pub team_member_id: Option<Uuid>,
}

pub fn insert_project(
    conn: &mut DbConnection,
    project: &ImprovementProject,
) -> Result<(), PersistenceError> {
    diesel::insert_into(improvement_projects::table)
        .values(ProjectRow::from_project(project)?)
        .execute(conn)?;
    replace_links(conn, project.id, &project_links(project))
}

fn with_links(
    conn: &mut DbConnection,
    rows: Vec<ProjectRow>,
) -> Result<Vec<ImprovementProject>, PersistenceError> {
    let owners: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let links = load_links(conn, &owners)?;
    rows.into_iter().map(|r| r.into_project(&links)).collect()
}

pub fn find_project(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<ImprovementProject>, PersistenceError> {
    let row = improvement_projects::table
        .find(id.to_string())
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?;
    Ok(with_links(conn, row.into_iter().collect())?.pop())
}

/// A page of projects in creation order (UUID v7 ids).
pub fn list_projects(
    conn: &mut DbConnection,
    filter: &ProjectFilter,
    page: PageRequest,
) -> Result<Page<ImprovementProject>, PersistenceError> {
    let mut query = improvement_projects::table
        .select(ProjectRow::as_select())
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(improvement_projects::status.eq(status.as_str()));
    }
    if let Some(coach) = filter.coach_id {
        query = query.filter(improvement_projects::coach_id.eq(coach.to_string()));
    }
    for (relation, target) in [
        (
            Relation::ProjectMunicipality,
            filter.municipality.map(|m| m.as_str().to_owned()),
        ),
        (
            Relation::ProjectUnit,
            filter.care_unit_id.map(|u| u.to_string()),
        ),
        (
            Relation::ProjectMember,
            filter.team_member_id.map(|s| s.to_string()),
        ),
    ] {
        if let Some(target) = target {
            let owners = improvement_links::table
                .filter(improvement_links::relation.eq(relation.as_str()))
                .filter(improvement_links::target.eq(target))
                .select(improvement_links::owner_id);
            query = query.filter(improvement_projects::id.eq_any(owners));
        }
    }
    if let Some(after) = page.after_text() {
        query = query.filter(improvement_projects::id.gt(after));
    }
    let rows = query
        .order(improvement_projects::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    let has_more = rows.len() > usize::try_from(page.limit).unwrap_or(usize::MAX);
    let mut items = with_links(conn, rows)?;
    items.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    Ok(Page { items, has_more })
}

/// Writes `project` over the stored row if it is still at `project.version`; returns it as
/// stored, with the next version.
pub fn update_project(
    conn: &mut DbConnection,
    project: &ImprovementProject,
) -> Result<ImprovementProject, PersistenceError> {
    let mut row = ProjectRow::from_project(project)?;
    row.version = project.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(improvement_projects::table.find(&row.id))
        .filter(improvement_projects::version.eq(project.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    replace_links(conn, project.id, &project_links(project))?;
    Ok(ImprovementProject {
        version: row.version,
        updated_at: to_utc(row.updated_at),
        ..project.clone()
    })
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = pdsa_cycles, treat_none_as_null = true)]
struct CycleRow {
    id: String,
    project_id: String,
    title: String,
    plan: String,
    prediction: String,
    do_notes: Option<String>,
    study: Option<String>,
    act: Option<String>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    change_point_on: Option<NaiveDate>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&PdsaCycle> for CycleRow {
    fn from(cycle: &PdsaCycle) -> Self {
        Self {
            id: cycle.id.to_string(),
            project_id: cycle.project_id.to_string(),
            title: cycle.title.as_str().to_owned(),
            plan: cycle.plan.as_str().to_owned(),
            prediction: cycle.prediction.as_str().to_owned(),
            do_notes: text_of(&cycle.do_notes),
            study: text_of(&cycle.study),
            act: cycle.act.map(|a| a.as_str().to_owned()),
            starts_on: cycle.starts_on,
            ends_on: cycle.ends_on,
            change_point_on: cycle.change_point_on,
            version: cycle.version,
            created_at: cycle.created_at.naive_utc(),
            updated_at: cycle.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<CycleRow> for PdsaCycle {
    type Error = PersistenceError;

    fn try_from(row: CycleRow) -> Result<Self, PersistenceError> {
        let text = |column: &str, value: &str| stored(column, FreeText::parse(value));
        Ok(PdsaCycle {
            id: parse_uuid(&row.id)?,
            project_id: parse_uuid(&row.project_id)?,
            title: text("pdsa_cycles.title", &row.title)?,
            plan: text("pdsa_cycles.plan", &row.plan)?,
            prediction: text("pdsa_cycles.prediction", &row.prediction)?,
            do_notes: free_text("pdsa_cycles.do_notes", row.do_notes)?,
            study: free_text("pdsa_cycles.study", row.study)?,
            act: row
                .act
                .map(|a| stored("pdsa_cycles.act", PdsaAct::parse(&a)))
                .transpose()?,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            change_point_on: row.change_point_on,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert_cycle(conn: &mut DbConnection, cycle: &PdsaCycle) -> Result<(), PersistenceError> {
    diesel::insert_into(pdsa_cycles::table)
        .values(CycleRow::from(cycle))
        .execute(conn)?;
    Ok(())
}

pub fn find_cycle(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<PdsaCycle>, PersistenceError> {
    pdsa_cycles::table
        .find(id.to_string())
        .select(CycleRow::as_select())
        .first(conn)
        .optional()?
        .map(PdsaCycle::try_from)
        .transpose()
}

/// A project's cycles in start order (then creation order).
pub fn cycles_of(
    conn: &mut DbConnection,
    project_id: Uuid,
) -> Result<Vec<PdsaCycle>, PersistenceError> {
    pdsa_cycles::table
        .filter(pdsa_cycles::project_id.eq(project_id.to_string()))
        .order((pdsa_cycles::starts_on, pdsa_cycles::id))
        .select(CycleRow::as_select())
        .load(conn)?
        .into_iter()
        .map(PdsaCycle::try_from)
        .collect()
}

/// Writes `cycle` if the stored row is still at `cycle.version`; returns it at the next version.
pub fn update_cycle(
    conn: &mut DbConnection,
    cycle: &PdsaCycle,
) -> Result<PdsaCycle, PersistenceError> {
    let mut row = CycleRow::from(cycle);
    row.version = cycle.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(pdsa_cycles::table.find(&row.id))
        .filter(pdsa_cycles::version.eq(cycle.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    PdsaCycle::try_from(row)
}
