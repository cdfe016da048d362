use chrono::{Days, NaiveDate};

use super::*;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new(offset)))
        .unwrap_or_else(|| panic!("test date"))
}

fn series(values: &[f64]) -> Vec<Observation> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| Observation {
            date: day(i as u64 * 7),
            observed: Observed::Value(v),
        })
        .collect()
}

fn ratios(pairs: &[(f64, f64)]) -> Vec<Observation> {
    pairs
        .iter()
        .enumerate()
        .map(|(i, &(numerator, denominator))| Observation {
            date: day(i as u64 * 7),
            observed: Observed::Ratio {
                numerator,
                denominator,
            },
        })
        .collect()
}

fn chart(kind: ChartKind, observations: &[Observation]) -> Chart {
    chart_with(observations, kind, None, vec![])
}

fn chart_with(
    observations: &[Observation],
    kind: ChartKind,
    baseline: Option<usize>,
    splits: Vec<NaiveDate>,
) -> Chart {
    compute(
        observations,
        &ChartRequest {
            kind,
            baseline,
            splits,
        },
    )
    .unwrap_or_else(|e| panic!("chart: {e}"))
}

fn fired(chart: &Chart) -> Vec<ChartRule> {
    chart.signals.iter().map(|s| s.rule).collect()
}

fn signal(chart: &Chart, rule: ChartRule) -> Option<&Signal> {
    chart.signals.iter().find(|s| s.rule == rule)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// --- limits of the Anhøj rules ------------------------------------------------------------

#[test]
fn qicharts2_limits_for_ten_useful_points_are_six_and_two() {
    assert_eq!(anhoej_longest_run_limit(10), 6);
    assert_eq!(anhoej_crossings_limit(10), 2);
}

#[test]
fn anhoej_limits_match_qicharts2_table() {
    // round(log2(n)) + 3 and qbinom(0.05, n - 1, 0.5) from R for n = 10..=100 (sampled).
    let expected = [
        (11, 6, 2),
        (12, 7, 3),
        (13, 7, 3),
        (16, 7, 4),
        (20, 7, 6),
        (24, 8, 8),
        (30, 8, 10),
        (45, 8, 17),
        (46, 9, 17),
        (60, 9, 23),
        (90, 9, 37),
        (100, 10, 41),
    ];
    for (n, run, crossings) in expected {
        assert_eq!(
            anhoej_longest_run_limit(n),
            run,
            "longest run limit, n = {n}"
        );
        assert_eq!(
            anhoej_crossings_limit(n),
            crossings,
            "crossings limit, n = {n}"
        );
    }
}

#[test]
fn crossings_limit_is_exact_for_long_series() {
    // qbinom(0.05, 1999, 0.5) = 963 (checked with exact integer sums outside this code; the
    // normal approximation 999.5 − 1.645·√1999/2 ≈ 962.7 agrees).
    assert_eq!(anhoej_crossings_limit(2000), 963);
    assert_eq!(anhoej_crossings_limit(1), 0);
}

#[test]
fn swed_eisenhart_runs_limits_are_the_exact_tails() {
    // Even splits, 2.5 % tails: 10 points (5/5) → fewer than 3 or more than 9 runs; 20 points
    // (10/10) → 7..15, since P(R ≤ 6) = 0.019.
    assert_eq!(swed_eisenhart_runs_limits(10), (3, 9));
    assert_eq!(swed_eisenhart_runs_limits(14), (4, 12));
    assert_eq!(swed_eisenhart_runs_limits(15), (5, 12));
    assert_eq!(swed_eisenhart_runs_limits(16), (5, 13));
    assert_eq!(swed_eisenhart_runs_limits(20), (7, 15));
    assert_eq!(swed_eisenhart_runs_limits(30), (11, 21));
    for n in 10..=200 {
        let (lower, upper) = swed_eisenhart_runs_limits(n);
        assert!(
            lower >= 2 && lower < upper && upper <= n,
            "n = {n}: {lower}..{upper}"
        );
    }
}

#[test]
fn past_the_published_table_the_ihi_limits_are_the_exact_tails() {
    // Checked with exact rational sums outside this code.
    for (n, limits) in [
        (61, (24, 39)),
        (62, (24, 40)),
        (75, (30, 47)),
        (100, (41, 61)),
        (120, (50, 72)),
        (500, (229, 273)),
        (2000, (957, 1045)),
    ] {
        assert_eq!(swed_eisenhart_runs_limits(n), limits, "n = {n}");
        assert_eq!(ihi_runs_limits(n), limits, "n = {n}");
    }
}

#[test]
fn ihi_runs_limits_are_the_rows_of_the_published_table() {
    let mut previous = IHI_MIN_USEFUL_POINTS - 1;
    for (n, lower, upper) in IHI_RUNS_TABLE {
        assert!(
            n > previous && n <= IHI_RUNS_TABLE_LAST,
            "row {n} out of order"
        );
        assert!(lower < upper && upper <= n, "row {n}: {lower}..{upper}");
        assert_eq!(ihi_runs_limits(n), (lower, upper), "row {n}");
        previous = n;
    }
    assert_eq!(IHI_RUNS_TABLE[0].0, IHI_MIN_USEFUL_POINTS);
    // The rows where the printed table is not the exact 2.5 % tails (decision record 0020):
    // it is wider by one run on one side or both.
    let differing: Vec<_> = (IHI_MIN_USEFUL_POINTS..=IHI_RUNS_TABLE_LAST)
        .map(|n| (n, ihi_runs_limits(n), swed_eisenhart_runs_limits(n)))
        .filter(|(_, printed, exact)| printed != exact)
        .collect();
    assert_eq!(
        differing,
        [
            (11, (3, 10), (4, 9)),
            (12, (3, 11), (4, 10)),
            (17, (5, 13), (6, 13)),
            (20, (6, 16), (7, 15)),
            (22, (7, 17), (8, 16)),
            (23, (7, 17), (8, 17)),
            (25, (8, 18), (9, 18)),
            (32, (11, 23), (12, 22)),
        ]
    );
}

#[test]
fn rows_the_table_lacks_here_are_computed() {
    let in_table: Vec<usize> = IHI_RUNS_TABLE.iter().map(|&(n, _, _)| n).collect();
    let computed: Vec<usize> = (IHI_MIN_USEFUL_POINTS..=IHI_RUNS_TABLE_LAST)
        .filter(|n| !in_table.contains(n))
        .collect();
    let expected: Vec<usize> = [27, 29, 30, 33, 35, 37, 39]
        .into_iter()
        .chain(41..=60)
        .collect();
    assert_eq!(computed, expected);
    for n in computed {
        assert_eq!(ihi_runs_limits(n), swed_eisenhart_runs_limits(n), "n = {n}");
    }
}

/// Values on both sides of the centre in runs of the given lengths, the first run below:
/// 1.0 below, 9.0 above.
fn in_runs(lengths: &[usize]) -> Vec<f64> {
    lengths
        .iter()
        .enumerate()
        .flat_map(|(i, &len)| std::iter::repeat_n(if i % 2 == 0 { 1.0 } else { 9.0 }, len))
        .collect()
}

fn runs_rules(lengths: &[usize]) -> (usize, usize, Vec<ChartRule>) {
    let c = chart(ChartKind::Run, &series(&in_runs(lengths)));
    let runs = &c.parts[0].runs;
    let rules = fired(&c)
        .into_iter()
        .filter(|r| matches!(r, ChartRule::TooFewRuns | ChartRule::TooManyRuns))
        .collect();
    (runs.useful, runs.runs, rules)
}

#[test]
fn twenty_points_judge_runs_at_the_printed_limits_six_and_sixteen() {
    // 10 points below and 10 above the median 5, so all 20 are useful; no run longer than 5.
    assert_eq!(
        runs_rules(&[4, 5, 3, 5, 3]),
        (20, 5, vec![ChartRule::TooFewRuns])
    );
    assert_eq!(runs_rules(&[4, 3, 3, 3, 3, 4]), (20, 6, vec![]));
    assert_eq!(
        runs_rules(&[2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2]),
        (20, 16, vec![])
    );
    assert_eq!(
        runs_rules(&[2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        (20, 17, vec![ChartRule::TooManyRuns])
    );
}

#[test]
fn twelve_points_judge_runs_at_the_printed_limits_three_and_eleven() {
    // 6 points below and 6 above the median 5. The exact tails would be 4..10, so 3 and 11
    // runs would signal there.
    assert_eq!(runs_rules(&[6, 6]), (12, 2, vec![ChartRule::TooFewRuns]));
    assert_eq!(runs_rules(&[3, 6, 3]), (12, 3, vec![]));
    assert_eq!(
        runs_rules(&[1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        (12, 11, vec![])
    );
    assert_eq!(runs_rules(&[1; 12]), (12, 12, vec![ChartRule::TooManyRuns]));
}

// --- run chart: median and useful points ----------------------------------------------------

#[test]
fn run_chart_centre_is_the_median_and_points_on_it_are_not_useful() {
    let c = chart(ChartKind::Run, &series(&[1.0, 3.0, 2.0, 5.0, 2.0]));
    assert_eq!(c.parts[0].centre, Some(2.0));
    assert!(
        c.points
            .iter()
            .all(|p| p.centre == Some(2.0) && p.upper.is_none())
    );
    assert_eq!(c.parts[0].runs.useful, 3);
    // 1 below; 3, 5 above (the 2s between them neither break nor extend the run).
    assert_eq!(c.parts[0].runs.runs, 2);
    assert_eq!(c.parts[0].runs.longest_run, 2);
}

#[test]
fn too_few_points_to_judge_runs_and_crossings() {
    // Nine useful points (two on the median 5) in two runs: no runs, crossings or long-run
    // judgement yet.
    let c = chart(
        ChartKind::Run,
        &series(&[1.0, 1.0, 1.0, 1.0, 5.0, 5.0, 9.0, 9.0, 9.0, 9.0, 9.0]),
    );
    let runs = &c.parts[0].runs;
    assert_eq!(runs.useful, 9);
    assert_eq!(runs.longest_run_limit, None);
    assert_eq!(runs.crossings_limit, None);
    assert_eq!(runs.runs_lower_limit, None);
    assert!(!fired(&c).contains(&ChartRule::LongRun));
    assert!(!fired(&c).contains(&ChartRule::FewCrossings));
    assert!(!fired(&c).contains(&ChartRule::TooFewRuns));
}

// --- IHI shift --------------------------------------------------------------------------------

#[test]
fn shift_of_six_fires_and_five_does_not() {
    // Median 5: six points above (indices 6..=11) after alternating points.
    let six = chart(
        ChartKind::Run,
        &series(&[
            4.0, 6.0, 4.0, 6.0, 4.0, 4.0, 8.0, 9.0, 8.0, 9.0, 8.0, 9.0, 1.0, 2.0, 3.0, 2.0,
        ]),
    );
    let shift = signal(&six, ChartRule::Shift).unwrap_or_else(|| panic!("shift"));
    assert_eq!(shift.points, vec![6, 7, 8, 9, 10, 11]);
    assert!(six.points[6].rules.contains(&ChartRule::Shift));
    assert!(!six.points[5].rules.contains(&ChartRule::Shift));

    let five = chart(
        ChartKind::Run,
        &series(&[4.0, 6.0, 4.0, 6.0, 4.0, 8.0, 9.0, 8.0, 9.0, 8.0, 1.0, 6.0]),
    );
    assert!(signal(&five, ChartRule::Shift).is_none());
}

#[test]
fn points_on_the_median_neither_break_nor_extend_a_shift() {
    // Median 5 (odd count, middle value 5 shown three times). Above: 6, 7, (5), 6, 7, (5), 6, 7
    // = six useful points above with two median points inside → one shift of six points.
    let values = [
        1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 6.0, 7.0, 5.0, 6.0, 7.0, 5.0, 6.0, 7.0, 5.0, 3.0,
    ];
    let c = chart(ChartKind::Run, &series(&values));
    assert_eq!(c.parts[0].centre, Some(5.0));
    // Seven below (indices 0..=6) is a shift too; the median points 9, 12, 15 are in neither.
    let shift = signal(&c, ChartRule::Shift).unwrap_or_else(|| panic!("shift"));
    assert_eq!(
        shift.points,
        vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14]
    );
    assert!(c.points[9].rules.is_empty());
    assert_eq!(c.parts[0].runs.longest_run, 7);
    assert_eq!(c.parts[0].runs.useful, 14);
}

// --- IHI trend --------------------------------------------------------------------------------

/// The points of the run chart of `values` that trigger `rule`, if it fires.
fn run_chart_signal(rule: ChartRule, values: &[f64]) -> Option<Vec<usize>> {
    signal(&chart(ChartKind::Run, &series(values)), rule).map(|s| s.points.clone())
}

#[test]
fn trend_of_five_rising_fires_and_four_does_not() {
    let five = [5.0, 1.0, 2.0, 3.0, 4.0, 6.0, 2.0, 3.0];
    assert_eq!(
        run_chart_signal(ChartRule::Trend, &five),
        Some(vec![1, 2, 3, 4, 5])
    );
    let four = [5.0, 1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 1.0];
    assert_eq!(run_chart_signal(ChartRule::Trend, &four), None);
}

#[test]
fn equal_neighbours_neither_break_nor_extend_a_trend() {
    // 9, 8, 8, 7, 6, 5 falls through five distinct values: a trend, the repeated 8 included.
    let repeated = [9.0, 8.0, 8.0, 7.0, 6.0, 5.0, 7.0];
    assert_eq!(
        run_chart_signal(ChartRule::Trend, &repeated),
        Some(vec![0, 1, 2, 3, 4, 5])
    );
    // 1, 2, 2, 2, 3, 4 has only four distinct rising values: no trend.
    let flat = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 1.0];
    assert_eq!(run_chart_signal(ChartRule::Trend, &flat), None);
}

#[test]
fn falling_trend_fires() {
    let falling = [3.0, 10.0, 9.0, 7.0, 4.0, 2.0, 5.0];
    assert_eq!(
        run_chart_signal(ChartRule::Trend, &falling),
        Some(vec![1, 2, 3, 4, 5])
    );
}

// --- IHI runs and Anhøj rules -------------------------------------------------------------------

#[test]
fn ten_points_in_two_runs_fire_too_few_runs_long_run_and_few_crossings() {
    let c = chart(
        ChartKind::Run,
        &series(&[1.0, 2.0, 1.0, 2.0, 1.0, 8.0, 9.0, 8.0, 9.0, 8.0]),
    );
    let runs = &c.parts[0].runs;
    assert_eq!((runs.useful, runs.runs, runs.crossings), (10, 2, 1));
    assert_eq!(runs.longest_run, 5);
    assert_eq!(runs.longest_run_limit, Some(6));
    assert_eq!(runs.crossings_limit, Some(2));
    let rules = fired(&c);
    // 2 runs < 3 → too few; 1 crossing < 2 → few crossings; 5 ≤ 6 → no long run, no shift.
    assert!(rules.contains(&ChartRule::TooFewRuns));
    assert!(rules.contains(&ChartRule::FewCrossings));
    assert!(!rules.contains(&ChartRule::LongRun));
    assert!(!rules.contains(&ChartRule::Shift));
    assert_eq!(
        signal(&c, ChartRule::FewCrossings)
            .unwrap_or_else(|| panic!("crossings"))
            .points,
        (0..10).collect::<Vec<_>>()
    );
}

#[test]
fn qicharts2_n10_random_looking_series_signals_nothing() {
    // 10 useful points, 5 runs (4 crossings ≥ 2), longest run 3 (≤ 6).
    let c = chart(
        ChartKind::Run,
        &series(&[3.0, 7.0, 8.0, 2.0, 1.0, 4.0, 9.0, 6.0, 10.0, 5.0]),
    );
    let runs = &c.parts[0].runs;
    assert_eq!(runs.useful, 10);
    assert_eq!(runs.longest_run_limit, Some(6));
    assert_eq!(runs.crossings_limit, Some(2));
    assert!(runs.crossings >= 2);
    assert!(!c.has_signal(), "{:?}", c.signals);
}

#[test]
fn long_run_fires_above_its_limit_only() {
    // 16 useful points around the median 5: limit round(log2 16) + 3 = 7. A run of 8 fires,
    // a run of 7 does not.
    let eight = chart(
        ChartKind::Run,
        &series(&[
            1.0, 9.0, 8.0, 9.0, 8.0, 9.0, 8.0, 9.0, 8.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0,
        ]),
    );
    assert_eq!(eight.parts[0].runs.longest_run_limit, Some(7));
    assert_eq!(
        signal(&eight, ChartRule::LongRun)
            .unwrap_or_else(|| panic!("long run"))
            .points,
        (1..=8).collect::<Vec<_>>()
    );
    let seven = chart(
        ChartKind::Run,
        &series(&[
            1.0, 2.0, 9.0, 8.0, 9.0, 8.0, 9.0, 8.0, 9.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 8.0,
        ]),
    );
    assert_eq!(seven.parts[0].runs.longest_run_limit, Some(7));
    assert_eq!(seven.parts[0].runs.longest_run, 7);
    assert!(signal(&seven, ChartRule::LongRun).is_none());
}

#[test]
fn too_many_runs_fires_on_an_alternating_series() {
    // 10 useful points alternating: 10 runs > 9.
    let c = chart(
        ChartKind::Run,
        &series(&[1.0, 9.0, 1.0, 9.0, 1.0, 9.0, 1.0, 9.0, 1.0, 9.0]),
    );
    assert_eq!(c.parts[0].runs.runs, 10);
    assert!(fired(&c).contains(&ChartRule::TooManyRuns));
    let nine = chart(
        ChartKind::Run,
        &series(&[1.0, 9.0, 1.0, 9.0, 1.0, 9.0, 1.0, 9.0, 9.0, 1.0]),
    );
    assert_eq!(nine.parts[0].runs.runs, 9);
    assert!(!fired(&nine).contains(&ChartRule::TooManyRuns));
}

#[test]
fn astronomical_point_fires_for_an_outlier_and_not_otherwise() {
    let mut values = vec![10.0, 11.0, 10.0, 12.0, 11.0, 10.0, 11.0, 12.0, 10.0, 11.0];
    let calm = chart(ChartKind::Run, &series(&values));
    assert!(signal(&calm, ChartRule::AstronomicalPoint).is_none());
    values[5] = 40.0;
    let c = chart(ChartKind::Run, &series(&values));
    assert_eq!(
        signal(&c, ChartRule::AstronomicalPoint)
            .unwrap_or_else(|| panic!("point"))
            .points,
        vec![5]
    );
}

// --- control charts ----------------------------------------------------------------------------

#[test]
fn i_chart_limits_are_mean_plus_minus_2_66_mean_moving_range() {
    // Mean 10; moving ranges 2, 2, 2, 1 → MR̄ 1.75; limits 10 ± 2.66 × 1.75.
    let c = chart(ChartKind::I, &series(&[9.0, 11.0, 9.0, 11.0, 10.0]));
    let p = &c.points[0];
    assert!(close(p.centre.unwrap_or_else(|| panic!("centre")), 10.0));
    assert!(close(
        p.upper.unwrap_or_else(|| panic!("upper")),
        10.0 + 2.66 * 1.75
    ));
    assert!(close(
        p.lower.unwrap_or_else(|| panic!("lower")),
        10.0 - 2.66 * 1.75
    ));
    assert!(!c.has_signal());
}

#[test]
fn i_chart_flags_points_outside_and_floors_the_lower_limit() {
    let c = chart(
        ChartKind::I,
        &series(&[1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 30.0]),
    );
    assert_eq!(
        signal(&c, ChartRule::OutsideLimits)
            .unwrap_or_else(|| panic!("outside"))
            .points,
        vec![9]
    );
    assert!(c.points[9].rules.contains(&ChartRule::OutsideLimits));
    assert_eq!(c.points[0].lower, Some(0.0));
    // Negative values keep a negative lower limit.
    let negative = chart(ChartKind::I, &series(&[-1.0, 1.0, -1.0, 1.0]));
    assert!(negative.points[0].lower.unwrap_or_else(|| panic!("lower")) < 0.0);
}

#[test]
fn mr_chart_has_no_first_value_and_upper_limit_3_267_mean_moving_range() {
    let c = chart(ChartKind::Mr, &series(&[9.0, 11.0, 9.0, 11.0, 10.0]));
    assert_eq!(c.points[0].value, None);
    assert_eq!(c.points[1].value, Some(2.0));
    assert!(close(
        c.points[1].centre.unwrap_or_else(|| panic!("centre")),
        1.75
    ));
    assert!(close(
        c.points[1].upper.unwrap_or_else(|| panic!("upper")),
        3.267 * 1.75
    ));
    assert_eq!(c.points[1].lower, Some(0.0));
    let jump = chart(
        ChartKind::Mr,
        &series(&[5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 25.0]),
    );
    assert_eq!(
        signal(&jump, ChartRule::OutsideLimits)
            .unwrap_or_else(|| panic!("outside"))
            .points,
        vec![9]
    );
}

#[test]
fn p_chart_limits_depend_on_each_denominator() {
    // p̄ = 30 / 200 = 0.15.
    let c = chart(
        ChartKind::P,
        &ratios(&[(5.0, 50.0), (10.0, 50.0), (15.0, 100.0)]),
    );
    let p_bar: f64 = 0.15;
    for (point, n) in c.points.iter().zip([50.0, 50.0, 100.0]) {
        let sigma = (p_bar * (1.0 - p_bar) / n).sqrt();
        assert!(close(
            point.centre.unwrap_or_else(|| panic!("centre")),
            p_bar
        ));
        assert!(close(
            point.upper.unwrap_or_else(|| panic!("upper")),
            p_bar + 3.0 * sigma
        ));
        assert!(close(
            point.lower.unwrap_or_else(|| panic!("lower")),
            (p_bar - 3.0 * sigma).max(0.0)
        ));
    }
    assert!(c.points[0].upper != c.points[2].upper);
    assert!(close(
        c.points[0].value.unwrap_or_else(|| panic!("value")),
        0.1
    ));
}

#[test]
fn p_chart_flags_a_proportion_outside_and_floors_at_zero() {
    let mut pairs = vec![(10.0, 100.0); 9];
    pairs.push((60.0, 100.0));
    let c = chart(ChartKind::P, &ratios(&pairs));
    assert_eq!(
        signal(&c, ChartRule::OutsideLimits)
            .unwrap_or_else(|| panic!("outside"))
            .points,
        vec![9]
    );
    let small = chart(
        ChartKind::P,
        &ratios(&[(1.0, 10.0), (0.0, 10.0), (1.0, 10.0)]),
    );
    assert_eq!(small.points[0].lower, Some(0.0));
}

#[test]
fn u_chart_limits_are_u_bar_plus_minus_three_root_u_bar_over_n() {
    let c = chart(
        ChartKind::U,
        &ratios(&[(4.0, 2.0), (6.0, 4.0), (10.0, 4.0)]),
    );
    let u_bar = 20.0 / 10.0;
    let point = &c.points[1];
    assert!(close(
        point.centre.unwrap_or_else(|| panic!("centre")),
        u_bar
    ));
    assert!(close(
        point.upper.unwrap_or_else(|| panic!("upper")),
        u_bar + 3.0 * (u_bar / 4.0).sqrt()
    ));
    assert_eq!(point.lower, Some(0.0));
    assert!(close(point.value.unwrap_or_else(|| panic!("value")), 1.5));
}

#[test]
fn c_chart_limits_are_c_bar_plus_minus_three_root_c_bar() {
    let c = chart(ChartKind::C, &series(&[4.0, 5.0, 3.0, 4.0, 4.0, 16.0]));
    let c_bar = 36.0 / 6.0;
    assert!(close(
        c.points[0].centre.unwrap_or_else(|| panic!("centre")),
        c_bar
    ));
    assert!(close(
        c.points[0].upper.unwrap_or_else(|| panic!("upper")),
        c_bar + 3.0 * c_bar.sqrt()
    ));
    assert!(close(
        c.points[0].lower.unwrap_or_else(|| panic!("lower")),
        (c_bar - 3.0 * c_bar.sqrt()).max(0.0)
    ));
    assert_eq!(c.points[0].lower, Some(0.0));
    assert_eq!(
        signal(&c, ChartRule::OutsideLimits)
            .unwrap_or_else(|| panic!("outside"))
            .points,
        vec![5]
    );
}

// --- baseline and splits -------------------------------------------------------------------

#[test]
fn baseline_freezes_centre_and_limits_on_the_first_points() {
    let observations = series(&[10.0, 12.0, 10.0, 12.0, 30.0, 32.0, 30.0, 32.0]);
    let frozen = chart_with(&observations, ChartKind::I, Some(4), vec![]);
    assert!(frozen.points.iter().all(|p| p.centre == Some(11.0)));
    assert!(close(
        frozen.points[7].upper.unwrap_or_else(|| panic!("upper")),
        11.0 + 2.66 * 2.0
    ));
    assert_eq!(
        signal(&frozen, ChartRule::OutsideLimits)
            .unwrap_or_else(|| panic!("outside"))
            .points,
        vec![4, 5, 6, 7]
    );
    assert!(frozen.points[3].baseline && !frozen.points[4].baseline);
    let free = chart(ChartKind::I, &observations);
    assert!(close(
        free.points[0].centre.unwrap_or_else(|| panic!("centre")),
        21.0
    ));
}

#[test]
fn baseline_on_a_run_chart_freezes_the_median() {
    let observations = series(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    let c = chart_with(&observations, ChartKind::Run, Some(3), vec![]);
    assert!(c.points.iter().all(|p| p.centre == Some(2.0)));
}

#[test]
fn baseline_is_refused_when_zero_too_short_or_longer_than_the_first_part() {
    let observations = series(&[1.0, 2.0, 3.0, 4.0]);
    let request = |kind, baseline, splits: Vec<NaiveDate>| ChartRequest {
        kind,
        baseline: Some(baseline),
        splits,
    };
    for (kind, baseline, splits) in [
        (ChartKind::Run, 0, vec![]),
        (ChartKind::I, 1, vec![]),
        (ChartKind::Run, 5, vec![]),
        (ChartKind::Run, 3, vec![day(14)]),
    ] {
        let refused = compute(&observations, &request(kind, baseline, splits))
            .err()
            .unwrap_or_else(|| panic!("baseline refused"));
        assert_eq!(refused.field, Some("baseline"));
    }
}

#[test]
fn splits_recompute_each_part_and_show_the_shift() {
    let observations = series(&[10.0, 12.0, 11.0, 10.0, 12.0, 20.0, 22.0, 21.0, 20.0, 22.0]);
    let c = chart_with(&observations, ChartKind::I, None, vec![day(35)]);
    assert_eq!(c.parts.len(), 2);
    assert_eq!((c.parts[0].first_point, c.parts[0].last_point), (0, 4));
    assert_eq!((c.parts[1].first_point, c.parts[1].last_point), (5, 9));
    assert_eq!(c.parts[1].start, day(35));
    assert!(close(
        c.parts[0].centre.unwrap_or_else(|| panic!("centre")),
        11.0
    ));
    assert!(close(
        c.parts[1].centre.unwrap_or_else(|| panic!("centre")),
        21.0
    ));
    assert!(c.points[5].part == 1 && c.points[4].part == 0);
    assert!(!c.has_signal());
    // Unsplit, the run chart of the same series has too few runs.
    let whole = chart(ChartKind::Run, &observations);
    assert!(whole.has_signal());
}

#[test]
fn splits_outside_the_series_make_no_empty_part() {
    let observations = series(&[1.0, 2.0, 3.0]);
    let c = chart_with(
        &observations,
        ChartKind::Run,
        None,
        vec![day(0), day(1000), day(0)],
    );
    assert_eq!(c.parts.len(), 1);
}

#[test]
fn a_signal_in_a_later_part_names_points_of_the_whole_series() {
    let mut values = vec![5.0, 6.0, 5.0, 6.0];
    values.extend([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 30.0]);
    let c = chart_with(&series(&values), ChartKind::C, None, vec![day(28)]);
    let outside = signal(&c, ChartRule::OutsideLimits).unwrap_or_else(|| panic!("outside"));
    assert_eq!((outside.part, outside.points.clone()), (1, vec![15]));
}

// --- refused series ----------------------------------------------------------------------------

#[test]
fn series_that_do_not_fit_the_chart_are_refused_naming_points() {
    let refused = |kind, observations: &[Observation]| {
        compute(
            observations,
            &ChartRequest {
                kind,
                baseline: None,
                splits: vec![],
            },
        )
        .err()
        .unwrap_or_else(|| panic!("refused"))
    };
    let mut unordered = series(&[1.0, 2.0]);
    unordered.swap(0, 1);
    for (kind, observations) in [
        (ChartKind::Run, vec![]),
        (ChartKind::Run, unordered),
        (ChartKind::Run, series(&[1.0, f64::NAN])),
        (ChartKind::P, series(&[1.0])),
        (ChartKind::P, ratios(&[(5.0, 4.0)])),
        (ChartKind::P, ratios(&[(1.0, 0.0)])),
        (ChartKind::U, ratios(&[(-1.0, 4.0)])),
        (ChartKind::C, series(&[-1.0])),
        (ChartKind::C, ratios(&[(1.0, 2.0)])),
        (ChartKind::I, ratios(&[(1.0, 0.0)])),
    ] {
        assert_eq!(refused(kind, &observations).field, Some("points"), "{kind}");
    }
}

#[test]
fn ratios_plot_as_numerator_over_denominator_on_run_charts() {
    let c = chart(ChartKind::Run, &ratios(&[(1.0, 4.0), (3.0, 4.0)]));
    assert_eq!(c.points[0].value, Some(0.25));
    assert_eq!(c.parts[0].centre, Some(0.5));
}
