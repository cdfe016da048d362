//! Improvement projects of the network (`/api/v1/improvement-projects`): start, read (with
//! their PDSA cycles, measures and change points), list with filters, change (`If-Match`;
//! status along [`domain::improvement::ProjectStatus::may_become`]); plan and record PDSA
//! cycles (`/api/v1/pdsa-cycles/{id}`); add measures. The rules are
//! [`domain::improvement`]'s; no patient's data is held here.

pub mod add_cycle;
pub mod add_measure;
pub mod create;
pub mod get;
pub mod get_cycle;
pub mod list;
pub mod update;
pub mod update_cycle;

use domain::improvement::ImprovementProject;
use persistence::{DbConnection, improvement, training};
use uuid::Uuid;

use crate::error::ApiError;
use crate::routes::references;

/// The project, or 404.
pub(crate) fn find(conn: &mut DbConnection, id: Uuid) -> Result<ImprovementProject, ApiError> {
    improvement::find_project(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no improvement project has id {id}")))
}

/// The coach must be a staff member with a coach profile; units and team members must exist
/// and be active (422 naming the field).
fn check_references(conn: &mut DbConnection, project: &ImprovementProject) -> Result<(), ApiError> {
    for unit in &project.care_unit_ids {
        references::active_care_unit(conn, "care_unit_ids", *unit)?;
    }
    for member in &project.team_member_ids {
        references::active_staff_member(conn, "team_member_ids", *member)?;
    }
    if let Some(coach) = project.coach_id {
        references::active_staff_member(conn, "coach_id", coach)?;
        if training::find_coach(conn, coach)?.is_none() {
            return Err(ApiError::invalid_field(
                "coach_id",
                format!("staff member {coach} has no coach profile (POST /api/v1/coaches)"),
            ));
        }
    }
    Ok(())
}
