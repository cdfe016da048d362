//! A computed chart (`domain::chart::Chart`) drawn as an SVG picture with `plotters`' SVG
//! backend: 800 × 400 px, title, dated x axis, y axis with its unit, the values as points and
//! line, the centre line, the control limits (dashed), signal points marked (larger, red),
//! annotations at their dates, and part boundaries (dotted vertical lines with the part's
//! start date). The text is SVG `<text>`, so the picture needs no font on the server.

use chrono::{Days, NaiveDate};
use domain::chart::{Chart, ChartPoint};
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// Width and height of the picture in pixels.
pub const SVG_SIZE: (u32, u32) = (800, 400);
/// Media type of the picture.
pub const SVG_CONTENT_TYPE: &str = "image/svg+xml";

/// Radius of a plotted value, and of a value that triggers a rule.
const POINT_RADIUS: u32 = 3;
const SIGNAL_RADIUS: u32 = 6;
const VALUE_COLOUR: RGBColor = RGBColor(31, 90, 160);
const CENTRE_COLOUR: RGBColor = RGBColor(60, 60, 60);
const LIMIT_COLOUR: RGBColor = RGBColor(150, 150, 150);
const SIGNAL_COLOUR: RGBColor = RGBColor(200, 30, 30);
const BOUNDARY_COLOUR: RGBColor = RGBColor(110, 110, 110);
/// The height of a line of notes, in pixels.
const NOTE_LINE_PX: i32 = 13;

/// What the picture says besides the numbers.
#[derive(Debug, Clone, Default)]
pub struct ChartLabels {
    pub title: String,
    /// The y axis' description, e.g. `days` or `share of discharges`.
    pub unit: String,
    /// Notes shown at their dates (a data point's annotation, a PDSA change).
    pub annotations: Vec<(NaiveDate, String)>,
}

/// The picture could not be drawn (a fault of ours, never of the data: every chart the
/// engine computes can be drawn).
#[derive(Debug, thiserror::Error)]
#[error("chart not drawn: {0}")]
pub struct RenderError(String);

fn failed(error: impl std::fmt::Display) -> RenderError {
    RenderError(error.to_string())
}

/// The chart as an SVG document (UTF-8, well-formed XML).
pub fn render_svg(chart: &Chart, labels: &ChartLabels) -> Result<String, RenderError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SVG_SIZE).into_drawing_area();
        draw(&root, chart, labels)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A picture with the title and "no figures" in place of a chart: a series with no point to
/// plot (every month suppressed or empty).
pub fn render_empty_svg(labels: &ChartLabels) -> Result<String, RenderError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SVG_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let area = root
            .titled(&labels.title, ("sans-serif", 20))
            .map_err(failed)?;
        area.draw(&Text::new(
            "No figures to chart in this span",
            (SVG_SIZE.0 as i32 / 2 - 110, SVG_SIZE.1 as i32 / 2 - 20),
            ("sans-serif", 16).into_font(),
        ))
        .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
    labels: &ChartLabels,
) -> Result<(), RenderError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(failed)?;
    let (Some(first), Some(last)) = (chart.points.first(), chart.points.last()) else {
        return Err(RenderError("a chart without points".into()));
    };
    let span = (last.date - first.date).num_days();
    let pad = Days::new(u64::try_from(span / 30).unwrap_or(0).max(1));
    let x_range = first.date.checked_sub_days(pad).unwrap_or(first.date)
        ..last.date.checked_add_days(pad).unwrap_or(last.date);
    let y_range = y_extent(&chart.points);
    let builder = |root| {
        let mut builder = ChartBuilder::on(root);
        builder
            .caption(&labels.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64);
        builder
    };
    // Over two months and more the x axis is ticked at the first of a month (every month, or
    // every 2nd, 3rd, … as room allows: plotters' `Monthly`), labelled YYYY-MM; a shorter
    // chart is ticked by day or week, labelled with the date.
    if span >= MONTHLY_TICKS_FROM_DAYS {
        let plot = builder(root)
            .build_cartesian_2d(x_range.monthly(), y_range.0..y_range.1)
            .map_err(failed)?;
        draw_on(plot, chart, labels, y_range, "%Y-%m")
    } else {
        let plot = builder(root)
            .build_cartesian_2d(x_range, y_range.0..y_range.1)
            .map_err(failed)?;
        draw_on(plot, chart, labels, y_range, "%Y-%m-%d")
    }
}

/// The shortest span (first to last point, in days) whose x axis is ticked by month.
const MONTHLY_TICKS_FROM_DAYS: i64 = 62;

/// The mesh, lines, points, notes and legend of `chart` on `plot`, whose x axis is dated.
fn draw_on<'a, DB, X>(
    mut plot: ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    chart: &Chart,
    labels: &ChartLabels,
    (y_low, y_high): (f64, f64),
    date_format: &str,
) -> Result<(), RenderError>
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = NaiveDate> + ValueFormatter<NaiveDate>,
{
    let first_date = chart.points.first().map(|p| p.date).unwrap_or_default();
    let last_date = chart.points.last().map(|p| p.date).unwrap_or_default();
    let date_label = |date: &NaiveDate| date.format(date_format).to_string();
    plot.configure_mesh()
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&date_label)
        .x_desc("Date")
        .y_desc(&labels.unit)
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(failed)?;

    for (index, part) in chart.parts.iter().enumerate() {
        let points = &chart.points[part.first_point..=part.last_point];
        let xy = |value: fn(&ChartPoint) -> Option<f64>| -> Vec<(NaiveDate, f64)> {
            points
                .iter()
                .filter_map(|p| value(p).map(|v| (p.date, v)))
                .collect()
        };
        let centre = xy(|p| p.centre);
        let centre_series = plot
            .draw_series(LineSeries::new(centre, CENTRE_COLOUR.stroke_width(2)))
            .map_err(failed)?;
        if index == 0 {
            centre_series.label("Centre").legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], CENTRE_COLOUR.stroke_width(2))
            });
        }
        for (n, limit) in [xy(|p| p.upper), xy(|p| p.lower)].into_iter().enumerate() {
            if limit.is_empty() {
                continue;
            }
            let drawn = plot
                .draw_series(DashedLineSeries::new(
                    limit,
                    6,
                    4,
                    LIMIT_COLOUR.stroke_width(1),
                ))
                .map_err(failed)?;
            if index == 0 && n == 0 {
                drawn.label("Limits").legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], LIMIT_COLOUR.stroke_width(1))
                });
            }
        }
        if index > 0 {
            let x = part.start;
            plot.draw_series(DashedLineSeries::new(
                [(x, y_low), (x, y_high)],
                2,
                3,
                BOUNDARY_COLOUR.stroke_width(1),
            ))
            .map_err(failed)?;
            plot.draw_series(std::iter::once(Text::new(
                format!("part {} from {}", index + 1, part.start),
                (x, y_high),
                ("sans-serif", 11).into_font().color(&BOUNDARY_COLOUR),
            )))
            .map_err(failed)?;
        }
        // The values of each part as one line, so the line breaks at a boundary.
        let values = xy(|p| p.value);
        let value_series = plot
            .draw_series(LineSeries::new(values, VALUE_COLOUR.stroke_width(2)))
            .map_err(failed)?;
        if index == 0 {
            value_series
                .label("Values")
                .legend(|(x, y)| Circle::new((x + 8, y), POINT_RADIUS, VALUE_COLOUR.filled()));
        }
    }

    plot.draw_series(chart.points.iter().filter_map(|p| {
        let value = p.value?;
        let signal = !p.rules.is_empty();
        Some(Circle::new(
            (p.date, value),
            if signal { SIGNAL_RADIUS } else { POINT_RADIUS },
            if signal {
                SIGNAL_COLOUR.filled()
            } else {
                VALUE_COLOUR.filled()
            },
        ))
    }))
    .map_err(failed)?;

    // Notes at one date are stacked a line apart (a data point's note and a PDSA change
    // often share a date), each a few pixels right of its point.
    let mut at_date: Vec<NaiveDate> = Vec::new();
    // A note dated outside the points (a change point still to come) has no place on the
    // axis; drawn at its edge, notes fell on each other and off the picture (trial).
    for (date, note) in &labels.annotations {
        if *date < first_date || *date > last_date {
            continue;
        }
        let at = chart
            .points
            .iter()
            .find(|p| p.date == *date)
            .and_then(|p| p.value)
            .unwrap_or(y_high);
        let line = at_date.iter().filter(|d| *d == date).count();
        at_date.push(*date);
        let offset = i32::try_from(line).unwrap_or(0) * NOTE_LINE_PX;
        plot.draw_series(std::iter::once(
            EmptyElement::at((*date, at))
                + Text::new(
                    note.clone(),
                    (4, offset - NOTE_LINE_PX),
                    ("sans-serif", 11).into_font().color(&BLACK),
                ),
        ))
        .map_err(failed)?;
    }

    if chart.has_signal() {
        plot.draw_series(std::iter::empty::<Circle<(NaiveDate, f64), u32>>())
            .map_err(failed)?
            .label("Signal")
            .legend(|(x, y)| Circle::new((x + 8, y), SIGNAL_RADIUS, SIGNAL_COLOUR.filled()));
    }
    plot.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(LIMIT_COLOUR)
        .label_font(("sans-serif", 11))
        .draw()
        .map_err(failed)?;
    Ok(())
}

/// The y range: every value, centre and limit, with 8 % room below and 30 % above for the
/// legend and the notes (a flat series gets ±1 around its value).
fn y_extent(points: &[ChartPoint]) -> (f64, f64) {
    let numbers = points
        .iter()
        .flat_map(|p| [p.value, p.centre, p.lower, p.upper])
        .flatten()
        .filter(|v| v.is_finite());
    let (low, high) = numbers.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() || !high.is_finite() {
        return (0.0, 1.0);
    }
    if (high - low).abs() < f64::EPSILON {
        return (low - 1.0, high + 1.0);
    }
    let spread = high - low;
    // Figures are bounded (±10^12, `domain::improvement::measure::MAX_MAGNITUDE`); a range
    // that still overflows would make the axis infinite and its ticks endless.
    if !(spread * 1.38).is_finite() {
        return (-1.0, 1.0);
    }
    (low - spread * 0.08, high + spread * 0.3)
}

#[cfg(test)]
mod tests {
    use domain::chart::{ChartKind, ChartRequest, Observation, Observed, compute};

    use super::*;

    fn chart(kind: ChartKind, values: &[f64], splits: Vec<NaiveDate>) -> Chart {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let observations: Vec<Observation> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| Observation {
                date: start
                    .checked_add_days(Days::new(i as u64 * 30))
                    .unwrap_or_default(),
                observed: Observed::Value(v),
            })
            .collect();
        compute(
            &observations,
            &ChartRequest {
                kind,
                baseline: None,
                splits,
            },
        )
        .unwrap_or_else(|e| panic!("chart: {e}"))
    }

    fn svg(chart: &Chart, labels: &ChartLabels) -> String {
        render_svg(chart, labels).unwrap_or_else(|e| panic!("{e}"))
    }

    fn texts(document: &roxmltree::Document) -> Vec<String> {
        document
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(|t| t.trim().to_owned()))
            .collect()
    }

    #[test]
    fn an_overflowing_range_still_gives_a_finite_axis() {
        let point = |value: f64| ChartPoint {
            date: NaiveDate::default(),
            value: Some(value),
            centre: None,
            lower: None,
            upper: None,
            part: 0,
            baseline: false,
            rules: Vec::new(),
        };
        let (low, high) = y_extent(&[point(1e308), point(-1e308)]);
        assert!(low.is_finite() && high.is_finite() && low < high);
    }

    #[test]
    fn the_picture_is_well_formed_800_by_400_svg_with_title_unit_and_dates() {
        let c = chart(
            ChartKind::Run,
            &[5.0, 6.0, 5.0, 7.0, 6.0, 5.0, 6.0, 7.0, 5.0, 6.0, 6.0, 5.0],
            vec![],
        );
        let labels = ChartLabels {
            title: "Days from ready & <discharge> in \"Eksjö\"".into(),
            unit: "days".into(),
            annotations: vec![(c.points[3].date, "PDSA 1: ring dagen före".into())],
        };
        let text = svg(&c, &labels);
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let root = document.root_element();
        assert!(root.has_tag_name("svg"));
        assert_eq!(root.attribute("width"), Some("800"));
        assert_eq!(root.attribute("height"), Some("400"));
        let texts = texts(&document);
        assert!(
            texts
                .iter()
                .any(|t| t == "Days from ready & <discharge> in \"Eksjö\"")
        );
        assert!(texts.iter().any(|t| t == "days"));
        assert!(texts.iter().any(|t| t.starts_with("2026-")), "{texts:?}");
        assert!(texts.iter().any(|t| t == "PDSA 1: ring dagen före"));
    }

    #[test]
    fn signal_points_are_marked_and_part_boundaries_labelled() {
        let values = [
            10.0, 11.0, 10.0, 12.0, 11.0, 10.0, 30.0, 31.0, 30.0, 32.0, 31.0, 30.0,
        ];
        let c = chart(ChartKind::I, &values, vec![]);
        let signal_points = c.points.iter().filter(|p| !p.rules.is_empty()).count();
        assert!(signal_points > 0);
        let text = svg(&c, &ChartLabels::default());
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let circles: Vec<_> = document
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .collect();
        let big = circles
            .iter()
            .filter(|n| n.attribute("r") == Some(&SIGNAL_RADIUS.to_string()[..]))
            .count();
        // Every signal point, plus the legend's marker.
        assert_eq!(big, signal_points + 1);

        let split = c.points[6].date;
        let parts = chart(ChartKind::I, &values, vec![split]);
        let text = svg(&parts, &ChartLabels::default());
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            texts(&document)
                .iter()
                .any(|t| t == &format!("part 2 from {split}"))
        );
    }

    /// Field trial (issue 13): the x ticks fell between months (2026-02-20, 2026-04-11, …);
    /// a chart over months is ticked on the first of a month, a short one by date.
    #[test]
    fn the_x_axis_is_ticked_by_month_over_months_and_by_date_over_days() {
        let is_month = |t: &str| {
            t.len() == 7 && NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").is_ok()
        };
        let is_date = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
        let months = chart(
            ChartKind::Run,
            &[3.0, 4.0, 2.0, 5.0, 4.0, 3.0, 6.0, 5.0, 4.0, 5.0, 3.0, 4.0],
            vec![],
        );
        let text = svg(&months, &ChartLabels::default());
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let shown = texts(&document);
        let ticks: Vec<&String> = shown.iter().filter(|t| is_month(t)).collect();
        assert!(ticks.len() >= 4, "{shown:?}");
        assert!(
            !shown.iter().any(|t| is_date(t)),
            "no tick between months: {shown:?}"
        );
        let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let days: Vec<Observation> = (0..10)
            .map(|i| Observation {
                date: start + chrono::Duration::days(i),
                observed: Observed::Value(f64::from(i as u8 % 3)),
            })
            .collect();
        let request = ChartRequest {
            kind: ChartKind::Run,
            baseline: None,
            splits: vec![],
        };
        let short = compute(&days, &request).unwrap_or_else(|e| panic!("chart: {e}"));
        let text = svg(&short, &ChartLabels::default());
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let shown = texts(&document);
        assert!(
            shown.iter().filter(|t| is_date(t)).count() >= 2,
            "{shown:?}"
        );
        assert!(!shown.iter().any(|t| is_month(t)), "{shown:?}");
    }

    #[test]
    fn a_flat_single_point_chart_is_drawn() {
        let c = chart(ChartKind::C, &[0.0], vec![]);
        let text = svg(&c, &ChartLabels::default());
        assert!(roxmltree::Document::parse(&text).is_ok());
    }
}
