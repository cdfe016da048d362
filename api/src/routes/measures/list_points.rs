use actix_web::web;
use openapi::improvement::measure::{DataPointList, DataPointQuery, DataPointResponse};
use openapi::responses::RestrictedReadErrors;
use persistence::measures;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeasures};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// A measure's data points in period order: its whole series (a series is charted whole; at
/// most 5,000 points are added per request). `include_deleted=true` adds the deleted ones,
/// marked, so their history can be found.
#[utoipa::path(
    get,
    path = "/api/v1/measures/{id}/data-points",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Measure id"), DataPointQuery),
    responses((status = 200, description = "The series", body = DataPointList), RestrictedReadErrors)
)]
pub async fn list_points(
    state: web::Data<AppState>,
    _reader: Authorized<ReadMeasures>,
    id: web::Path<Uuid>,
    query: web::Query<DataPointQuery>,
) -> Result<web::Json<DataPointList>, ApiError> {
    let id = id.into_inner();
    let include_deleted = query.include_deleted.unwrap_or(false);
    let (measure, points) = db::run(&state, move |conn| {
        let measure = super::find(conn, id)?;
        let points = measures::points_of(conn, id, include_deleted)?;
        Ok((measure, points))
    })
    .await?;
    Ok(web::Json(DataPointList {
        items: points
            .into_iter()
            .map(|p| DataPointResponse::new(p, measure.rate_multiplier))
            .collect(),
    }))
}
