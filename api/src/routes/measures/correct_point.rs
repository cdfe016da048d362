use actix_web::{HttpResponse, web};
use domain::FieldProblems;
use domain::improvement::measure::{Amendment, parse_reason};
use openapi::ValidationFailed;
use openapi::improvement::measure::{CorrectDataPointRequest, DataPointResponse};
use openapi::responses::UpdateErrors;
use persistence::measures;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::today;
use crate::state::AppState;
use crate::{db, respond};

/// Corrects a data point (admin, coordinator, coach); needs `If-Match` and a reason. The body
/// is the point as it should be (the fields of a data point) and `reason`; the point's
/// earlier figure stays in its history (`GET …/history`). A deleted point is not corrected
/// (409); a period another standing point holds is a 422 naming `period` (correct that one).
/// A measure bound to an indicator has no stored points to change (409).
#[utoipa::path(
    put,
    path = "/api/v1/measures/{id}/data-points/{point_id}",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "Measure id"),
        ("point_id" = Uuid, Path, description = "Data point id"),
        ("If-Match" = String, Header, description = "The data point's version in quotes"),
    ),
    request_body = CorrectDataPointRequest,
    responses(
        (status = 200, description = "Corrected", body = DataPointResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn correct_point(
    state: web::Data<AppState>,
    writer: Authorized<WriteImprovement>,
    path: web::Path<(Uuid, Uuid)>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<CorrectDataPointRequest>,
) -> Result<HttpResponse, ApiError> {
    let (measure_id, point_id) = path.into_inner();
    let (input, reason) = body.into_inner().into_parts()?;
    let today = today();
    let recorded_by = writer.caller.subject;
    let (measure, point) = db::transaction(&state, move |conn| {
        let measure = super::find_taking_points(conn, measure_id)?;
        let point = super::find_point(conn, measure_id, point_id)?;
        if_match.check(point.version)?;
        let mut problems = FieldProblems::default();
        let observation = measure.observe(&input, "", today, &mut problems);
        let reason = problems.keep("reason", parse_reason(&reason, today));
        let (Some(observation), Some(reason)) = (observation, reason) else {
            return Err(ValidationFailed::from(problems).into());
        };
        let amendment = Amendment {
            reason,
            recorded_by,
            at: persistence::now(),
        };
        let standing = measures::points_of(conn, measure_id, false)?;
        let (next, revision) = point.correct(observation, &standing, amendment)?;
        measures::amend_point(conn, &next, &revision)?;
        Ok((measure, next))
    })
    .await?;
    Ok(respond::ok_with_etag(
        point.version,
        DataPointResponse::new(point, measure.rate_multiplier),
    ))
}
