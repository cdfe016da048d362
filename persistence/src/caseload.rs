//! A unit's caseload: the persons it has a care relationship in force with, in name order
//! (Swedish alphabetical order of family name, then given name, by
//! [`domain::name::sort_key`]; then id), with the filters of `GET /api/v1/units/{id}/caseload`.
//! Each person listed comes out with her record's stamp and whether she has an open case;
//! the records themselves are read through the record cache and the access rules decide on
//! each.
//!
//! Three plans give the same pages ([`Plan`]); which is fastest depends on the filters and the
//! unit's size (docs/BENCHMARKS.md, caseload).

use std::collections::HashMap;

use diesel::backend::Backend;
use diesel::dsl::{exists, sql};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Binary, Bool, HasSqlType, Text, Untyped};
use domain::MunicipalityCode;
use domain::record::RelationshipRole;
use uuid::Uuid;

use crate::coordination::{closed_states, visible_to_unit};
use crate::persons::RecordStamp;
use crate::schema::{care_relationships, coordination_cases, persons};
use crate::text::{like_prefix, parse_uuid};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

/// Which of the unit's persons to list.
#[derive(Debug, Clone, Default)]
pub struct CaseloadFilter {
    pub unit: Uuid,
    /// Only persons the unit cares for in this role.
    pub role: Option<RelationshipRole>,
    /// Only persons with a case that is neither discharged nor interrupted, anywhere. (The
    /// API applies `has_open_case=false` to the page as read, by the cases the caller sees:
    /// decision 0027.)
    pub only_with_open_case: bool,
    /// Only persons registered in this municipality.
    pub municipality: Option<MunicipalityCode>,
    /// Only persons whose "given family" name, in search form
    /// ([`domain::name::search_key`]), starts with this.
    pub name_prefix: Option<String>,
}

impl CaseloadFilter {
    /// Whether the filter asks about the person herself (municipality, open case, name), not
    /// only about her relationships with the unit.
    pub fn filters_persons(&self) -> bool {
        self.only_with_open_case || self.municipality.is_some() || self.name_prefix.is_some()
    }
}

/// A person on a caseload page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: Uuid,
    /// Her place in the order ([`domain::name::sort_key`] of her name), as stored.
    pub sort_key: Vec<u8>,
    /// Her record's stamp, read with the page.
    pub stamp: RecordStamp,
    /// Whether she has a case that is neither discharged nor interrupted.
    pub open_case: bool,
}

/// How a caseload page is read; every plan gives the same pages (measured in
/// docs/BENCHMARKS.md, caseload).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// The unit's relationships in force in name order, from the entries of the index
    /// `care_relationships_caseload` (migration `000022`), each person's stamp and open case
    /// read with them: one statement, whatever the unit's size or the page's depth. Cannot
    /// filter on the person ([`CaseloadFilter::filters_persons`]).
    Relationships,
    /// Every person of the register in name order, each probed for a relationship with the
    /// unit: a filter on the person in a large unit.
    PersonsByName,
    /// The unit's relationships read whole and their persons sorted: a filter on the person
    /// in a small unit (at most [`SMALL_UNIT`] relationships in force), whose persons the walk
    /// by name would find few and far between.
    PersonsOfUnit,
}

impl Plan {
    /// The plan for `filter`; `small` is asked only for a filter on the person, whether the
    /// unit is small ([`is_small_unit`], which the caller may keep a while).
    pub fn choose<E>(
        filter: &CaseloadFilter,
        small: impl FnOnce() -> Result<bool, E>,
    ) -> Result<Self, E> {
        Ok(match filter.filters_persons() {
            false => Plan::Relationships,
            true if small()? => Plan::PersonsOfUnit,
            true => Plan::PersonsByName,
        })
    }
}

/// A page of the unit's persons in name order. The page continues after the person
/// `page.after` by her name as it is now: a person renamed meanwhile may show up again or be
/// passed; persons added meanwhile appear in their place, and none is shown twice or skipped.
/// If the person `page.after` was herself renamed, the page continues from her new place and
/// passes over everyone between: the API binds its cursor to her name
/// (`api::pagination::Listing::anchor`) and refuses such a cursor instead.
pub fn page(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    page: PageRequest,
) -> Result<Page<Listed>, PersistenceError> {
    let plan = Plan::choose(filter, || is_small_unit(conn, filter.unit))?;
    page_with_plan(conn, filter, page, plan)
}

/// Whether `unit` has at most [`SMALL_UNIT`] care relationships in force, which decides how
/// its caseload is read under a filter on the person ([`Plan`]); a caller may keep the answer
/// a while, since every plan gives the same page.
pub fn is_small_unit(conn: &mut DbConnection, unit: Uuid) -> Result<bool, PersistenceError> {
    is_small(conn, unit, SMALL_UNIT)
}

/// [`page`] read by `plan`. [`Plan::Relationships`] with a filter on the person is refused
/// (an internal error: the plan cannot apply it).
pub fn page_with_plan(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    page: PageRequest,
    plan: Plan,
) -> Result<Page<Listed>, PersistenceError> {
    let after = match page.after {
        None => None,
        // Persons are never deleted; a cursor naming none, or one who has left the
        // caseload, has nothing after it here (the HTTP list refuses such a cursor).
        Some(id) => match anchor(conn, filter.unit, id)? {
            None => {
                return Ok(Page {
                    items: Vec::new(),
                    has_more: false,
                });
            }
            found => found,
        },
    };
    page_after(conn, filter, after.as_ref(), page.limit, plan)
}

/// Where a caseload page continues: the person the page before ended on, by her name as it
/// is now (the list's order: her name's sort key, then her id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: Uuid,
    /// [`domain::name::sort_key`] of her name, as stored.
    pub sort_key: Vec<u8>,
}

/// The person `id` as a page's [`Anchor`] in `unit`'s caseload; `None` if there is no such
/// person, or the unit has no care relationship in force with her (any role). A cursor is
/// checked against her name only while she is in the caseload, so a unit that no longer cares
/// for her cannot replay an old cursor to learn whether she was renamed.
pub fn anchor(
    conn: &mut DbConnection,
    unit: Uuid,
    id: Uuid,
) -> Result<Option<Anchor>, PersistenceError> {
    let cared_for = care_relationships::table
        .filter(care_relationships::care_unit_id.eq(unit.to_string()))
        .filter(care_relationships::ended_at.is_null())
        .filter(care_relationships::person_id.eq(persons::id));
    let sort_key: Option<Vec<u8>> = persons::table
        .find(id.to_string())
        .filter(exists(cared_for))
        .select(persons::name_sort_key)
        .first(conn)
        .optional()?;
    Ok(sort_key.map(|sort_key| Anchor { id, sort_key }))
}

/// Up to `limit` persons of the caseload after `after` (from the first when `None`), read by
/// `plan` (see [`page_with_plan`]).
pub fn page_after(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    after: Option<&Anchor>,
    limit: u32,
    plan: Plan,
) -> Result<Page<Listed>, PersistenceError> {
    let page = PageRequest { after: None, limit };
    let after = after.map(|a| After {
        sort_key: a.sort_key.clone(),
        id: a.id.to_string(),
    });
    match plan {
        Plan::Relationships if filter.filters_persons() => Err(PersistenceError::Unavailable(
            "the caseload's relationships plan cannot filter on the person".into(),
        )),
        Plan::Relationships => {
            let query = RelationshipsPage {
                closed_states: closed_states(),
                unit: filter.unit.to_string(),
                role: filter.role.map(RelationshipRole::as_str),
                after,
                limit: page.fetch_limit(),
            };
            let rows: Vec<ListedRow> = crate::connection::load_native(conn, query)?;
            page.into_page(rows, Listed::try_from)
        }
        Plan::PersonsOfUnit | Plan::PersonsByName => {
            let ids = persons_page(conn, filter, page, after, plan == Plan::PersonsOfUnit)?;
            let listed = listed(conn, &ids.items)?;
            Ok(Page {
                items: listed,
                has_more: ids.has_more,
            })
        }
    }
}

/// The person a page continues after, with her name's sort key as it is now.
struct After {
    sort_key: Vec<u8>,
    id: String,
}

#[derive(QueryableByName)]
struct ListedRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Binary)]
    sort_key: Vec<u8>,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = BigInt)]
    record_version: i64,
    #[diesel(sql_type = Bool)]
    open_case: bool,
}

impl TryFrom<ListedRow> for Listed {
    type Error = PersistenceError;

    fn try_from(row: ListedRow) -> Result<Self, Self::Error> {
        Ok(Listed {
            id: parse_uuid(&row.id)?,
            sort_key: row.sort_key,
            stamp: RecordStamp::from((row.version, row.record_version)),
            open_case: row.open_case,
        })
    }
}

/// [`Plan::Relationships`] as one statement. Written out because diesel has no query in
/// `FROM`: the distinct persons of the unit's relationships must be cut to the page (`LIMIT`)
/// before their persons and cases are read, or the planners join all of the unit's persons
/// first (PostgreSQL then sorted them: 470 ms a page against 0.4 ms on the region data set).
/// Kept prepared per connection by its text, as diesel's own queries are (one text per
/// combination of role, cursor and page size).
struct RelationshipsPage {
    closed_states: Vec<&'static str>,
    unit: String,
    role: Option<&'static str>,
    after: Option<After>,
    limit: i64,
}

impl QueryId for RelationshipsPage {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for RelationshipsPage {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for RelationshipsPage {}

impl<DB> QueryFragment<DB> for RelationshipsPage
where
    DB: Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Binary>,
    str: ToSql<Text, DB>,
    String: ToSql<Text, DB>,
    Vec<u8>: ToSql<Binary, DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "SELECT p.id AS id, k.person_name_sort_key AS sort_key, p.version AS version, p.record_version AS record_version, \
             EXISTS (SELECT 1 FROM coordination_cases c WHERE c.person_id = p.id \
             AND c.state NOT IN (",
        );
        for (n, state) in self.closed_states.iter().enumerate() {
            if n > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<Text, str>(state)?;
        }
        out.push_sql(
            ")) AS open_case \
             FROM (SELECT DISTINCT r.person_name_sort_key, r.person_id \
             FROM care_relationships r WHERE r.care_unit_id = ",
        );
        out.push_bind_param::<Text, String>(&self.unit)?;
        out.push_sql(" AND r.ended_at IS NULL");
        if let Some(role) = self.role {
            out.push_sql(" AND r.role = ");
            out.push_bind_param::<Text, str>(role)?;
        }
        if let Some(after) = &self.after {
            // A row-value comparison: one range of the index on both backends.
            out.push_sql(" AND (r.person_name_sort_key, r.person_id) > (");
            out.push_bind_param::<Binary, Vec<u8>>(&after.sort_key)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, String>(&after.id)?;
            out.push_sql(")");
        }
        // The limit is written into the text, not bound: PostgreSQL plans a bound `LIMIT` as
        // a tenth of the unit's relationships, finds that generic plan dear and plans the
        // statement anew at every execution (0.45 ms, more than running it).
        out.push_sql(" ORDER BY r.person_name_sort_key, r.person_id LIMIT ");
        out.push_sql(&self.limit.to_string());
        out.push_sql(
            ") k JOIN persons p ON p.id = k.person_id \
             ORDER BY k.person_name_sort_key, k.person_id",
        );
        Ok(())
    }
}

/// The page's persons (ids) by [`Plan::PersonsOfUnit`] (`small`) or [`Plan::PersonsByName`].
fn persons_page(
    conn: &mut DbConnection,
    filter: &CaseloadFilter,
    page: PageRequest,
    after: Option<After>,
    small: bool,
) -> Result<Page<Uuid>, PersistenceError> {
    // "Cared for by the unit" two ways, chosen by the unit's size (docs/BENCHMARKS.md,
    // caseload). A large unit as a correlated EXISTS: with `id IN (…)` SQLite builds the
    // unit's whole list (57,083 persons at the busiest vårdcentral), reads each and sorts them
    // all for every page; with EXISTS both backends walk `persons_name_sort_key` from the
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
    if filter.only_with_open_case {
        // An open case the unit may see (decision 0027, `domain::discharge::case_visible`): its
        // own ward's, one whose ward she has not blocked, or one with a message to the unit not
        // retracted from it. The rule is applied again to the page as read (emergency access
        // there too); here it keeps a person whose only open case is hidden off the page, and
        // so out of its cursor (an attack review read her id from an empty page's `next`).
        let with_open_case = coordination_cases::table
            .filter(coordination_cases::state.ne_all(closed_states()))
            .filter(visible_to_unit(filter.unit.to_string()))
            .select(coordination_cases::person_id);
        query = query.filter(persons::id.eq_any(with_open_case));
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(persons::municipality_code.eq(municipality.as_str()));
    }
    if let Some(prefix) = &filter.name_prefix {
        query = query.filter(persons::name_key.like(like_prefix(prefix)).escape('\\'));
    }
    if let Some(After { sort_key, id }) = after {
        // A row-value comparison, not the equivalent ORs: both PostgreSQL and SQLite (3.15+)
        // turn it into one range scan of `persons_name_sort_key`, so a deep page costs what
        // the first does (docs/BENCHMARKS.md, caseload).
        query = query.filter(
            sql::<Bool>("(persons.name_sort_key, persons.id) > (")
                .bind::<Binary, _>(sort_key)
                .sql(", ")
                .bind::<Text, _>(id)
                .sql(")"),
        );
    }
    let rows: Vec<String> = query
        .order((persons::name_sort_key.asc(), persons::id.asc()))
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

/// `person_ids` as listed: each with her record's stamp and whether she has an open case, in
/// the order given (one statement).
fn listed(conn: &mut DbConnection, person_ids: &[Uuid]) -> Result<Vec<Listed>, PersistenceError> {
    let ids: Vec<String> = person_ids.iter().map(Uuid::to_string).collect();
    let open_case = coordination_cases::table
        .filter(coordination_cases::person_id.eq(persons::id))
        .filter(coordination_cases::state.ne_all(closed_states()));
    let rows: Vec<(String, Vec<u8>, i64, i64, bool)> = persons::table
        .filter(persons::id.eq_any(ids))
        .select((
            persons::id,
            persons::name_sort_key,
            persons::version,
            persons::record_version,
            exists(open_case),
        ))
        .load(conn)?;
    let mut found = HashMap::with_capacity(rows.len());
    for (id, sort_key, version, record_version, open_case) in rows {
        let row = ListedRow {
            id,
            sort_key,
            version,
            record_version,
            open_case,
        };
        let listed = Listed::try_from(row)?;
        found.insert(listed.id, listed);
    }
    // Persons are never deleted: each id read is found.
    Ok(person_ids
        .iter()
        .filter_map(|id| found.remove(id))
        .collect())
}
