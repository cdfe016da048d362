//! Training cohorts of improvement coaches (sessions, enrolments, attendance) and coach
//! profiles: rows, conversion and queries.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::improvement::training::{
    CoachProfile, CompletionRule, Enrolment, TrainingCohort, TrainingSession,
};
use domain::record::FreeText;
use uuid::Uuid;

use crate::connection::insert_all;
use crate::improvement::{
    Relation, code_texts, id_texts, ids_of, load_links, municipalities_of, replace_links,
};
use crate::schema::{
    coaches, cohort_enrolments, improvement_links, session_attendance, training_cohorts,
    training_sessions,
};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = training_cohorts)]
struct CohortRow {
    id: String,
    programme: String,
    name: String,
    min_sessions_attended: i32,
    project_presentation_required: bool,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = training_sessions)]
struct SessionRow {
    id: String,
    cohort_id: String,
    held_on: NaiveDate,
    topic: String,
}

impl From<&SessionRow> for SessionRow {
    fn from(row: &SessionRow) -> Self {
        row.clone()
    }
}

fn cohort_of(
    row: CohortRow,
    sessions: Vec<SessionRow>,
) -> Result<TrainingCohort, PersistenceError> {
    Ok(TrainingCohort {
        id: parse_uuid(&row.id)?,
        programme: stored(
            "training_cohorts.programme",
            FreeText::parse(&row.programme),
        )?,
        name: stored("training_cohorts.name", FreeText::parse(&row.name))?,
        completion_rule: CompletionRule {
            min_sessions_attended: u32::try_from(row.min_sessions_attended).map_err(|_| {
                PersistenceError::Corrupt("training_cohorts.min_sessions_attended".into())
            })?,
            project_presentation_required: row.project_presentation_required,
        },
        sessions: sessions
            .into_iter()
            .map(|s| {
                Ok(TrainingSession {
                    id: parse_uuid(&s.id)?,
                    held_on: s.held_on,
                    topic: stored("training_sessions.topic", FreeText::parse(&s.topic))?,
                })
            })
            .collect::<Result<_, PersistenceError>>()?,
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

pub fn insert_cohort(
    conn: &mut DbConnection,
    cohort: &TrainingCohort,
) -> Result<(), PersistenceError> {
    diesel::insert_into(training_cohorts::table)
        .values(CohortRow {
            id: cohort.id.to_string(),
            programme: cohort.programme.as_str().to_owned(),
            name: cohort.name.as_str().to_owned(),
            min_sessions_attended: i32::try_from(cohort.completion_rule.min_sessions_attended)
                .unwrap_or(i32::MAX),
            project_presentation_required: cohort.completion_rule.project_presentation_required,
            version: cohort.version,
            created_at: cohort.created_at.naive_utc(),
            updated_at: cohort.updated_at.naive_utc(),
        })
        .execute(conn)?;
    let sessions: Vec<SessionRow> = cohort
        .sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id.to_string(),
            cohort_id: cohort.id.to_string(),
            held_on: s.held_on,
            topic: s.topic.as_str().to_owned(),
        })
        .collect();
    insert_all!(conn, training_sessions::table, sessions, SessionRow)
}

fn with_sessions(
    conn: &mut DbConnection,
    rows: Vec<CohortRow>,
) -> Result<Vec<TrainingCohort>, PersistenceError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut sessions: HashMap<String, Vec<SessionRow>> = HashMap::new();
    for session in training_sessions::table
        .filter(training_sessions::cohort_id.eq_any(&ids))
        .order((training_sessions::held_on, training_sessions::id))
        .select(SessionRow::as_select())
        .load(conn)?
    {
        sessions
            .entry(session.cohort_id.clone())
            .or_default()
            .push(session);
    }
    rows.into_iter()
        .map(|row| {
            let of_cohort = sessions.remove(&row.id).unwrap_or_default();
            cohort_of(row, of_cohort)
        })
        .collect()
}

pub fn find_cohort(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<TrainingCohort>, PersistenceError> {
    let row = training_cohorts::table
        .find(id.to_string())
        .select(CohortRow::as_select())
        .first(conn)
        .optional()?;
    Ok(with_sessions(conn, row.into_iter().collect())?.pop())
}

/// A page of cohorts in creation order.
pub fn list_cohorts(
    conn: &mut DbConnection,
    page: PageRequest,
) -> Result<Page<TrainingCohort>, PersistenceError> {
    let mut query = training_cohorts::table
        .select(CohortRow::as_select())
        .into_boxed();
    if let Some(after) = page.after_text() {
        query = query.filter(training_cohorts::id.gt(after));
    }
    let rows = query
        .order(training_cohorts::id)
        .limit(page.fetch_limit())
        .load(conn)?;
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let has_more = rows.len() > limit;
    let mut items = with_sessions(conn, rows)?;
    items.truncate(limit);
    Ok(Page { items, has_more })
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = cohort_enrolments)]
struct EnrolmentRow {
    cohort_id: String,
    staff_id: String,
    presented_project_id: Option<String>,
    enrolled_at: NaiveDateTime,
}

pub fn insert_enrolment(
    conn: &mut DbConnection,
    enrolment: &Enrolment,
) -> Result<(), PersistenceError> {
    diesel::insert_into(cohort_enrolments::table)
        .values(EnrolmentRow {
            cohort_id: enrolment.cohort_id.to_string(),
            staff_id: enrolment.staff_id.to_string(),
            presented_project_id: enrolment.presented_project_id.map(|id| id.to_string()),
            enrolled_at: enrolment.enrolled_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// The cohort's enrolments in staff id order, each with the sessions she attended.
pub fn enrolments_of(
    conn: &mut DbConnection,
    cohort: &TrainingCohort,
) -> Result<Vec<Enrolment>, PersistenceError> {
    let session_ids: Vec<String> = cohort.sessions.iter().map(|s| s.id.to_string()).collect();
    let mut attended: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (session, staff) in session_attendance::table
        .filter(session_attendance::session_id.eq_any(&session_ids))
        .select((session_attendance::session_id, session_attendance::staff_id))
        .load::<(String, String)>(conn)?
    {
        attended
            .entry(staff)
            .or_default()
            .push(parse_uuid(&session)?);
    }
    cohort_enrolments::table
        .filter(cohort_enrolments::cohort_id.eq(cohort.id.to_string()))
        .order(cohort_enrolments::staff_id)
        .select(EnrolmentRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| {
            Ok(Enrolment {
                cohort_id: parse_uuid(&row.cohort_id)?,
                staff_id: parse_uuid(&row.staff_id)?,
                attended_session_ids: attended.remove(&row.staff_id).unwrap_or_default(),
                presented_project_id: parse_optional_uuid(row.presented_project_id.as_deref())?,
                enrolled_at: to_utc(row.enrolled_at),
            })
        })
        .collect()
}

/// Records the project an enrolled staff member presented; false when she is not enrolled.
pub fn set_presented_project(
    conn: &mut DbConnection,
    cohort_id: Uuid,
    staff_id: Uuid,
    project_id: Option<Uuid>,
) -> Result<bool, PersistenceError> {
    let changed = diesel::update(
        cohort_enrolments::table.find((cohort_id.to_string(), staff_id.to_string())),
    )
    .set(cohort_enrolments::presented_project_id.eq(project_id.map(|id| id.to_string())))
    .execute(conn)?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = session_attendance)]
struct AttendanceRow {
    session_id: String,
    staff_id: String,
}

impl From<&AttendanceRow> for AttendanceRow {
    fn from(row: &AttendanceRow) -> Self {
        row.clone()
    }
}

/// Replaces who attended a session with `staff_ids`.
pub fn replace_attendance(
    conn: &mut DbConnection,
    session_id: Uuid,
    staff_ids: &[Uuid],
) -> Result<(), PersistenceError> {
    diesel::delete(
        session_attendance::table.filter(session_attendance::session_id.eq(session_id.to_string())),
    )
    .execute(conn)?;
    let rows: Vec<AttendanceRow> = staff_ids
        .iter()
        .map(|staff| AttendanceRow {
            session_id: session_id.to_string(),
            staff_id: staff.to_string(),
        })
        .collect();
    insert_all!(conn, session_attendance::table, rows, AttendanceRow)
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = coaches, treat_none_as_null = true)]
struct CoachRow {
    staff_id: String,
    cohort_id: Option<String>,
    certified_on: Option<NaiveDate>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&CoachProfile> for CoachRow {
    fn from(c: &CoachProfile) -> Self {
        Self {
            staff_id: c.staff_id.to_string(),
            cohort_id: c.cohort_id.map(|id| id.to_string()),
            certified_on: c.certified_on,
            version: c.version,
            created_at: c.created_at.naive_utc(),
            updated_at: c.updated_at.naive_utc(),
        }
    }
}

fn coach_links(coach: &CoachProfile) -> [(Relation, Vec<String>); 2] {
    [
        (Relation::CoachUnit, id_texts(&coach.care_unit_ids)),
        (
            Relation::CoachMunicipality,
            code_texts(&coach.municipalities),
        ),
    ]
}

fn with_coach_links(
    conn: &mut DbConnection,
    rows: Vec<CoachRow>,
) -> Result<Vec<CoachProfile>, PersistenceError> {
    let owners: Vec<String> = rows.iter().map(|r| r.staff_id.clone()).collect();
    let links = load_links(conn, &owners)?;
    rows.into_iter()
        .map(|row| {
            Ok(CoachProfile {
                staff_id: parse_uuid(&row.staff_id)?,
                cohort_id: parse_optional_uuid(row.cohort_id.as_deref())?,
                certified_on: row.certified_on,
                care_unit_ids: ids_of(&links, &row.staff_id, Relation::CoachUnit)?,
                municipalities: municipalities_of(
                    &links,
                    &row.staff_id,
                    Relation::CoachMunicipality,
                )?,
                version: row.version,
                created_at: to_utc(row.created_at),
                updated_at: to_utc(row.updated_at),
            })
        })
        .collect()
}

pub fn insert_coach(conn: &mut DbConnection, coach: &CoachProfile) -> Result<(), PersistenceError> {
    diesel::insert_into(coaches::table)
        .values(CoachRow::from(coach))
        .execute(conn)?;
    replace_links(conn, coach.staff_id, &coach_links(coach))
}

pub fn find_coach(
    conn: &mut DbConnection,
    staff_id: Uuid,
) -> Result<Option<CoachProfile>, PersistenceError> {
    let row = coaches::table
        .find(staff_id.to_string())
        .select(CoachRow::as_select())
        .first(conn)
        .optional()?;
    Ok(with_coach_links(conn, row.into_iter().collect())?.pop())
}

/// Writes `coach` if the stored row is still at `coach.version`; returns it at the next one.
pub fn update_coach(
    conn: &mut DbConnection,
    coach: &CoachProfile,
) -> Result<CoachProfile, PersistenceError> {
    let mut row = CoachRow::from(coach);
    row.version = coach.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(coaches::table.find(&row.staff_id))
        .filter(coaches::version.eq(coach.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    replace_links(conn, coach.staff_id, &coach_links(coach))?;
    Ok(CoachProfile {
        version: row.version,
        updated_at: to_utc(row.updated_at),
        ..coach.clone()
    })
}

/// Which coaches a list returns: those supporting a municipality and/or a unit.
#[derive(Debug, Clone, Default)]
pub struct CoachFilter {
    pub municipality: Option<MunicipalityCode>,
    pub care_unit_id: Option<Uuid>,
}

/// A page of coaches in staff id order.
pub fn list_coaches(
    conn: &mut DbConnection,
    filter: &CoachFilter,
    page: PageRequest,
) -> Result<Page<CoachProfile>, PersistenceError> {
    let mut query = coaches::table.select(CoachRow::as_select()).into_boxed();
    for (relation, target) in [
        (
            Relation::CoachMunicipality,
            filter.municipality.map(|m| m.as_str().to_owned()),
        ),
        (
            Relation::CoachUnit,
            filter.care_unit_id.map(|u| u.to_string()),
        ),
    ] {
        if let Some(target) = target {
            let owners = improvement_links::table
                .filter(improvement_links::relation.eq(relation.as_str()))
                .filter(improvement_links::target.eq(target))
                .select(improvement_links::owner_id);
            query = query.filter(coaches::staff_id.eq_any(owners));
        }
    }
    if let Some(after) = page.after_text() {
        query = query.filter(coaches::staff_id.gt(after));
    }
    let rows = query
        .order(coaches::staff_id)
        .limit(page.fetch_limit())
        .load(conn)?;
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let has_more = rows.len() > limit;
    let mut items = with_coach_links(conn, rows)?;
    items.truncate(limit);
    Ok(Page { items, has_more })
}

/// What the network's stock figures need of every coach whose staff record is active: her
/// municipalities, when her profile was made, when she was certified.
pub fn coach_facts(
    conn: &mut DbConnection,
) -> Result<Vec<domain::indicator::stock::CoachFacts>, PersistenceError> {
    use crate::improvement::municipality_links;
    use crate::schema::staff;

    let mut municipalities = municipality_links(conn, Relation::CoachMunicipality)?;
    let rows: Vec<(String, NaiveDateTime, Option<NaiveDate>)> = coaches::table
        .inner_join(staff::table.on(staff::id.eq(coaches::staff_id)))
        .filter(staff::active.eq(true))
        .select((
            coaches::staff_id,
            coaches::created_at,
            coaches::certified_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, created_at, certified_on)| domain::indicator::stock::CoachFacts {
                municipalities: municipalities.remove(&id).unwrap_or_default(),
                since: to_utc(created_at),
                certified_on,
            },
        )
        .collect())
}
