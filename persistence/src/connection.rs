//! The one place where SQLite and PostgreSQL differ: choosing the backend from the URL,
//! opening and tuning connections, the pool, and running each backend's migrations.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::pg::PgConnection;
use diesel::query_dsl::methods::LoadQuery;
use diesel::r2d2::R2D2Connection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::PersistenceError;

/// A connection to either backend; every query module is written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Inserts `items` into `table` as rows of type `$row` (`From<&item>`, `Insertable`), a
/// multi-row `INSERT` per [`crate::ROWS_PER_STATEMENT`] items, on the backend's own connection:
/// diesel's batch insert does not compile through `MultiConnection`. Evaluates to
/// `Result<(), PersistenceError>`.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $items:expr, $row:ty) => {{
        let conn: &mut $crate::DbConnection = $conn;
        let mut result: Result<(), $crate::PersistenceError> = Ok(());
        for chunk in $items.chunks($crate::ROWS_PER_STATEMENT) {
            let rows: Vec<$row> = chunk.iter().map(<$row>::from).collect();
            let inserted = match &mut *conn {
                $crate::DbConnection::Postgresql(pg) => {
                    diesel::insert_into($table).values(&rows).execute(pg)
                }
                $crate::DbConnection::Sqlite(sqlite) => {
                    diesel::insert_into($table).values(&rows).execute(sqlite)
                }
            };
            if let Err(error) = inserted {
                result = Err(error.into());
                break;
            }
        }
        result
    }};
}
pub(crate) use insert_all;

/// The connection pool shared by all request handlers.
pub type DbPool = r2d2::Pool<ConnectionManager>;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Serializes migrations when several API replicas start against one PostgreSQL at once.
const MIGRATION_LOCK_KEY: i64 = 0x005E_CA2E_0001;

/// How long to wait for SQLite's write lock before failing a statement.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// How long PostgreSQL may take to accept a new connection.
const POSTGRES_CONNECT_TIMEOUT_SECS: u32 = 5;

/// Which database a URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database location, with its backend chosen from the URL scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the backend's driver is given: a file path for SQLite, the URL for PostgreSQL.
    target: String,
}

impl DatabaseUrl {
    /// Accepts `sqlite://PATH` (or `sqlite:PATH`) and `postgres://…` / `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("a sqlite URL needs a file path, e.g. sqlite://smartcare.db".into());
            }
            return Ok(Self {
                backend: Backend::Sqlite,
                target: path.to_owned(),
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let target = if url.contains("connect_timeout=") {
                url.to_owned()
            } else {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}connect_timeout={POSTGRES_CONNECT_TIMEOUT_SECS}")
            };
            return Ok(Self {
                backend: Backend::Postgres,
                target,
            });
        }
        Err("must start with sqlite:// or postgres://".into())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Opens one connection, tuned as the pool tunes them; the error is the driver's own.
    pub fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Postgres => {
                let mut connection = PgConnection::establish(&self.target)?;
                // Record snapshots read timestamps as text: pin the text form whatever the
                // server's default DateStyle is.
                connection
                    .batch_execute("SET DateStyle = 'ISO, YMD'")
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Postgresql(connection))
            }
            Backend::Sqlite => {
                let mut connection = SqliteConnection::establish(&self.target)?;
                // busy_timeout first: setting WAL needs the lock another connection may hold.
                connection
                    .batch_execute(&format!(
                        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                         PRAGMA journal_mode = WAL;
                         PRAGMA synchronous = FULL;
                         PRAGMA foreign_keys = ON;"
                    ))
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(connection))
            }
        }
    }
}

/// Pool sizing and how long a request waits for a connection before it is refused.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_size: u32,
    pub acquire_timeout: Duration,
}

/// r2d2 manager that opens connections with [`DatabaseUrl::connect`], so every pooled
/// connection has the backend's settings and failures carry the driver's real message.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        self.url.connect()
    }

    fn is_valid(&self, connection: &mut DbConnection) -> Result<(), ConnectionError> {
        connection
            .ping()
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, connection: &mut DbConnection) -> bool {
        connection.is_broken()
    }
}

/// Builds the pool. Call after one successful [`DatabaseUrl::connect`], so start-up reports a
/// bad URL or an unreachable server with the driver's message instead of a pool time-out.
pub fn build_pool(url: &DatabaseUrl, settings: PoolSettings) -> DbPool {
    r2d2::Pool::builder()
        .max_size(settings.max_size)
        .min_idle(Some(1))
        .connection_timeout(settings.acquire_timeout)
        // No ping per checkout (a round trip per request): a connection that broke is
        // noticed by `has_broken` when its query fails, and replaced.
        .test_on_check_out(false)
        .build_unchecked(ConnectionManager { url: url.clone() })
}

/// Runs `work` in a transaction meant to write. On SQLite it takes the write lock at its
/// start (`BEGIN IMMEDIATE`): a transaction that reads first and writes later would fail at
/// once with "database is locked" whenever another writer committed in between, because
/// SQLite in WAL mode cannot upgrade a stale read snapshot (busy_timeout does not help).
/// PostgreSQL needs nothing special.
pub fn write_transaction<T, E, F>(connection: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let DbConnection::Sqlite(sqlite) = connection else {
        return connection.transaction(work);
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    // As diesel's own `Connection::transaction`, with the begin above.
    type Manager = <DbConnection as Connection>::TransactionManager;
    match work(connection) {
        Ok(value) => {
            Manager::commit_transaction(connection)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(connection) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback_error) => Err(rollback_error.into()),
        },
    }
}

/// Loads a query that the multi-backend connection cannot express (diesel's `MultiConnection`
/// has no `UNION ALL`) on the backend's own connection. The query is still written once.
pub(crate) fn load_native<Q, U>(
    connection: &mut DbConnection,
    query: Q,
) -> diesel::QueryResult<Vec<U>>
where
    Q: for<'a> LoadQuery<'a, PgConnection, U> + for<'a> LoadQuery<'a, SqliteConnection, U>,
{
    match connection {
        DbConnection::Postgresql(pg) => query.load(pg),
        DbConnection::Sqlite(sqlite) => query.load(sqlite),
    }
}

/// Applies the pending migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(connection: &mut DbConnection) -> Result<Vec<String>, PersistenceError> {
    let migration_failed = |e: Box<dyn std::error::Error + Send + Sync>| {
        PersistenceError::Unavailable(format!("migration failed: {e}"))
    };
    match connection {
        DbConnection::Postgresql(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let applied = pg.run_pending_migrations(POSTGRES_MIGRATIONS).map(versions);
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            applied.map_err(migration_failed)
        }
        DbConnection::Sqlite(sqlite) => sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(versions)
            .map_err(migration_failed),
    }
}

fn versions(applied: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    applied.iter().map(ToString::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_scheme() {
        let sqlite = DatabaseUrl::parse("sqlite://data/smartcare.db");
        assert_eq!(
            sqlite.map(|u| (u.backend, u.target)),
            Ok((Backend::Sqlite, "data/smartcare.db".into()))
        );
        let pg = DatabaseUrl::parse("postgres://u@localhost/db?sslmode=disable");
        assert_eq!(
            pg.map(|u| u.target),
            Ok("postgres://u@localhost/db?sslmode=disable&connect_timeout=5".into())
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
