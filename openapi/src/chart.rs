//! The wire form of a computed run or control chart (`domain::chart`): every point with its
//! value, centre line, limits and the rules it triggers; the signals with their points; and
//! each part's runs analysis. Shared by every operation that returns a chart (a measure's
//! chart, an indicator's chart).

use chrono::NaiveDate;
use domain::chart::{Chart, ChartPart, ChartPoint, RunsAnalysis, Signal};
use serde::Serialize;
use utoipa::ToSchema;

use crate::wire_enum::wire_enum;

wire_enum! {
    /// The kind of chart: `run` (median; IHI and Anhøj rules), `i` (individuals: mean ±
    /// 2.66 × mean moving range), `mr` (moving ranges: centre MR̄, upper limit 3.267 × MR̄),
    /// `p` (proportions: p̄ ± 3·√(p̄(1 − p̄)/nᵢ), limits per point), `u` (rates: ū ± 3·√(ū/nᵢ)),
    /// `c` (counts: c̄ ± 3·√c̄). Lower limits are floored at 0.
    ChartKind => chart::ChartKind { Run, I, Mr, P, U, C }
}

wire_enum! {
    /// A rule of the chart. IHI run-chart rules (Perla, Provost & Murray 2011), on run charts:
    /// `shift` (6 or more consecutive points on one side of the median; points on it neither
    /// break nor extend the run), `trend` (5 or more points all going up or all going down;
    /// equal neighbours neither break nor extend it), `too_few_runs` / `too_many_runs`
    /// (against the runs table for the number of useful points), `astronomical_point`
    /// (outside the individuals-chart limits of the part). Anhøj rules (as qicharts2), on
    /// every chart: `long_run` (longest run > round(log2 n) + 3) and `few_crossings`
    /// (crossings < qbinom(0.05, n − 1, 0.5)), judged from 10 useful points. Control charts:
    /// `outside_limits`.
    ChartRule => chart::ChartRule {
        Shift, Trend, TooFewRuns, TooManyRuns, AstronomicalPoint, LongRun, FewCrossings, OutsideLimits,
    }
}

/// One point of a chart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChartPointResponse {
    pub date: NaiveDate,
    /// The plotted value (a proportion or rate for ratio data); absent only for the first
    /// point of an MR chart.
    pub value: Option<f64>,
    pub centre: Option<f64>,
    /// Lower control limit, floored at 0; absent on run charts.
    pub lower_limit: Option<f64>,
    /// Upper control limit; absent on run charts.
    pub upper_limit: Option<f64>,
    /// The part (0-based) the point belongs to.
    pub part: usize,
    /// One of the baseline points the first part's centre and limits are frozen on.
    pub baseline: bool,
    /// The rules this point takes part in.
    pub rules: Vec<ChartRule>,
}

/// A rule that fired in a part, with the points (indices into `points`) that trigger it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChartSignalResponse {
    pub rule: ChartRule,
    pub part: usize,
    pub points: Vec<usize>,
}

/// The runs analysis of a part against its centre line (as qicharts2 reports it, with the
/// IHI runs limits).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunsAnalysisResponse {
    /// n: points not on the centre line.
    pub useful_points: usize,
    pub runs: usize,
    pub longest_run: usize,
    /// round(log2 n) + 3; absent below 10 useful points.
    pub longest_run_limit: Option<usize>,
    pub crossings: usize,
    /// qbinom(0.05, n − 1, 0.5); absent below 10 useful points.
    pub crossings_limit: Option<usize>,
    /// IHI: fewer runs than this signal; absent below 10 useful points.
    pub runs_lower_limit: Option<usize>,
    /// IHI: more runs than this signal; absent below 10 useful points.
    pub runs_upper_limit: Option<usize>,
}

/// A part of the chart: the whole series, or the stretch between split dates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChartPartResponse {
    /// Date of the part's first point.
    pub start: NaiveDate,
    /// Index of the part's first point in `points`.
    pub first_point: usize,
    /// Index of the part's last point in `points`.
    pub last_point: usize,
    pub centre: Option<f64>,
    pub runs: RunsAnalysisResponse,
}

/// A computed chart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChartResponse {
    #[serde(rename = "type")]
    pub kind: ChartKind,
    pub points: Vec<ChartPointResponse>,
    pub parts: Vec<ChartPartResponse>,
    /// Every rule that fired, per part, with its points; empty when none did.
    pub signals: Vec<ChartSignalResponse>,
}

impl From<&ChartPoint> for ChartPointResponse {
    fn from(point: &ChartPoint) -> Self {
        Self {
            date: point.date,
            value: point.value,
            centre: point.centre,
            lower_limit: point.lower,
            upper_limit: point.upper,
            part: point.part,
            baseline: point.baseline,
            rules: point.rules.iter().copied().map(Into::into).collect(),
        }
    }
}

impl From<&Signal> for ChartSignalResponse {
    fn from(signal: &Signal) -> Self {
        Self {
            rule: signal.rule.into(),
            part: signal.part,
            points: signal.points.clone(),
        }
    }
}

impl From<&RunsAnalysis> for RunsAnalysisResponse {
    fn from(runs: &RunsAnalysis) -> Self {
        Self {
            useful_points: runs.useful,
            runs: runs.runs,
            longest_run: runs.longest_run,
            longest_run_limit: runs.longest_run_limit,
            crossings: runs.crossings,
            crossings_limit: runs.crossings_limit,
            runs_lower_limit: runs.runs_lower_limit,
            runs_upper_limit: runs.runs_upper_limit,
        }
    }
}

impl From<&ChartPart> for ChartPartResponse {
    fn from(part: &ChartPart) -> Self {
        Self {
            start: part.start,
            first_point: part.first_point,
            last_point: part.last_point,
            centre: part.centre,
            runs: (&part.runs).into(),
        }
    }
}

impl From<&Chart> for ChartResponse {
    fn from(chart: &Chart) -> Self {
        Self {
            kind: chart.kind.into(),
            points: chart.points.iter().map(Into::into).collect(),
            parts: chart.parts.iter().map(Into::into).collect(),
            signals: chart.signals.iter().map(Into::into).collect(),
        }
    }
}
