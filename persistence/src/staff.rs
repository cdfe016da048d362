//! Staff members: rows, conversion and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{DisplayName, HsaId, MunicipalityCode, Profession, StaffMember};
use uuid::Uuid;

use crate::schema::{care_units, staff};
use crate::text::{like_prefix, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = staff)]
struct StaffRow {
    id: String,
    name: String,
    name_key: String,
    profession: String,
    care_unit_id: String,
    hsa_id: String,
    active: bool,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&StaffMember> for StaffRow {
    fn from(member: &StaffMember) -> Self {
        Self {
            id: member.id.to_string(),
            name: member.name.to_string(),
            name_key: member.name.search_key(),
            profession: member.profession.as_str().to_owned(),
            care_unit_id: member.care_unit_id.to_string(),
            hsa_id: member.hsa_id.to_string(),
            active: member.active,
            version: member.version,
            created_at: member.created_at.naive_utc(),
            updated_at: member.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<StaffRow> for StaffMember {
    type Error = PersistenceError;

    fn try_from(row: StaffRow) -> Result<Self, PersistenceError> {
        Ok(StaffMember {
            id: parse_uuid(&row.id)?,
            name: stored("staff.name", DisplayName::parse(&row.name))?,
            profession: stored("staff.profession", Profession::parse(&row.profession))?,
            care_unit_id: parse_uuid(&row.care_unit_id)?,
            hsa_id: stored("staff.hsa_id", HsaId::parse(&row.hsa_id))?,
            active: row.active,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

/// Which staff members a list returns.
#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    pub profession: Option<Profession>,
    pub care_unit_id: Option<Uuid>,
    /// Staff of any unit of this organization.
    pub organization_id: Option<Uuid>,
    /// Staff of any unit in this municipality.
    pub municipality: Option<MunicipalityCode>,
    /// Matches names starting with this text, ignoring case.
    pub name_prefix: Option<String>,
    pub include_inactive: bool,
}

pub fn insert(conn: &mut DbConnection, member: &StaffMember) -> Result<(), PersistenceError> {
    diesel::insert_into(staff::table)
        .values(StaffRow::from(member))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<StaffMember>, PersistenceError> {
    staff::table
        .find(id.to_string())
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?
        .map(StaffMember::try_from)
        .transpose()
}

pub fn list(
    conn: &mut DbConnection,
    filter: &StaffFilter,
    page: PageRequest,
) -> Result<Page<StaffMember>, PersistenceError> {
    let mut query = staff::table
        .inner_join(care_units::table)
        .select(StaffRow::as_select())
        .into_boxed();
    if let Some(profession) = filter.profession {
        query = query.filter(staff::profession.eq(profession.as_str()));
    }
    if let Some(care_unit_id) = filter.care_unit_id {
        query = query.filter(staff::care_unit_id.eq(care_unit_id.to_string()));
    }
    if let Some(organization_id) = filter.organization_id {
        query = query.filter(care_units::organization_id.eq(organization_id.to_string()));
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(care_units::municipality_code.eq(municipality.as_str()));
    }
    if let Some(prefix) = &filter.name_prefix {
        query = query.filter(staff::name_key.like(like_prefix(prefix)).escape('\\'));
    }
    if !filter.include_inactive {
        query = query.filter(staff::active.eq(true));
    }
    if let Some(after) = page.after_text() {
        query = query.filter(staff::id.gt(after));
    }
    let rows = query
        .order(staff::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, StaffMember::try_from)
}

/// Writes `member` over the stored row if that row is still at `member.version`; returns the
/// record as stored, with the next version.
pub fn update(
    conn: &mut DbConnection,
    member: &StaffMember,
) -> Result<StaffMember, PersistenceError> {
    let mut row = StaffRow::from(member);
    row.version = member.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(staff::table.find(&row.id))
        .filter(staff::version.eq(member.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    StaffMember::try_from(row)
}
