//! Runs diesel work off the async executor, on actix's blocking thread pool.

use actix_web::web;
use persistence::{DbConnection, PersistenceError};

use crate::error::ApiError;
use crate::state::AppState;

/// Runs `work` on a pooled connection.
pub async fn run<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut connection = pool.get().map_err(PersistenceError::from)?;
        work(&mut connection)
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
