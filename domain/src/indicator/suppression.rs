//! Complementary (secondary) suppression: a hidden figure must not be recoverable by
//! subtraction from the figures that are shown.
//!
//! Hiding a count of 1 to 4 persons ([`count_of_persons`](super::count_of_persons)) is
//! primary suppression. It is not enough where figures add up: a quarter's planning calls are
//! its three months' calls, a year's its four quarters', so a quarter shown next to two of its
//! months shows the third. Official statistics therefore also hide other cells (secondary
//! suppression: Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4, and
//! τ-ARGUS, the European statistics offices' tool, on hierarchical tables; decision 0025).
//! This module does it for the one hierarchy the indicator table has: the figures are always
//! of whole calendar months, quarters and years
//! ([`IndicatorQuery::new`](super::IndicatorQuery::new) widens a span to whole periods), so
//! every figure of an additive indicator in one municipality and calendar year is one of the
//! [`CELLS`] cells of [`YearCells`], bound by five sums (each quarter is its months, the year
//! its quarters). No other sum of them is published: the table has no total over
//! municipalities or over years.
//!
//! The rule ([`protect`]): a hidden cell is *disclosed* when what an outsider knows pins it
//! to one value: the five sums and the shown cells determine it exactly — linear algebra: its
//! unit vector lies in the row space of the sums restricted to the cells not shown
//! ([`disclosed`]) — or do so once she uses that a hidden count is at least 1 (it counts 1–4
//! persons, or is a partner chosen for not being 0): two hidden months whose quarter leaves
//! 2 for them are 1 and 1 ([`pinned`], interval propagation through the sums; found by an
//! attack review). While a primary cell is disclosed, the cheapest set of one or two shown
//! cells (three when no two will do) that undiscloses it is hidden: months before quarters
//! before the year (the totals are what analysts read), then the smallest figures, then the
//! fewest cells, as the least information lost — but never a 0 while other cells would do,
//! since a period with nothing in it (one still to come) is known to be 0 by anyone and
//! protects nothing; if no three do, every shown cell of the year is hidden. Hiding more never
//! discloses anything, so the loop ends, and it is deterministic: the same year gives the same
//! cells hidden whichever span or period a request asks for, so no two requests can be
//! subtracted either. What this does not protect: a hidden cell known only to lie in a range
//! of more than one value (interval disclosure: "January and February had 3 together") — the
//! sums show the total of the hidden cells they hold, as any suppressed table does.
//!
//! Figures that do not add up — medians, means and shares (their numbers of persons are not
//! published) — cannot be subtracted, but one of them at a bound tells every part of it: a
//! quarter's share of 0 says that no discharge in any of its months had a SIP, a mean of 0
//! days that every one was 0, so a hidden month in it is told (found by an attack review).
//! [`protect_bounds`] hides a quarter or year at such a bound when it holds a hidden cell.
//! The stock figures, counted at a period's end, are left alone.

use chrono::{Datelike, NaiveDate};

use super::{Figure, Period};

/// The cells of one calendar year: months 0–11, quarters 12–15, the year 16.
pub const CELLS: usize = 17;
const QUARTERS: usize = 12;
const YEAR: usize = 16;

/// One additive indicator's figures of one municipality and calendar year, indexed by
/// [`cell_of`].
pub type YearCells = [Figure; CELLS];

/// The cell of the period of kind `period` starting on `start` within its year.
pub fn cell_of(period: Period, start: NaiveDate) -> usize {
    let month = start.month0() as usize;
    match period {
        Period::Month => month,
        Period::Quarter => QUARTERS + month / 3,
        Period::Year => YEAR,
    }
}

/// Hides ([`Figure::Suppressed`]) each quarter, then the year, whose value `at_bound` (a
/// share of 0 or 1, a mean of 0 days: a value every part of it must then have) while one of
/// its months or quarters is hidden, for that value would tell the hidden one. Returns the
/// cells it hid.
pub fn protect_bounds(cells: &mut YearCells, at_bound: impl Fn(f64) -> bool) -> Vec<usize> {
    let mut hidden = Vec::new();
    let tells = |cells: &YearCells, cell: usize, parts: std::ops::Range<usize>| {
        matches!(cells[cell], Figure::Value(v) if at_bound(v))
            && parts.clone().any(|part| cells[part] == Figure::Suppressed)
    };
    for quarter in 0..4 {
        let cell = QUARTERS + quarter;
        if tells(cells, cell, 3 * quarter..3 * quarter + 3) {
            cells[cell] = Figure::Suppressed;
            hidden.push(cell);
        }
    }
    if tells(cells, YEAR, 0..YEAR) {
        cells[YEAR] = Figure::Suppressed;
        hidden.push(YEAR);
    }
    hidden
}

/// The five sums, each as coefficients over the cells: a quarter minus its months, the year
/// minus its quarters (each is 0).
fn sums() -> [[f64; CELLS]; 5] {
    let mut rows = [[0.0; CELLS]; 5];
    for (quarter, row) in rows.iter_mut().take(4).enumerate() {
        row[QUARTERS + quarter] = 1.0;
        row[3 * quarter..3 * quarter + 3].fill(-1.0);
    }
    rows[4][YEAR] = 1.0;
    for quarter in 0..4 {
        rows[4][QUARTERS + quarter] = -1.0;
    }
    rows
}

/// The rank of `rows` (Gaussian elimination; the entries are small integers, so a tolerance
/// of 1e-9 is exact here).
fn rank(mut rows: Vec<[f64; CELLS]>) -> usize {
    let mut rank = 0;
    for column in 0..CELLS {
        let Some(pivot) = (rank..rows.len()).find(|&r| rows[r][column].abs() > 1e-9) else {
            continue;
        };
        rows.swap(rank, pivot);
        let pivot_row = rows[rank];
        for (r, row) in rows.iter_mut().enumerate() {
            if r != rank && row[column].abs() > 1e-9 {
                let factor = row[column] / pivot_row[column];
                for (value, pivot_value) in row.iter_mut().zip(pivot_row) {
                    *value -= factor * pivot_value;
                }
            }
        }
        rank += 1;
    }
    rank
}

/// Whether the value of `cell` follows exactly from the sums and the cells not in `unknown`
/// (`unknown[i]`: cell `i` is not shown — hidden, or missing).
pub fn disclosed(unknown: &[bool; CELLS], cell: usize) -> bool {
    let restricted: Vec<[f64; CELLS]> = sums()
        .iter()
        .map(|row| {
            let mut kept = [0.0; CELLS];
            for (i, value) in row.iter().enumerate() {
                if unknown[i] {
                    kept[i] = *value;
                }
            }
            kept
        })
        .collect();
    let mut with_cell = restricted.clone();
    let mut unit = [0.0; CELLS];
    unit[cell] = 1.0;
    with_cell.push(unit);
    rank(restricted) == rank(with_cell)
}

/// What hiding a shown cell costs, least first: its level, then its figure.
fn cost(cells: &YearCells, cell: usize) -> (u8, f64) {
    let level = match cell {
        YEAR => 2,
        c if c >= QUARTERS => 1,
        _ => 0,
    };
    let value = match cells[cell] {
        Figure::Value(v) => v,
        _ => 0.0,
    };
    (level, value)
}

/// The k-element subsets of `items`, in lexicographic order.
fn subsets(items: &[usize], k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        for mut rest in subsets(&items[i + 1..], k - 1) {
            rest.insert(0, first);
            all.push(rest);
        }
    }
    all
}

/// The five sums as (the period, its parts): each quarter and its months, the year and its
/// quarters.
const PARTS: [(usize, [usize; 4]); 5] = [
    (QUARTERS, [0, 1, 2, NONE]),
    (QUARTERS + 1, [3, 4, 5, NONE]),
    (QUARTERS + 2, [6, 7, 8, NONE]),
    (QUARTERS + 3, [9, 10, 11, NONE]),
    (YEAR, [QUARTERS, QUARTERS + 1, QUARTERS + 2, QUARTERS + 3]),
];
/// No cell: pads a quarter's three months to four parts.
const NONE: usize = CELLS;

/// Whether `cell` is pinned to one value by what an outsider knows: the shown figures of
/// `cells`, the five sums, and that each cell not shown is at least its floor (`floors`: 1
/// for a hidden count, which is 1–4 persons' or a partner chosen for being no 0). The bounds
/// of every cell are narrowed through the sums until nothing changes (interval propagation;
/// on this tree of sums it finds each cell's exact range). A cell whose range is one value is
/// disclosed even where the sums alone leave it open: two hidden months whose quarter leaves
/// 2 for them are 1 and 1.
pub fn pinned(cells: &YearCells, floors: &[f64; CELLS], cell: usize) -> bool {
    let shown = |c: usize| match cells[c] {
        Figure::Value(v) => Some(v),
        _ => None,
    };
    let mut low: [f64; CELLS] = std::array::from_fn(|c| shown(c).unwrap_or(floors[c]));
    let mut high: [f64; CELLS] = std::array::from_fn(|c| shown(c).unwrap_or(f64::INFINITY));
    // Each pass can only narrow; a tree of five sums settles within a few passes.
    for _ in 0..CELLS {
        let mut narrowed = false;
        let mut narrow = |bound: &mut f64, to: f64, above: bool| {
            if (above && to > *bound + 1e-9) || (!above && to < *bound - 1e-9) {
                *bound = to;
                narrowed = true;
            }
        };
        for (whole, parts) in PARTS {
            let parts: Vec<usize> = parts.into_iter().filter(|&p| p != NONE).collect();
            let sum = |bounds: &[f64; CELLS], except: Option<usize>| -> f64 {
                parts
                    .iter()
                    .filter(|&&p| Some(p) != except)
                    .map(|&p| bounds[p])
                    .sum()
            };
            let (parts_low, parts_high) = (sum(&low, None), sum(&high, None));
            narrow(&mut low[whole], parts_low, true);
            narrow(&mut high[whole], parts_high, false);
            for &part in &parts {
                let (others_low, others_high) = (sum(&low, Some(part)), sum(&high, Some(part)));
                let (whole_low, whole_high) = (low[whole], high[whole]);
                narrow(&mut low[part], whole_low - others_high, true);
                narrow(&mut high[part], whole_high - others_low, false);
            }
        }
        if !narrowed {
            break;
        }
    }
    high[cell] - low[cell] < 0.5
}

/// Whether an outsider can tell the value of the hidden `cell`: by the sums alone
/// ([`disclosed`]) or with the floors of the hidden cells ([`pinned`]).
fn told(cells: &YearCells, floors: &[f64; CELLS], cell: usize) -> bool {
    let unknown: [bool; CELLS] = std::array::from_fn(|c| !matches!(cells[c], Figure::Value(_)));
    disclosed(&unknown, cell) || pinned(cells, floors, cell)
}

/// Hides ([`Figure::Suppressed`]) shown cells of `cells` until no primary-suppressed cell can
/// be told (the rule in the module's documentation). Returns the cells it hid.
pub fn protect(cells: &mut YearCells) -> Vec<usize> {
    let primary: Vec<usize> = (0..CELLS)
        .filter(|&c| cells[c] == Figure::Suppressed)
        .collect();
    // What an outsider may assume of a hidden cell: a primary one counts 1–4 persons, so at
    // least 1; a partner is chosen for not being 0 (as they may know), unless nothing else
    // would do. Missing figures are at least 0.
    let floors: [f64; CELLS] = std::array::from_fn(|c| match cells[c] {
        Figure::Suppressed => 1.0,
        Figure::Value(v) if v > 0.0 => 1.0,
        _ => 0.0,
    });
    let mut hidden = Vec::new();
    loop {
        let Some(&target) = primary.iter().find(|&&c| told(cells, &floors, c)) else {
            return hidden;
        };
        let shown: Vec<usize> = (0..CELLS)
            .filter(|&c| matches!(cells[c], Figure::Value(_)))
            .collect();
        // A zero is a poor partner: a period with nothing in it (one still to come, say) is
        // known to be 0 by anyone, hidden or not. Zeros are taken only when nothing else will do.
        let nonzero: Vec<usize> = shown
            .iter()
            .copied()
            .filter(|&c| cells[c] != Figure::Value(0.0))
            .collect();
        let undisclosing = |set: &Vec<usize>| {
            let mut trial = *cells;
            for &c in set {
                trial[c] = Figure::Suppressed;
            }
            !told(&trial, &floors, target)
        };
        // The cheapest set of one or two cells that undiscloses the target (three when none
        // does): the lowest levels, then the smallest figures, then the fewest cells, then
        // the earliest.
        let cost_of = |set: &Vec<usize>| {
            let (level, value) = set.iter().fold((0u8, 0.0f64), |(level, value), &c| {
                let (l, v) = cost(cells, c);
                (level + l, value + v)
            });
            (level, value, set.len())
        };
        let choice = [&nonzero, &shown].into_iter().find_map(|pool| {
            // Three cells are tried only when no one or two will do.
            let sets = |sizes: std::ops::RangeInclusive<usize>| {
                sizes
                    .flat_map(|k| subsets(pool, k))
                    .filter(undisclosing)
                    .collect::<Vec<_>>()
            };
            let mut found = sets(1..=2);
            if found.is_empty() {
                found = sets(3..=3);
            }
            found.into_iter().min_by(|a, b| {
                let (a_cost, b_cost) = (cost_of(a), cost_of(b));
                a_cost
                    .0
                    .cmp(&b_cost.0)
                    .then(a_cost.1.total_cmp(&b_cost.1))
                    .then(a_cost.2.cmp(&b_cost.2))
                    .then(a.cmp(b))
            })
        });
        for cell in choice.unwrap_or(shown) {
            cells[cell] = Figure::Suppressed;
            hidden.push(cell);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(months: [Option<f64>; 12]) -> YearCells {
        let figure = |v: Option<f64>| v.map_or(Figure::Suppressed, Figure::Value);
        let mut cells = [Figure::Missing; CELLS];
        for (m, v) in months.iter().enumerate() {
            cells[m] = figure(*v);
        }
        cells
    }

    /// Fills in the quarters and the year from `truth`, hiding those `hide` names.
    fn with_totals(mut cells: YearCells, truth: [f64; 12], hide: &[usize]) -> YearCells {
        for q in 0..4 {
            cells[QUARTERS + q] = Figure::Value(truth[3 * q..3 * q + 3].iter().sum());
        }
        cells[YEAR] = Figure::Value(truth.iter().sum());
        for &c in hide {
            cells[c] = Figure::Suppressed;
        }
        cells
    }

    fn unknown(cells: &YearCells) -> [bool; CELLS] {
        std::array::from_fn(|c| !matches!(cells[c], Figure::Value(_)))
    }

    #[test]
    fn a_month_hidden_alone_in_its_quarter_is_disclosed_and_two_are_not() {
        let truth = [3.0, 7.0, 9.0, 6.0, 8.0, 5.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0];
        let mut months = truth.map(Some);
        months[0] = None;
        let cells = with_totals(year(months), truth, &[]);
        assert!(disclosed(&unknown(&cells), 0));
        let mut two = cells;
        two[1] = Figure::Suppressed;
        assert!(!disclosed(&unknown(&two), 0));
        assert!(!disclosed(&unknown(&two), 1));
    }

    #[test]
    fn a_lone_hidden_month_gets_the_smallest_month_of_its_quarter_as_partner() {
        let truth = [3.0, 9.0, 7.0, 6.0, 8.0, 5.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0];
        let mut months = truth.map(Some);
        months[0] = None;
        let mut cells = with_totals(year(months), truth, &[]);
        assert_eq!(protect(&mut cells), vec![2]);
        assert_eq!(cells[2], Figure::Suppressed);
        // The quarter and the year stay shown; the other months too.
        assert_eq!(cells[QUARTERS], Figure::Value(19.0));
        assert_eq!(cells[YEAR], Figure::Value(92.0));
        assert!(!disclosed(&unknown(&cells), 0));
    }

    #[test]
    fn a_hidden_quarter_is_kept_from_the_year_by_another_quarter_and_one_of_its_months() {
        // Q1 is 3 (its months 0, 2, 1): the quarter is hidden, and so are the months of 1–4.
        let truth = [0.0, 2.0, 1.0, 6.0, 8.0, 5.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0];
        let mut months = truth.map(Some);
        months[1] = None;
        months[2] = None;
        let mut cells = with_totals(year(months), truth, &[QUARTERS]);
        assert!(disclosed(&unknown(&cells), QUARTERS));
        let hid = protect(&mut cells);
        // Another quarter alone would be its months' sum: one of its months goes with it.
        assert_eq!(hid.len(), 2, "{hid:?}");
        assert!(
            hid.iter().any(|&c| (QUARTERS + 1..YEAR).contains(&c)),
            "{hid:?}"
        );
        assert_eq!(cells[YEAR], Figure::Value(76.0));
        for c in [1, 2, QUARTERS] {
            assert!(!disclosed(&unknown(&cells), c), "cell {c}");
        }
    }

    #[test]
    fn nothing_hidden_nothing_changed_and_missing_cells_count_as_unknown() {
        let truth = [5.0; 12];
        let mut cells = with_totals(year(truth.map(Some)), truth, &[]);
        let before = cells;
        assert!(protect(&mut cells).is_empty());
        assert_eq!(cells, before);
        // A month not yet known (a follow-up window still open) and the sums above it:
        // a hidden month beside it is not disclosed by its quarter.
        let mut months = truth.map(Some);
        months[10] = None;
        let mut cells = with_totals(year(months), truth, &[]);
        cells[11] = Figure::Missing;
        cells[QUARTERS + 3] = Figure::Missing;
        cells[YEAR] = Figure::Missing;
        assert!(protect(&mut cells).is_empty());
    }

    #[test]
    fn after_protection_no_primary_cell_is_disclosed_in_any_pattern() {
        // Every pattern of hidden months and quarters a small generator gives: afterwards no
        // cell hidden first is disclosed, and every shown cell kept its figure.
        let mut state = 0x2545_f491_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..400 {
            let truth: [f64; 12] = std::array::from_fn(|_| (next() % 12) as f64);
            let months: [Option<f64>; 12] =
                std::array::from_fn(|m| (!(1.0..5.0).contains(&truth[m])).then_some(truth[m]));
            let quarters: Vec<usize> = (0..4)
                .filter(|q| (1.0..5.0).contains(&truth[3 * q..3 * q + 3].iter().sum::<f64>()))
                .map(|q| QUARTERS + q)
                .collect();
            let mut cells = with_totals(year(months), truth, &quarters);
            let before = cells;
            protect(&mut cells);
            let unknown = unknown(&cells);
            let floors: [f64; CELLS] = std::array::from_fn(|c| match before[c] {
                Figure::Value(0.0) => 0.0,
                _ => 1.0,
            });
            for c in 0..CELLS {
                match before[c] {
                    Figure::Suppressed => {
                        assert!(!disclosed(&unknown, c), "{truth:?} cell {c}");
                        assert!(!pinned(&cells, &floors, c), "{truth:?} cell {c}");
                    }
                    shown => assert!(cells[c] == shown || cells[c] == Figure::Suppressed),
                }
            }
        }
    }

    #[test]
    fn hidden_cells_known_to_be_at_least_1_are_not_left_pinned() {
        // Gnosjö 2025 (the attack review): January 1 and February 1 hidden, March 10 shown,
        // the quarter 12: January + February = 2, each at least 1, so each is 1.
        let mut truth = [0.0; 12];
        truth[0] = 1.0;
        truth[1] = 1.0;
        truth[2] = 10.0;
        let mut months = truth.map(Some);
        months[0] = None;
        months[1] = None;
        let cells = with_totals(year(months), truth, &[]);
        assert!(
            !disclosed(&unknown(&cells), 0),
            "the sums alone leave it open"
        );
        let floors = [1.0; CELLS];
        assert!(pinned(&cells, &floors, 0));
        let mut protected = cells;
        protect(&mut protected);
        assert_eq!(protected[2], Figure::Suppressed, "March goes too");
        assert!(!pinned(&protected, &floors, 0) && !pinned(&protected, &floors, 1));
        // Vaggeryd 2024: June 9, September 1, December 1, the rest 0; the third and fourth
        // quarters (1 each) hidden, the year 11: Q3 + Q4 = 2.
        let mut truth = [0.0; 12];
        truth[5] = 9.0;
        truth[8] = 1.0;
        truth[11] = 1.0;
        let mut months = truth.map(Some);
        months[8] = None;
        months[11] = None;
        let mut cells = with_totals(year(months), truth, &[QUARTERS + 2, QUARTERS + 3]);
        let hid = protect(&mut cells);
        assert!(!hid.is_empty());
        let floors: [f64; CELLS] = std::array::from_fn(|c| {
            if c == YEAR || truth.get(c).is_some_and(|v| *v > 0.0) || c >= QUARTERS {
                1.0
            } else {
                0.0
            }
        });
        for c in [8, 11, QUARTERS + 2, QUARTERS + 3] {
            assert!(!pinned(&cells, &floors, c), "cell {c}: {hid:?}");
        }
    }

    /// Attack review: Nässjö's SIP share was hidden for January and February and shown as 0.0
    /// for the first quarter, which told that neither hidden month had a SIP.
    #[test]
    fn a_share_or_mean_at_its_bound_is_hidden_when_it_holds_a_hidden_cell() {
        let share = |v: f64| v <= 0.0 || v >= 1.0;
        let mut cells: YearCells = [Figure::Value(0.5); CELLS];
        cells[0] = Figure::Suppressed;
        cells[1] = Figure::Suppressed;
        cells[QUARTERS] = Figure::Value(0.0);
        cells[QUARTERS + 1] = Figure::Value(1.0);
        cells[YEAR] = Figure::Value(0.25);
        assert_eq!(protect_bounds(&mut cells, share), [QUARTERS]);
        assert_eq!(cells[QUARTERS], Figure::Suppressed);
        assert_eq!(
            cells[QUARTERS + 1],
            Figure::Value(1.0),
            "no hidden month in it"
        );
        assert_eq!(cells[YEAR], Figure::Value(0.25), "not at a bound");
        cells[YEAR] = Figure::Value(0.0);
        assert_eq!(protect_bounds(&mut cells, share), [YEAR]);
        let mut none_hidden: YearCells = [Figure::Value(0.0); CELLS];
        assert!(protect_bounds(&mut none_hidden, share).is_empty());
    }

    #[test]
    fn cells_are_found_by_period_and_first_day() {
        let day = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap_or_default();
        assert_eq!(cell_of(Period::Month, day(1)), 0);
        assert_eq!(cell_of(Period::Month, day(12)), 11);
        assert_eq!(cell_of(Period::Quarter, day(4)), 13);
        assert_eq!(cell_of(Period::Quarter, day(10)), 15);
        assert_eq!(cell_of(Period::Year, day(1)), YEAR);
    }
}
