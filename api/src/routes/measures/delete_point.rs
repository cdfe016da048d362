use actix_web::{HttpResponse, web};
use domain::improvement::measure::{Amendment, parse_reason};
use openapi::improvement::measure::{DataPointResponse, DeleteDataPointRequest};
use openapi::responses::ActionErrors;
use persistence::measures;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Deletes a data point (admin, coordinator, coach); needs `If-Match` and a reason. It leaves
/// the series and the charts; it and its history stay readable (`include_deleted=true`,
/// `GET …/history`). Deleted once only (409); its period is free for a new point.
/// A measure bound to an indicator has no stored points to change (409).
#[utoipa::path(
    post,
    path = "/api/v1/measures/{id}/data-points/{point_id}/delete",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "Measure id"),
        ("point_id" = Uuid, Path, description = "Data point id"),
        ("If-Match" = String, Header, description = "The data point's version in quotes"),
    ),
    request_body = DeleteDataPointRequest,
    responses(
        (status = 200, description = "Deleted (kept, marked)", body = DataPointResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        ActionErrors,
    )
)]
pub async fn delete_point(
    state: web::Data<AppState>,
    writer: Authorized<WriteImprovement>,
    path: web::Path<(Uuid, Uuid)>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<DeleteDataPointRequest>,
) -> Result<HttpResponse, ApiError> {
    let (measure_id, point_id) = path.into_inner();
    let today = today();
    let reason = parse_reason(&body.into_inner().reason, today)
        .map_err(|e| ApiError::invalid_field("reason", e.message))?;
    let recorded_by = writer.caller.subject;
    let (measure, point) = db::transaction(&state, move |conn| {
        let measure = super::find_taking_points(conn, measure_id)?;
        let point = super::find_point(conn, measure_id, point_id)?;
        if_match.check(point.version)?;
        let amendment = Amendment {
            reason,
            recorded_by,
            at: persistence::now(),
        };
        let (next, revision) = point.delete(amendment)?;
        measures::amend_point(conn, &next, &revision)?;
        Ok((measure, next))
    })
    .await?;
    Ok(respond::ok_with_etag(
        point.version,
        DataPointResponse::new(point, measure.rate_multiplier),
    ))
}
