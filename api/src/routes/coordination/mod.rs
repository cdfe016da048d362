//! Discharge coordination (Lag 2017:612): cases, typed messages, recipients' answers. A case
//! is part of her record: every operation runs through [`crate::record_access::guarded`] on
//! the case's person.

pub mod answer;
pub mod decide_payer;
pub mod get;
pub mod inbox;
pub mod open;
pub mod overdue;
pub mod retract;
pub mod send;

use actix_web::web;
use chrono::{DateTime, Utc};
use domain::discharge::{
    AgreementSettings, CaseMessage, CaseReport, CoordinationCase, LiabilityFacts, report,
    still_involved,
};
use openapi::coordination::CaseResponse;
use persistence::{DbConnection, care_units, coordination, relationships};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::record_access::{Access, OwnedResource, RecordContext, guarded_resource};
use crate::state::AppState;

fn no_case(case_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no coordination case {case_id} that you may see"))
}

/// Cases belong to the record of the person they are about.
static CASE: OwnedResource<CoordinationCase> = OwnedResource {
    person_of: coordination::person_of_case,
    load: coordination::find_case,
    not_found: no_case,
    admits: case_visible,
};

/// Whether the caller sees the case: not one of a ward she blocked, unless it was sent to the
/// caller's unit ([`domain::discharge::case_visible`]).
fn case_visible(
    conn: &mut DbConnection,
    context: &RecordContext,
    case_id: Uuid,
) -> Result<bool, ApiError> {
    let Some(case) = coordination::find_case(conn, case_id)? else {
        return Ok(false);
    };
    let messages = coordination::messages(conn, case_id)?;
    Ok(domain::discharge::case_visible(
        &context.grant,
        case.hospital_unit_id,
        &messages,
    ))
}

/// Runs `work` on a case under the access rules of the record of the person it is about.
pub async fn guarded_case<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    case_id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &RecordContext, &Caller, CoordinationCase) -> Result<T, ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    guarded_resource(state, caller, &CASE, case_id, access, work).await
}

/// Whether she has an open case the caller sees, for a list that read "has an open case" for
/// everyone (the caseload): re-read only when her record hides a unit she blocked from the
/// caller, since then an open case of that ward may be one the caller does not see
/// ([`domain::discharge::case_visible`]).
pub fn has_visible_open_case(
    conn: &mut DbConnection,
    context: &RecordContext,
    read_open: bool,
) -> Result<bool, ApiError> {
    let hides_a_unit = context
        .blocks
        .iter()
        .any(|block| !context.grant.may_see_unit(block.blocked_unit_id));
    if !read_open || !hides_a_unit {
        return Ok(read_open);
    }
    for case in coordination::cases_for_person(conn, context.person.id)? {
        if case.state.is_closed() {
            continue;
        }
        let messages = coordination::messages(conn, case.id)?;
        if domain::discharge::case_visible(&context.grant, case.hospital_unit_id, &messages) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A unit the case brought into her care team leaves it once it is no longer involved in the
/// case (it opted out, or every message to it was retracted), so it no longer sees her record.
pub fn release_if_uninvolved(
    conn: &mut DbConnection,
    context: &RecordContext,
    case_id: Uuid,
    unit: Uuid,
    by: &Caller,
) -> Result<(), ApiError> {
    if still_involved(&coordination::messages(conn, case_id)?, unit) {
        return Ok(());
    }
    let started = coordination::relationships_started_for(conn, case_id, unit)?;
    let ending: Vec<_> = context
        .relationships
        .iter()
        .filter(|r| r.is_active() && started.contains(&r.id))
        .collect();
    if ending.is_empty() {
        return Ok(());
    }
    // Her unit's last relationships in force stay while another open case of hers waits on
    // the unit (an attack review emptied a unit's list of an open case by opting out of an
    // old, closed one).
    let in_force = relationships::lock_in_force(conn, context.person.id, Some(unit))?;
    let keeps_one = in_force.iter().any(|id| ending.iter().all(|r| r.id != *id));
    if !keeps_one && case_waiting_on(conn, context.person.id, unit)?.is_some() {
        return Ok(());
    }
    let now = persistence::now();
    for relationship in ending {
        relationships::end(conn, &relationship.ended(by.actor(), now))?;
    }
    Ok(())
}

/// Locks her care relationships for the rest of the request's transaction
/// ([`relationships::lock_in_force`]) and checks that those in force are the ones the request
/// read (`context`): a case opened or a message sent decides on them, and an end of a
/// relationship checks the open cases, so the two run one after the other rather than pass
/// each other (an attack review opened a case while the ward's relationship ended, on
/// PostgreSQL, and the ward lost the case). 409 when one started or ended in between: read
/// again and retry.
pub fn hold_care_team(conn: &mut DbConnection, context: &RecordContext) -> Result<(), ApiError> {
    let mut locked = relationships::lock_in_force(conn, context.person.id, None)?;
    let mut read: Vec<Uuid> = context
        .relationships
        .iter()
        .filter(|r| r.is_active())
        .map(|r| r.id)
        .collect();
    locked.sort_unstable();
    read.sort_unstable();
    if locked == read {
        Ok(())
    } else {
        Err(ApiError::Conflict(
            "her care relationships changed while this request was made; read her record \
             again and retry"
                .into(),
        ))
    }
}

/// Her open coordination case that still waits on `unit`, with its messages
/// ([`domain::discharge::case_holding_unit`]): while there is one, the unit's last care
/// relationship with her does not end.
pub fn case_waiting_on(
    conn: &mut DbConnection,
    person_id: Uuid,
    unit: Uuid,
) -> Result<Option<(CoordinationCase, Vec<CaseMessage>)>, ApiError> {
    let mut open = Vec::new();
    for case in coordination::cases_for_person(conn, person_id)? {
        if !case.state.is_closed() {
            let messages = coordination::messages(conn, case.id)?;
            open.push((case, messages));
        }
    }
    Ok(domain::discharge::case_holding_unit(&open, unit).cloned())
}

/// What the server computes about a case at `now`: the one computation behind the case, the
/// overdue queue and the indicators. Loads which addressed units are municipal; the paying
/// municipality is hers (`context`, her record).
pub fn case_report(
    conn: &mut DbConnection,
    context: &RecordContext,
    case: &CoordinationCase,
    messages: &[CaseMessage],
    agreement: &AgreementSettings,
    now: DateTime<Utc>,
) -> Result<CaseReport, ApiError> {
    let mut addressed: Vec<Uuid> = messages
        .iter()
        .flat_map(|m| m.recipients.iter().map(|r| r.unit_id))
        .collect();
    addressed.sort_unstable();
    addressed.dedup();
    let municipal_units = care_units::municipal_units(conn, &addressed)?;
    let facts = LiabilityFacts {
        paying_municipality: case.paying_municipality(context.person.municipality),
        municipal_units: &municipal_units,
    };
    Ok(report(case, messages, agreement, &facts, now))
}

/// The case with its messages as the caller may see them
/// ([`domain::discharge::messages_as_seen`]) and what the server computes from all of them,
/// at this moment.
pub fn case_view(
    conn: &mut DbConnection,
    context: &RecordContext,
    case: &CoordinationCase,
    agreement: &AgreementSettings,
) -> Result<CaseResponse, ApiError> {
    let messages = coordination::messages(conn, case.id)?;
    let computed = case_report(
        conn,
        context,
        case,
        &messages,
        agreement,
        persistence::now(),
    )?;
    // Computed from every message; shown as her blocks let the caller see them.
    let shown = domain::discharge::messages_as_seen(&context.grant, &messages);
    Ok(CaseResponse::new(case, &shown, computed, &context.grant))
}
