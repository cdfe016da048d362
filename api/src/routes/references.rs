//! Checks that a record a write refers to exists and is active (422 naming the field); the
//! rule is [`domain::directory::active_reference`].

use domain::directory::{Referenced, active_reference};
use domain::{CareUnit, Organization, StaffMember};
use persistence::{DbConnection, care_units, organizations, staff};
use uuid::Uuid;

use crate::error::ApiError;

fn active<T: Referenced>(field: &str, id: Uuid, found: Option<T>) -> Result<T, ApiError> {
    active_reference(id, found).map_err(|e| ApiError::invalid_field(field, e.message))
}

pub fn active_organization(
    conn: &mut DbConnection,
    field: &str,
    id: Uuid,
) -> Result<Organization, ApiError> {
    active(field, id, organizations::find_by_id(conn, id)?)
}

pub fn active_care_unit(
    conn: &mut DbConnection,
    field: &str,
    id: Uuid,
) -> Result<CareUnit, ApiError> {
    active(field, id, care_units::find_by_id(conn, id)?)
}

pub fn active_staff_member(
    conn: &mut DbConnection,
    field: &str,
    id: Uuid,
) -> Result<StaffMember, ApiError> {
    active(field, id, staff::find_by_id(conn, id)?)
}
