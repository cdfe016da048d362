//! Training cohorts of improvement coaches (`/api/v1/training-cohorts`): set up with sessions
//! and a completion rule, enrol staff, record attendance per session and the project each
//! presented; every enrolment shows whether its holder has completed and, if not, why. The
//! rule is [`domain::improvement::training::TrainingCohort::completion`].

pub mod create;
pub mod enrol;
pub mod get;
pub mod list;
pub mod list_enrolments;
pub mod record_attendance;
pub mod record_presentation;

use domain::improvement::training::TrainingCohort;
use persistence::{DbConnection, training};
use uuid::Uuid;

use crate::error::ApiError;

/// The cohort, or 404.
pub(crate) fn find(conn: &mut DbConnection, id: Uuid) -> Result<TrainingCohort, ApiError> {
    training::find_cohort(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no training cohort has id {id}")))
}
