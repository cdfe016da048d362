//! The storage error type and its mapping from diesel and r2d2.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What can go wrong in storage, in the terms the API needs to answer a client.
#[derive(Debug, thiserror::Error)]
pub enum PersistenceError {
    /// No connection could be had, or the connection broke: the request may succeed later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A unique column already holds this value; `column` names it when it can be told.
    #[error("a unique value is already taken ({detail})")]
    UniqueViolation {
        column: Option<&'static str>,
        detail: String,
    },
    /// A reference points to a row that does not exist.
    #[error("a referenced record does not exist ({0})")]
    ForeignKeyViolation(String),
    /// The row's version moved on since it was read: someone else changed it (optimistic
    /// concurrency on a versioned update; the client's `If-Match` no longer holds).
    #[error("the record was changed by someone else")]
    VersionMismatch,
    /// The row is no longer in the state the change starts from (already ended, lifted,
    /// answered or retracted, or the case moved on): the write's state guard did not hold.
    #[error("the record is no longer in a state that allows this change")]
    StateConflict,
    /// A text value the database cannot store: PostgreSQL refuses the NUL character (U+0000)
    /// in any text (`invalid byte sequence for encoding "UTF8": 0x00`, SQLSTATE 22021). The
    /// API refuses NUL at its edge; this is the backstop for any text that reaches a query.
    #[error("a text value cannot be stored: {0}")]
    UnstorableText(String),
    /// A stored value does not parse into its domain type.
    #[error("a stored value is invalid: {0}")]
    Corrupt(String),
    /// Any other database error: a bug or an operational fault, never the client's doing.
    #[error("database error: {0}")]
    Query(DieselError),
}

/// Unique columns the API reports by name; the first found in the database's message wins.
const UNIQUE_COLUMNS: &[&str] = &["hsa_id", "personal_number", "key"];

impl From<DieselError> for PersistenceError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // SQLite says "UNIQUE constraint failed: staff.hsa_id"; PostgreSQL names the
                // constraint ("staff_hsa_id_unique"). Both contain the column.
                let detail = info.constraint_name().unwrap_or(info.message()).to_owned();
                let column = UNIQUE_COLUMNS.iter().copied().find(|c| detail.contains(c));
                PersistenceError::UniqueViolation { column, detail }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                PersistenceError::ForeignKeyViolation(info.message().to_owned())
            }
            // The connection is gone (the server shut down or the network broke), found either
            // by the server's answer or when sending the next query on a pooled connection.
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => PersistenceError::Unavailable(info.message().to_owned()),
            // SQLite's busy timeout ran out (another writer held the lock too long), or
            // PostgreSQL broke a deadlock between two transactions or refused to serialize one
            // (`deadlock detected`, SQLSTATE 40P01, reaches diesel as `Unknown`): transient,
            // the transaction rolled back and may simply be sent again.
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                PersistenceError::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("database is locked")
                    || info.message().contains("deadlock detected") =>
            {
                PersistenceError::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("invalid byte sequence") =>
            {
                PersistenceError::UnstorableText(info.message().to_owned())
            }
            DieselError::BrokenTransactionManager => {
                PersistenceError::Unavailable("the connection's transaction state broke".into())
            }
            other => PersistenceError::Query(other),
        }
    }
}

impl From<r2d2::Error> for PersistenceError {
    fn from(error: r2d2::Error) -> Self {
        PersistenceError::Unavailable(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_error(kind: DatabaseErrorKind, message: &str) -> PersistenceError {
        DieselError::DatabaseError(kind, Box::new(message.to_owned())).into()
    }

    #[test]
    fn contention_between_transactions_is_transient() {
        for error in [
            database_error(DatabaseErrorKind::Unknown, "database is locked"),
            database_error(
                DatabaseErrorKind::Unknown,
                "deadlock detected: Process 7 waits for ShareLock on transaction 9",
            ),
            database_error(
                DatabaseErrorKind::SerializationFailure,
                "could not serialize access due to concurrent update",
            ),
        ] {
            assert!(matches!(error, PersistenceError::Unavailable(_)), "{error}");
        }
        assert!(matches!(
            database_error(DatabaseErrorKind::Unknown, "syntax error at or near"),
            PersistenceError::Query(_)
        ));
    }

    #[test]
    fn a_nul_character_postgresql_refuses_is_the_clients_text_not_a_fault() {
        assert!(matches!(
            database_error(
                DatabaseErrorKind::Unknown,
                "invalid byte sequence for encoding \"UTF8\": 0x00"
            ),
            PersistenceError::UnstorableText(_)
        ));
    }
}
