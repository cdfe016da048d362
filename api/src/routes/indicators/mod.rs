//! The network's indicators (`/api/v1/indicators`): the table per municipality and period
//! (JSON or CSV) and one indicator's monthly run chart (JSON or SVG). Aggregates only: the
//! figures are computed by a [`domain::indicator::Tabulation`] from what
//! [`persistence::indicators::load`] and [`persistence::indicators::each_case`] read, with
//! small numbers suppressed there.

pub mod chart;
pub mod list;

use domain::discharge::AgreementSettings;
use domain::indicator::{IndicatorCell, IndicatorQuery, Tabulation};
use persistence::DbConnection;

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

use crate::record_access::today;

/// The figures of `query`: loaded and tabulated on a database thread.
async fn figures(state: &AppState, query: IndicatorQuery) -> Result<Vec<IndicatorCell>, ApiError> {
    let settings = state.agreement.clone();
    db::run(state, move |conn| figures_on(conn, &query, &settings)).await
}

/// The figures of `query`, loaded and tabulated on `conn` (a database thread): what its
/// indicators need, and the cases of its municipalities a batch at a time, each counted and
/// dropped (docs/BENCHMARKS.md, "The network's indicators").
pub(crate) fn figures_on(
    conn: &mut DbConnection,
    query: &IndicatorQuery,
    settings: &AgreementSettings,
) -> Result<Vec<IndicatorCell>, ApiError> {
    let loaded = persistence::indicators::load(conn, query)?;
    let mut table = Tabulation::new(&loaded.data, query, settings, persistence::now());
    persistence::indicators::each_case(conn, &loaded.cases, |record| table.add_case(&record))?;
    Ok(table.finish())
}
