use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use domain::improvement::measure::{DataPoint, PointRow};
use openapi::improvement::measure::{
    AddDataPointsRequest, CSV_CONTENT_TYPE, DataPointList, DataPointResponse, MAX_CSV_BYTES,
    observe_points, parse_points_csv,
};
use openapi::responses::PartWriteErrors;
use persistence::measures;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::record_access::today;
use crate::routes::improvement_projects;
use crate::state::AppState;
use crate::{db, startup};

/// Adds data points to a measure (admin, coordinator, coach), all or none. As JSON
/// (`{"points": [...]}`, at most 64 KiB) or as CSV (`Content-Type: text/csv`, at most 1 MiB:
/// a header row naming `period` and `value` or `numerator`,`denominator`, optionally
/// `annotation`; `,` or `;` between cells; a decimal point or comma; quotes as RFC 4180, a
/// row whose quoting breaks it being a bad row; rows counted as lines, the header row 1;
/// UTF-8, another declared `charset` 415). Counts and measurements
/// take `value`, proportions and rates `numerator` and `denominator` (a proportion's numerator
/// at most its denominator). A period the measure already has, one given twice, or one
/// that has not begun (after today) is an error, as is a measure past 2,000 standing
/// points. Every bad row is named in the 422: `points[3].numerator` for JSON, `row 4:
/// numerator` for CSV (the header is row 1); nothing is written then. A completed or
/// abandoned project takes no data (409), nor does a measure bound to an indicator (409: its
/// points come from the care chain).
#[utoipa::path(
    post,
    path = "/api/v1/measures/{id}/data-points",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Measure id")),
    request_body(content(
        (AddDataPointsRequest = "application/json"),
        (String = "text/csv", example = "period,numerator,denominator,annotation\n2027-01-01,7,41,\n2027-02-01,5,39,Samtal dag 1\n"),
    )),
    responses(
        (status = 201, description = "Added: the new points in period order", body = DataPointList,
            headers(("Location" = String, description = "The measure's series"))),
        PartWriteErrors,
    )
)]
pub async fn add_points(
    state: web::Data<AppState>,
    writer: Authorized<WriteImprovement>,
    id: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    // The body is read as sent: a compressed one would be read as text (RFC 9110 §8.4.1:
    // 415 for a content coding not taken).
    if let Some(coding) = request
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|coding| !coding.eq_ignore_ascii_case("identity"))
    {
        return Err(ApiError::UnsupportedMediaType(format!(
            "data points are read as sent; `Content-Encoding: {coding}` is not taken"
        )));
    }
    let mut parameters = content_type.split(';');
    let media_type = parameters
        .next()
        .map(|media_type| media_type.trim().to_owned());
    // The body is read as UTF-8 (RFC 8259 for JSON; RFC 4180 §3's default for text/csv is
    // US-ASCII, a subset): another declared charset is refused, not misread.
    let charset = parameters
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim() == "charset")
        .map(|(_, value)| value.trim().trim_matches('"').to_owned());
    if let Some(charset) = charset.filter(|c| !matches!(c.as_str(), "utf-8" | "utf8" | "us-ascii"))
    {
        return Err(ApiError::UnsupportedMediaType(format!(
            "data points are read as UTF-8; `charset={charset}` is not taken — send the file \
             as UTF-8 (charset=utf-8, or no charset)"
        )));
    }
    let csv = match media_type.as_deref() {
        Some("application/json") => false,
        Some(CSV_CONTENT_TYPE) => true,
        _ => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "data points are sent as Content-Type: application/json or {CSV_CONTENT_TYPE}"
            )));
        }
    };
    let limit = if csv {
        MAX_CSV_BYTES
    } else {
        startup::BODY_LIMIT_BYTES
    };
    let body = payload
        .to_bytes_limited(limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge(format!("the body may be at most {limit} bytes")))?
        .map_err(|_| ApiError::bad_request("the body could not be read"))?;
    let rows: Vec<PointRow> = if csv {
        parse_points_csv(&body)?
    } else {
        let mut json = serde_json::Deserializer::from_slice(&body);
        let request = serde_path_to_error::deserialize::<_, AddDataPointsRequest>(&mut json)
            .map_err(|e| crate::json_body::unreadable_body(&e))?;
        json.end().map_err(|e| {
            ApiError::bad_request(format!(
                "the JSON body is not valid for this operation: {e}"
            ))
        })?;
        request.into_rows()
    };
    let today = today();
    let recorded_by = writer.caller.subject;
    let (measure, points) = db::transaction(&state, move |conn| {
        let measure = super::find_taking_points(conn, id)?;
        improvement_projects::find(conn, measure.project_id)?.check_open("data points")?;
        let taken: Vec<NaiveDate> = measures::points_of(conn, id, false)?
            .iter()
            .map(|p| p.observation.period)
            .collect();
        let observations = observe_points(&measure, &rows, &taken, today)?;
        let now = persistence::now();
        let mut points: Vec<_> = observations
            .into_iter()
            .map(|o| DataPoint::add(Uuid::now_v7(), id, o, &recorded_by, now))
            .collect();
        points.sort_by_key(|(p, _)| p.observation.period);
        measures::insert_points(conn, &points)?;
        Ok((measure, points))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/measures/{id}/data-points"),
        ))
        .json(DataPointList {
            items: points
                .into_iter()
                .map(|(p, _)| DataPointResponse::new(p, measure.rate_multiplier))
                .collect(),
            suppressed_periods: Vec::new(),
        }))
}
