//! Fixed-window rate limits per caller, kept in the database so every replica counts the
//! same hits.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;

use crate::schema::rate_limit_windows;
use crate::{DbConnection, PersistenceError};

/// Counts one hit of `subject` on `bucket`. Returns `None` when allowed, or the time left in
/// the window when `limit` hits were already counted in it.
pub fn hit(
    conn: &mut DbConnection,
    subject: &str,
    bucket: &str,
    limit: i32,
    window: TimeDelta,
    now: DateTime<Utc>,
) -> Result<Option<TimeDelta>, PersistenceError> {
    let key = rate_limit_windows::table.find((subject, bucket));
    let current: Option<(chrono::NaiveDateTime, i32)> = key
        .select((rate_limit_windows::window_start, rate_limit_windows::hits))
        .first(conn)
        .optional()?;
    match current {
        None => {
            diesel::insert_into(rate_limit_windows::table)
                .values((
                    rate_limit_windows::subject.eq(subject),
                    rate_limit_windows::bucket.eq(bucket),
                    rate_limit_windows::window_start.eq(now.naive_utc()),
                    rate_limit_windows::hits.eq(1),
                ))
                .execute(conn)?;
            Ok(None)
        }
        Some((start, _)) if start.and_utc() + window <= now => {
            diesel::update(key)
                .set((
                    rate_limit_windows::window_start.eq(now.naive_utc()),
                    rate_limit_windows::hits.eq(1),
                ))
                .execute(conn)?;
            Ok(None)
        }
        Some((start, hits)) if hits >= limit => Ok(Some(start.and_utc() + window - now)),
        Some(_) => {
            diesel::update(key)
                .set(rate_limit_windows::hits.eq(rate_limit_windows::hits + 1))
                .execute(conn)?;
            Ok(None)
        }
    }
}
