//! Case conferences about a registered person (decision 0023): every request that reaches a
//! meeting or one of its parts runs through [`on_meeting`], and every list that shows
//! meetings through [`shown`]. A meeting naming nobody (a network meeting) is read by every
//! staff role as before and leaves no access-log event; a case conference naming her runs
//! through [`crate::record_access`]: her record's access rules, then
//! [`domain::meeting::Meeting::admits`] (her blocks and consent on the scheduling unit's
//! entry; her own token only when she is invited), one access-log event per request (per
//! person shown in a list), and the meeting's own 404 for a caller who may not see it.

use std::collections::{BTreeMap, HashMap};

use actix_web::web;
use domain::access::Basis;
use domain::meeting::CaseSubject;
use domain::meeting::conference::sees_network_meetings;
use domain::record::{AuditAction, AuditResource};
use persistence::{DbConnection, meeting_participants, meetings};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::record_access::{Access, Gate, RecordContext, guarded_part, log_shown, visible_records};
use crate::state::AppState;

/// A read of a meeting, its participants or its calendar object.
pub(crate) const READ: Access = Access::read(AuditResource::Meeting);
/// A read of a meeting's records (agenda, minutes and versions, decisions, action items, a
/// café's story, lessons and proposals).
pub(crate) const READ_RECORDS: Access = Access::read(AuditResource::MeetingRecords);
/// A new record of a meeting.
pub(crate) const ADD_RECORD: Access =
    Access::write(AuditAction::Create, AuditResource::MeetingRecords);
/// A change to a record of a meeting.
pub(crate) const CHANGE_RECORD: Access =
    Access::write(AuditAction::Update, AuditResource::MeetingRecords);

/// The answer for a meeting that does not exist or that the caller may not see: the same,
/// naming neither the person nor her record.
pub(crate) fn not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no meeting has id {id}"))
}

/// Runs `work` on meeting `id` (or a part of it) for `caller`: for a case conference naming a
/// person under her record's access rules, logged as `access` (a write in one transaction
/// with its event); for a meeting naming nobody as any other request (a write in one
/// transaction), but never for a person's own token, which sees only the conferences she is
/// invited to. A meeting the caller may not see is 404, like one that does not exist.
pub(crate) async fn on_meeting<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    on_part_of_meeting(
        state,
        caller,
        id,
        access,
        format!("no meeting has id {id}"),
        work,
    )
    .await
}

/// Runs `work` like [`on_meeting`] on a part of meeting `id` that has an id of its own (an
/// action item): a caller who may not see the meeting gets 404 with `hidden` as its detail,
/// which names the part, never the meeting or the person.
pub(crate) async fn on_part_of_meeting<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    id: Uuid,
    access: Access,
    hidden: String,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let about = db::run(state, move |conn| Ok(meetings::person_of(conn, id)?)).await?;
    match about {
        None => Err(ApiError::NotFound(hidden)),
        Some(None) if !sees_network_meetings(&caller.roles) => Err(ApiError::NotFound(hidden)),
        Some(None) if access.writes => {
            db::transaction(state, move |conn| work(conn, &caller)).await
        }
        Some(None) => db::run(state, move |conn| work(conn, &caller)).await,
        Some(Some(person)) => {
            let gate = Gate {
                hidden: ApiError::NotFound(hidden),
                admits: move |conn: &mut DbConnection, context: &RecordContext, _: &Caller| {
                    admits(conn, context, id)
                },
            };
            let work = move |conn: &mut DbConnection, _: &RecordContext, caller: &Caller| {
                work(conn, caller)
            };
            guarded_part(state, caller, person, access, gate, work).await
        }
    }
}

/// Whether the caller, let into her record, sees case conference `id`.
fn admits(conn: &mut DbConnection, context: &RecordContext, id: Uuid) -> Result<bool, ApiError> {
    let Some(meeting) = meetings::find_by_id(conn, id)? else {
        return Ok(false);
    };
    // Only her own token's view depends on the invitations.
    let participants = if context.grant.basis == Basis::OwnRecord {
        meeting_participants::all_of(conn, id)?
    } else {
        Vec::new()
    };
    Ok(meeting.admits(&context.grant, &participants))
}

/// Which of a list's rows the caller sees, by the meeting each belongs to (`meeting_of`): rows
/// of meetings naming nobody when she sees network meetings, rows of case conferences she is
/// admitted to. Each person shown gets one access-log event (`access`), committed before the
/// list is answered.
pub(crate) fn shown<R>(
    conn: &mut DbConnection,
    state: &AppState,
    caller: &Caller,
    access: Access,
    rows: Vec<R>,
    meeting_of: impl Fn(&R) -> Uuid,
) -> Result<Vec<R>, ApiError> {
    let (kept, persons) = admitted(conn, state, caller, rows, &meeting_of)?;
    log_shown(state, caller, access, persons.values())?;
    Ok(kept)
}

/// A page's rows as [`shown`] keeps them, with the access-log events of the persons of those
/// it answers (`rows`, a prefix of what [`admitted_rows`] kept) written separately: a paged
/// list decides on more rows than it answers (`pagination::first_shown`).
pub(crate) fn admitted_rows<R>(
    conn: &mut DbConnection,
    state: &AppState,
    caller: &Caller,
    rows: Vec<R>,
    meeting_of: impl Fn(&R) -> Uuid,
) -> Result<Vec<R>, ApiError> {
    Ok(admitted(conn, state, caller, rows, &meeting_of)?.0)
}

/// Logs one event (`access`) for each person whose case conference one of `rows` belongs to;
/// `rows` were kept by [`admitted_rows`].
pub(crate) fn log_rows<R>(
    conn: &mut DbConnection,
    state: &AppState,
    caller: &Caller,
    access: Access,
    rows: &[R],
    meeting_of: impl Fn(&R) -> Uuid,
) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(&meeting_of).collect();
    let subjects: HashMap<Uuid, CaseSubject> = meetings::subjects_of(conn, &ids)?;
    let records = visible_records(
        conn,
        &state.records,
        caller,
        subjects.values().map(|s| s.person_id),
    )?;
    log_shown(state, caller, access, records.values())
}

/// The rows the caller sees, and the record of each person one of them is about.
fn admitted<R>(
    conn: &mut DbConnection,
    state: &AppState,
    caller: &Caller,
    rows: Vec<R>,
    meeting_of: &impl Fn(&R) -> Uuid,
) -> Result<(Vec<R>, BTreeMap<Uuid, RecordContext>), ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(meeting_of).collect();
    let subjects: HashMap<Uuid, CaseSubject> = meetings::subjects_of(conn, &ids)?;
    let mut records = visible_records(
        conn,
        &state.records,
        caller,
        subjects.values().map(|s| s.person_id),
    )?;
    let network = sees_network_meetings(&caller.roles);
    let mut invited: HashMap<Uuid, bool> = HashMap::new();
    let mut shown_persons = std::collections::BTreeSet::new();
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        let meeting = meeting_of(&row);
        let Some(subject) = subjects.get(&meeting) else {
            if network {
                kept.push(row);
            }
            continue;
        };
        let Some(context) = records.get(&subject.person_id) else {
            continue;
        };
        let admitted = match invited.get(&meeting) {
            Some(admitted) => *admitted,
            None => {
                let admitted = admits(conn, context, meeting)?;
                invited.insert(meeting, admitted);
                admitted
            }
        };
        if admitted {
            shown_persons.insert(subject.person_id);
            kept.push(row);
        }
    }
    records.retain(|person, _| shown_persons.contains(person));
    Ok((kept, records))
}
