//! The access log: append and read, never update or delete.
//!
//! Writes that change a record append their event in their own transaction. Reads hand their
//! event to the [`AuditWriter`], which commits the events of concurrent reads together and
//! answers each read only after its event is committed: as durable as a transaction of its
//! own, for a fraction of the commits.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::record::{AuditAction, AuditEvent, AuditResource, Outcome, Purpose};
use uuid::Uuid;

use crate::schema::audit_events;
use crate::snapshot::{self, RecordStamp};
use crate::text::{stored, to_utc};
use crate::uuid_column::StoredUuid;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::oneshot;

use crate::{DatabaseUrl, DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
struct AuditRow {
    id: StoredUuid,
    occurred_at: NaiveDateTime,
    subject: String,
    unit_id: Option<StoredUuid>,
    organization_id: Option<StoredUuid>,
    person_id: Option<StoredUuid>,
    action: String,
    resource: String,
    purpose: String,
    outcome: String,
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = PersistenceError;

    fn try_from(row: AuditRow) -> Result<Self, PersistenceError> {
        Ok(AuditEvent {
            id: row.id.0,
            occurred_at: to_utc(row.occurred_at),
            subject: row.subject,
            unit_id: row.unit_id.map(|id| id.0),
            organization_id: row.organization_id.map(|id| id.0),
            person_id: row.person_id.map(|id| id.0),
            action: stored("audit_events.action", AuditAction::parse(&row.action))?,
            resource: stored("audit_events.resource", AuditResource::parse(&row.resource))?,
            purpose: stored("audit_events.purpose", Purpose::parse(&row.purpose))?,
            outcome: stored("audit_events.outcome", Outcome::parse(&row.outcome))?,
        })
    }
}

fn row(event: &AuditEvent) -> AuditRow {
    AuditRow {
        id: StoredUuid(event.id),
        occurred_at: event.occurred_at.naive_utc(),
        subject: event.subject.clone(),
        unit_id: event.unit_id.map(StoredUuid),
        organization_id: event.organization_id.map(StoredUuid),
        person_id: event.person_id.map(StoredUuid),
        action: event.action.as_str().to_owned(),
        resource: event.resource.as_str().to_owned(),
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

/// Appends many events (a bulk write's, one per person) in the caller's transaction.
pub fn append_all(conn: &mut DbConnection, events: &[AuditEvent]) -> Result<(), PersistenceError> {
    for chunk in events.chunks(crate::ROWS_PER_STATEMENT) {
        let rows: Vec<AuditRow> = chunk.iter().map(row).collect();
        insert_rows(conn, &rows)?;
    }
    Ok(())
}

/// Writes `rows` in one statement: atomic, and durable at its own commit. On PostgreSQL a
/// binary `COPY` (diesel's `copy_from`), which fills heap pages many rows at a time with one
/// WAL record each: alternated by hand with the prepared `INSERT … SELECT FROM unnest(arrays)`
/// it replaced (two runs each, docs/BENCHMARKS.md), the caseload averaged 9 % more pages per
/// second, within the machine's run-to-run noise, and the hand-written statement went. SQLite
/// has no `COPY`: a multi-row `INSERT`, parsed in-process.
fn insert_rows(conn: &mut DbConnection, rows: &[AuditRow]) -> Result<(), PersistenceError> {
    match conn {
        DbConnection::Postgresql(pg) => diesel::copy_from(audit_events::table)
            .from_insertable(rows)
            .execute(pg),
        DbConnection::Sqlite(sqlite) => diesel::insert_into(audit_events::table)
            .values(rows)
            .execute(sqlite),
    }?;
    Ok(())
}

/// Commits the events of `batch` in one statement on the writer's connection, (re)connecting
/// as needed; per job, whether its event was written. A conditional event whose record's
/// stamp has moved is left out (see [`AuditWriter::submit_if_unchanged`]).
fn commit(
    url: &DatabaseUrl,
    connection: &mut Option<DbConnection>,
    batch: &[Job],
) -> Result<Vec<bool>, String> {
    if connection.is_none() {
        *connection = Some(url.connect().map_err(|e| e.to_string())?);
    }
    let Some(conn) = connection.as_mut() else {
        return Err("no connection".into());
    };
    let result = write_unchanged(conn, batch);
    if result.is_err() {
        // A failed batch drops the connection, whatever the error: diesel marks a PostgreSQL
        // connection broken only after a statement that reports its transaction status, which
        // `COPY` does not, so a lost connection looked healthy and every later batch failed
        // (503) until a conditional event's stamp query ran on it
        // (`reliability/db_outage.sh`, the caseload's logged reads). Errors are rare; a new
        // connection for the next batch is cheap.
        *connection = None;
    }
    result.map_err(|e| e.to_string())
}

fn write_unchanged(conn: &mut DbConnection, batch: &[Job]) -> Result<Vec<bool>, PersistenceError> {
    let conditional: Vec<Uuid> = batch
        .iter()
        .filter_map(|job| job.expected.map(|(person, _)| person))
        .collect();
    let current = if conditional.is_empty() {
        HashMap::new()
    } else {
        snapshot::stamps(conn, &conditional)?
    };
    let written: Vec<bool> = batch
        .iter()
        .map(|job| match job.expected {
            None => true,
            Some((person, stamp)) => current.get(&person) == Some(&stamp),
        })
        .collect();
    let rows: Vec<AuditRow> = batch
        .iter()
        .zip(&written)
        .filter(|(_, written)| **written)
        .flat_map(|(job, _)| job.events.iter().map(row))
        .collect();
    if rows.is_empty() {
        return Ok(written);
    }
    // One round trip per batch (at most `MAX_BATCH` rows).
    insert_rows(conn, &rows)?;
    Ok(written)
}

/// Waits for the next job, then takes every job already queued behind it while the batch
/// holds fewer than [`MAX_BATCH`] events; `None` once the writer is dropped.
fn next_batch(queue: &Mutex<mpsc::Receiver<Job>>) -> Option<Vec<Job>> {
    let queue = queue.lock().ok()?;
    let first = queue.recv().ok()?;
    let mut events = first.events.len();
    let mut batch = vec![first];
    while events < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => {
                events += job.events.len();
                batch.push(job);
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Writer threads, each with its own connection. One measured best on two cores (two gave
/// 17 % fewer logged reads per second in `bench/run.sh`).
const WRITER_THREADS: usize = 1;

/// Events from which the [`AuditWriter`] takes no more jobs into the batch (a batch may end
/// above it by the last job's events, at most [`MAX_JOB`]).
const MAX_BATCH: usize = 256;

/// Most events in one job ([`AuditWriter::submit_all`]): a list's page (at most 200 persons).
pub const MAX_JOB: usize = 200;

struct Job {
    /// Written together or not at all.
    events: Vec<AuditEvent>,
    /// Write the events only if her record's stamp is still this.
    expected: Option<(Uuid, RecordStamp)>,
    /// Whether the events were written, once they are committed.
    committed: oneshot::Sender<Result<bool, String>>,
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
                        let result = commit(&url, &mut connection, &batch);
                        for (n, job) in batch.into_iter().enumerate() {
                            let written = result.as_ref().map(|written| written[n]);
                            // A caller that gave up waiting no longer needs the answer.
                            let _ = job.committed.send(written.map_err(Clone::clone));
                        }
                    }
                })?;
        }
        Ok(Self { jobs })
    }

    /// Hands `event` to the writer; the answer says when it is committed.
    pub fn submit(&self, event: AuditEvent) -> Result<PendingEvent, PersistenceError> {
        self.enqueue(vec![event], None)
    }

    /// Hands `events` (a list's, one per person shown; at most [`MAX_JOB`]) to the writer, to
    /// be written in one statement; the answer says when all are committed. More than
    /// [`MAX_JOB`] are refused.
    pub fn submit_all(&self, events: Vec<AuditEvent>) -> Result<PendingEvent, PersistenceError> {
        if events.len() > MAX_JOB {
            return Err(PersistenceError::Unavailable(format!(
                "at most {MAX_JOB} access-log events are written together, not {}",
                events.len()
            )));
        }
        self.enqueue(events, None)
    }

    /// Hands `event` to the writer, to be written only if the record of `person_id` still has
    /// `stamp` when the batch is written: a read decided on a record kept in memory is checked
    /// and logged in one round trip of the writer's. The answer says whether it was written.
    pub fn submit_if_unchanged(
        &self,
        event: AuditEvent,
        person_id: Uuid,
        stamp: RecordStamp,
    ) -> Result<PendingEvent, PersistenceError> {
        self.enqueue(vec![event], Some((person_id, stamp)))
    }

    fn enqueue(
        &self,
        events: Vec<AuditEvent>,
        expected: Option<(Uuid, RecordStamp)>,
    ) -> Result<PendingEvent, PersistenceError> {
        let (committed, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                events,
                expected,
                committed,
            })
            .map_err(|_| writer_stopped())?;
        Ok(PendingEvent(answer))
    }
}

/// How long a request waits for the writer to confirm its event before it fails (503): a
/// stuck log must not hold requests without bound. The event may still be written later —
/// the safe side: a logged access that was never answered.
const CONFIRM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// An event handed to the [`AuditWriter`], not yet confirmed.
pub struct PendingEvent(oneshot::Receiver<Result<bool, String>>);

impl PendingEvent {
    /// Resolves once the event is committed: whether it was written (`false`: its record
    /// changed, nothing was written); an error means it was not written or not confirmed in
    /// time.
    pub async fn written(self) -> Result<bool, PersistenceError> {
        match tokio::time::timeout(CONFIRM_TIMEOUT, self.0).await {
            Ok(answer) => settled(answer),
            Err(_) => Err(PersistenceError::Unavailable(
                "the access log did not confirm the event in time".into(),
            )),
        }
    }

    /// As [`Self::written`], blocking the thread (for database work only).
    pub fn wait_written(self) -> Result<bool, PersistenceError> {
        settled(self.0.blocking_recv())
    }
}

fn writer_stopped() -> PersistenceError {
    PersistenceError::Unavailable("the access-log writer has stopped".into())
}

/// What the writer said about a submitted event.
fn settled(
    answer: Result<Result<bool, String>, oneshot::error::RecvError>,
) -> Result<bool, PersistenceError> {
    answer
        .map_err(|_| writer_stopped())?
        .map_err(|e| PersistenceError::Unavailable(format!("access log not written: {e}")))
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
        query = query.filter(audit_events::person_id.eq(StoredUuid(person)));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(subject) = &filter.subject {
        query = query.filter(audit_events::subject.eq(subject.clone()));
    }
    if let Some(unit) = filter.unit_id {
        query = query.filter(audit_events::unit_id.eq(StoredUuid(unit)));
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
    if let Some(after) = page.after {
        query = query.filter(audit_events::id.gt(StoredUuid(after)));
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
        .filter(audit_events::person_id.eq(StoredUuid(person_id)))
        .count()
        .get_result(conn)?)
}
