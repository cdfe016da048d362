//! Access to personal data. Every operation on a person's record runs through [`guarded`]:
//! the rules of [`domain::access`] decide, the work runs, and exactly one access-log event is
//! written — in the same transaction as the work when it succeeds (so a request whose log
//! write fails is failed), and in a transaction of its own when access is refused or the
//! request fails. There is no way to read a record without leaving an event.

use chrono::{NaiveDate, Utc};
use diesel::Connection;
use domain::access::{AccessFacts, Grant, Viewer, decide};
use domain::record::{
    AuditEvent, Block, CareRelationship, Consent, Outcome, Person, Purpose, Recorder,
};
use persistence::{DbConnection, audit, consents, persons, relationships};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// Today in the business calendar (Europe/Stockholm).
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

/// What a request does to a record, as the access log names it.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub action: &'static str,
    pub resource: &'static str,
    /// Writes are refused under read-only grants (emergency access).
    pub writes: bool,
}

impl Access {
    pub const fn read(resource: &'static str) -> Self {
        Self {
            action: "read",
            resource,
            writes: false,
        }
    }

    pub const fn write(action: &'static str, resource: &'static str) -> Self {
        Self {
            action,
            resource,
            writes: true,
        }
    }
}

/// A person's record as loaded for an access decision.
pub struct RecordContext {
    pub person: Person,
    pub grant: Grant,
    pub relationships: Vec<CareRelationship>,
    pub consents: Vec<Consent>,
    pub blocks: Vec<Block>,
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
        Recorder {
            subject: self.subject.clone(),
            unit_id: self.unit,
            organization_id: self.organization,
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
        action: access.action.to_owned(),
        resource: access.resource.to_owned(),
        purpose,
        outcome,
    }
}

/// Loads the person and the facts the access rules need, and decides; `None` when the person
/// does not exist or the caller may not enter the record.
pub fn load_record(
    conn: &mut DbConnection,
    caller: &Caller,
    person_id: Uuid,
) -> Result<Option<RecordContext>, ApiError> {
    let Some(person) = persons::find_by_id(conn, person_id)? else {
        return Ok(None);
    };
    let relationships = relationships::for_person(conn, person_id)?;
    let consents = consents::history(conn, person_id)?;
    let blocks = consents::blocks(conn, person_id)?;
    let emergency_access = match caller.unit {
        Some(unit) => relationships::active_emergency_access(
            conn,
            person_id,
            &caller.subject,
            unit,
            persistence::now(),
        )?
        .is_some(),
        None => false,
    };
    let facts = AccessFacts {
        person_id,
        relationships: &relationships,
        emergency_access,
        consents: &consents,
        blocks: &blocks,
        today: today(),
    };
    let Some(grant) = decide(&caller.viewer(), &facts) else {
        return Ok(None);
    };
    Ok(Some(RecordContext {
        person,
        grant,
        relationships,
        consents,
        blocks,
    }))
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

/// Runs `work` on a person's record under the access rules, logging the access.
pub async fn guarded<T, F>(
    state: &AppState,
    caller: Caller,
    person_id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &RecordContext, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    db::run(state, move |conn| {
        let outcome = conn.transaction::<T, Stop, _>(|conn| {
            let context = load_record(conn, &caller, person_id)
                .map_err(Stop::Storage)?
                .ok_or_else(|| Stop::Refused(not_found(person_id), Purpose::Care))?;
            let purpose = context.grant.purpose();
            if access.writes && !context.grant.may_write() {
                let read_only = ApiError::Forbidden("emergency access is read-only".into());
                return Err(Stop::Refused(read_only, purpose));
            }
            let value = work(conn, &context, &caller).map_err(|e| Stop::Failed(e, purpose))?;
            audit::append(
                conn,
                &event(&caller, Some(person_id), access, purpose, Outcome::Allowed),
            )
            .map_err(|e| Stop::Storage(e.into()))?;
            Ok(value)
        });
        let (error, purpose, outcome) = match outcome {
            Ok(value) => return Ok(value),
            Err(Stop::Storage(error)) => return Err(error),
            Err(Stop::Refused(error, purpose)) => (error, purpose, Outcome::Denied),
            Err(Stop::Failed(error, purpose)) => (error, purpose, Outcome::Failed),
        };
        conn.transaction(|conn| {
            audit::append(
                conn,
                &event(&caller, Some(person_id), access, purpose, outcome),
            )
        })?;
        Err(error)
    })
    .await
}
