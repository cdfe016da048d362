//! Measures of improvement projects (`/api/v1/measures/{id}`) and their data points: read,
//! bulk add (JSON or CSV, all or nothing, every bad row named), correct or delete with a
//! reason (each change kept as a revision, readable as the point's history), and the
//! measure's run or control chart. Measures are aggregates: analysts read them too.

pub mod add_points;
pub mod chart;
pub mod correct_point;
pub mod delete_point;
pub mod get;
pub mod history;
pub mod list_points;

use domain::improvement::measure::{DataPoint, Measure};
use persistence::{DbConnection, measures};
use uuid::Uuid;

use crate::error::ApiError;

/// The measure, or 404.
fn find(conn: &mut DbConnection, id: Uuid) -> Result<Measure, ApiError> {
    measures::find_measure(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no measure has id {id}")))
}

/// Data point `id` of measure `measure_id` (deleted or not), or 404.
fn find_point(conn: &mut DbConnection, measure_id: Uuid, id: Uuid) -> Result<DataPoint, ApiError> {
    measures::find_point(conn, measure_id, id)?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "measure {measure_id} has no data point with id {id}"
        ))
    })
}
