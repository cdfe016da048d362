//! Run charts and Shewhart control charts over a dated series: the centre line, the limits
//! and the rules each point triggers, per part of the series.
//!
//! One function, [`compute`], takes the observations in date order and a [`ChartRequest`]
//! (kind, baseline, split dates) and returns a [`Chart`]: every point with its value, centre
//! line, limits and the rules it triggers; every signal with the points that trigger it; and
//! per part the runs analysis (longest run, crossings and their limits, number of runs).
//!
//! - Run chart (`run`): centre the median. IHI rules (Perla, Provost & Murray 2011, "The run
//!   chart: a simple analytical tool for learning from variation in healthcare processes",
//!   BMJ Qual Saf 20:46–51): shift, trend, too few or too many runs, astronomical point
//!   ([`runs`]).
//! - Anhøj rules (Anhøj & Olesen 2014, PLoS ONE 9(11): e113825; as qicharts2 computes them),
//!   on every chart kind against its centre line: unusually long run, unusually few crossings.
//! - Control charts ([`limits`]): I (individuals), MR (moving ranges), P, U and C, with
//!   points outside the limits flagged.
//!
//! `baseline = N` freezes the centre line and limits of the first part on its first N points;
//! split dates start a new part, whose centre and limits are computed from its own points
//! (a point dated on a split date belongs to the new part). Parts without points are dropped.

use chrono::NaiveDate;

use crate::InvalidValue;

pub mod limits;
pub mod runs;

pub use runs::{
    IHI_MIN_USEFUL_POINTS, IHI_RUNS_TABLE, IHI_RUNS_TABLE_LAST, RunsAnalysis,
    anhoej_crossings_limit, anhoej_longest_run_limit, ihi_runs_limits, swed_eisenhart_runs_limits,
};

crate::string_enum! {
    /// The kinds of chart (the `type` query parameter).
    pub enum ChartKind {
        /// Run chart: the values around their median.
        Run => "run",
        /// Individuals chart (XmR): mean ± 2.66 × mean moving range.
        I => "i",
        /// Moving-range chart: |xᵢ − xᵢ₋₁|, centre the mean moving range, UCL 3.267 × MR̄.
        Mr => "mr",
        /// Proportion chart: numerator/denominator, p̄ ± 3·√(p̄(1 − p̄)/nᵢ).
        P => "p",
        /// Rate chart: count per denominator, ū ± 3·√(ū/nᵢ).
        U => "u",
        /// Count chart: c̄ ± 3·√c̄.
        C => "c",
    }
}

crate::string_enum! {
    /// The rules a point or a part can trigger.
    pub enum ChartRule {
        /// IHI shift: 6 or more consecutive points on one side of the median (points on the
        /// median neither break nor extend it).
        Shift => "shift",
        /// IHI trend: 5 or more consecutive points all going up or all going down (equal
        /// neighbours neither break nor extend it).
        Trend => "trend",
        /// IHI: fewer runs than the lower limit for the number of useful points.
        TooFewRuns => "too_few_runs",
        /// IHI: more runs than the upper limit for the number of useful points.
        TooManyRuns => "too_many_runs",
        /// IHI astronomical point, as defined here: outside the part's individuals-chart
        /// limits (centre the mean, ± 2.66 × mean moving range).
        AstronomicalPoint => "astronomical_point",
        /// Anhøj: the longest run is longer than round(log2 n) + 3.
        LongRun => "long_run",
        /// Anhøj: fewer crossings of the centre line than the 5th percentile of
        /// Binomial(n − 1, 0.5).
        FewCrossings => "few_crossings",
        /// Control chart: the point is above the upper or below the lower limit.
        OutsideLimits => "outside_limits",
    }
}

/// What was observed at one date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observed {
    /// A count or a measurement.
    Value(f64),
    /// A proportion or a rate: the numerator and the denominator it is taken over.
    Ratio { numerator: f64, denominator: f64 },
}

impl Observed {
    /// The plotted value: the value itself, or numerator / denominator.
    pub fn plotted(self) -> f64 {
        match self {
            Observed::Value(value) => value,
            Observed::Ratio {
                numerator,
                denominator,
            } => numerator / denominator,
        }
    }
}

/// One dated observation of the series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub date: NaiveDate,
    pub observed: Observed,
}

/// What chart to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartRequest {
    pub kind: ChartKind,
    /// Freeze the first part's centre line and limits on its first N points.
    pub baseline: Option<usize>,
    /// Each date starts a new part.
    pub splits: Vec<NaiveDate>,
}

/// One point of a computed chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub date: NaiveDate,
    /// The plotted value; `None` only for the first point of an MR chart (no moving range).
    pub value: Option<f64>,
    /// Centre line at this point.
    pub centre: Option<f64>,
    /// Lower control limit (floored at 0); `None` on a run chart and where the chart has none.
    pub lower: Option<f64>,
    /// Upper control limit; `None` on a run chart and where the chart has none.
    pub upper: Option<f64>,
    /// Index of the part the point belongs to (0-based).
    pub part: usize,
    /// Whether the point is one of the baseline points the centre and limits are frozen on.
    pub baseline: bool,
    /// Rules this point takes part in, in [`ChartRule`] order, each once.
    pub rules: Vec<ChartRule>,
}

/// One signal: a rule that fired in a part, with the points (indices into
/// [`Chart::points`]) that trigger it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub rule: ChartRule,
    pub part: usize,
    pub points: Vec<usize>,
}

/// One part of the chart (the whole series when there are no splits).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPart {
    /// Date of the part's first point.
    pub start: NaiveDate,
    /// Indices into [`Chart::points`]: first and last point of the part.
    pub first_point: usize,
    pub last_point: usize,
    /// The part's centre line where it is one number (every kind; P and U too).
    pub centre: Option<f64>,
    /// The runs analysis against the centre line.
    pub runs: RunsAnalysis,
}

/// A computed chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    pub points: Vec<ChartPoint>,
    pub parts: Vec<ChartPart>,
    pub signals: Vec<Signal>,
}

impl Chart {
    /// Whether any rule fired.
    pub fn has_signal(&self) -> bool {
        !self.signals.is_empty()
    }
}

/// Most points one chart is computed over.
pub const MAX_CHART_POINTS: usize = 2_000;

/// Most dates a chart is split at (a project's adopted changes are far fewer; an attack review
/// split one chart at 1,200 dates and got 7.7 MB of SVG back).
pub const MAX_CHART_SPLITS: usize = 50;

/// Computes the chart of `observations` (strictly increasing dates).
///
/// Errors (`InvalidValue` naming the field): `points` when the series is empty, longer than
/// [`MAX_CHART_POINTS`], out of date order, has a value that is not finite, or does not fit
/// the kind (P: a proportion with 0 ≤ numerator ≤ denominator, denominator > 0; U: a
/// numerator ≥ 0 over a denominator > 0; C: a count ≥ 0); `baseline` when N is 0, fewer than
/// 2 on I and MR charts, or more than the first part's points.
pub fn compute(
    observations: &[Observation],
    request: &ChartRequest,
) -> Result<Chart, InvalidValue> {
    check_series(observations, request.kind)?;
    let bounds = part_bounds(observations, &request.splits);
    if let Some(baseline) = request.baseline {
        check_baseline(baseline, request.kind, bounds[0].1 - bounds[0].0)?;
    }
    let mut points = Vec::with_capacity(observations.len());
    let mut parts = Vec::with_capacity(bounds.len());
    let mut signals = Vec::new();
    for (part, &(first, end)) in bounds.iter().enumerate() {
        let series = &observations[first..end];
        let frozen = if part == 0 { request.baseline } else { None };
        let drawn = limits::draw(request.kind, series, frozen);
        let values: Vec<Option<f64>> = drawn.iter().map(|line| line.value).collect();
        let centre = drawn.iter().find_map(|line| line.centre);
        let analysis = runs::analyse(&values, centre);
        let mut part_signals = analysis.signals(request.kind == ChartKind::Run);
        if request.kind == ChartKind::Run {
            part_signals.extend(astronomical(series, frozen));
        } else {
            let outside: Vec<usize> = drawn
                .iter()
                .enumerate()
                .filter(|(_, line)| line.is_outside())
                .map(|(i, _)| i)
                .collect();
            if !outside.is_empty() {
                part_signals.push((ChartRule::OutsideLimits, outside));
            }
        }
        for (offset, (observation, line)) in series.iter().zip(&drawn).enumerate() {
            let mut rules: Vec<ChartRule> = part_signals
                .iter()
                .filter(|(_, at)| at.contains(&offset))
                .map(|(rule, _)| *rule)
                .collect();
            rules.sort();
            rules.dedup();
            points.push(ChartPoint {
                date: observation.date,
                value: line.value,
                centre: line.centre,
                lower: line.lower,
                upper: line.upper,
                part,
                baseline: frozen.is_some_and(|n| offset < n),
                rules,
            });
        }
        part_signals.sort_by_key(|(rule, _)| *rule);
        signals.extend(part_signals.into_iter().map(|(rule, at)| Signal {
            rule,
            part,
            points: at.into_iter().map(|i| first + i).collect(),
        }));
        parts.push(ChartPart {
            start: series[0].date,
            first_point: first,
            last_point: end - 1,
            centre,
            runs: analysis,
        });
    }
    Ok(Chart {
        kind: request.kind,
        points,
        parts,
        signals,
    })
}

fn check_series(observations: &[Observation], kind: ChartKind) -> Result<(), InvalidValue> {
    let invalid = |message: String| InvalidValue::for_field("points", message);
    if observations.is_empty() {
        return Err(invalid("a chart needs at least one point".into()));
    }
    if observations.len() > MAX_CHART_POINTS {
        return Err(invalid(format!(
            "a chart takes at most {MAX_CHART_POINTS} points, not {}",
            observations.len()
        )));
    }
    for pair in observations.windows(2) {
        if pair[1].date <= pair[0].date {
            return Err(invalid(format!(
                "points must be in strictly increasing date order: {} follows {}",
                pair[1].date, pair[0].date
            )));
        }
    }
    for observation in observations {
        let date = observation.date;
        let fits = match (kind, observation.observed) {
            (_, Observed::Value(v)) if !v.is_finite() => Err("its value is not a finite number"),
            (
                _,
                Observed::Ratio {
                    numerator,
                    denominator,
                },
            ) if !numerator.is_finite() || !denominator.is_finite() => {
                Err("its numerator and denominator must be finite numbers")
            }
            (
                ChartKind::P,
                Observed::Ratio {
                    numerator,
                    denominator,
                },
            ) => {
                if denominator > 0.0 && (0.0..=denominator).contains(&numerator) {
                    Ok(())
                } else {
                    Err("a P chart needs 0 ≤ numerator ≤ denominator and denominator > 0")
                }
            }
            (
                ChartKind::U,
                Observed::Ratio {
                    numerator,
                    denominator,
                },
            ) => {
                if denominator > 0.0 && numerator >= 0.0 {
                    Ok(())
                } else {
                    Err("a U chart needs numerator ≥ 0 and denominator > 0")
                }
            }
            (ChartKind::P | ChartKind::U, Observed::Value(_)) => {
                Err("P and U charts need a numerator and a denominator")
            }
            (ChartKind::C, Observed::Value(v)) => {
                if v >= 0.0 {
                    Ok(())
                } else {
                    Err("a C chart needs counts ≥ 0")
                }
            }
            (ChartKind::C, Observed::Ratio { .. }) => Err("a C chart needs counts, not ratios"),
            (
                _,
                Observed::Ratio {
                    denominator: 0.0, ..
                },
            ) => Err("its denominator is 0"),
            _ => Ok(()),
        };
        fits.map_err(|why| invalid(format!("the point of {date}: {why}")))?;
    }
    Ok(())
}

fn check_baseline(baseline: usize, kind: ChartKind, first_part: usize) -> Result<(), InvalidValue> {
    let minimum = if matches!(kind, ChartKind::I | ChartKind::Mr) {
        2
    } else {
        1
    };
    if baseline < minimum {
        return Err(InvalidValue::for_field(
            "baseline",
            format!("the baseline of a {kind} chart needs at least {minimum} points"),
        ));
    }
    if baseline > first_part {
        return Err(InvalidValue::for_field(
            "baseline",
            format!(
                "the baseline ({baseline} points) is longer than the first part ({first_part} points)"
            ),
        ));
    }
    Ok(())
}

/// `[start, end)` index ranges of the non-empty parts.
fn part_bounds(observations: &[Observation], splits: &[NaiveDate]) -> Vec<(usize, usize)> {
    let mut splits = splits.to_vec();
    splits.sort();
    splits.dedup();
    let mut bounds = Vec::new();
    let mut start = 0;
    for split in splits {
        let end = observations.partition_point(|o| o.date < split);
        if end > start {
            bounds.push((start, end));
            start = end;
        }
    }
    if start < observations.len() {
        bounds.push((start, observations.len()));
    }
    bounds
}

/// The run chart's astronomical points: values outside the individuals-chart limits of the
/// part (or of its baseline). IHI leaves "obviously different" to judgement; the individuals
/// chart's 3-sigma limits are the usual operational reading and need no assumption about the
/// distribution beyond what the I chart makes. Needs at least 2 points.
fn astronomical(series: &[Observation], frozen: Option<usize>) -> Option<(ChartRule, Vec<usize>)> {
    let drawn = limits::draw(ChartKind::I, series, frozen);
    let outside: Vec<usize> = drawn
        .iter()
        .enumerate()
        .filter(|(_, line)| line.is_outside())
        .map(|(i, _)| i)
        .collect();
    (!outside.is_empty()).then_some((ChartRule::AstronomicalPoint, outside))
}

#[cfg(test)]
mod tests;
