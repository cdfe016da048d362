//! Runs analysis of one part against its centre line: the IHI run-chart rules and the Anhøj
//! rules.
//!
//! Points exactly on the centre line are not *useful*: they neither start, break nor extend
//! a run, and are not counted in n (Perla, Provost & Murray 2011; Anhøj & Olesen 2014). A run
//! is a maximal sequence of useful points on the same side; crossings = runs − 1.
//!
//! - IHI shift: a run of 6 or more useful points.
//! - IHI trend: 5 or more points all going up or all going down; a point equal to its
//!   predecessor neither breaks nor extends the trend (it is skipped when counting).
//! - IHI runs: too few runs when the number of runs is below the lower limit, too many when
//!   it is above the upper limit for the number of useful points, as Table 1 of Perla,
//!   Provost & Murray 2011 prints them for 10 to 60 useful points ([`IHI_RUNS_TABLE`]). The
//!   article takes the table from Swed & Eisenhart (1943), "Tables for testing randomness of
//!   grouping in a sequence of alternatives", Ann. Math. Statist. 14:66–87; its rows are not
//!   one formula (20 points print 6..16 where the exact 2.5 % tails are 7..15). Where the
//!   table has no row here (past 60 points, and the rows between 10 and 60 not yet confirmed
//!   from a copy of the article) [`swed_eisenhart_runs_limits`] computes those tails exactly
//!   from the runs distribution in integer arithmetic; see docs/decisions/0024 and 0020.
//! - Anhøj (qicharts2's `runs.analysis`): unusually long run when the longest run >
//!   round(log2 n) + 3; unusually few crossings when crossings < qbinom(0.05, n − 1, 0.5), the
//!   5th percentile of Binomial(n − 1, ½), computed exactly in integer arithmetic.
//!
//! Runs, crossings and their rules are judged only with at least [`IHI_MIN_USEFUL_POINTS`]
//! useful points (IHI Table 1 starts at 10; Anhøj & Olesen studied 10 points and up); below
//! that the limits are `None` and those rules do not fire. Shift and trend need 6 and 5
//! points by their definition and are judged at any length.

use num_bigint::BigUint;

use super::ChartRule;

/// Fewest useful points on which runs and crossings are judged.
pub const IHI_MIN_USEFUL_POINTS: usize = 10;
/// IHI shift: this many consecutive useful points on one side of the median.
pub const SHIFT_POINTS: usize = 6;
/// IHI trend: this many consecutive points all going up or all going down.
pub const TREND_POINTS: usize = 5;

/// The runs analysis of one part.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunsAnalysis {
    /// n: points not on the centre line.
    pub useful: usize,
    /// Number of runs.
    pub runs: usize,
    /// Length of the longest run.
    pub longest_run: usize,
    /// Anhøj: round(log2 n) + 3; a longer run signals.
    pub longest_run_limit: Option<usize>,
    /// Times the series crosses the centre line (runs − 1).
    pub crossings: usize,
    /// Anhøj: qbinom(0.05, n − 1, 0.5); fewer crossings signal.
    pub crossings_limit: Option<usize>,
    /// IHI Table 1: fewer runs than this signal.
    pub runs_lower_limit: Option<usize>,
    /// IHI Table 1: more runs than this signal.
    pub runs_upper_limit: Option<usize>,
    groups: Vec<Vec<usize>>,
    trends: Vec<Vec<usize>>,
}

impl RunsAnalysis {
    /// The rules that fire with the (part-relative) indices of the points that trigger each.
    /// `ihi` adds the IHI rules (run charts) to the Anhøj rules (every chart).
    pub fn signals(&self, ihi: bool) -> Vec<(ChartRule, Vec<usize>)> {
        let mut signals = Vec::new();
        let all_useful = || self.groups.iter().flatten().copied().collect::<Vec<_>>();
        if ihi {
            let shifts: Vec<usize> = self
                .groups
                .iter()
                .filter(|g| g.len() >= SHIFT_POINTS)
                .flatten()
                .copied()
                .collect();
            if !shifts.is_empty() {
                signals.push((ChartRule::Shift, shifts));
            }
            let trends: Vec<usize> = self.trends.iter().flatten().copied().collect();
            if !trends.is_empty() {
                signals.push((ChartRule::Trend, trends));
            }
            if self.runs_lower_limit.is_some_and(|lower| self.runs < lower) {
                signals.push((ChartRule::TooFewRuns, all_useful()));
            }
            if self.runs_upper_limit.is_some_and(|upper| self.runs > upper) {
                signals.push((ChartRule::TooManyRuns, all_useful()));
            }
        }
        if let Some(limit) = self.longest_run_limit {
            let long: Vec<usize> = self
                .groups
                .iter()
                .filter(|g| g.len() > limit)
                .flatten()
                .copied()
                .collect();
            if !long.is_empty() {
                signals.push((ChartRule::LongRun, long));
            }
        }
        if self
            .crossings_limit
            .is_some_and(|limit| self.crossings < limit)
        {
            signals.push((ChartRule::FewCrossings, all_useful()));
        }
        signals
    }
}

/// Analyses `values` (`None` = no value at that point) against `centre`.
pub fn analyse(values: &[Option<f64>], centre: Option<f64>) -> RunsAnalysis {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut last_side = None;
    if let Some(centre) = centre {
        for (i, value) in values.iter().enumerate() {
            let Some(value) = *value else { continue };
            let side = if value > centre {
                true
            } else if value < centre {
                false
            } else {
                continue;
            };
            match groups.last_mut() {
                Some(group) if last_side == Some(side) => group.push(i),
                _ => groups.push(vec![i]),
            }
            last_side = Some(side);
        }
    }
    let useful = groups.iter().map(Vec::len).sum();
    let runs = groups.len();
    let judged = useful >= IHI_MIN_USEFUL_POINTS;
    let runs_limits = judged.then(|| ihi_runs_limits(useful));
    RunsAnalysis {
        useful,
        runs,
        longest_run: groups.iter().map(Vec::len).max().unwrap_or(0),
        longest_run_limit: judged.then(|| anhoej_longest_run_limit(useful)),
        crossings: runs.saturating_sub(1),
        crossings_limit: judged.then(|| anhoej_crossings_limit(useful)),
        runs_lower_limit: runs_limits.map(|(lower, _)| lower),
        runs_upper_limit: runs_limits.map(|(_, upper)| upper),
        groups,
        trends: trends(values),
    }
}

/// Maximal sequences of at least [`TREND_POINTS`] strictly rising or strictly falling
/// distinct values, each with every point in it (repeats of a value included).
fn trends(values: &[Option<f64>]) -> Vec<Vec<usize>> {
    // Consecutive equal values form one step: (value, the points showing it).
    let mut steps: Vec<(f64, Vec<usize>)> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let Some(value) = *value else { continue };
        match steps.last_mut() {
            Some((last, points)) if *last == value => points.push(i),
            _ => steps.push((value, vec![i])),
        }
    }
    let mut found = Vec::new();
    let mut start = 0;
    while start + 1 < steps.len() {
        let rising = steps[start + 1].0 > steps[start].0;
        let mut end = start + 1;
        while end + 1 < steps.len() && (steps[end + 1].0 > steps[end].0) == rising {
            end += 1;
        }
        if end - start + 1 >= TREND_POINTS {
            found.push(
                steps[start..=end]
                    .iter()
                    .flat_map(|(_, p)| p.clone())
                    .collect(),
            );
        }
        start = end;
    }
    found
}

/// Anhøj's upper limit for the longest run with `useful` points: round(log2 n) + 3 (log2 n is
/// never halfway between integers for whole n, so rounding conventions agree).
pub fn anhoej_longest_run_limit(useful: usize) -> usize {
    (useful as f64).log2().round() as usize + 3
}

/// Anhøj's lower limit for crossings with `useful` points: qbinom(0.05, n − 1, 0.5), the
/// smallest k with P(X ≤ k) ≥ 0.05 for X ~ Binomial(n − 1, ½), i.e. the smallest k with
/// 20 · Σ_{i ≤ k} C(n − 1, i) ≥ 2^(n − 1). Exact (big integers); 0 for n ≤ 1.
pub fn anhoej_crossings_limit(useful: usize) -> usize {
    let trials = useful.saturating_sub(1);
    if trials == 0 {
        return 0;
    }
    let total = BigUint::from(1u8) << trials;
    let mut term = BigUint::from(1u8);
    let mut cumulative = BigUint::from(0u8);
    for k in 0..=trials {
        cumulative += &term;
        if &cumulative * 20u8 >= total {
            return k;
        }
        term = term * (trials - k) / (k + 1);
    }
    trials
}

/// Rows of Table 1 of Perla, Provost & Murray (2011), BMJ Qual Saf 20:46–51:
/// `(useful points, lower, upper)`; fewer runs than `lower` or more than `upper` signal. The
/// printed table has a row for every number of useful points from 10 to 60; these are the
/// rows on which two copies of it agree (decision record 0024 names them, and the rows still
/// to be checked against the article: 27, 29, 30, 33, 35, 37, 39 and 41–60, which
/// [`ihi_runs_limits`] computes meanwhile). Sorted by the number of useful points.
pub const IHI_RUNS_TABLE: [(usize, usize, usize); 24] = [
    (10, 3, 9),
    (11, 3, 10),
    (12, 3, 11),
    (13, 4, 11),
    (14, 4, 12),
    (15, 5, 12),
    (16, 5, 13),
    (17, 5, 13),
    (18, 6, 14),
    (19, 6, 15),
    (20, 6, 16),
    (21, 7, 16),
    (22, 7, 17),
    (23, 7, 17),
    (24, 8, 18),
    (25, 8, 18),
    (26, 9, 19),
    (28, 10, 20),
    (31, 11, 22),
    (32, 11, 23),
    (34, 12, 24),
    (36, 13, 25),
    (38, 14, 26),
    (40, 15, 27),
];

/// Most useful points for which Table 1 of Perla, Provost & Murray prints a row.
pub const IHI_RUNS_TABLE_LAST: usize = 60;

/// The IHI limits for the number of runs with `useful` points: `(lower, upper)`; fewer runs
/// than `lower` or more than `upper` signal (the IHI runs rule, Perla, Provost & Murray
/// 2011). The row of [`IHI_RUNS_TABLE`] when it has one; otherwise (above
/// [`IHI_RUNS_TABLE_LAST`] points, where the printed table stops, and for its rows not
/// confirmed here) the exact 2.5 % tails of [`swed_eisenhart_runs_limits`]. Callers judge
/// from [`IHI_MIN_USEFUL_POINTS`] points; below that the value is the computation's and
/// means nothing.
pub fn ihi_runs_limits(useful: usize) -> (usize, usize) {
    IHI_RUNS_TABLE
        .iter()
        .find(|&&(points, _, _)| points == useful)
        .map_or_else(
            || swed_eisenhart_runs_limits(useful),
            |&(_, lower, upper)| (lower, upper),
        )
}

/// Exact 2.5 % tails of the Swed–Eisenhart runs distribution with ⌊n/2⌋ points on one side
/// and ⌈n/2⌉ on the other, for `useful` = n points: `(lower, upper)` where `lower` is the
/// smallest r with P(R ≤ r) > 0.025 and `upper` the largest r with P(R ≥ r) > 0.025, so that
/// fewer runs than `lower` or more than `upper` have probability at most 2.5 % each. Counted
/// in big integers (no floating point); `(1, 1)` for fewer than 2 points.
pub fn swed_eisenhart_runs_limits(useful: usize) -> (usize, usize) {
    let below = useful / 2;
    let above = useful - below;
    if below == 0 {
        return (1, 1);
    }
    let counts: Vec<BigUint> = (0..=useful)
        .map(|r| arrangements(below, above, r))
        .collect();
    let total: BigUint = counts.iter().sum();
    let mut lower = 2;
    let mut tail = BigUint::from(0u8);
    for (r, count) in counts.iter().enumerate() {
        tail += count;
        if &tail * 40u8 > total {
            lower = r;
            break;
        }
    }
    let mut upper = useful;
    let mut tail = BigUint::from(0u8);
    for (r, count) in counts.iter().enumerate().rev() {
        tail += count;
        if &tail * 40u8 > total {
            upper = r;
            break;
        }
    }
    (lower, upper)
}

/// Number of orderings of `n1` and `n2` points with exactly `runs` runs (Swed & Eisenhart
/// 1943): 2·C(n1−1, k−1)·C(n2−1, k−1) for runs = 2k, C(n1−1, k)·C(n2−1, k−1) +
/// C(n1−1, k−1)·C(n2−1, k) for runs = 2k + 1.
fn arrangements(n1: usize, n2: usize, runs: usize) -> BigUint {
    if runs < 2 {
        return BigUint::from(0u8);
    }
    let k = runs / 2;
    if runs.is_multiple_of(2) {
        binomial(n1 - 1, k - 1) * binomial(n2 - 1, k - 1) * 2u8
    } else {
        binomial(n1 - 1, k) * binomial(n2 - 1, k - 1)
            + binomial(n1 - 1, k - 1) * binomial(n2 - 1, k)
    }
}

fn binomial(n: usize, k: usize) -> BigUint {
    if k > n {
        return BigUint::from(0u8);
    }
    let k = k.min(n - k);
    let mut result = BigUint::from(1u8);
    for i in 0..k {
        result = result * (n - i) / (i + 1);
    }
    result
}
