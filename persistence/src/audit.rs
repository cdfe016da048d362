//! The access log: append and read, never update or delete.
//!
//! Writes that change a record append their event in their own transaction. Reads hand their
//! event to the [`AuditWriter`], which commits the events of concurrent reads together and
//! answers each read only after its event is committed: as durable as a transaction of its
//! own, for a fraction of the commits.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::record::{AuditEvent, Outcome, Purpose};
use uuid::Uuid;

use crate::schema::audit_events;
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use std::sync::{Arc, Mutex, mpsc};

use crate::{DatabaseUrl, DbConnection, Page, PageRequest, PersistenceError};

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

fn row(event: &AuditEvent) -> AuditRow {
    AuditRow {
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
    }
}

pub fn append(conn: &mut DbConnection, event: &AuditEvent) -> Result<(), PersistenceError> {
    diesel::insert_into(audit_events::table)
        .values(row(event))
        .execute(conn)?;
    Ok(())
}

/// Inserts `rows` in one statement on the writer's connection, (re)connecting as needed.
fn commit(
    url: &DatabaseUrl,
    connection: &mut Option<DbConnection>,
    rows: &[AuditRow],
) -> Result<(), String> {
    if connection.is_none() {
        *connection = Some(url.connect().map_err(|e| e.to_string())?);
    }
    let Some(conn) = connection.as_mut() else {
        return Err("no connection".into());
    };
    // One multi-row INSERT is atomic and durable at its own commit: one round trip per batch.
    let result = crate::connection::execute_native(
        conn,
        diesel::insert_into(audit_events::table).values(rows),
    );
    if result.is_err() && diesel::r2d2::R2D2Connection::is_broken(conn) {
        *connection = None;
    }
    result.map(|_| ()).map_err(|e| e.to_string())
}

/// Waits for the next event, then takes every event already queued behind it (up to
/// [`MAX_BATCH`]); `None` once the writer is dropped.
fn next_batch(queue: &Mutex<mpsc::Receiver<Job>>) -> Option<Vec<Job>> {
    let queue = queue.lock().ok()?;
    let mut batch = vec![queue.recv().ok()?];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Writer threads, each with its own connection. One measured best on two cores (two gave
/// 17 % fewer logged reads per second in `bench/run.sh`).
const WRITER_THREADS: usize = 1;

/// Most events committed in one transaction by the [`AuditWriter`].
const MAX_BATCH: usize = 256;

struct Job {
    event: AuditEvent,
    committed: mpsc::SyncSender<Result<(), String>>,
}

/// Commits access-log events of many requests together (group commit) on its own thread.
pub struct AuditWriter {
    jobs: mpsc::Sender<Job>,
}

impl AuditWriter {
    /// Starts the writer threads, each with a connection of its own: borrowing from the
    /// request pool would deadlock once every pooled connection belongs to a read waiting for
    /// the writer. The threads stop when the writer is dropped.
    pub fn start(url: DatabaseUrl) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..WRITER_THREADS {
            let (queue, url) = (Arc::clone(&queue), url.clone());
            std::thread::Builder::new()
                .name(format!("audit-writer-{n}"))
                .spawn(move || {
                    let mut connection: Option<DbConnection> = None;
                    while let Some(batch) = next_batch(&queue) {
                        let rows: Vec<AuditRow> = batch.iter().map(|job| row(&job.event)).collect();
                        let result = commit(&url, &mut connection, &rows);
                        for job in batch {
                            // A caller that gave up waiting no longer needs the answer.
                            let _ = job.committed.send(result.clone());
                        }
                    }
                })?;
        }
        Ok(Self { jobs })
    }

    /// Appends `event` and returns once it is committed; an error means it was not written.
    pub fn append_durably(&self, event: AuditEvent) -> Result<(), PersistenceError> {
        let (committed, outcome) = mpsc::sync_channel(1);
        let stopped = || PersistenceError::Unavailable("the access-log writer has stopped".into());
        self.jobs
            .send(Job { event, committed })
            .map_err(|_| stopped())?;
        outcome
            .recv()
            .map_err(|_| stopped())?
            .map_err(|e| PersistenceError::Unavailable(format!("access log not written: {e}")))
    }
}

/// Which events a log listing returns.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// E.g. `register-existing`, `emergency-access`, `read`.
    pub action: Option<String>,
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
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
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
