//! Her identity-number history (`identity_changes`): each change of her number, with the
//! earlier number, which search and registration still find her by
//! ([`crate::persons::find_by_personal_number`], [`crate::persons::ids_by_personal_number`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::identity::IdentityChange;
use domain::record::FreeText;
use uuid::Uuid;

use crate::schema::{identity_changes, persons};
use crate::text::{parse_uuid, recorder, recorder_columns, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = identity_changes)]
struct IdentityChangeRow {
    id: String,
    person_id: String,
    previous_number: String,
    previous_reserve: bool,
    new_number: String,
    new_reserve: bool,
    reason: String,
    changed_by: String,
    changed_by_unit: Option<String>,
    changed_by_org: Option<String>,
    changed_at: NaiveDateTime,
}

impl From<&IdentityChange> for IdentityChangeRow {
    fn from(c: &IdentityChange) -> Self {
        let (changed_by, changed_by_unit, changed_by_org) = recorder_columns(&c.changed_by);
        Self {
            id: c.id.to_string(),
            person_id: c.person_id.to_string(),
            previous_number: c.previous_number.to_string(),
            previous_reserve: c.previous_number.is_reserve(),
            new_number: c.new_number.to_string(),
            new_reserve: c.new_number.is_reserve(),
            reason: c.reason.to_string(),
            changed_by,
            changed_by_unit,
            changed_by_org,
            changed_at: c.changed_at.naive_utc(),
        }
    }
}

/// A stored number, read by its kind.
fn number(
    column: &str,
    text: &str,
    reserve: bool,
) -> Result<domain::PersonalNumber, PersistenceError> {
    stored(
        column,
        if reserve {
            domain::PersonalNumber::from_stored_reserve(text)
        } else {
            domain::PersonalNumber::from_stored(text)
        },
    )
}

impl TryFrom<IdentityChangeRow> for IdentityChange {
    type Error = PersistenceError;

    fn try_from(row: IdentityChangeRow) -> Result<Self, PersistenceError> {
        Ok(IdentityChange {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            previous_number: number(
                "identity_changes.previous_number",
                &row.previous_number,
                row.previous_reserve,
            )?,
            new_number: number(
                "identity_changes.new_number",
                &row.new_number,
                row.new_reserve,
            )?,
            reason: stored("identity_changes.reason", FreeText::parse(&row.reason))?,
            changed_by: recorder(
                row.changed_by,
                row.changed_by_unit.as_deref(),
                row.changed_by_org.as_deref(),
            )?,
            changed_at: to_utc(row.changed_at),
        })
    }
}

pub fn insert(conn: &mut DbConnection, change: &IdentityChange) -> Result<(), PersistenceError> {
    diesel::insert_into(identity_changes::table)
        .values(IdentityChangeRow::from(change))
        .execute(conn)?;
    Ok(())
}

/// Her changes, oldest first.
pub fn list_for_person(
    conn: &mut DbConnection,
    person_id: Uuid,
) -> Result<Vec<IdentityChange>, PersistenceError> {
    identity_changes::table
        .filter(identity_changes::person_id.eq(person_id.to_string()))
        .order(identity_changes::id.asc())
        .select(IdentityChangeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(IdentityChange::try_from)
        .collect()
}

/// The person registered under `number` now, or earlier (her latest change away from it).
pub fn holder_of(
    conn: &mut DbConnection,
    number: &domain::PersonalNumber,
) -> Result<Option<Uuid>, PersistenceError> {
    let current: Option<String> = persons::table
        .filter(persons::personal_number.eq(number.as_str()))
        .select(persons::id)
        .first(conn)
        .optional()?;
    let id = match current {
        Some(id) => Some(id),
        None => earlier_holders(conn, &[number.as_str()])?
            .into_values()
            .next(),
    };
    id.as_deref().map(parse_uuid).transpose()
}

/// The person each of `numbers` was an earlier number of, by number (the latest change away
/// from it when several; only one person ever holds a number, see
/// `domain::identity::NewIdentityNumber::apply`).
pub(crate) fn earlier_holders(
    conn: &mut DbConnection,
    numbers: &[&str],
) -> Result<std::collections::HashMap<String, String>, PersistenceError> {
    let mut found = std::collections::HashMap::new();
    for chunk in numbers.chunks(crate::ROWS_PER_STATEMENT) {
        let rows: Vec<(String, String)> = identity_changes::table
            .filter(identity_changes::previous_number.eq_any(chunk))
            .order(identity_changes::id.asc())
            .select((
                identity_changes::previous_number,
                identity_changes::person_id,
            ))
            .load(conn)?;
        // Oldest first: the latest change away from a number wins.
        found.extend(rows);
    }
    Ok(found)
}
