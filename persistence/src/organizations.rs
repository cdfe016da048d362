//! Organizations: rows, conversion and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{DisplayName, HsaId, MunicipalityCode, Organization, OrganizationKind};
use uuid::Uuid;

use crate::schema::organizations;
use crate::text::{like_prefix, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organizations)]
struct OrganizationRow {
    id: String,
    name: String,
    name_key: String,
    kind: String,
    hsa_id: String,
    municipality_code: Option<String>,
    active: bool,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&Organization> for OrganizationRow {
    fn from(org: &Organization) -> Self {
        Self {
            id: org.id.to_string(),
            name: org.name.to_string(),
            name_key: org.name.search_key(),
            kind: org.kind.as_str().to_owned(),
            hsa_id: org.hsa_id.to_string(),
            municipality_code: org.municipality.map(|m| m.as_str().to_owned()),
            active: org.active,
            version: org.version,
            created_at: org.created_at.naive_utc(),
            updated_at: org.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = PersistenceError;

    fn try_from(row: OrganizationRow) -> Result<Self, PersistenceError> {
        Ok(Organization {
            id: parse_uuid(&row.id)?,
            name: stored("organizations.name", DisplayName::parse(&row.name))?,
            kind: stored("organizations.kind", OrganizationKind::parse(&row.kind))?,
            hsa_id: stored("organizations.hsa_id", HsaId::parse(&row.hsa_id))?,
            municipality: row
                .municipality_code
                .map(|code| {
                    stored(
                        "organizations.municipality_code",
                        MunicipalityCode::parse(&code),
                    )
                })
                .transpose()?,
            active: row.active,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

/// Which organizations a list returns.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    pub kind: Option<OrganizationKind>,
    pub municipality: Option<MunicipalityCode>,
    /// Matches names starting with this text, ignoring case.
    pub name_prefix: Option<String>,
    pub include_inactive: bool,
}

pub fn insert(conn: &mut DbConnection, org: &Organization) -> Result<(), PersistenceError> {
    diesel::insert_into(organizations::table)
        .values(OrganizationRow::from(org))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<Organization>, PersistenceError> {
    organizations::table
        .find(id.to_string())
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?
        .map(Organization::try_from)
        .transpose()
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OrganizationFilter,
    page: PageRequest,
) -> Result<Page<Organization>, PersistenceError> {
    let mut query = organizations::table
        .select(OrganizationRow::as_select())
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(organizations::kind.eq(kind.as_str()));
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(organizations::municipality_code.eq(municipality.as_str()));
    }
    if let Some(prefix) = &filter.name_prefix {
        query = query.filter(
            organizations::name_key
                .like(like_prefix(prefix))
                .escape('\\'),
        );
    }
    if !filter.include_inactive {
        query = query.filter(organizations::active.eq(true));
    }
    if let Some(after) = page.after_text() {
        query = query.filter(organizations::id.gt(after));
    }
    let rows = query
        .order(organizations::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, Organization::try_from)
}

/// Writes `org` over the stored row if that row is still at `org.version`; returns the
/// record as stored, with the next version.
pub fn update(
    conn: &mut DbConnection,
    org: &Organization,
) -> Result<Organization, PersistenceError> {
    let mut row = OrganizationRow::from(org);
    row.version = org.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(organizations::table.find(&row.id))
        .filter(organizations::version.eq(org.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    Organization::try_from(row)
}

/// Whether any organization exists: the demo data is loaded only into an empty directory.
pub fn any_exist(conn: &mut DbConnection) -> Result<bool, PersistenceError> {
    let first: Option<String> = organizations::table
        .select(organizations::id)
        .first(conn)
        .optional()?;
    Ok(first.is_some())
}
