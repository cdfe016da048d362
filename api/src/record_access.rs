//! Access to personal data. Every operation on a person's record runs through [`guarded`]:
//! the rules of [`domain::access`] decide, the work runs, and exactly one access-log event is
//! written — in the same transaction as the work when it succeeds (so a request whose log
//! write fails is failed), and in a transaction of its own when access is refused or the
//! request fails. There is no way to read a record without leaving an event.

use actix_web::web;
use chrono::NaiveDate;
use domain::access::{AccessFacts, Grant, Viewer, decide};
use std::sync::Arc;

use domain::record::{AuditAction, AuditEvent, AuditResource, Outcome, Purpose, Recorder};
use persistence::audit::PendingEvent;
use persistence::connection::write_transaction;
use persistence::snapshot::{RecordSnapshot, RecordStamp};
use persistence::{DbConnection, PersistenceError, audit, relationships, snapshot};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::record_cache::RecordCache;
use crate::state::AppState;

/// Today in the business calendar (Europe/Stockholm), by the server's clock: the one date
/// every rule that needs "today" is given (deadlines, the century of 10-digit personal numbers,
/// the periods of the indicators).
pub fn today() -> NaiveDate {
    domain::discharge::stockholm_date(persistence::now())
}

/// What a request does to a record, as the access log names it.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub action: AuditAction,
    pub resource: AuditResource,
    /// Writes are refused under read-only grants (emergency access).
    pub writes: bool,
}

impl Access {
    pub const fn read(resource: AuditResource) -> Self {
        Self {
            action: AuditAction::Read,
            resource,
            writes: false,
        }
    }

    pub const fn write(action: AuditAction, resource: AuditResource) -> Self {
        Self {
            action,
            resource,
            writes: true,
        }
    }
}

/// A person's record as loaded for an access decision, and the decision. Derefs to the
/// record (`context.person`, `context.consents`, …).
pub struct RecordContext {
    pub record: Arc<RecordSnapshot>,
    pub grant: Grant,
}

impl std::ops::Deref for RecordContext {
    type Target = RecordSnapshot;

    fn deref(&self) -> &RecordSnapshot {
        &self.record
    }
}

/// Where a record is read from.
#[derive(Clone, Copy)]
pub enum RecordSource<'a> {
    /// Outside a transaction: through the cache of recently read records.
    Cache(&'a RecordCache),
    /// Inside a write transaction, straight from the database: what a transaction reads may
    /// never be committed, so it is not kept.
    Transaction,
}

impl Caller {
    /// The caller as the access rules see them.
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            roles: &self.roles,
            unit: self.unit,
            organization: self.organization,
            person: self.person,
        }
    }

    /// The caller as the author of an entry: staff write for their unit and organization.
    pub fn recorder(&self) -> Recorder {
        let staff = self.roles.iter().any(|role| *role != domain::Role::Person);
        Recorder {
            subject: self.subject.clone(),
            unit_id: self.unit.filter(|_| staff),
            organization_id: self.organization.filter(|_| staff),
        }
    }
}

/// An access-log event for `caller` about `person_id`.
pub fn event(
    caller: &Caller,
    person_id: Option<Uuid>,
    access: Access,
    purpose: Purpose,
    outcome: Outcome,
) -> AuditEvent {
    AuditEvent {
        id: Uuid::now_v7(),
        occurred_at: persistence::now(),
        subject: caller.subject.clone(),
        unit_id: caller.unit,
        organization_id: caller.organization,
        person_id,
        action: access.action,
        resource: access.resource,
        purpose,
        outcome,
    }
}

/// Loads the person and the facts the access rules need, and decides; `None` when the person
/// does not exist or the caller may not enter the record.
pub fn load_record(
    conn: &mut DbConnection,
    source: RecordSource<'_>,
    caller: &Caller,
    person_id: Uuid,
) -> Result<Option<RecordContext>, ApiError> {
    let record = match source {
        RecordSource::Cache(records) => records.load(conn, person_id)?,
        RecordSource::Transaction => snapshot::load(conn, person_id)?.map(Arc::new),
    };
    let Some(record) = record else {
        return Ok(None);
    };
    admit(conn, caller, record)
}

/// The access decision on a loaded record: the context when the caller may enter it.
fn admit(
    conn: &mut DbConnection,
    caller: &Caller,
    record: Arc<RecordSnapshot>,
) -> Result<Option<RecordContext>, ApiError> {
    let person_id = record.person.id;
    let grant = match (decide_on(caller, &record, false), caller.unit) {
        (Some(grant), _) => Some(grant),
        // An emergency access matters only when nothing else grants entry: look it up then.
        (None, Some(unit)) => {
            let now = persistence::now();
            let emergency = relationships::active_emergency_access(
                conn,
                person_id,
                &caller.subject,
                unit,
                now,
            )?;
            decide_on(caller, &record, emergency.is_some_and(|e| e.runs_at(now)))
        }
        (None, None) => None,
    };
    let Some(grant) = grant else { return Ok(None) };
    Ok(Some(RecordContext { record, grant }))
}

/// The access rules applied to `record` for `caller` today.
fn decide_on(caller: &Caller, record: &RecordSnapshot, emergency_access: bool) -> Option<Grant> {
    let facts = AccessFacts {
        person_id: record.person.id,
        relationships: &record.relationships,
        emergency_access,
        consents: &record.consents,
        blocks: &record.blocks,
        today: today(),
    };
    decide(&caller.viewer(), &facts)
}

/// The records of `person_ids` the caller may see, for lists that show several persons: read
/// together ([`RecordCache::load_many`]: the kept records' stamps, then the others in one
/// statement), each decided as a person read decides it. Log what is shown with [`log_shown`].
pub fn visible_records(
    conn: &mut DbConnection,
    records: &RecordCache,
    caller: &Caller,
    person_ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::BTreeMap<Uuid, RecordContext>, ApiError> {
    let mut ids: Vec<Uuid> = person_ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let records = records.load_many(conn, &ids)?;
    admit_all(conn, caller, records)
}

/// [`visible_records`] for persons listed with their records' stamps (read in the same
/// statement as the list, [`RecordCache::load_stamped`]).
pub fn visible_stamped_records(
    conn: &mut DbConnection,
    records: &RecordCache,
    caller: &Caller,
    persons: &[(Uuid, Option<RecordStamp>)],
) -> Result<std::collections::BTreeMap<Uuid, RecordContext>, ApiError> {
    let records = records.load_stamped(conn, persons)?;
    admit_all(conn, caller, records)
}

fn admit_all(
    conn: &mut DbConnection,
    caller: &Caller,
    records: std::collections::HashMap<Uuid, Arc<RecordSnapshot>>,
) -> Result<std::collections::BTreeMap<Uuid, RecordContext>, ApiError> {
    let mut visible = std::collections::BTreeMap::new();
    for (person_id, record) in records {
        if let Some(context) = admit(conn, caller, record)? {
            visible.insert(person_id, context);
        }
    }
    Ok(visible)
}

/// Logs one event per person a list showed, committed before the list is answered.
pub fn log_shown<'a>(
    state: &AppState,
    caller: &Caller,
    access: Access,
    shown: impl IntoIterator<Item = &'a RecordContext>,
) -> Result<(), ApiError> {
    // Handed over together (written in one statement a job), then confirmed.
    let mut events: Vec<AuditEvent> = shown
        .into_iter()
        .map(|context| {
            event(
                caller,
                Some(context.person.id),
                access,
                context.grant.purpose(),
                Outcome::Allowed,
            )
        })
        .collect();
    let mut pending = Vec::new();
    while !events.is_empty() {
        let rest = events.split_off(events.len().min(audit::MAX_JOB));
        pending.push(state.audit.submit_all(events)?);
        events = rest;
    }
    for job in pending {
        job.wait_written()?;
    }
    Ok(())
}

/// Why a guarded request did not complete.
enum Stop {
    /// Access refused: logged as `denied`, with the purpose of the grant when there was one.
    Refused(ApiError, Purpose),
    /// Access granted, then the request failed: logged as `failed`.
    Failed(ApiError, Purpose),
    /// Storage failed (including the log write itself): nothing is logged, the request fails.
    Storage(ApiError),
}

impl From<diesel::result::Error> for Stop {
    fn from(error: diesel::result::Error) -> Self {
        Stop::Storage(error.into())
    }
}

/// The answer to a caller who may not enter a record: the same as for a record that does not
/// exist, so nobody learns who is in the register.
pub fn not_found(person_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no person with id {person_id} that you may see"))
}

/// Runs `work` on a person's record under the access rules, logging the access. Writes
/// append their event in their own transaction. Reads run without a transaction (the record is
/// one statement) and hand their event to the group committer before leaving the database
/// thread, so a request given up meanwhile still leaves it; the confirmation is awaited off
/// that thread, in the request's place among those with database work. Either way the
/// response waits until the event is committed.
pub async fn guarded<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    person_id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &RecordContext, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let gate = Gate {
        hidden: not_found(person_id),
        admits: |_: &mut DbConnection, _: &RecordContext, _: &Caller| Ok(true),
    };
    guarded_part(state, caller, person_id, access, gate, work).await
}

/// What a caller let into a person's record must also pass to reach a part of it that has
/// rules of its own (a case conference: her blocks and consent on the scheduling unit's entry,
/// her own token only when invited), and the answer when she does not: the part's own 404,
/// which names neither her nor her record.
pub struct Gate<A> {
    pub hidden: ApiError,
    /// Whether the caller reaches the part; `false` is refused with `hidden`, logged `denied`.
    pub admits: A,
}

/// Runs `work` like [`guarded`] on a part of a person's record that only callers the `gate`
/// admits reach; a caller refused entry to her record, or not admitted, gets `gate.hidden`.
pub async fn guarded_part<T, A, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    person_id: Uuid,
    access: Access,
    gate: Gate<A>,
    work: F,
) -> Result<T, ApiError>
where
    A: FnOnce(&mut DbConnection, &RecordContext, &Caller) -> Result<bool, ApiError>
        + Send
        + 'static,
    F: FnOnce(&mut DbConnection, &RecordContext, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let shared = state.clone();
    let (answer, _place) = db::run_keeping_place(state, move |conn| {
        let attempted = if access.writes {
            write_transaction(conn, |conn| {
                let source = RecordSource::Transaction;
                let (value, purpose) =
                    attempt(conn, source, &caller, person_id, access, gate, work)?;
                let allowed = event(&caller, Some(person_id), access, purpose, Outcome::Allowed);
                audit::append(conn, &allowed).map_err(|e| Stop::Storage(e.into()))?;
                Ok((value, None))
            })
        } else {
            let source = RecordSource::Cache(&shared.records);
            attempt(conn, source, &caller, person_id, access, gate, work)
                .map(|(value, purpose)| (value, Some(purpose)))
        };
        // `None`: the event was committed with the work.
        let (result, purpose, outcome) = match attempted {
            Ok((value, None)) => return Ok(Answer::Logged(value)),
            Ok((value, Some(purpose))) => (Ok(value), purpose, Outcome::Allowed),
            Err(Stop::Storage(error)) => return Err(error),
            Err(Stop::Refused(error, purpose)) => (Err(error), purpose, Outcome::Denied),
            Err(Stop::Failed(error, purpose)) => (Err(error), purpose, Outcome::Failed),
        };
        let logged = event(&caller, Some(person_id), access, purpose, outcome);
        Ok(Answer::ToConfirm(result, shared.audit.submit(logged)?))
    })
    .await?;
    match answer {
        Answer::Logged(value) => Ok(value),
        Answer::ToConfirm(result, pending) => {
            pending.written().await?;
            result
        }
    }
}

/// What a guarded request's database work came to.
enum Answer<T> {
    /// Done, its event committed with the work (writes).
    Logged(T),
    /// The answer once its event, handed to the writer, is confirmed.
    ToConfirm(Result<T, ApiError>, PendingEvent),
}

/// Reads what `view` makes of a person's record under the access rules, logging the access,
/// like [`guarded`] for work that needs nothing but the record. When the record is kept in
/// memory and grants entry without an emergency access, the view is made from it at once and
/// its event is written only if the record is still unchanged when the log batch is written —
/// no database work of the request's own; otherwise (or when the record changed meanwhile,
/// which writes nothing) it runs as [`guarded`] does.
pub async fn guarded_view<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    person_id: Uuid,
    resource: AuditResource,
    view: F,
) -> Result<T, ApiError>
where
    F: Fn(&RecordContext, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let access = Access::read(resource);
    if let Some(record) = state.records.kept(person_id)
        && let Some(grant) = decide_on(&caller, &record, false)
    {
        let (purpose, stamp) = (grant.purpose(), record.stamp);
        let context = RecordContext { record, grant };
        // A failing view is left to the full path, which logs it as failed.
        if let Ok(value) = view(&context, &caller) {
            // Waiting for the log is database work: bounded like the rest.
            let _place = db::admit(state)?;
            let allowed = event(&caller, Some(person_id), access, purpose, Outcome::Allowed);
            let audit = &state.audit;
            if audit
                .submit_if_unchanged(allowed, person_id, stamp)?
                .written()
                .await?
            {
                return Ok(value);
            }
        }
    }
    guarded(
        state,
        caller,
        person_id,
        access,
        move |_, context, caller| view(context, caller),
    )
    .await
}

/// Decides access, passes the gate and runs `work`; the purpose of the grant comes back with
/// the value.
fn attempt<T>(
    conn: &mut DbConnection,
    source: RecordSource<'_>,
    caller: &Caller,
    person_id: Uuid,
    access: Access,
    gate: Gate<impl FnOnce(&mut DbConnection, &RecordContext, &Caller) -> Result<bool, ApiError>>,
    work: impl FnOnce(&mut DbConnection, &RecordContext, &Caller) -> Result<T, ApiError>,
) -> Result<(T, Purpose), Stop> {
    let Gate { hidden, admits } = gate;
    let Some(context) = load_record(conn, source, caller, person_id).map_err(Stop::Storage)? else {
        return Err(Stop::Refused(hidden, Purpose::Care));
    };
    let purpose = context.grant.purpose();
    if !admits(conn, &context, caller).map_err(Stop::Storage)? {
        return Err(Stop::Refused(hidden, purpose));
    }
    if access.writes && !context.grant.may_write() {
        let read_only = ApiError::Forbidden("emergency access is read-only".into());
        return Err(Stop::Refused(read_only, purpose));
    }
    let value = work(conn, &context, caller).map_err(|e| Stop::Failed(e, purpose))?;
    Ok((value, purpose))
}

/// A resource that belongs to one person's record (a coordination case, a plan): how to find
/// whose it is, how to load it, and the 404 when there is none the caller may see.
pub struct OwnedResource<R> {
    pub person_of: fn(&mut DbConnection, Uuid) -> Result<Option<Uuid>, PersistenceError>,
    pub load: fn(&mut DbConnection, Uuid) -> Result<Option<R>, PersistenceError>,
    pub not_found: fn(Uuid) -> ApiError,
    /// Whether a caller let into her record reaches resource `id` too (a case of a ward she
    /// blocked: only the units it was sent to); refused with `not_found`, logged `denied`.
    pub admits: fn(&mut DbConnection, &RecordContext, Uuid) -> Result<bool, ApiError>,
}

/// [`OwnedResource::admits`] for a resource every caller let into her record reaches.
pub fn admits_all(_: &mut DbConnection, _: &RecordContext, _: Uuid) -> Result<bool, ApiError> {
    Ok(true)
}

/// Runs `work` on resource `id` under the access rules of the record of the person it belongs
/// to, like [`guarded`]; a caller who may not enter her record gets `kind.not_found(id)`, the
/// same answer as for an id that does not exist.
pub async fn guarded_resource<R, T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    kind: &'static OwnedResource<R>,
    id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &RecordContext, &Caller, R) -> Result<T, ApiError>
        + Send
        + 'static,
    R: 'static,
    T: Send + 'static,
{
    let person = db::run(state, move |conn| Ok((kind.person_of)(conn, id)?))
        .await?
        .ok_or_else(|| (kind.not_found)(id))?;
    // A caller refused her record gets the resource's own 404, as for an id that does not
    // exist: naming her (`not_found(person)`) would tell that the resource exists and whose
    // it is.
    let gate = Gate {
        hidden: (kind.not_found)(id),
        admits: move |conn: &mut DbConnection, context: &RecordContext, _: &Caller| {
            (kind.admits)(conn, context, id)
        },
    };
    guarded_part(
        state,
        caller,
        person,
        access,
        gate,
        move |conn, context, caller| {
            let resource = (kind.load)(conn, id)?.ok_or_else(|| (kind.not_found)(id))?;
            work(conn, context, caller, resource)
        },
    )
    .await
}
