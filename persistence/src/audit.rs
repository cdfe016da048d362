//! The access log: append and read, never update or delete.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::record::{AuditEvent, Outcome, Purpose};
use uuid::Uuid;

use crate::schema::audit_events;
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
struct AuditRow {
    id: String,
    occurred_at: NaiveDateTime,
    subject: String,
    unit_id: Option<String>,
    organization_id: Option<String>,
    person_id: Option<String>,
    action: String,
    resource: String,
    purpose: String,
    outcome: String,
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = PersistenceError;

    fn try_from(row: AuditRow) -> Result<Self, PersistenceError> {
        Ok(AuditEvent {
            id: parse_uuid(&row.id)?,
            occurred_at: to_utc(row.occurred_at),
            subject: row.subject,
            unit_id: parse_optional_uuid(row.unit_id.as_deref())?,
            organization_id: parse_optional_uuid(row.organization_id.as_deref())?,
            person_id: parse_optional_uuid(row.person_id.as_deref())?,
            action: row.action,
            resource: row.resource,
            purpose: stored("audit_events.purpose", Purpose::parse(&row.purpose))?,
            outcome: stored("audit_events.outcome", Outcome::parse(&row.outcome))?,
        })
    }
}

pub fn append(conn: &mut DbConnection, event: &AuditEvent) -> Result<(), PersistenceError> {
    let row = AuditRow {
        id: event.id.to_string(),
        occurred_at: event.occurred_at.naive_utc(),
        subject: event.subject.clone(),
        unit_id: event.unit_id.map(|id| id.to_string()),
        organization_id: event.organization_id.map(|id| id.to_string()),
        person_id: event.person_id.map(|id| id.to_string()),
        action: event.action.clone(),
        resource: event.resource.clone(),
        purpose: event.purpose.as_str().to_owned(),
        outcome: event.outcome.as_str().to_owned(),
    };
    diesel::insert_into(audit_events::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Which events a log listing returns.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub person_id: Option<Uuid>,
    pub subject: Option<String>,
    pub unit_id: Option<Uuid>,
    pub emergency_only: bool,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEvent>, PersistenceError> {
    let mut query = audit_events::table
        .select(AuditRow::as_select())
        .into_boxed();
    if let Some(person) = filter.person_id {
        query = query.filter(audit_events::person_id.eq(person.to_string()));
    }
    if let Some(subject) = &filter.subject {
        query = query.filter(audit_events::subject.eq(subject.clone()));
    }
    if let Some(unit) = filter.unit_id {
        query = query.filter(audit_events::unit_id.eq(unit.to_string()));
    }
    if filter.emergency_only {
        query = query.filter(audit_events::purpose.eq(Purpose::Emergency.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::occurred_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_events::occurred_at.lt(to.naive_utc()));
    }
    if let Some(after) = page.after_text() {
        query = query.filter(audit_events::id.gt(after));
    }
    let rows = query
        .order(audit_events::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, AuditEvent::try_from)
}

/// Number of events about a person (for checks that every access was logged).
pub fn count_for_person(conn: &mut DbConnection, person_id: Uuid) -> Result<i64, PersistenceError> {
    Ok(audit_events::table
        .filter(audit_events::person_id.eq(person_id.to_string()))
        .count()
        .get_result(conn)?)
}
