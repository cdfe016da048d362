//! A UUID column stored in the backend's own form: PostgreSQL's `uuid` (16 bytes, compared as
//! bytes) and, on SQLite, which has no such type, the hyphenated lowercase text every other id
//! column of both backends holds. Both sort alike: the bytes in order are the hex digits in
//! order, so a keyset page by such a column is the same page on either backend.
//!
//! Used where the volume makes the width count: the access log (`audit_events`, one row per
//! person shown, the largest table by far). There the text form made each row up to 84 bytes wider
//! and each index entry twice as wide; on the benchmark's region (docs/BENCHMARKS.md) the
//! `uuid` columns halved the log's person index (603 → 310 MB for 2.5 million events) and took
//! a third off its heap. Other tables keep UUID text (`text.rs`); decision record:
//! docs/ARCHITECTURE.md, "The access log's ids".

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{HasSqlType, SqlType, Text};
use diesel::sqlite::{Sqlite, SqliteValue};
use std::io::Write;
use uuid::Uuid;

use crate::connection::MultiBackend;

/// The SQL type: PostgreSQL's built-in `uuid` (oid 2950, its array 2951); text on SQLite.
#[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(oid = 2950, array_oid = 2951))]
#[diesel(sqlite_type(name = "Text"))]
pub struct NativeUuid;

/// A value of a [`NativeUuid`] column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = NativeUuid)]
pub struct StoredUuid(pub Uuid);

impl ToSql<NativeUuid, Pg> for StoredUuid {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.0.as_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<NativeUuid, Pg> for StoredUuid {
    /// Errors: a value that is not 16 bytes (it cannot come from a `uuid` column).
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Self(Uuid::from_slice(value.as_bytes())?))
    }
}

impl ToSql<NativeUuid, Sqlite> for StoredUuid {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

impl FromSql<NativeUuid, Sqlite> for StoredUuid {
    /// Errors: stored text that is not a UUID.
    fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        let text = <String as FromSql<Text, Sqlite>>::from_sql(value)?;
        Ok(Self(Uuid::parse_str(&text)?))
    }
}

// The multi-backend connection (`connection::DbConnection`) dispatches to the two above; its
// derive writes these only for diesel's own types.
impl HasSqlType<NativeUuid> for MultiBackend {
    fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
        Self::lookup_sql_type::<NativeUuid>(lookup)
    }
}

impl ToSql<NativeUuid, MultiBackend> for StoredUuid {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((NativeUuid, self));
        Ok(IsNull::No)
    }
}

impl FromSql<NativeUuid, MultiBackend> for StoredUuid {
    fn from_sql(
        value: <MultiBackend as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        value.from_sql::<Self, NativeUuid>()
    }
}
