//! A unit's caseload: the persons it has a care relationship in force with, in name order
//! (family name, given name, id), with the filters of `GET /api/v1/units/{id}/caseload`.
//! Only ids come out: the records themselves are read through the record cache and the access
//! rules decide on each.

use std::collections::HashSet;

use diesel::dsl::{exists, sql};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use domain::MunicipalityCode;
use domain::record::RelationshipRole;
use uuid::Uuid;

use crate::coordination::closed_states;
use crate::schema::{care_relationships, coordination_cases, persons};
use crate::text::{like_prefix, parse_uuid};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

/// Which of the unit's persons to list.
#[derive(Debug, Clone, Default)]
pub struct CaseloadFilter {
    pub unit: Uuid,
    /// Only persons the unit cares for in this role.
    pub role: Option<RelationshipRole>,
    /// Only persons with (`true`) or without (`false`) a case that is neither discharged nor
    /// interrupted.
    pub has_open_case: Option<bool>,
    /// Only persons registered in this municipality.
    pub municipality: Option<MunicipalityCode>,
    /// Only persons whose "given family" name, in search form
    /// ([`domain::name::search_key`]), starts with this.
    pub name_prefix: Option<String>,
}

/// A page of the unit's persons (ids) in name order. The page continues after the person
/// `page.after` by her name as it is now: a person renamed meanwhile may show up again or be
/// passed; persons added meanwhile appear in their place, and none is shown twice or skipped.
pub fn page(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    page: PageRequest,
) -> Result<Page<Uuid>, PersistenceError> {
    page_listing_small_units_up_to(conn, filter, page, SMALL_UNIT)
}

/// [`page`] with units of at most `small_unit` relationships in force listed through their
/// relationships and larger ones by walking the name index: the same page either way (0 and
/// `i64::MAX` force one plan, for tests that compare them).
pub fn page_listing_small_units_up_to(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    page: PageRequest,
    small_unit: i64,
) -> Result<Page<Uuid>, PersistenceError> {
    let small = is_small(conn, filter.unit, small_unit)?;
    page_with_plan(conn, filter, page, small)
}

/// Whether `unit` has at most [`SMALL_UNIT`] care relationships in force, which decides how
/// its caseload is read ([`page_with_plan`]); a caller may keep the answer a while, since
/// either plan gives the same page.
pub fn is_small_unit(conn: &mut DbConnection, unit: Uuid) -> Result<bool, PersistenceError> {
    is_small(conn, unit, SMALL_UNIT)
}

/// [`page`] read as for a small unit (through its relationships, `small`) or a large one (by
/// walking the name index); the same page either way.
pub fn page_with_plan(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    page: PageRequest,
    small: bool,
) -> Result<Page<Uuid>, PersistenceError> {
    let after = match page.after_text() {
        None => None,
        Some(after) => {
            let name: Option<(String, String)> = persons::table
                .find(&after)
                .select((persons::family_name, persons::given_name))
                .first(conn)
                .optional()?;
            // Persons are never deleted; a cursor naming none has nothing after it.
            let Some((family, given)) = name else {
                return Ok(Page {
                    items: Vec::new(),
                    has_more: false,
                });
            };
            Some((family, given, after))
        }
    };
    // "Cared for by the unit" two ways, chosen by the unit's size (docs/BENCHMARKS.md,
    // caseload). A large unit as a correlated EXISTS: with `id IN (…)` SQLite builds the
    // unit's whole list (57,083 persons at the busiest vårdcentral), reads each and sorts them
    // all for every page; with EXISTS both backends walk `persons_family_given` from the
    // cursor and probe `care_relationships_unit` per person, about (persons in the region ÷
    // the unit's persons) × 50 of them a page. A small unit that way would walk most of the
    // region's names for each page, so its persons are listed through `IN (…)` instead: at
    // most [`SMALL_UNIT`] relationships read and sorted. Both give the same pages.
    // Subqueries cannot be boxed (they must be SQL for each backend): one arm per case.
    let members = care_relationships::table
        .filter(care_relationships::care_unit_id.eq(filter.unit.to_string()))
        .filter(care_relationships::ended_at.is_null());
    let cared_for = members
        .clone()
        .filter(care_relationships::person_id.eq(persons::id));
    let listed = persons::table.select(persons::id);
    let mut query = match (small, filter.role) {
        (true, Some(role)) => listed
            .filter(
                persons::id.eq_any(
                    members
                        .filter(care_relationships::role.eq(role.as_str()))
                        .select(care_relationships::person_id),
                ),
            )
            .into_boxed(),
        (true, None) => listed
            .filter(persons::id.eq_any(members.select(care_relationships::person_id)))
            .into_boxed(),
        (false, Some(role)) => listed
            .filter(exists(
                cared_for.filter(care_relationships::role.eq(role.as_str())),
            ))
            .into_boxed(),
        (false, None) => listed.filter(exists(cared_for)).into_boxed(),
    };
    if let Some(open) = filter.has_open_case {
        let with_open_case = coordination_cases::table
            .filter(coordination_cases::state.ne_all(closed_states()))
            .select(coordination_cases::person_id);
        query = match open {
            true => query.filter(persons::id.eq_any(with_open_case)),
            false => query.filter(persons::id.ne_all(with_open_case)),
        };
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(persons::municipality_code.eq(municipality.as_str()));
    }
    if let Some(prefix) = &filter.name_prefix {
        query = query.filter(persons::name_key.like(like_prefix(prefix)).escape('\\'));
    }
    if let Some((family, given, id)) = after {
        // A row-value comparison, not the equivalent ORs: both PostgreSQL and SQLite (3.15+)
        // turn it into one range scan of `persons_family_given`, so a deep page costs what
        // the first does (docs/BENCHMARKS.md, caseload).
        query = query.filter(
            sql::<Bool>("(persons.family_name, persons.given_name, persons.id) > (")
                .bind::<Text, _>(family)
                .sql(", ")
                .bind::<Text, _>(given)
                .sql(", ")
                .bind::<Text, _>(id)
                .sql(")"),
        );
    }
    let rows: Vec<String> = query
        .order((
            persons::family_name.asc(),
            persons::given_name.asc(),
            persons::id.asc(),
        ))
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, |id| parse_uuid(&id))
}

/// Care relationships in force up to which a unit's caseload is listed from its relationships
/// (read whole and sorted) rather than by walking the name index.
pub const SMALL_UNIT: i64 = 2_000;

/// Whether the unit has at most `small_unit` care relationships in force: a read of at most
/// that many entries of the index `care_relationships_unit_in_force` (migration `000021`),
/// whatever the unit's size.
fn is_small(
    conn: &mut DbConnection,
    unit: Uuid,
    small_unit: i64,
) -> Result<bool, PersistenceError> {
    let beyond = care_relationships::table
        .filter(care_relationships::care_unit_id.eq(unit.to_string()))
        .filter(care_relationships::ended_at.is_null())
        .select(care_relationships::person_id)
        .limit(1)
        .offset(small_unit);
    let large: bool = diesel::select(exists(beyond)).get_result(conn)?;
    Ok(!large)
}

/// Which of `person_ids` have an open case (neither discharged nor interrupted).
pub fn with_open_case(
    conn: &mut DbConnection,
    person_ids: &[Uuid],
) -> Result<HashSet<Uuid>, PersistenceError> {
    let mut open = HashSet::new();
    for chunk in person_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let ids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let rows: Vec<String> = coordination_cases::table
            .filter(coordination_cases::person_id.eq_any(ids))
            .filter(coordination_cases::state.ne_all(closed_states()))
            .select(coordination_cases::person_id)
            .load(conn)?;
        for id in rows {
            open.insert(parse_uuid(&id)?);
        }
    }
    Ok(open)
}
