use actix_web::web;
use openapi::improvement::measure::{DataPointHistory, DataPointRevisionResponse};
use openapi::responses::RestrictedReadErrors;
use persistence::measures;
use uuid::Uuid;

use crate::auth::{Authorized, Policy, ReadImprovement, ReadMeasures};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// A data point's history, oldest first: as added, then each correction or deletion with who
/// made it, when and why — who and why left out (null) for a caller who reads aggregates
/// only (an analyst), as staff are not named to her.
#[utoipa::path(
    get,
    path = "/api/v1/measures/{id}/data-points/{point_id}/history",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "Measure id"),
        ("point_id" = Uuid, Path, description = "Data point id"),
    ),
    responses((status = 200, description = "Every revision", body = DataPointHistory), RestrictedReadErrors)
)]
pub async fn point_history(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeasures>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<DataPointHistory>, ApiError> {
    let (measure_id, point_id) = path.into_inner();
    let names_staff = reader.caller.has_any(ReadImprovement::ALLOWED);
    let (measure, revisions) = db::run(&state, move |conn| {
        let measure = super::find(conn, measure_id)?;
        super::find_point(conn, measure_id, point_id)?;
        Ok((measure, measures::history(conn, point_id)?))
    })
    .await?;
    Ok(web::Json(DataPointHistory {
        data_point_id: point_id,
        revisions: revisions
            .into_iter()
            .map(|r| {
                let revision = DataPointRevisionResponse::new(r, measure.rate_multiplier);
                if names_staff {
                    revision
                } else {
                    revision.without_staff()
                }
            })
            .collect(),
    }))
}
