//! Checks that a record a write refers to exists and is active (422 naming the field).

use domain::{CareUnit, Organization, StaffMember};
use persistence::{DbConnection, care_units, organizations, staff};
use uuid::Uuid;

use crate::error::ApiError;

pub fn active_organization(
    conn: &mut DbConnection,
    field: &str,
    id: Uuid,
) -> Result<Organization, ApiError> {
    match organizations::find_by_id(conn, id)? {
        Some(org) if org.active => Ok(org),
        Some(_) => Err(ApiError::invalid_field(
            field,
            format!("organization {id} is deactivated"),
        )),
        None => Err(ApiError::invalid_field(
            field,
            format!("no organization has id {id}"),
        )),
    }
}

pub fn active_care_unit(
    conn: &mut DbConnection,
    field: &str,
    id: Uuid,
) -> Result<CareUnit, ApiError> {
    match care_units::find_by_id(conn, id)? {
        Some(unit) if unit.active => Ok(unit),
        Some(_) => Err(ApiError::invalid_field(
            field,
            format!("care unit {id} is deactivated"),
        )),
        None => Err(ApiError::invalid_field(
            field,
            format!("no care unit has id {id}"),
        )),
    }
}

pub fn active_staff_member(
    conn: &mut DbConnection,
    field: &str,
    id: Uuid,
) -> Result<StaffMember, ApiError> {
    match staff::find_by_id(conn, id)? {
        Some(member) if member.active => Ok(member),
        Some(_) => Err(ApiError::invalid_field(
            field,
            format!("staff member {id} is deactivated"),
        )),
        None => Err(ApiError::invalid_field(
            field,
            format!("no staff member has id {id}"),
        )),
    }
}
