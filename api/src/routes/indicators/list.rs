use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use openapi::indicator::{IndicatorRow, IndicatorTable, IndicatorTableQuery};
use openapi::responses::NegotiatedListErrors;

use super::{figures, today};
use crate::auth::{Authorized, ReadIndicators};
use crate::error::ApiError;
use crate::negotiate::{negotiate, negotiated_ok};
use crate::state::AppState;

/// Media type of the CSV form of the table.
const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// The network's indicators per municipality and period: one row per indicator ×
/// municipality × period (e.g. `?municipality=0686&from=2026-01-01&to=2026-12-31&period=
/// quarter`). Dates are Europe/Stockholm calendar dates, both inclusive, widened to whole
/// periods; default the twelve months up to today by month, all 13 municipalities. A count
/// of 1–4 persons, and any figure computed from fewer than 5 persons, is `suppressed` with no
/// `value`, as official Swedish health statistics do; so is any figure that would let one of
/// those be found by subtraction (a quarter's count is its months', a year's its quarters':
/// complementary suppression, the same cells whatever the span or period asked).
/// `Accept: text/csv` gives the same rows as CSV (a header row, then one row per figure;
/// `value` empty when there is none); an `Accept` that takes neither JSON nor CSV is 406.
/// For the analyst and every staff role; no personal data.
#[utoipa::path(
    get,
    path = "/api/v1/indicators",
    tag = "indicators",
    params(IndicatorTableQuery),
    responses(
        (status = 200, description = "The indicator table", content(
            (IndicatorTable = "application/json"),
            (String = "text/csv"),
        )),
        NegotiatedListErrors,
    )
)]
pub async fn list_indicators(
    state: web::Data<AppState>,
    _reader: Authorized<ReadIndicators>,
    request: HttpRequest,
    query: crate::query_params::Query<IndicatorTableQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = negotiate(&request, &["application/json", "text/csv"])? == "text/csv";
    let query = query
        .into_inner()
        .into_domain(today())
        .map_err(ApiError::invalid_query)?;
    let (from, to, period) = (query.from, query.to, query.period);
    let cells = figures(&state, query).await?;
    let rows: Vec<IndicatorRow> = cells.iter().map(|c| IndicatorRow::new(c, period)).collect();
    if csv {
        return Ok(negotiated_ok()
            .insert_header((header::CONTENT_TYPE, CSV_CONTENT_TYPE))
            .body(csv_table(&rows)?));
    }
    Ok(negotiated_ok().json(IndicatorTable {
        from,
        to,
        period: period.into(),
        minimum_persons: domain::indicator::MIN_PERSONS,
        rows,
    }))
}

/// The rows as CSV (RFC 4180, `csv` crate), with a header row named after the fields.
fn csv_table(rows: &[IndicatorRow]) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| ApiError::Internal(format!("CSV row not written: {e}")))?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(format!("CSV not written: {e}")))
}
