//! Improvement coaches (`/api/v1/coaches`): a coach profile on a staff member — the cohort
//! she trained in, her certification date, the units and municipalities she supports —
//! created, read, changed (`If-Match`) and listed by municipality or unit.

pub mod create;
pub mod get;
pub mod list;
pub mod update;

use domain::improvement::training::CoachProfile;
use persistence::{DbConnection, training};
use uuid::Uuid;

use crate::error::ApiError;
use crate::routes::references;

/// The coach profile of staff member `staff_id`, or 404.
fn find(conn: &mut DbConnection, staff_id: Uuid) -> Result<CoachProfile, ApiError> {
    training::find_coach(conn, staff_id)?
        .ok_or_else(|| ApiError::NotFound(format!("staff member {staff_id} has no coach profile")))
}

/// The units must exist and be active, the cohort must exist (422 naming the field).
fn check_references(conn: &mut DbConnection, coach: &CoachProfile) -> Result<(), ApiError> {
    for unit in &coach.care_unit_ids {
        references::active_care_unit(conn, "care_unit_ids", *unit)?;
    }
    if let Some(cohort) = coach.cohort_id
        && training::find_cohort(conn, cohort)?.is_none()
    {
        return Err(ApiError::invalid_field(
            "cohort_id",
            format!("no training cohort has id {cohort}"),
        ));
    }
    Ok(())
}
