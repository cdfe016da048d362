//! Coordinated individual plans and their versions. A version is written once and never
//! changed; its content is stored as one JSON document (`StoredContent`), read and written
//! only here.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::plan::{
    ActionStatus, CarePlan, FollowUp, Participants, PlanAction, PlanChange, PlanContent,
    PlanVersion,
};
use domain::record::FreeText;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::schema::{care_plan_versions, care_plans};
use crate::text::{parse_uuid, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = care_plans)]
struct PlanRow {
    id: String,
    person_id: String,
    created_by_unit: String,
    created_by_organization: String,
    created_at: NaiveDateTime,
    version: i64,
    /// The current version's follow-up date and overall responsible organization, copied
    /// from its content for the follow-up list (`None` only on rows no version wrote yet).
    follow_up_date: Option<NaiveDate>,
    responsible_organization_id: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = care_plan_versions)]
struct VersionRow {
    plan_id: String,
    version: i64,
    change_kind: String,
    note: Option<String>,
    content: String,
    changed_by: String,
    changed_by_unit: String,
    changed_at: NaiveDateTime,
}

/// The stored form of [`PlanContent`]. Field names are part of the stored format: rename
/// only with a migration of the documents.
#[derive(Serialize, Deserialize)]
struct StoredContent {
    needs: String,
    goals: String,
    overall_responsible_organization_id: Uuid,
    actions: Vec<StoredAction>,
    participants: StoredParticipants,
    follow_up_date: NaiveDate,
    follow_ups: Vec<StoredFollowUp>,
}

#[derive(Serialize, Deserialize)]
struct StoredAction {
    id: Uuid,
    intervention: String,
    responsible_organization_id: Uuid,
    status: String,
    due_date: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize)]
struct StoredParticipants {
    care_units: Vec<Uuid>,
    staff: Vec<Uuid>,
    person: bool,
    relatives: Vec<Uuid>,
}

#[derive(Serialize, Deserialize)]
struct StoredFollowUp {
    id: Uuid,
    held_on: NaiveDate,
    evaluation: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

fn text(column: &str, value: &str) -> Result<FreeText, PersistenceError> {
    stored(column, FreeText::parse(value))
}

impl StoredContent {
    fn new(c: &PlanContent) -> Self {
        Self {
            needs: c.needs.to_string(),
            goals: c.goals.to_string(),
            overall_responsible_organization_id: c.overall_responsible_organization_id,
            actions: c
                .actions
                .iter()
                .map(|a| StoredAction {
                    id: a.id,
                    intervention: a.intervention.to_string(),
                    responsible_organization_id: a.responsible_organization_id,
                    status: a.status.as_str().to_owned(),
                    due_date: a.due_date,
                })
                .collect(),
            participants: StoredParticipants {
                care_units: c.participants.care_units.clone(),
                staff: c.participants.staff.clone(),
                person: c.participants.person,
                relatives: c.participants.relatives.clone(),
            },
            follow_up_date: c.follow_up_date,
            follow_ups: c
                .follow_ups
                .iter()
                .map(|f| StoredFollowUp {
                    id: f.id,
                    held_on: f.held_on,
                    evaluation: f.evaluation.to_string(),
                    recorded_by: f.recorded_by.clone(),
                    recorded_at: f.recorded_at,
                })
                .collect(),
        }
    }

    fn into_domain(self) -> Result<PlanContent, PersistenceError> {
        let mut actions = Vec::with_capacity(self.actions.len());
        for a in self.actions {
            actions.push(PlanAction {
                id: a.id,
                intervention: text("care_plan_versions.content.actions", &a.intervention)?,
                responsible_organization_id: a.responsible_organization_id,
                status: stored(
                    "care_plan_versions.content.actions.status",
                    ActionStatus::parse(&a.status),
                )?,
                due_date: a.due_date,
            });
        }
        let mut follow_ups = Vec::with_capacity(self.follow_ups.len());
        for f in self.follow_ups {
            follow_ups.push(FollowUp {
                id: f.id,
                held_on: f.held_on,
                evaluation: text("care_plan_versions.content.follow_ups", &f.evaluation)?,
                recorded_by: f.recorded_by,
                recorded_at: f.recorded_at,
            });
        }
        Ok(PlanContent {
            needs: text("care_plan_versions.content.needs", &self.needs)?,
            goals: text("care_plan_versions.content.goals", &self.goals)?,
            overall_responsible_organization_id: self.overall_responsible_organization_id,
            actions,
            participants: Participants {
                care_units: self.participants.care_units,
                staff: self.participants.staff,
                person: self.participants.person,
                relatives: self.participants.relatives,
            },
            follow_up_date: self.follow_up_date,
            follow_ups,
        })
    }
}

impl VersionRow {
    fn new(plan_id: Uuid, v: &PlanVersion) -> Result<Self, PersistenceError> {
        let content = serde_json::to_string(&StoredContent::new(&v.content))
            .map_err(|e| PersistenceError::Corrupt(format!("plan content: {e}")))?;
        Ok(Self {
            plan_id: plan_id.to_string(),
            version: v.version,
            change_kind: v.change.as_str().to_owned(),
            note: v.note.as_ref().map(ToString::to_string),
            content,
            changed_by: v.changed_by.clone(),
            changed_by_unit: v.changed_by_unit.to_string(),
            changed_at: v.changed_at.naive_utc(),
        })
    }

    fn into_domain(self) -> Result<PlanVersion, PersistenceError> {
        let content: StoredContent = serde_json::from_str(&self.content).map_err(|e| {
            PersistenceError::Corrupt(format!(
                "care_plan_versions.content of {}: {e}",
                self.plan_id
            ))
        })?;
        Ok(PlanVersion {
            version: self.version,
            change: stored(
                "care_plan_versions.change_kind",
                PlanChange::parse(&self.change_kind),
            )?,
            note: self
                .note
                .as_deref()
                .map(|n| text("care_plan_versions.note", n))
                .transpose()?,
            content: content.into_domain()?,
            changed_by: self.changed_by,
            changed_by_unit: parse_uuid(&self.changed_by_unit)?,
            changed_at: to_utc(self.changed_at),
        })
    }
}

fn plan(row: PlanRow, current: VersionRow) -> Result<CarePlan, PersistenceError> {
    Ok(CarePlan {
        id: parse_uuid(&row.id)?,
        person_id: parse_uuid(&row.person_id)?,
        created_by_unit: parse_uuid(&row.created_by_unit)?,
        created_by_organization: parse_uuid(&row.created_by_organization)?,
        created_at: to_utc(row.created_at),
        current: current.into_domain()?,
    })
}

/// Stores a new plan with its first version.
pub fn insert(conn: &mut DbConnection, plan: &CarePlan) -> Result<(), PersistenceError> {
    diesel::insert_into(care_plans::table)
        .values(PlanRow {
            id: plan.id.to_string(),
            person_id: plan.person_id.to_string(),
            created_by_unit: plan.created_by_unit.to_string(),
            created_by_organization: plan.created_by_organization.to_string(),
            created_at: plan.created_at.naive_utc(),
            version: plan.current.version,
            follow_up_date: Some(plan.current.content.follow_up_date),
            responsible_organization_id: Some(responsible_organization(&plan.current)),
        })
        .execute(conn)?;
    diesel::insert_into(care_plan_versions::table)
        .values(VersionRow::new(plan.id, &plan.current)?)
        .execute(conn)?;
    Ok(())
}

/// The column copy of a version's overall responsible organization.
fn responsible_organization(version: &PlanVersion) -> String {
    version
        .content
        .overall_responsible_organization_id
        .to_string()
}

/// Adds `next` as the plan's current version if the plan is still at `next.version - 1`.
pub fn append_version(
    conn: &mut DbConnection,
    plan_id: Uuid,
    next: &PlanVersion,
) -> Result<(), PersistenceError> {
    let changed = diesel::update(care_plans::table.find(plan_id.to_string()))
        .filter(care_plans::version.eq(next.version - 1))
        .set((
            care_plans::version.eq(next.version),
            care_plans::follow_up_date.eq(Some(next.content.follow_up_date)),
            care_plans::responsible_organization_id.eq(Some(responsible_organization(next))),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    diesel::insert_into(care_plan_versions::table)
        .values(VersionRow::new(plan_id, next)?)
        .execute(conn)?;
    Ok(())
}

/// The person a plan is about, without loading it: the access rules start from her.
pub fn person_of_plan(conn: &mut DbConnection, id: Uuid) -> Result<Option<Uuid>, PersistenceError> {
    let person: Option<String> = care_plans::table
        .find(id.to_string())
        .select(care_plans::person_id)
        .first(conn)
        .optional()?;
    person.map(|p| parse_uuid(&p)).transpose()
}

/// Which plans to load.
enum Plans {
    WithId(Uuid),
    OfPersons(Vec<String>),
}

/// The plans with their current versions, oldest first.
fn current_versions(
    conn: &mut DbConnection,
    which: Plans,
) -> Result<Vec<CarePlan>, PersistenceError> {
    let mut query = care_plans::table.into_boxed();
    query = match which {
        Plans::WithId(id) => query.filter(care_plans::id.eq(id.to_string())),
        Plans::OfPersons(persons) => query.filter(care_plans::person_id.eq_any(persons)),
    };
    let rows: Vec<(PlanRow, VersionRow)> = query
        .inner_join(
            care_plan_versions::table.on(care_plan_versions::plan_id
                .eq(care_plans::id)
                .and(care_plan_versions::version.eq(care_plans::version))),
        )
        .order(care_plans::id)
        .select((PlanRow::as_select(), VersionRow::as_select()))
        .load(conn)?;
    rows.into_iter().map(|(p, v)| plan(p, v)).collect()
}

/// The plan with its current version.
pub fn find(conn: &mut DbConnection, id: Uuid) -> Result<Option<CarePlan>, PersistenceError> {
    Ok(current_versions(conn, Plans::WithId(id))?
        .into_iter()
        .next())
}

/// Her plans with their current versions, oldest first.
pub fn for_person(
    conn: &mut DbConnection,
    person_id: Uuid,
) -> Result<Vec<CarePlan>, PersistenceError> {
    current_versions(conn, Plans::OfPersons(vec![person_id.to_string()]))
}

/// The plans of each of `person_ids` with their current versions, oldest first (a list page's
/// persons, in one statement per 500).
pub fn for_persons(
    conn: &mut DbConnection,
    person_ids: &[Uuid],
) -> Result<Vec<CarePlan>, PersistenceError> {
    let mut plans = Vec::new();
    for chunk in person_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let ids = chunk.iter().map(Uuid::to_string).collect();
        plans.extend(current_versions(conn, Plans::OfPersons(ids))?);
    }
    Ok(plans)
}

/// What the follow-up list selects: plans of persons the unit cares for whose follow-up date
/// falls before a day, optionally only those an organization holds overall responsibility for.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpFilter {
    pub unit: Uuid,
    /// Exclusive.
    pub follow_up_before: NaiveDate,
    pub responsible_organization: Option<Uuid>,
}

/// A page of plans due for follow-up (see [`FollowUpFilter`]), earliest follow-up first, then
/// by id; the page continues after the plan `page.after` as it stands now (a plan followed up
/// meanwhile moves and may be passed).
pub fn due_for_follow_up(
    conn: &mut DbConnection,
    filter: &FollowUpFilter,
    page: crate::PageRequest,
) -> Result<crate::Page<CarePlan>, PersistenceError> {
    use crate::schema::care_relationships;
    let after = match page.after_text() {
        None => None,
        Some(after) => {
            let anchor: Option<Option<NaiveDate>> = care_plans::table
                .find(&after)
                .select(care_plans::follow_up_date)
                .first(conn)
                .optional()?;
            // Plans are never deleted; a cursor naming none has nothing after it.
            let Some(Some(date)) = anchor else {
                return Ok(crate::Page {
                    items: Vec::new(),
                    has_more: false,
                });
            };
            Some((date, after))
        }
    };
    let cared_for = care_relationships::table
        .filter(care_relationships::care_unit_id.eq(filter.unit.to_string()))
        .filter(care_relationships::ended_at.is_null())
        .select(care_relationships::person_id);
    let mut query = care_plans::table
        .inner_join(
            care_plan_versions::table.on(care_plan_versions::plan_id
                .eq(care_plans::id)
                .and(care_plan_versions::version.eq(care_plans::version))),
        )
        .filter(care_plans::person_id.eq_any(cared_for))
        .filter(care_plans::follow_up_date.lt(filter.follow_up_before))
        .select((PlanRow::as_select(), VersionRow::as_select()))
        .into_boxed();
    if let Some(organization) = filter.responsible_organization {
        query = query.filter(care_plans::responsible_organization_id.eq(organization.to_string()));
    }
    if let Some((date, id)) = after {
        query = query.filter(
            care_plans::follow_up_date
                .gt(date)
                .or(care_plans::follow_up_date
                    .eq(date)
                    .and(care_plans::id.gt(id))),
        );
    }
    let rows: Vec<(PlanRow, VersionRow)> = query
        .order((care_plans::follow_up_date.asc(), care_plans::id.asc()))
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, |(p, v)| plan(p, v))
}

/// Every version of a plan, oldest first.
pub fn versions(
    conn: &mut DbConnection,
    plan_id: Uuid,
) -> Result<Vec<PlanVersion>, PersistenceError> {
    care_plan_versions::table
        .filter(care_plan_versions::plan_id.eq(plan_id.to_string()))
        .order(care_plan_versions::version)
        .select(VersionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(VersionRow::into_domain)
        .collect()
}
