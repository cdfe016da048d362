//! Care units: rows, conversion and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{CareUnit, CareUnitKind, DisplayName, HsaId, MunicipalityCode};
use uuid::Uuid;

use crate::schema::care_units;
use crate::text::{like_prefix, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = care_units)]
struct CareUnitRow {
    id: String,
    name: String,
    name_key: String,
    kind: String,
    organization_id: String,
    municipality_code: String,
    hsa_id: String,
    active: bool,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&CareUnit> for CareUnitRow {
    fn from(unit: &CareUnit) -> Self {
        Self {
            id: unit.id.to_string(),
            name: unit.name.to_string(),
            name_key: unit.name.search_key(),
            kind: unit.kind.as_str().to_owned(),
            organization_id: unit.organization_id.to_string(),
            municipality_code: unit.municipality.as_str().to_owned(),
            hsa_id: unit.hsa_id.to_string(),
            active: unit.active,
            version: unit.version,
            created_at: unit.created_at.naive_utc(),
            updated_at: unit.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<CareUnitRow> for CareUnit {
    type Error = PersistenceError;

    fn try_from(row: CareUnitRow) -> Result<Self, PersistenceError> {
        Ok(CareUnit {
            id: parse_uuid(&row.id)?,
            name: stored("care_units.name", DisplayName::parse(&row.name))?,
            kind: stored("care_units.kind", CareUnitKind::parse(&row.kind))?,
            organization_id: parse_uuid(&row.organization_id)?,
            municipality: stored(
                "care_units.municipality_code",
                MunicipalityCode::parse(&row.municipality_code),
            )?,
            hsa_id: stored("care_units.hsa_id", HsaId::parse(&row.hsa_id))?,
            active: row.active,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

/// Which care units a list returns.
#[derive(Debug, Clone, Default)]
pub struct CareUnitFilter {
    pub kind: Option<CareUnitKind>,
    pub municipality: Option<MunicipalityCode>,
    pub organization_id: Option<Uuid>,
    /// Matches names starting with this text, ignoring case.
    pub name_prefix: Option<String>,
    pub include_inactive: bool,
}

pub fn insert(conn: &mut DbConnection, unit: &CareUnit) -> Result<(), PersistenceError> {
    diesel::insert_into(care_units::table)
        .values(CareUnitRow::from(unit))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: Uuid) -> Result<Option<CareUnit>, PersistenceError> {
    care_units::table
        .find(id.to_string())
        .select(CareUnitRow::as_select())
        .first(conn)
        .optional()?
        .map(CareUnit::try_from)
        .transpose()
}

/// The units with these ids that exist, in id order (unknown ids are left out).
pub fn find_all(conn: &mut DbConnection, ids: &[Uuid]) -> Result<Vec<CareUnit>, PersistenceError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<CareUnitRow> = care_units::table
        .filter(care_units::id.eq_any(ids.iter().map(Uuid::to_string)))
        .order(care_units::id.asc())
        .select(CareUnitRow::as_select())
        .load(conn)?;
    rows.into_iter().map(CareUnit::try_from).collect()
}

/// Among the units with these ids, those that belong to a municipality (an organization of
/// kind `municipality`), with that municipality's code: whose units they are for payment
/// liability.
pub fn municipal_units(
    conn: &mut DbConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, MunicipalityCode)>, PersistenceError> {
    use crate::schema::organizations;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Option<String>)> = care_units::table
        .inner_join(organizations::table)
        .filter(care_units::id.eq_any(ids.iter().map(Uuid::to_string)))
        .filter(organizations::kind.eq(domain::OrganizationKind::Municipality.as_str()))
        .order(care_units::id.asc())
        .select((care_units::id, organizations::municipality_code))
        .load(conn)?;
    municipal_codes(rows)
}

/// Every care unit that belongs to a municipality, with its code (a few hundred in the county).
pub fn all_municipal_units(
    conn: &mut DbConnection,
) -> Result<Vec<(Uuid, MunicipalityCode)>, PersistenceError> {
    use crate::schema::organizations;
    let rows: Vec<(String, Option<String>)> = care_units::table
        .inner_join(organizations::table)
        .filter(organizations::kind.eq(domain::OrganizationKind::Municipality.as_str()))
        .order(care_units::id.asc())
        .select((care_units::id, organizations::municipality_code))
        .load(conn)?;
    municipal_codes(rows)
}

fn municipal_codes(
    rows: Vec<(String, Option<String>)>,
) -> Result<Vec<(Uuid, MunicipalityCode)>, PersistenceError> {
    rows.into_iter()
        .filter_map(|(id, code)| code.map(|code| (id, code)))
        .map(|(id, code)| {
            Ok((
                parse_uuid(&id)?,
                stored(
                    "organizations.municipality_code",
                    MunicipalityCode::parse(&code),
                )?,
            ))
        })
        .collect()
}

pub fn list(
    conn: &mut DbConnection,
    filter: &CareUnitFilter,
    page: PageRequest,
) -> Result<Page<CareUnit>, PersistenceError> {
    let mut query = care_units::table
        .select(CareUnitRow::as_select())
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(care_units::kind.eq(kind.as_str()));
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(care_units::municipality_code.eq(municipality.as_str()));
    }
    if let Some(organization_id) = filter.organization_id {
        query = query.filter(care_units::organization_id.eq(organization_id.to_string()));
    }
    if let Some(prefix) = &filter.name_prefix {
        query = query.filter(care_units::name_key.like(like_prefix(prefix)).escape('\\'));
    }
    if !filter.include_inactive {
        query = query.filter(care_units::active.eq(true));
    }
    if let Some(after) = page.after_text() {
        query = query.filter(care_units::id.gt(after));
    }
    let rows = query
        .order(care_units::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, CareUnit::try_from)
}

/// Writes `unit` over the stored row if that row is still at `unit.version`; returns the
/// record as stored, with the next version.
pub fn update(conn: &mut DbConnection, unit: &CareUnit) -> Result<CareUnit, PersistenceError> {
    let mut row = CareUnitRow::from(unit);
    row.version = unit.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(care_units::table.find(&row.id))
        .filter(care_units::version.eq(unit.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    CareUnit::try_from(row)
}
