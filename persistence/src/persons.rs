//! Persons and the entries recorded about them (statements, related contacts), and their parts
//! of the record snapshot ([`crate::snapshot`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::access::SearchScope;
use domain::record::{ContactDetails, FreeText, Person, RelatedContact, Statement, StatementKind};
use domain::{DisplayName, MunicipalityCode};
use uuid::Uuid;

use crate::record_part::{TextRow, record_part};
use crate::schema::{care_relationships, person_contacts, person_statements, persons};
use crate::text::{like_prefix, parse_uuid, recorder, recorder_columns, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = persons, treat_none_as_null = true, treat_none_as_default_value = false)]
struct PersonRow {
    id: String,
    personal_number: String,
    given_name: String,
    family_name: String,
    name_key: String,
    municipality_code: Option<String>,
    protected_identity: bool,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    what_matters_to_me: Option<String>,
    registered_by: String,
    registered_by_unit: Option<String>,
    registered_by_org: Option<String>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    /// `personal_number` is a reservnummer's compact form.
    reserve_number: bool,
    /// Where she stands in name order ([`domain::name::sort_key`]).
    name_sort_key: Vec<u8>,
}

fn text(value: &Option<FreeText>) -> Option<String> {
    value.as_ref().map(|t| t.to_string())
}

fn free_text(column: &str, value: Option<String>) -> Result<Option<FreeText>, PersistenceError> {
    value
        .map(|v| stored(column, FreeText::parse(&v)))
        .transpose()
}

/// The search form of a person's name: "given family", lower-cased.
fn person_name_key(given: &DisplayName, family: &DisplayName) -> String {
    domain::name::search_key(&format!("{given} {family}"))
}

impl From<&Person> for PersonRow {
    fn from(p: &Person) -> Self {
        let (registered_by, registered_by_unit, registered_by_org) =
            recorder_columns(&p.registered_by);
        Self {
            id: p.id.to_string(),
            personal_number: p.personal_number.to_string(),
            given_name: p.given_name.to_string(),
            family_name: p.family_name.to_string(),
            name_key: person_name_key(&p.given_name, &p.family_name),
            municipality_code: p.municipality.map(|m| m.as_str().to_owned()),
            protected_identity: p.protected_identity,
            address: text(&p.contact.address),
            phone: text(&p.contact.phone),
            email: text(&p.contact.email),
            what_matters_to_me: text(&p.what_matters_to_me),
            registered_by,
            registered_by_unit,
            registered_by_org,
            version: p.version,
            created_at: p.created_at.naive_utc(),
            updated_at: p.updated_at.naive_utc(),
            reserve_number: p.personal_number.is_reserve(),
            name_sort_key: domain::name::sort_key(p.family_name.as_str(), p.given_name.as_str()),
        }
    }
}

impl TryFrom<PersonRow> for Person {
    type Error = PersistenceError;

    fn try_from(row: PersonRow) -> Result<Self, PersistenceError> {
        Ok(Person {
            id: parse_uuid(&row.id)?,
            personal_number: stored(
                "persons.personal_number",
                if row.reserve_number {
                    domain::PersonalNumber::from_stored_reserve(&row.personal_number)
                } else {
                    domain::PersonalNumber::from_stored(&row.personal_number)
                },
            )?,
            given_name: stored("persons.given_name", DisplayName::parse(&row.given_name))?,
            family_name: stored("persons.family_name", DisplayName::parse(&row.family_name))?,
            municipality: row
                .municipality_code
                .map(|code| stored("persons.municipality_code", MunicipalityCode::parse(&code)))
                .transpose()?,
            protected_identity: row.protected_identity,
            contact: ContactDetails {
                address: free_text("persons.address", row.address)?,
                phone: free_text("persons.phone", row.phone)?,
                email: free_text("persons.email", row.email)?,
            },
            what_matters_to_me: free_text("persons.what_matters_to_me", row.what_matters_to_me)?,
            registered_by: recorder(
                row.registered_by,
                row.registered_by_unit.as_deref(),
                row.registered_by_org.as_deref(),
            )?,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert(conn: &mut DbConnection, person: &Person) -> Result<(), PersistenceError> {
    diesel::insert_into(persons::table)
        .values(PersonRow::from(person))
        .execute(conn)?;
    Ok(())
}

/// Inserts many persons, a few hundred rows per statement.
pub fn insert_all(conn: &mut DbConnection, persons: &[Person]) -> Result<(), PersistenceError> {
    crate::connection::insert_all!(conn, persons::table, persons, PersonRow)
}

/// The ids of the persons registered under any of `numbers` (stored form), now or earlier
/// (her number changed since), by number.
pub fn ids_by_personal_number(
    conn: &mut DbConnection,
    numbers: &[&domain::PersonalNumber],
) -> Result<std::collections::HashMap<String, Uuid>, PersistenceError> {
    let mut found = std::collections::HashMap::new();
    for chunk in numbers.chunks(crate::ROWS_PER_STATEMENT) {
        let rows: Vec<(String, String)> = persons::table
            .filter(persons::personal_number.eq_any(chunk.iter().map(|n| n.as_str())))
            .select((persons::personal_number, persons::id))
            .load(conn)?;
        for (number, id) in rows {
            found.insert(number, parse_uuid(&id)?);
        }
    }
    // An earlier number still finds her (a change of identity number).
    let unknown: Vec<&str> = numbers
        .iter()
        .map(|n| n.as_str())
        .filter(|n| !found.contains_key(*n))
        .collect();
    for (number, id) in crate::identity_changes::earlier_holders(conn, &unknown)? {
        found.insert(number, parse_uuid(&id)?);
    }
    Ok(found)
}

pub fn find_by_id(conn: &mut DbConnection, id: Uuid) -> Result<Option<Person>, PersistenceError> {
    persons::table
        .find(id.to_string())
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?
        .map(Person::try_from)
        .transpose()
}

/// The person registered under `number` (exact match on its stored form), or, when none is
/// now, the person whose earlier number it was (a change of identity number).
pub fn find_by_personal_number(
    conn: &mut DbConnection,
    number: &domain::PersonalNumber,
) -> Result<Option<Person>, PersistenceError> {
    let current = persons::table
        .filter(persons::personal_number.eq(number.as_str()))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?;
    if let Some(row) = current {
        return Person::try_from(row).map(Some);
    }
    let earlier = crate::identity_changes::earlier_holders(conn, &[number.as_str()])?;
    match earlier.into_values().next() {
        Some(id) => find_by_id(conn, parse_uuid(&id)?),
        None => Ok(None),
    }
}

/// Persons in `scope` whose "given family" name starts with `prefix` (lower-cased), at most
/// `limit`, in id order. The scope is [`domain::access::SearchScope`]'s rule: an active care
/// relationship with the scope's unit, or with any unit of its organization.
pub fn search_by_name(
    conn: &mut DbConnection,
    scope: SearchScope,
    prefix: &str,
    limit: i64,
) -> Result<Vec<Person>, PersistenceError> {
    let rows = persons::table
        .filter(persons::name_key.like(like_prefix(prefix)).escape('\\'))
        .filter(persons::id.eq_any(reached_by(scope)))
        .select(PersonRow::as_select())
        .order(persons::id.asc())
        .limit(limit)
        .load(conn)?;
    rows.into_iter().map(Person::try_from).collect()
}

/// The ids of the persons `scope` reaches ([`domain::access::SearchScope`]'s rule): an active
/// care relationship with the scope's unit, or with any unit of its organization.
#[diesel::dsl::auto_type]
pub(crate) fn reached_by(scope: SearchScope) -> _ {
    let unit: Option<String> = scope.unit.map(|id| id.to_string());
    let organization: Option<String> = scope.organization.map(|id| id.to_string());
    care_relationships::table
        .filter(care_relationships::ended_at.is_null())
        .filter(
            care_relationships::care_unit_id.nullable().eq(unit).or(
                care_relationships::organization_id
                    .nullable()
                    .eq(organization),
            ),
        )
        .select(care_relationships::person_id)
}

/// Writes `person` over the stored row if it is still at `person.version`.
///
/// On PostgreSQL her care relationships are locked first: a new name is copied into them by
/// the database (migration `000022`), and a relationship written meanwhile locks the
/// relationship, then the person (her stamp, her names); taking them in the same order here
/// (the relationships in id order, as they are ended together) keeps a rename and a
/// relationship's change from deadlocking. A script that renames her in a transaction already
/// holding her row can still deadlock with a relationship's change; PostgreSQL then aborts one
/// (a transient error). (SQLite has one writer.)
pub fn update(conn: &mut DbConnection, person: &Person) -> Result<Person, PersistenceError> {
    if let DbConnection::Postgresql(pg) = conn {
        crate::schema::care_relationships::table
            .filter(crate::schema::care_relationships::person_id.eq(person.id.to_string()))
            .select(crate::schema::care_relationships::id)
            .order(crate::schema::care_relationships::id)
            .for_no_key_update()
            .load::<String>(pg)?;
    }
    let mut row = PersonRow::from(person);
    row.version = person.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(persons::table.find(&row.id))
        .filter(persons::version.eq(person.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    // A rename to a name of the same key (differing in an ignorable character, or an older
    // decomposed name saved back composed) looks to the database like a rename without its
    // key, which its trigger empties (migration 000028): the key is written again, alone.
    diesel::update(persons::table.find(&row.id))
        .filter(persons::name_sort_key.eq(Vec::<u8>::new()))
        .set(persons::name_sort_key.eq(&row.name_sort_key))
        .execute(conn)?;
    Person::try_from(row)
}

/// Persons whose names' sort key ([`domain::name::sort_key`]) one round of
/// [`fill_name_sort_keys`] computes, in one transaction.
const SORT_KEY_BATCH: i64 = 2_000;

/// Computes the sort key of every person who has none (an empty key): persons written before
/// migration `000028`, by anything but this server (the benchmark's loader writes the tables
/// directly), or renamed without their key (the migration's trigger empties it). Run at
/// start-up, after the migrations; returns how many were filled. Each key is written only
/// while she still has none and the names it was computed from (a rename meanwhile, through
/// another server, keeps its own key). The database copies each key to her care
/// relationships (the caseload's index). Filling moves her record's stamp on PostgreSQL, as
/// any update of her row does there; it changes nothing of her record.
pub fn fill_name_sort_keys(conn: &mut DbConnection) -> Result<u64, PersistenceError> {
    let mut filled = 0u64;
    loop {
        let done = conn.transaction(|conn| {
            let missing: Vec<(String, String, String)> = persons::table
                .filter(persons::name_sort_key.eq(Vec::<u8>::new()))
                .select((persons::id, persons::family_name, persons::given_name))
                .order(persons::id)
                .limit(SORT_KEY_BATCH)
                .load(conn)?;
            let mut written = 0u64;
            for (id, family, given) in &missing {
                written += diesel::update(persons::table.find(id))
                    .filter(persons::name_sort_key.eq(Vec::<u8>::new()))
                    .filter(persons::family_name.eq(family))
                    .filter(persons::given_name.eq(given))
                    .set(persons::name_sort_key.eq(domain::name::sort_key(family, given)))
                    .execute(conn)? as u64;
            }
            Ok::<_, PersistenceError>((missing.len(), written))
        })?;
        let (read, written) = done;
        filled += written;
        if read < SORT_KEY_BATCH as usize {
            return Ok(filled);
        }
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_statements)]
struct StatementRow {
    id: String,
    person_id: String,
    kind: String,
    text: String,
    recorded_by: String,
    recorded_by_unit: Option<String>,
    recorded_by_org: Option<String>,
    recorded_at: NaiveDateTime,
}

pub fn insert_statement(
    conn: &mut DbConnection,
    statement: &Statement,
) -> Result<(), PersistenceError> {
    let (recorded_by, recorded_by_unit, recorded_by_org) = recorder_columns(&statement.recorded_by);
    let row = StatementRow {
        id: statement.id.to_string(),
        person_id: statement.person_id.to_string(),
        kind: statement.kind.as_str().to_owned(),
        text: statement.text.to_string(),
        recorded_by,
        recorded_by_unit,
        recorded_by_org,
        recorded_at: statement.recorded_at.naive_utc(),
    };
    diesel::insert_into(person_statements::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

impl TryFrom<StatementRow> for Statement {
    type Error = PersistenceError;

    fn try_from(row: StatementRow) -> Result<Self, PersistenceError> {
        Ok(Statement {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            kind: stored("person_statements.kind", StatementKind::parse(&row.kind))?,
            text: stored("person_statements.text", FreeText::parse(&row.text))?,
            recorded_by: recorder(
                row.recorded_by,
                row.recorded_by_unit.as_deref(),
                row.recorded_by_org.as_deref(),
            )?,
            recorded_at: to_utc(row.recorded_at),
        })
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_contacts)]
struct ContactRow {
    id: String,
    person_id: String,
    name: String,
    relation: String,
    phone: Option<String>,
    may_be_informed: bool,
    recorded_by: String,
    recorded_by_unit: Option<String>,
    recorded_by_org: Option<String>,
    recorded_at: NaiveDateTime,
}

pub fn insert_contact(
    conn: &mut DbConnection,
    contact: &RelatedContact,
) -> Result<(), PersistenceError> {
    let (recorded_by, recorded_by_unit, recorded_by_org) = recorder_columns(&contact.recorded_by);
    let row = ContactRow {
        id: contact.id.to_string(),
        person_id: contact.person_id.to_string(),
        name: contact.name.to_string(),
        relation: contact.relation.to_string(),
        phone: text(&contact.phone),
        may_be_informed: contact.may_be_informed,
        recorded_by,
        recorded_by_unit,
        recorded_by_org,
        recorded_at: contact.recorded_at.naive_utc(),
    };
    diesel::insert_into(person_contacts::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

impl TryFrom<ContactRow> for RelatedContact {
    type Error = PersistenceError;

    fn try_from(row: ContactRow) -> Result<Self, PersistenceError> {
        Ok(RelatedContact {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            name: stored("person_contacts.name", DisplayName::parse(&row.name))?,
            relation: stored("person_contacts.relation", FreeText::parse(&row.relation))?,
            phone: free_text("person_contacts.phone", row.phone)?,
            may_be_informed: row.may_be_informed,
            recorded_by: recorder(
                row.recorded_by,
                row.recorded_by_unit.as_deref(),
                row.recorded_by_org.as_deref(),
            )?,
            recorded_at: to_utc(row.recorded_at),
        })
    }
}

/// What a record looks like in storage right now: the person's own version and the counter
/// the database moves on at every change to the record's parts (migration
/// `000007_record_version`). Equal stamps mean an equal record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordStamp {
    pub person_version: i64,
    pub record_version: i64,
}

impl From<(i64, i64)> for RecordStamp {
    fn from((person_version, record_version): (i64, i64)) -> Self {
        Self {
            person_version,
            record_version,
        }
    }
}

record_part! {
    /// The person's own row as her part of the record snapshot, with `record_version` for
    /// the record's stamp (see [`person_from_snapshot`]).
    pub(crate) mod person_part = "person", persons where id => PersonRow => Person {
        id: text,
        personal_number: text,
        given_name: text,
        family_name: text,
        municipality_code: optional,
        protected_identity: boolean,
        address: optional,
        phone: optional,
        email: optional,
        what_matters_to_me: optional,
        registered_by: text,
        registered_by_unit: optional,
        registered_by_org: optional,
        version: integer,
        created_at: timestamp,
        updated_at: timestamp,
        reserve_number: boolean,
    }
    also selected: record_version;
    not selected: name_key: String::new(), name_sort_key: Vec::new();
}

/// The person and her record's stamp, read in the same row of the snapshot statement.
pub(crate) fn person_from_snapshot(
    row: &mut TextRow,
) -> Result<(Person, RecordStamp), PersistenceError> {
    let stamp = RecordStamp {
        person_version: row.integer(person_part::Column::version)?,
        record_version: row.integer(person_part::Column::record_version)?,
    };
    Ok((person_part::decode(row)?, stamp))
}

record_part! {
    /// Needs, resources and abilities recorded about her, as their part of the record snapshot.
    pub(crate) mod statement_part = "statement", person_statements where person_id
        => StatementRow => Statement {
        id: text,
        person_id: text,
        kind: text,
        text: text,
        recorded_by: text,
        recorded_by_unit: optional,
        recorded_by_org: optional,
        recorded_at: timestamp,
    }
}

record_part! {
    /// Her relatives and other contacts, as their part of the record snapshot.
    pub(crate) mod contact_part = "contact", person_contacts where person_id
        => ContactRow => RelatedContact {
        id: text,
        person_id: text,
        name: text,
        relation: text,
        phone: optional,
        may_be_informed: boolean,
        recorded_by: text,
        recorded_by_unit: optional,
        recorded_by_org: optional,
        recorded_at: timestamp,
    }
}
