//! Discharge coordination (Lag 2017:612): cases, typed messages, recipients' answers. A case
//! is part of her record: every operation runs through [`crate::record_access::guarded`] on
//! the case's person.

pub mod answer;
pub mod get;
pub mod inbox;
pub mod open;
pub mod overdue;
pub mod retract;
pub mod send;

use actix_web::web;
use domain::discharge::{AgreementSettings, CoordinationCase, report};
use openapi::coordination::CaseResponse;
use persistence::{DbConnection, coordination};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::record_access::{Access, RecordContext, guarded};
use crate::state::AppState;

fn no_case(case_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no coordination case {case_id} that you may see"))
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
    let person = db::run(state, move |conn| {
        Ok(coordination::person_of_case(conn, case_id)?)
    })
    .await?
    .ok_or_else(|| no_case(case_id))?;
    guarded(
        state,
        caller,
        person,
        access,
        move |conn, context, caller| {
            let case = coordination::find_case(conn, case_id)?.ok_or_else(|| no_case(case_id))?;
            work(conn, context, caller, case)
        },
    )
    .await
}

/// The case with its messages and what the server computes from them, at this moment.
pub fn case_view(
    conn: &mut DbConnection,
    case: &CoordinationCase,
    agreement: &AgreementSettings,
) -> Result<CaseResponse, ApiError> {
    let messages = coordination::messages(conn, case.id)?;
    let computed = report(case, &messages, agreement, persistence::now());
    Ok(CaseResponse::new(case, &messages, computed))
}
