use actix_web::{HttpRequest, HttpResponse, web};
use domain::improvement::adopted_change_points;
use openapi::chart::ChartResponse;
use openapi::improvement::measure::{MeasureChartQuery, chart_request};
use openapi::responses::NegotiatedReadErrors;
use persistence::improvement;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeasures};
use crate::chart_render::{ChartLabels, SVG_CONTENT_TYPE, render_svg};
use crate::db;
use crate::error::ApiError;
use crate::negotiate::{negotiate, negotiated_ok};
use crate::state::AppState;

/// The measure's run or control chart (staff roles, integrations, analysts), computed over
/// its standing data points in period order: `type=run` (default; median, IHI and Anhøj
/// rules), `i`, `mr`, `p` (proportions), `u` (rates), `c` (counts); `baseline=N` freezes the
/// centre line and limits on the first N points; `split=DATE,…` starts a new part at each
/// date — by default the project's adopted PDSA change points, `split=` for none. JSON: every
/// point with value, centre, limits and rules, the signals with their points, each part's
/// runs analysis. `Accept: image/svg+xml`: the same chart as an 800×400 SVG (title, dated x
/// axis, y axis in the measure's unit, centre line, limits, signals, annotations, part
/// boundaries). A series that does not fit the chart type (a P chart of counts) or an empty
/// one is a 422 naming `points`; a bad parameter a 400. A measure bound to an indicator is
/// charted over the indicator's monthly figures (suppressed months left out).
#[utoipa::path(
    get,
    path = "/api/v1/measures/{id}/chart",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Measure id"), MeasureChartQuery),
    responses(
        (status = 200, description = "The chart", content(
            (ChartResponse = "application/json"),
            (String = "image/svg+xml"),
        )),
        (status = 422, description = "The measure's series does not fit the chart (no points, or values the chart type does not take)", body = openapi::Problem, content_type = "application/problem+json"),
        NegotiatedReadErrors,
    )
)]
pub async fn measure_chart(
    state: web::Data<AppState>,
    _reader: Authorized<ReadMeasures>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<MeasureChartQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let query = query.into_inner();
    if query.baseline == Some(0) {
        let mut errors = openapi::FieldErrors::default();
        errors.push("baseline", "must be at least 1");
        return Err(ApiError::invalid_query(errors.into_failure()));
    }
    let svg = negotiate(&request, &["application/json", SVG_CONTENT_TYPE])? == SVG_CONTENT_TYPE;
    let settings = state.agreement.clone();
    let (measure, points, cycles) = db::run(&state, move |conn| {
        let measure = super::find(conn, id)?;
        let (points, _) = super::series_of(conn, &measure, false, &settings)?;
        let cycles = improvement::cycles_of(conn, measure.project_id)?;
        Ok((measure, points, cycles))
    })
    .await?;
    let chart_request =
        chart_request(&query, adopted_change_points(&cycles)).map_err(ApiError::invalid_query)?;
    let chart = measure.chart(&points, &chart_request).map_err(|e| {
        let mut errors = openapi::FieldErrors::default();
        errors.push(e.field.unwrap_or("points"), e.message);
        match e.field {
            Some("baseline") => ApiError::invalid_query(errors.into_failure()),
            _ => errors.into_failure().into(),
        }
    })?;
    if !svg {
        return Ok(negotiated_ok().json(ChartResponse::from(&chart)));
    }
    let mut annotations: Vec<_> = points
        .iter()
        .filter_map(|p| {
            let note = p.observation.annotation.as_ref()?;
            Some((p.observation.period, note.as_str().to_owned()))
        })
        .collect();
    annotations.extend(cycles.iter().filter_map(|c| {
        let on = c.change_point_on?;
        chart_request
            .splits
            .contains(&on)
            .then(|| (on, format!("PDSA: {}", c.title)))
    }));
    let labels = ChartLabels {
        title: format!("{} ({} chart)", measure.name, chart_request.kind),
        unit: measure.unit_of_measure.as_str().to_owned(),
        annotations,
    };
    let picture = render_svg(&chart, &labels).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(negotiated_ok()
        .content_type("image/svg+xml; charset=utf-8")
        .body(picture))
}
