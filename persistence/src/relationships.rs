//! Care relationships and emergency accesses: the grounds for reading a person's record. Her
//! care relationships are her record's part in the record snapshot ([`crate::snapshot`]);
//! emergency accesses are looked up per request, with their expiry.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::record::{CareRelationship, EmergencyAccess, FreeText, RelationshipRole};
use uuid::Uuid;

use crate::record_part::record_part;
use crate::schema::{care_relationships, emergency_accesses};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = care_relationships, treat_none_as_null = true, treat_none_as_default_value = false)]
struct RelationshipRow {
    id: String,
    person_id: String,
    care_unit_id: String,
    organization_id: String,
    staff_id: Option<String>,
    role: String,
    started_by: String,
    started_at: NaiveDateTime,
    ended_by: Option<String>,
    ended_at: Option<NaiveDateTime>,
    started_by_unit_id: Option<String>,
    ended_by_unit_id: Option<String>,
}

impl From<&CareRelationship> for RelationshipRow {
    fn from(r: &CareRelationship) -> Self {
        Self {
            id: r.id.to_string(),
            person_id: r.person_id.to_string(),
            care_unit_id: r.care_unit_id.to_string(),
            organization_id: r.organization_id.to_string(),
            staff_id: r.staff_id.map(|id| id.to_string()),
            role: r.role.as_str().to_owned(),
            started_by: r.started_by.clone(),
            started_at: r.started_at.naive_utc(),
            ended_by: r.ended_by.clone(),
            ended_at: r.ended_at.map(|at| at.naive_utc()),
            started_by_unit_id: r.started_by_unit.map(|id| id.to_string()),
            ended_by_unit_id: r.ended_by_unit.map(|id| id.to_string()),
        }
    }
}

impl TryFrom<RelationshipRow> for CareRelationship {
    type Error = PersistenceError;

    fn try_from(row: RelationshipRow) -> Result<Self, PersistenceError> {
        Ok(CareRelationship {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            care_unit_id: parse_uuid(&row.care_unit_id)?,
            organization_id: parse_uuid(&row.organization_id)?,
            staff_id: parse_optional_uuid(row.staff_id.as_deref())?,
            role: stored(
                "care_relationships.role",
                RelationshipRole::parse(&row.role),
            )?,
            started_by: row.started_by,
            started_by_unit: parse_optional_uuid(row.started_by_unit_id.as_deref())?,
            started_at: to_utc(row.started_at),
            ended_by: row.ended_by,
            ended_by_unit: parse_optional_uuid(row.ended_by_unit_id.as_deref())?,
            ended_at: row.ended_at.map(to_utc),
        })
    }
}

record_part! {
    /// Her care relationships, ended ones included, as their part of the record snapshot.
    pub(crate) mod relationship_part = "relationship", care_relationships where person_id
        => RelationshipRow => CareRelationship {
        id: text,
        person_id: text,
        care_unit_id: text,
        organization_id: text,
        staff_id: optional,
        role: text,
        started_by: text,
        started_at: timestamp,
        ended_by: optional,
        ended_at: optional_timestamp,
        started_by_unit_id: optional,
        ended_by_unit_id: optional,
    }
}

pub fn insert(
    conn: &mut DbConnection,
    relationship: &CareRelationship,
) -> Result<(), PersistenceError> {
    diesel::insert_into(care_relationships::table)
        .values(RelationshipRow::from(relationship))
        .execute(conn)?;
    Ok(())
}

/// Inserts many relationships, a few hundred rows per statement.
pub fn insert_all(
    conn: &mut DbConnection,
    relationships: &[CareRelationship],
) -> Result<(), PersistenceError> {
    crate::connection::insert_all!(
        conn,
        care_relationships::table,
        relationships,
        RelationshipRow
    )
}

/// Which of `person_ids` the unit has a care relationship in force with.
pub fn cared_for_by_unit(
    conn: &mut DbConnection,
    care_unit_id: Uuid,
    person_ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, PersistenceError> {
    let mut cared_for = std::collections::HashSet::new();
    for chunk in person_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let ids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let rows: Vec<String> = care_relationships::table
            .filter(care_relationships::care_unit_id.eq(care_unit_id.to_string()))
            .filter(care_relationships::ended_at.is_null())
            .filter(care_relationships::person_id.eq_any(ids))
            .select(care_relationships::person_id)
            .load(conn)?;
        for id in rows {
            cared_for.insert(parse_uuid(&id)?);
        }
    }
    Ok(cared_for)
}

/// Puts the care relationships in force of `unit` under `organization`, the unit's
/// organization in the directory now (it moved, e.g. a vårdcentral changing care provider): a
/// relationship's organization decides which organization's staff and integrations reach her
/// (`domain::access::decide`) and whose entries the unit's staff see without her consent, so it
/// must be the unit's. Each person's record version moves with it (the relationships'
/// triggers), so no cached record keeps the old one. Ended relationships keep the organization
/// they were held under. Returns how many moved.
pub fn move_unit_to_organization(
    conn: &mut DbConnection,
    unit: Uuid,
    organization: Uuid,
) -> Result<usize, PersistenceError> {
    let organization = organization.to_string();
    Ok(diesel::update(
        care_relationships::table
            .filter(care_relationships::care_unit_id.eq(unit.to_string()))
            .filter(care_relationships::ended_at.is_null())
            .filter(care_relationships::organization_id.ne(&organization)),
    )
    .set(care_relationships::organization_id.eq(&organization))
    .execute(conn)?)
}

/// The ids of her care relationships in force (with `unit` only, when given), read after her
/// relationships are locked (PostgreSQL: in id order, as [`crate::persons::update`] takes
/// them; SQLite has one writer). Every write that depends on who cares for her and every end
/// of a relationship takes this lock first, so they run one after the other: two requests
/// ending the unit's last two relationships at once do not both find the other still in
/// force, and a case opened or a message sent meanwhile is seen by the end (or sees it).
pub fn lock_in_force(
    conn: &mut DbConnection,
    person_id: Uuid,
    unit: Option<Uuid>,
) -> Result<Vec<Uuid>, PersistenceError> {
    let person = person_id.to_string();
    if let DbConnection::Postgresql(pg) = conn {
        care_relationships::table
            .filter(care_relationships::person_id.eq(&person))
            .select(care_relationships::id)
            .order(care_relationships::id)
            .for_no_key_update()
            .load::<String>(pg)?;
    }
    let mut query = care_relationships::table
        .filter(care_relationships::person_id.eq(&person))
        .filter(care_relationships::ended_at.is_null())
        .select(care_relationships::id)
        .into_boxed();
    if let Some(unit) = unit {
        query = query.filter(care_relationships::care_unit_id.eq(unit.to_string()));
    }
    let ids: Vec<String> = query.load(conn)?;
    ids.iter().map(|id| parse_uuid(id)).collect()
}

/// Records the end of a relationship still in force (`StateConflict` when it has ended).
pub fn end(
    conn: &mut DbConnection,
    relationship: &CareRelationship,
) -> Result<(), PersistenceError> {
    let changed = diesel::update(care_relationships::table.find(relationship.id.to_string()))
        .filter(care_relationships::ended_at.is_null())
        .set(RelationshipRow::from(relationship))
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::StateConflict);
    }
    Ok(())
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = emergency_accesses)]
struct EmergencyRow {
    id: String,
    person_id: String,
    subject: String,
    unit_id: String,
    organization_id: Option<String>,
    reason: String,
    granted_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

pub fn insert_emergency_access(
    conn: &mut DbConnection,
    access: &EmergencyAccess,
) -> Result<(), PersistenceError> {
    let row = EmergencyRow {
        id: access.id.to_string(),
        person_id: access.person_id.to_string(),
        subject: access.subject.clone(),
        unit_id: access.unit_id.to_string(),
        organization_id: access.organization_id.map(|id| id.to_string()),
        reason: access.reason.to_string(),
        granted_at: access.granted_at.naive_utc(),
        expires_at: access.expires_at.naive_utc(),
    };
    diesel::insert_into(emergency_accesses::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The caller's emergency access to the person from this unit that is still running at `now`.
pub fn active_emergency_access(
    conn: &mut DbConnection,
    person_id: Uuid,
    subject: &str,
    unit_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<EmergencyAccess>, PersistenceError> {
    let row: Option<EmergencyRow> = emergency_accesses::table
        .filter(emergency_accesses::person_id.eq(person_id.to_string()))
        .filter(emergency_accesses::subject.eq(subject))
        .filter(emergency_accesses::unit_id.eq(unit_id.to_string()))
        .filter(emergency_accesses::expires_at.gt(now.naive_utc()))
        .order(emergency_accesses::expires_at.desc())
        .select(EmergencyRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| {
        Ok(EmergencyAccess {
            id: parse_uuid(&row.id)?,
            person_id,
            subject: row.subject,
            unit_id: parse_uuid(&row.unit_id)?,
            organization_id: parse_optional_uuid(row.organization_id.as_deref())?,
            reason: stored("emergency_accesses.reason", FreeText::parse(&row.reason))?,
            granted_at: to_utc(row.granted_at),
            expires_at: to_utc(row.expires_at),
        })
    })
    .transpose()
}
