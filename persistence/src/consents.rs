//! Consent decisions (append-only: the history is the table) and blocks (spärr), and their
//! parts of the record snapshot ([`crate::snapshot`]).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::record::{Block, Consent, ConsentScope, ConsentStatus, FreeText};

use crate::record_part::record_part;
use crate::schema::{blocks, consents};
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

record_part! {
    /// Her consent decisions, as their part of the record snapshot.
    pub(crate) mod consent_part = "consent", consents where person_id => ConsentRow => Consent {
        id: text,
        person_id: text,
        scope: text,
        status: text,
        valid_from: date,
        valid_to: optional_date,
        recorded_by: text,
        recorded_by_unit: optional,
        recorded_by_org: optional,
        recorded_at: timestamp,
    }
}

record_part! {
    /// The blocks on her record, lifted ones included, as their part of the record snapshot.
    pub(crate) mod block_part = "block", blocks where person_id => BlockRow => Block {
        id: text,
        person_id: text,
        blocked_unit_id: text,
        reason: optional,
        created_by: text,
        created_at: timestamp,
        lifted_by: optional,
        lifted_at: optional_timestamp,
    }
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
