//! Centre lines and control limits of one part of a chart (Montgomery, *Introduction to
//! Statistical Quality Control*, ch. 6–7; Provost & Murray, *The Health Care Data Guide*,
//! 2011, ch. 5).
//!
//! - I: centre x̄ (mean of the values), limits x̄ ± 2.66 × MR̄, where MR̄ is the mean of the
//!   moving ranges |xᵢ − xᵢ₋₁| and 2.66 = 3/d₂ with d₂ = 1.128 for ranges of two.
//! - MR: the moving ranges, centre MR̄, upper limit 3.267 × MR̄ (D₄ for n = 2), lower 0.
//! - P: p̄ = Σ numerators / Σ denominators, limits p̄ ± 3·√(p̄(1 − p̄)/nᵢ) per point, within
//!   [0, 1].
//! - U: ū = Σ numerators / Σ denominators, limits ū ± 3·√(ū/nᵢ) per point.
//! - C: c̄ the mean count, limits c̄ ± 3·√c̄.
//! - Run: centre the median; no limits.
//!
//! Lower limits are floored at 0 (P, U, C and MR values cannot be negative; an I chart's
//! lower limit is floored when none of the part's values is negative, i.e. a quantity that
//! cannot go below zero). When the part has a frozen baseline of N points, centre and limits
//! come from those N points and apply to every point of the part.

use super::{ChartKind, Observation, Observed};

/// Scaling of the mean moving range into 3-sigma limits for individuals: 3 / d₂(2) = 3 / 1.128.
pub const I_CHART_FACTOR: f64 = 2.66;
/// Upper limit of a moving-range chart as a multiple of MR̄: D₄ for subgroups of two.
pub const MR_CHART_FACTOR: f64 = 3.267;

/// The drawn lines at one point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Line {
    pub value: Option<f64>,
    pub centre: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl Line {
    /// Whether the value lies strictly above the upper or below the lower limit.
    pub fn is_outside(&self) -> bool {
        match self.value {
            Some(value) => {
                self.upper.is_some_and(|upper| value > upper)
                    || self.lower.is_some_and(|lower| value < lower)
            }
            None => false,
        }
    }
}

/// The lines of one part; `frozen` = the number of baseline points, if any (already checked
/// to be within the part).
pub fn draw(kind: ChartKind, series: &[Observation], frozen: Option<usize>) -> Vec<Line> {
    let base_len = frozen.unwrap_or(series.len()).min(series.len());
    let base = &series[..base_len];
    let values: Vec<f64> = series.iter().map(|o| o.observed.plotted()).collect();
    let base_values = &values[..base_len];
    match kind {
        ChartKind::Run => {
            let centre = median(base_values);
            values
                .iter()
                .map(|&v| Line {
                    value: Some(v),
                    centre,
                    ..Line::default()
                })
                .collect()
        }
        ChartKind::I => {
            let centre = mean(base_values);
            let spread = mean(&moving_ranges(base_values)).map(|mr| I_CHART_FACTOR * mr);
            let floor = values.iter().all(|&v| v >= 0.0);
            values
                .iter()
                .map(|&v| {
                    let (lower, upper) = match (centre, spread) {
                        (Some(c), Some(s)) => {
                            let lower = if floor { (c - s).max(0.0) } else { c - s };
                            (Some(lower), Some(c + s))
                        }
                        _ => (None, None),
                    };
                    Line {
                        value: Some(v),
                        centre,
                        lower,
                        upper,
                    }
                })
                .collect()
        }
        ChartKind::Mr => {
            let centre = mean(&moving_ranges(base_values));
            let mut lines = Vec::with_capacity(values.len());
            lines.push(Line {
                value: None,
                centre,
                lower: centre.map(|_| 0.0),
                upper: centre.map(|c| MR_CHART_FACTOR * c),
            });
            lines.extend(moving_ranges(&values).into_iter().map(|mr| Line {
                value: Some(mr),
                centre,
                lower: centre.map(|_| 0.0),
                upper: centre.map(|c| MR_CHART_FACTOR * c),
            }));
            lines
        }
        ChartKind::P | ChartKind::U => {
            let (numerators, denominators) = base.iter().fold((0.0, 0.0), |(n, d), o| {
                let (num, den) = ratio(o.observed);
                (n + num, d + den)
            });
            let centre = (denominators > 0.0).then(|| numerators / denominators);
            series
                .iter()
                .map(|o| {
                    let (_, n_i) = ratio(o.observed);
                    let sigma = centre.map(|c| {
                        if kind == ChartKind::P {
                            (c * (1.0 - c) / n_i).sqrt()
                        } else {
                            (c / n_i).sqrt()
                        }
                    });
                    let (lower, upper) = match (centre, sigma) {
                        (Some(c), Some(s)) => {
                            let upper = c + 3.0 * s;
                            let upper = if kind == ChartKind::P {
                                upper.min(1.0)
                            } else {
                                upper
                            };
                            (Some((c - 3.0 * s).max(0.0)), Some(upper))
                        }
                        _ => (None, None),
                    };
                    Line {
                        value: Some(o.observed.plotted()),
                        centre,
                        lower,
                        upper,
                    }
                })
                .collect()
        }
        ChartKind::C => {
            let centre = mean(base_values);
            values
                .iter()
                .map(|&v| Line {
                    value: Some(v),
                    centre,
                    lower: centre.map(|c| (c - 3.0 * c.sqrt()).max(0.0)),
                    upper: centre.map(|c| c + 3.0 * c.sqrt()),
                })
                .collect()
        }
    }
}

fn ratio(observed: Observed) -> (f64, f64) {
    match observed {
        Observed::Ratio {
            numerator,
            denominator,
        } => (numerator, denominator),
        Observed::Value(value) => (value, 1.0),
    }
}

/// |xᵢ − xᵢ₋₁| for i ≥ 1.
pub fn moving_ranges(values: &[f64]) -> Vec<f64> {
    values.windows(2).map(|w| (w[1] - w[0]).abs()).collect()
}

/// Arithmetic mean; `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Median (the mean of the two middle values for an even count); `None` for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    })
}
