use actix_web::{HttpRequest, HttpResponse, web};
use domain::chart::{ChartKind, ChartRequest, compute};
use domain::indicator::{IndicatorName, series};
use openapi::chart::ChartResponse;
use openapi::indicator::{IndicatorChartQuery, IndicatorChartResponse};
use openapi::responses::NegotiatedReadErrors;

use super::{figures, today};
use crate::auth::{Authorized, ReadIndicators};
use crate::chart_render::{ChartLabels, SVG_CONTENT_TYPE, render_svg};
use crate::error::ApiError;
use crate::negotiate::{negotiate, negotiated_ok};
use crate::state::AppState;

/// One indicator's monthly series in one municipality as a run chart (median; IHI and Anhøj
/// rules), through the same chart engine as a project's measures: e.g.
/// `/api/v1/indicators/days_ready_to_discharge_median/chart?municipality=0686&from=2025-01-01`.
/// Months whose figure is suppressed (fewer than 5 persons) are left out and listed; months
/// with nothing to compute from are left out. `Accept: image/svg+xml` gives the chart as an
/// 800 × 400 SVG picture. An indicator the server does not know is 404 (the spec lists
/// the known names).
#[utoipa::path(
    get,
    path = "/api/v1/indicators/{name}/chart",
    tag = "indicators",
    params(
        ("name" = openapi::indicator::IndicatorName, Path, description = "The indicator's name, e.g. `days_ready_to_discharge_median`"),
        IndicatorChartQuery,
    ),
    responses(
        (status = 200, description = "The indicator's run chart", content(
            (IndicatorChartResponse = "application/json"),
            (String = "image/svg+xml"),
        )),
        NegotiatedReadErrors,
    )
)]
pub async fn chart_indicator(
    state: web::Data<AppState>,
    _reader: Authorized<ReadIndicators>,
    request: HttpRequest,
    name: web::Path<String>,
    query: crate::query_params::Query<IndicatorChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let indicator = IndicatorName::parse(&name).map_err(|_| {
        ApiError::NotFound("no indicator has this name; the spec lists them".into())
    })?;
    let svg = negotiate(&request, &["application/json", SVG_CONTENT_TYPE])? == SVG_CONTENT_TYPE;
    let query = query
        .into_inner()
        .into_domain(indicator, today())
        .map_err(ApiError::invalid_query)?;
    let (from, to) = (query.from, query.to);
    let municipality = query.areas.first().copied();
    let cells = figures(&state, query).await?;
    let (observations, suppressed) = series(&cells);
    let chart = if observations.is_empty() {
        None
    } else {
        let request = ChartRequest {
            kind: ChartKind::Run,
            baseline: None,
            splits: Vec::new(),
        };
        Some(compute(&observations, &request).map_err(|e| {
            ApiError::Internal(format!("an indicator series was refused by the chart: {e}"))
        })?)
    };
    let area = municipality.map_or("", |m| m.as_str());
    if svg {
        let labels = ChartLabels {
            title: format!(
                "{indicator} – {}",
                municipality.map_or("", |m| m.municipality().name)
            ),
            unit: indicator.unit().to_owned(),
            annotations: suppressed
                .iter()
                .map(|month| (*month, "suppressed".to_owned()))
                .collect(),
        };
        let svg = match &chart {
            Some(chart) => render_svg(chart, &labels),
            None => crate::chart_render::render_empty_svg(&labels),
        }
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok(negotiated_ok()
            .content_type("image/svg+xml; charset=utf-8")
            .body(svg));
    }
    Ok(negotiated_ok().json(IndicatorChartResponse {
        indicator: indicator.into(),
        unit: indicator.unit(),
        municipality: area,
        from,
        to,
        suppressed_months: suppressed,
        chart: chart.as_ref().map(ChartResponse::from),
    }))
}
