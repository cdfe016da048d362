//! Server-wide settings kept in the database, so every API replica shares them.

use diesel::prelude::*;

use crate::schema::server_settings;
use crate::{DbConnection, PersistenceError};

/// Returns the setting `key`, storing `initial()` first if it is not set yet. When two
/// replicas race to set it, both end up with the value that was stored first.
pub fn get_or_init(
    conn: &mut DbConnection,
    key: &str,
    initial: impl FnOnce() -> String,
) -> Result<String, PersistenceError> {
    if let Some(value) = find(conn, key)? {
        return Ok(value);
    }
    let inserted = diesel::insert_into(server_settings::table)
        .values((
            server_settings::key.eq(key),
            server_settings::value.eq(initial()),
        ))
        .execute(conn);
    match inserted.map_err(PersistenceError::from) {
        Ok(_) | Err(PersistenceError::UniqueViolation { .. }) => {}
        Err(other) => return Err(other),
    }
    find(conn, key)?.ok_or_else(|| PersistenceError::Corrupt(format!("setting `{key}` vanished")))
}

fn find(conn: &mut DbConnection, key: &str) -> Result<Option<String>, PersistenceError> {
    Ok(server_settings::table
        .find(key)
        .select(server_settings::value)
        .first(conn)
        .optional()?)
}
