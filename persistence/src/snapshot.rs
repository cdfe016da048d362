//! A person's whole record — the person, care relationships, consents, blocks, statements
//! and contacts — read in one statement, so an access-checked read costs one round trip.
//!
//! Each table's part of the `UNION ALL` selects its columns as text, in the order the module
//! that owns the table decodes them, padded with NULLs to the width of the widest part
//! (persons, 17 columns). Binds go through diesel's query builder, so the statement is the
//! same on both backends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types::{Nullable, Text};
use domain::record::{Block, CareRelationship, Consent, Person, RelatedContact, Statement};
use uuid::Uuid;

use crate::schema::{
    blocks, care_relationships, consents, person_contacts, person_statements, persons,
};
use crate::{DbConnection, PersistenceError};

type S = Option<String>;
type PartRow = (String, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S);

/// Everything stored about one person.
#[derive(Debug, Clone)]
pub struct RecordSnapshot {
    pub person: Person,
    /// The stamp the record had when it was read, in the same statement as its parts.
    pub stamp: RecordStamp,
    pub relationships: Vec<CareRelationship>,
    pub consents: Vec<Consent>,
    pub blocks: Vec<Block>,
    pub statements: Vec<Statement>,
    pub contacts: Vec<RelatedContact>,
}

/// `CAST(expr AS TEXT)`, typed, so the statement stays cacheable as a prepared statement
/// (diesel never caches statements containing raw `sql()` fragments, and PostgreSQL would plan
/// the six-way union on every request).
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct AsText<E>(E);

impl<E: Expression> Expression for AsText<E> {
    type SqlType = Nullable<Text>;
}

impl<E, DB> QueryFragment<DB> for AsText<E>
where
    DB: diesel::backend::Backend,
    E: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("CAST(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" AS TEXT)");
        Ok(())
    }
}

impl<E: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for AsText<E> {}
impl<E: SelectableExpression<QS>, QS> SelectableExpression<QS> for AsText<E> {}
impl<E: ValidGrouping<()>> ValidGrouping<()> for AsText<E> {
    type IsAggregate = E::IsAggregate;
}

/// What a record looks like in storage right now: the person's own version and the counter
/// the database moves on at every change to the record's parts (migration
/// `000007_record_version`). Equal stamps mean an equal record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordStamp {
    pub person_version: i64,
    pub record_version: i64,
}

/// Her record's stamp, or `None` when no person has this id: one primary-key lookup.
pub fn stamp(
    conn: &mut DbConnection,
    person_id: Uuid,
) -> Result<Option<RecordStamp>, PersistenceError> {
    let stamp: Option<(i64, i64)> = persons::table
        .find(person_id.to_string())
        .select((persons::version, persons::record_version))
        .first(conn)
        .optional()?;
    Ok(stamp.map(RecordStamp::from))
}

/// The stamps of several records in one statement; persons that do not exist are missing.
pub fn stamps(
    conn: &mut DbConnection,
    person_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, RecordStamp>, PersistenceError> {
    let ids: Vec<String> = person_ids.iter().map(Uuid::to_string).collect();
    let rows: Vec<(String, i64, i64)> = persons::table
        .filter(persons::id.eq_any(ids))
        .select((persons::id, persons::version, persons::record_version))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, person_version, record_version)| {
            Ok((
                crate::text::parse_uuid(&id)?,
                RecordStamp::from((person_version, record_version)),
            ))
        })
        .collect()
}

impl From<(i64, i64)> for RecordStamp {
    fn from((person_version, record_version): (i64, i64)) -> Self {
        Self {
            person_version,
            record_version,
        }
    }
}

/// The part's name, as the first column.
fn label(part: &'static str) -> diesel::dsl::AsExprOf<&'static str, Text> {
    part.into_sql::<Text>()
}

/// A padding column.
fn pad() -> diesel::dsl::AsExprOf<Option<String>, Nullable<Text>> {
    None::<String>.into_sql::<Nullable<Text>>()
}

/// Loads her record, or `None` when no person has this id. Each part selects its columns in
/// the order its module's `*_from_text` decodes them.
pub fn load(
    conn: &mut DbConnection,
    person_id: Uuid,
) -> Result<Option<RecordSnapshot>, PersistenceError> {
    use crate::schema::blocks::dsl as b;
    use crate::schema::care_relationships::dsl as r;
    use crate::schema::consents::dsl as c;
    use crate::schema::person_contacts::dsl as k;
    use crate::schema::person_statements::dsl as s;
    use crate::schema::persons::dsl as p;
    let id = person_id.to_string();
    let query = persons::table
        .filter(p::id.eq(id.clone()))
        .select((
            label("person"),
            AsText(p::id),
            AsText(p::personal_number),
            AsText(p::given_name),
            AsText(p::family_name),
            AsText(p::municipality_code),
            AsText(p::protected_identity),
            AsText(p::address),
            AsText(p::phone),
            AsText(p::email),
            AsText(p::what_matters_to_me),
            AsText(p::registered_by),
            AsText(p::registered_by_unit),
            AsText(p::registered_by_org),
            AsText(p::version),
            AsText(p::created_at),
            AsText(p::updated_at),
            AsText(p::record_version),
        ))
        .union_all(
            care_relationships::table
                .filter(r::person_id.eq(id.clone()))
                .select((
                    label("relationship"),
                    AsText(r::id),
                    AsText(r::person_id),
                    AsText(r::care_unit_id),
                    AsText(r::organization_id),
                    AsText(r::staff_id),
                    AsText(r::role),
                    AsText(r::started_by),
                    AsText(r::started_at),
                    AsText(r::ended_by),
                    AsText(r::ended_at),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                )),
        )
        .union_all(consents::table.filter(c::person_id.eq(id.clone())).select((
            label("consent"),
            AsText(c::id),
            AsText(c::person_id),
            AsText(c::scope),
            AsText(c::status),
            AsText(c::valid_from),
            AsText(c::valid_to),
            AsText(c::recorded_by),
            AsText(c::recorded_by_unit),
            AsText(c::recorded_by_org),
            AsText(c::recorded_at),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
        )))
        .union_all(blocks::table.filter(b::person_id.eq(id.clone())).select((
            label("block"),
            AsText(b::id),
            AsText(b::person_id),
            AsText(b::blocked_unit_id),
            AsText(b::reason),
            AsText(b::created_by),
            AsText(b::created_at),
            AsText(b::lifted_by),
            AsText(b::lifted_at),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
        )))
        .union_all(
            person_statements::table
                .filter(s::person_id.eq(id.clone()))
                .select((
                    label("statement"),
                    AsText(s::id),
                    AsText(s::person_id),
                    AsText(s::kind),
                    AsText(s::text),
                    AsText(s::recorded_by),
                    AsText(s::recorded_by_unit),
                    AsText(s::recorded_by_org),
                    AsText(s::recorded_at),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                    pad(),
                )),
        )
        .union_all(person_contacts::table.filter(k::person_id.eq(id)).select((
            label("contact"),
            AsText(k::id),
            AsText(k::person_id),
            AsText(k::name),
            AsText(k::relation),
            AsText(k::phone),
            AsText(k::may_be_informed),
            AsText(k::recorded_by),
            AsText(k::recorded_by_unit),
            AsText(k::recorded_by_org),
            AsText(k::recorded_at),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
            pad(),
        )));
    let rows: Vec<PartRow> = crate::connection::load_native(conn, query)?;
    let mut person = None;
    let mut snapshot_parts = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut sorted: Vec<(String, TextColumns)> = rows
        .into_iter()
        .map(|row| (row.0.clone(), TextColumns::from(row)))
        .collect();
    // Ids are UUID v7: text order is creation order, as in the per-table queries.
    sorted.sort_by(|a, b| a.1.0.first().cmp(&b.1.0.first()));
    for (part, columns) in sorted {
        match part.as_str() {
            "person" => {
                let stamp = RecordStamp::from((columns.integer(13)?, columns.integer(16)?));
                person = Some((crate::persons::person_from_text(&columns)?, stamp));
            }
            "relationship" => snapshot_parts
                .0
                .push(crate::relationships::relationship_from_text(&columns)?),
            "consent" => snapshot_parts
                .1
                .push(crate::consents::consent_from_text(&columns)?),
            "block" => snapshot_parts
                .2
                .push(crate::consents::block_from_text(&columns)?),
            "statement" => snapshot_parts
                .3
                .push(crate::persons::statement_from_text(&columns)?),
            "contact" => snapshot_parts
                .4
                .push(crate::persons::contact_from_text(&columns)?),
            other => {
                return Err(PersistenceError::Corrupt(format!(
                    "unknown record part `{other}`"
                )));
            }
        }
    }
    let (relationships, consents, blocks, statements, contacts) = snapshot_parts;
    Ok(person.map(|(person, stamp)| RecordSnapshot {
        person,
        stamp,
        relationships,
        consents,
        blocks,
        statements,
        contacts,
    }))
}

/// One part's columns as text, decoded by the module that owns the table.
#[derive(Debug)]
pub(crate) struct TextColumns(Vec<Option<String>>);

impl From<PartRow> for TextColumns {
    fn from(r: PartRow) -> Self {
        Self(vec![
            r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16,
            r.17,
        ])
    }
}

fn corrupt(index: usize, what: &str) -> PersistenceError {
    PersistenceError::Corrupt(format!("record column {index} is not {what}"))
}

impl TextColumns {
    pub(crate) fn optional(&self, index: usize) -> Option<String> {
        self.0.get(index).cloned().flatten()
    }

    pub(crate) fn text(&self, index: usize) -> Result<String, PersistenceError> {
        self.optional(index).ok_or_else(|| corrupt(index, "set"))
    }

    /// PostgreSQL writes `true`/`false`, SQLite `1`/`0`.
    pub(crate) fn boolean(&self, index: usize) -> Result<bool, PersistenceError> {
        match self.text(index)?.as_str() {
            "true" | "t" | "1" => Ok(true),
            "false" | "f" | "0" => Ok(false),
            _ => Err(corrupt(index, "a boolean")),
        }
    }

    pub(crate) fn integer(&self, index: usize) -> Result<i64, PersistenceError> {
        self.text(index)?
            .parse()
            .map_err(|_| corrupt(index, "an integer"))
    }

    pub(crate) fn optional_timestamp(
        &self,
        index: usize,
    ) -> Result<Option<NaiveDateTime>, PersistenceError> {
        self.optional(index)
            .map(|text| {
                NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S%.f")
                    .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f"))
                    .map_err(|_| corrupt(index, "a timestamp"))
            })
            .transpose()
    }

    pub(crate) fn timestamp(&self, index: usize) -> Result<NaiveDateTime, PersistenceError> {
        self.optional_timestamp(index)?
            .ok_or_else(|| corrupt(index, "set"))
    }

    pub(crate) fn optional_date(
        &self,
        index: usize,
    ) -> Result<Option<NaiveDate>, PersistenceError> {
        self.optional(index)
            .map(|text| {
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| corrupt(index, "a date"))
            })
            .transpose()
    }

    pub(crate) fn date(&self, index: usize) -> Result<NaiveDate, PersistenceError> {
        self.optional_date(index)?
            .ok_or_else(|| corrupt(index, "set"))
    }
}
