//! Consent decisions (append-only: the history is the table) and blocks (spärr).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::record::{Block, Consent, ConsentScope, ConsentStatus, FreeText};
use uuid::Uuid;

use crate::schema::{blocks, consents};
use crate::snapshot::TextColumns;
use crate::text::{parse_uuid, recorder, recorder_columns, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = consents)]
struct ConsentRow {
    id: String,
    person_id: String,
    scope: String,
    status: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    recorded_by: String,
    recorded_by_unit: Option<String>,
    recorded_by_org: Option<String>,
    recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, consent: &Consent) -> Result<(), PersistenceError> {
    let (recorded_by, recorded_by_unit, recorded_by_org) = recorder_columns(&consent.recorded_by);
    let row = ConsentRow {
        id: consent.id.to_string(),
        person_id: consent.person_id.to_string(),
        scope: consent.scope.as_str().to_owned(),
        status: consent.status.as_str().to_owned(),
        valid_from: consent.valid_from,
        valid_to: consent.valid_to,
        recorded_by,
        recorded_by_unit,
        recorded_by_org,
        recorded_at: consent.recorded_at.naive_utc(),
    };
    diesel::insert_into(consents::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Every decision recorded for the person, oldest first.
pub fn history(conn: &mut DbConnection, person_id: Uuid) -> Result<Vec<Consent>, PersistenceError> {
    let rows: Vec<ConsentRow> = consents::table
        .filter(consents::person_id.eq(person_id.to_string()))
        .order(consents::id.asc())
        .select(ConsentRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Consent::try_from).collect()
}

impl TryFrom<ConsentRow> for Consent {
    type Error = PersistenceError;

    fn try_from(row: ConsentRow) -> Result<Self, PersistenceError> {
        Ok(Consent {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            scope: stored("consents.scope", ConsentScope::parse(&row.scope))?,
            status: stored("consents.status", ConsentStatus::parse(&row.status))?,
            valid_from: row.valid_from,
            valid_to: row.valid_to,
            recorded_by: recorder(
                row.recorded_by,
                row.recorded_by_unit.as_deref(),
                row.recorded_by_org.as_deref(),
            )?,
            recorded_at: to_utc(row.recorded_at),
        })
    }
}

pub(crate) fn consent_from_text(c: &TextColumns) -> Result<Consent, PersistenceError> {
    Consent::try_from(ConsentRow {
        id: c.text(0)?,
        person_id: c.text(1)?,
        scope: c.text(2)?,
        status: c.text(3)?,
        valid_from: c.date(4)?,
        valid_to: c.optional_date(5)?,
        recorded_by: c.text(6)?,
        recorded_by_unit: c.optional(7),
        recorded_by_org: c.optional(8),
        recorded_at: c.timestamp(9)?,
    })
}

pub(crate) fn block_from_text(c: &TextColumns) -> Result<Block, PersistenceError> {
    Block::try_from(BlockRow {
        id: c.text(0)?,
        person_id: c.text(1)?,
        blocked_unit_id: c.text(2)?,
        reason: c.optional(3),
        created_by: c.text(4)?,
        created_at: c.timestamp(5)?,
        lifted_by: c.optional(6),
        lifted_at: c.optional_timestamp(7)?,
    })
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = blocks, treat_none_as_null = true)]
struct BlockRow {
    id: String,
    person_id: String,
    blocked_unit_id: String,
    reason: Option<String>,
    created_by: String,
    created_at: NaiveDateTime,
    lifted_by: Option<String>,
    lifted_at: Option<NaiveDateTime>,
}

impl From<&Block> for BlockRow {
    fn from(block: &Block) -> Self {
        Self {
            id: block.id.to_string(),
            person_id: block.person_id.to_string(),
            blocked_unit_id: block.blocked_unit_id.to_string(),
            reason: block.reason.as_ref().map(ToString::to_string),
            created_by: block.created_by.clone(),
            created_at: block.created_at.naive_utc(),
            lifted_by: block.lifted_by.clone(),
            lifted_at: block.lifted_at.map(|at| at.naive_utc()),
        }
    }
}

impl TryFrom<BlockRow> for Block {
    type Error = PersistenceError;

    fn try_from(row: BlockRow) -> Result<Self, PersistenceError> {
        Ok(Block {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            blocked_unit_id: parse_uuid(&row.blocked_unit_id)?,
            reason: row
                .reason
                .map(|r| stored("blocks.reason", FreeText::parse(&r)))
                .transpose()?,
            created_by: row.created_by,
            created_at: to_utc(row.created_at),
            lifted_by: row.lifted_by,
            lifted_at: row.lifted_at.map(to_utc),
        })
    }
}

pub fn insert_block(conn: &mut DbConnection, block: &Block) -> Result<(), PersistenceError> {
    diesel::insert_into(blocks::table)
        .values(BlockRow::from(block))
        .execute(conn)?;
    Ok(())
}

/// Every block of the person, lifted ones included, oldest first.
pub fn blocks(conn: &mut DbConnection, person_id: Uuid) -> Result<Vec<Block>, PersistenceError> {
    let rows: Vec<BlockRow> = blocks::table
        .filter(blocks::person_id.eq(person_id.to_string()))
        .order(blocks::id.asc())
        .select(BlockRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Block::try_from).collect()
}

/// Records that `block` was lifted; only a block still in force can be lifted
/// (`StateConflict` otherwise).
pub fn lift_block(conn: &mut DbConnection, block: &Block) -> Result<(), PersistenceError> {
    let changed = diesel::update(blocks::table.find(block.id.to_string()))
        .filter(blocks::lifted_at.is_null())
        .set(BlockRow::from(block))
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::StateConflict);
    }
    Ok(())
}
