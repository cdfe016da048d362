//! A person's whole record — the person, care relationships, consents, blocks, statements
//! and contacts — read in one statement, so an access-checked read costs one round trip.
//!
//! Each part is declared with `record_part!` (`record_part.rs`) in the module that owns its
//! table (`persons`, `relationships`, `consents`), which so exports the part's branch of the
//! statement next to its decoder, both from one list of named columns; this module only unions
//! the branches and sorts the rows into a [`RecordSnapshot`]. Binds go through diesel's query
//! builder, so the statement is the same on both backends and cacheable as a prepared
//! statement.
//!
//! A new table that holds part of her record needs both:
//! - the triggers that move `persons.record_version` on every insert, update and delete of its
//!   rows (and on a row moved to another person), on SQLite and on PostgreSQL alike — see the
//!   migrations `000007_record_version` and `000008_record_version_everywhere`: without them a
//!   record kept by `api::record_cache` is served after it changed;
//! - its part in this snapshot ([`load`], [`PART_TABLES`]).
//!
//! A test (`tests/tests/api/snapshot.rs`) lists every table with a `person_id` column in the
//! live schema and fails when one is neither stamped nor named there as kept out of her record.

use diesel::prelude::*;
use domain::record::{Block, CareRelationship, Consent, Person, RelatedContact, Statement};
use std::collections::HashMap;
use uuid::Uuid;

use crate::consents::{block_part, consent_part};
use crate::persons::{contact_part, person_part, statement_part};
use crate::record_part::{Slot, TextRow, UnionRow};
use crate::relationships::relationship_part;
use crate::schema::persons;
use crate::{DbConnection, PersistenceError};

pub use crate::persons::RecordStamp;

/// The tables her record is read from, one part each.
pub const PART_TABLES: [&str; 6] = [
    person_part::TABLE,
    relationship_part::TABLE,
    consent_part::TABLE,
    block_part::TABLE,
    statement_part::TABLE,
    contact_part::TABLE,
];

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

/// Loads her record, or `None` when no person has this id: every part's branch in one
/// `UNION ALL`, each part's rows in id (creation) order.
pub fn load(
    conn: &mut DbConnection,
    person_id: Uuid,
) -> Result<Option<RecordSnapshot>, PersistenceError> {
    let id = person_id.to_string();
    let query = person_part::select(id.clone())
        .union_all(relationship_part::select(id.clone()))
        .union_all(consent_part::select(id.clone()))
        .union_all(block_part::select(id.clone()))
        .union_all(statement_part::select(id.clone()))
        .union_all(contact_part::select(id));
    let rows: Vec<UnionRow> = crate::connection::load_native(conn, query)?;
    Ok(assemble(rows)?.remove(&person_id))
}

/// Loads the records of several persons in one statement (the same `UNION ALL`, each branch
/// over all of `person_ids`), for lists that show many persons; persons that do not exist are
/// missing from the map. At most [`crate::ROWS_PER_STATEMENT`] ids a statement.
pub fn load_many(
    conn: &mut DbConnection,
    person_ids: &[Uuid],
) -> Result<HashMap<Uuid, RecordSnapshot>, PersistenceError> {
    let mut records = HashMap::with_capacity(person_ids.len());
    for chunk in person_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let ids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let query = person_part::select_any(ids.clone())
            .union_all(relationship_part::select_any(ids.clone()))
            .union_all(consent_part::select_any(ids.clone()))
            .union_all(block_part::select_any(ids.clone()))
            .union_all(statement_part::select_any(ids.clone()))
            .union_all(contact_part::select_any(ids));
        let rows: Vec<UnionRow> = crate::connection::load_native(conn, query)?;
        records.extend(assemble(rows)?);
    }
    Ok(records)
}

/// The parts of one record as they are read, before her person row is known to exist.
#[derive(Default)]
struct Parts {
    person: Option<(Person, RecordStamp)>,
    relationships: Vec<CareRelationship>,
    consents: Vec<Consent>,
    blocks: Vec<Block>,
    statements: Vec<Statement>,
    contacts: Vec<RelatedContact>,
}

/// The parts read so far of the person a row belongs to, named by the row's `key` column.
fn owner<'a>(
    parts: &'a mut HashMap<Uuid, Parts>,
    row: &TextRow,
    key: impl Into<Slot>,
) -> Result<&'a mut Parts, PersistenceError> {
    let owner = crate::text::parse_uuid(row.borrowed(key).unwrap_or_default())?;
    Ok(parts.entry(owner).or_default())
}

/// Sorts the statement's rows into records, by the person each row belongs to; a record
/// whose person row is missing (deleted meanwhile) is left out.
fn assemble(rows: Vec<UnionRow>) -> Result<HashMap<Uuid, RecordSnapshot>, PersistenceError> {
    let mut rows: Vec<TextRow> = rows.into_iter().map(TextRow::from).collect();
    // Ids are UUID v7: text order is creation order, the order each part lists its entries in.
    rows.sort_by(|a, b| a.id().cmp(&b.id()));
    let mut parts: HashMap<Uuid, Parts> = HashMap::new();
    for mut row in rows {
        let label = std::mem::take(&mut row.label);
        let parts = &mut parts;
        match label.as_str() {
            person_part::LABEL => {
                let record = owner(parts, &row, person_part::KEY)?;
                record.person = Some(crate::persons::person_from_snapshot(&mut row)?);
            }
            relationship_part::LABEL => owner(parts, &row, relationship_part::KEY)?
                .relationships
                .push(relationship_part::decode(&mut row)?),
            consent_part::LABEL => owner(parts, &row, consent_part::KEY)?
                .consents
                .push(consent_part::decode(&mut row)?),
            block_part::LABEL => owner(parts, &row, block_part::KEY)?
                .blocks
                .push(block_part::decode(&mut row)?),
            statement_part::LABEL => owner(parts, &row, statement_part::KEY)?
                .statements
                .push(statement_part::decode(&mut row)?),
            contact_part::LABEL => owner(parts, &row, contact_part::KEY)?
                .contacts
                .push(contact_part::decode(&mut row)?),
            other => {
                return Err(PersistenceError::Corrupt(format!(
                    "unknown record part `{other}`"
                )));
            }
        }
    }
    Ok(parts
        .into_iter()
        .filter_map(|(id, parts)| {
            let (person, stamp) = parts.person?;
            Some((
                id,
                RecordSnapshot {
                    person,
                    stamp,
                    relationships: parts.relationships,
                    consents: parts.consents,
                    blocks: parts.blocks,
                    statements: parts.statements,
                    contacts: parts.contacts,
                },
            ))
        })
        .collect())
}
