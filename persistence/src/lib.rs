//! SmartCare Home storage: one diesel code path over SQLite (embedded default) and PostgreSQL
//! (production).
//!
//! Everything that differs between the two backends lives in [`connection`], except the
//! access-log writer's batch insert (a binary `COPY` on PostgreSQL, in [`audit`]) and the
//! access log's id columns ([`uuid_column`]: `uuid` on PostgreSQL, text on SQLite); the
//! query modules are written once against [`DbConnection`]. Row structs are separate from domain
//! structs and convert at this crate's edge, so a stored value that no longer parses surfaces
//! as [`PersistenceError::Corrupt`] instead of leaking into the domain.

pub mod action_items;
pub mod audit;
pub mod calendar_feeds;
pub mod care_units;
pub mod caseload;
pub mod connection;
pub mod consents;
pub mod coordination;
mod error;
pub mod identity_changes;
pub mod improvement;
pub mod indicators;
pub mod measures;
pub mod meeting_participants;
pub mod meeting_records;
pub mod meeting_series;
pub mod meetings;
pub mod organizations;
pub mod page;
pub mod persons;
pub mod plans;
pub mod rate_limits;
mod record_part;
pub mod relationships;
pub mod schema;
pub mod settings;
pub mod snapshot;
pub mod staff;
mod text;
pub mod training;
pub mod uuid_column;

pub use connection::{Backend, DatabaseUrl, DbConnection, DbPool, PoolSettings};
pub use error::PersistenceError;
pub use page::{Page, PageRequest};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

/// Most rows one multi-row statement writes or looks up: far below SQLite's limit of 32,766
/// parameters and PostgreSQL's of 65,535 at the widest row (persons, 18 columns).
pub(crate) const ROWS_PER_STATEMENT: usize = 500;

/// The current time at the precision both backends store (microseconds), so a value read back
/// equals the value written.
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(now)
}
