//! Runs diesel work off the async executor, on actix's blocking thread pool.

use std::sync::Arc;

use actix_web::web;
use persistence::{DbConnection, PersistenceError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;
use crate::state::AppState;

/// Database work a process takes on at once per pooled connection (running, or waiting for a
/// connection); beyond it requests are refused at once with 503 instead of queueing without
/// bound while the database is slow or stuck. `/health/live` never waits here.
pub const ADMITTED_PER_CONNECTION: u32 = 8;

/// How many requests may have database work in flight at once.
pub struct Admission(Arc<Semaphore>);

impl Admission {
    pub fn for_pool(pool_size: u32) -> Self {
        let permits = pool_size.saturating_mul(ADMITTED_PER_CONNECTION);
        Self(Arc::new(Semaphore::new(
            usize::try_from(permits).unwrap_or(usize::MAX),
        )))
    }
}

/// A place among the requests with database work in flight; held until dropped.
pub struct Admitted {
    _permit: OwnedSemaphorePermit,
}

/// Takes a place for database work, or refuses at once when the process has no room.
pub fn admit(state: &AppState) -> Result<Admitted, ApiError> {
    Arc::clone(&state.admission.0)
        .try_acquire_owned()
        .map(|permit| Admitted { _permit: permit })
        .map_err(|_| {
            ApiError::AtCapacity(
                "too many requests are waiting for the database; retry after `Retry-After` seconds"
                    .into(),
            )
        })
}

/// Runs `work` on a pooled connection, if the process has room for it.
pub async fn run<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    run_keeping_place(state, work).await.map(|(value, _)| value)
}

/// Runs `work` like [`run`] and hands its place back, for a request whose database work goes
/// on after `work` (waiting for its access-log event).
pub async fn run_keeping_place<T, F>(state: &AppState, work: F) -> Result<(T, Admitted), ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let admitted = admit(state)?;
    let pool = state.pool.clone();
    web::block(move || {
        let mut connection = pool.get().map_err(PersistenceError::from)?;
        work(&mut connection).map(|value| (value, admitted))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
}

/// Runs `work` in one transaction: any error rolls back everything it wrote.
pub async fn transaction<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    run(state, move |connection| {
        persistence::connection::write_transaction(connection, work)
    })
    .await
}
