//! Measures of improvement projects (`/api/v1/measures/{id}`) and their data points: read,
//! bulk add (JSON or CSV, all or nothing, every bad row named), correct or delete with a
//! reason (each change kept as a revision, readable as the point's history), and the
//! measure's run or control chart. Measures are aggregates: analysts read them too. A
//! measure bound to a network indicator takes no points: its series is the indicator's.

pub mod add_points;
pub mod chart;
pub mod correct_point;
pub mod delete_point;
pub mod get;
pub mod history;
pub mod list_points;

use chrono::NaiveDate;
use domain::discharge::AgreementSettings;
use domain::improvement::measure::{DataPoint, Measure};
use persistence::{DbConnection, measures};
use uuid::Uuid;

use crate::error::ApiError;
use crate::record_access::today;
use crate::routes::{improvement_projects, indicators};

/// A measure's series in period order and the periods left out as suppressed: its stored
/// points (the deleted ones too with `include_deleted`), or, for a measure bound to an
/// indicator, the indicator's monthly figures over its project's span
/// ([`domain::improvement::measure::IndicatorBinding::query`]).
fn series_of(
    conn: &mut DbConnection,
    measure: &Measure,
    include_deleted: bool,
    settings: &AgreementSettings,
) -> Result<(Vec<DataPoint>, Vec<NaiveDate>), ApiError> {
    let Some(binding) = measure.indicator else {
        return Ok((
            measures::points_of(conn, measure.id, include_deleted)?,
            Vec::new(),
        ));
    };
    let project = improvement_projects::find(conn, measure.project_id)?;
    let query = binding
        .query(&project, today())
        .map_err(|e| ApiError::Internal(format!("a bound measure's span was refused: {e}")))?;
    let cells = indicators::figures_on(conn, &query, settings)?;
    Ok(measure.indicator_points(&cells, persistence::now()))
}

/// The measure, or 404.
fn find(conn: &mut DbConnection, id: Uuid) -> Result<Measure, ApiError> {
    measures::find_measure(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no measure has id {id}")))
}

/// The measure, or 404; 409 when it is bound to an indicator (its points are not sent,
/// corrected or deleted).
fn find_taking_points(conn: &mut DbConnection, id: Uuid) -> Result<Measure, ApiError> {
    let measure = find(conn, id)?;
    measure.check_takes_points()?;
    Ok(measure)
}

/// Data point `id` of measure `measure_id` (deleted or not), or 404.
fn find_point(conn: &mut DbConnection, measure_id: Uuid, id: Uuid) -> Result<DataPoint, ApiError> {
    measures::find_point(conn, measure_id, id)?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "measure {measure_id} has no data point with id {id}"
        ))
    })
}
