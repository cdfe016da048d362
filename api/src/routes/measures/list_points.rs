use actix_web::web;
use openapi::improvement::measure::{DataPointList, DataPointQuery, DataPointResponse};
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, Policy, ReadImprovement, ReadMeasures};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// A measure's data points in period order: its whole series (a series is charted whole; at
/// most 5,000 points are added per request). `include_deleted=true` adds the deleted ones,
/// marked, so their history can be found. A measure bound to an indicator lists the
/// indicator's monthly figures (read-only; the same id for a month at every read) and the
/// months left out as suppressed. A caller who reads aggregates only (an analyst) gets
/// `recorded_by` as null.
#[utoipa::path(
    get,
    path = "/api/v1/measures/{id}/data-points",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Measure id"), DataPointQuery),
    responses((status = 200, description = "The series", body = DataPointList), RestrictedReadErrors)
)]
pub async fn list_points(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeasures>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<DataPointQuery>,
) -> Result<web::Json<DataPointList>, ApiError> {
    let id = id.into_inner();
    let include_deleted = query.include_deleted.unwrap_or(false);
    // An analyst reads aggregates: the staff who recorded the points are not named to her.
    let names_staff = reader.caller.has_any(ReadImprovement::ALLOWED);
    let settings = state.agreement.clone();
    let (measure, (points, suppressed_periods)) = db::run(&state, move |conn| {
        let measure = super::find(conn, id)?;
        let series = super::series_of(conn, &measure, include_deleted, &settings)?;
        Ok((measure, series))
    })
    .await?;
    Ok(web::Json(DataPointList {
        items: points
            .into_iter()
            .map(|p| {
                let point = DataPointResponse::new(p, measure.rate_multiplier);
                if names_staff {
                    point
                } else {
                    point.without_staff()
                }
            })
            .collect(),
        suppressed_periods,
    }))
}
