//! Wire types of measures (`/api/v1/measures/{id}`) and their data points, JSON and CSV.

use chrono::{DateTime, NaiveDate, Utc};
use domain::improvement::measure::{
    self as rules, DataPoint, DataPointRevision, Figure, IndicatorBinding, Measure, NewMeasure,
    Observation, PointInput, PointRow,
};
use domain::improvement::{MAX_STORY_CHARS, MAX_TITLE_CHARS};
use domain::{FieldProblems, InvalidValue, MunicipalityCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{plausible_date, required_story};
use crate::indicator::IndicatorName;
use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

/// The media type of a CSV bulk add.
pub const CSV_CONTENT_TYPE: &str = "text/csv";
/// Largest CSV body: 5,000 rows of about 100 bytes, with room to spare.
pub const MAX_CSV_BYTES: usize = 1024 * 1024;

wire_enum! {
    /// `outcome` (the aim's result), `process` (is the change carried out) or `balancing`
    /// (does it cause problems elsewhere).
    MeasureType => improvement::measure::MeasureType { Outcome, Process, Balancing }
}

wire_enum! {
    /// `count` (C chart; `value`, whole ≥ 0), `proportion` (P chart; `numerator` ≤
    /// `denominator`, whole numbers, denominator ≥ 1), `rate` (U chart; `numerator` whole ≥ 0
    /// per `denominator` > 0, shown × `rate_multiplier`) or `measurement` (I chart; `value`).
    ValueKind => improvement::measure::ValueKind { Count, Proportion, Rate, Measurement }
}

wire_enum! {
    /// Which way is better.
    Direction => improvement::measure::Direction { Increase, Decrease }
}

wire_enum! {
    /// What a revision recorded.
    RevisionKind => improvement::measure::RevisionKind { Added, Corrected, Deleted }
}

/// Adds a measure to a project.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeasureRequest {
    #[schema(
        example = "Återinskrivna inom 30 dagar",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub name: String,
    /// Exactly what is counted or measured, how and from which source.
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub operational_definition: String,
    #[schema(value_type = MeasureType)]
    pub measure_type: String,
    /// The y axis's unit (`%`, `dagar`, `per 1000 vårddygn`).
    #[schema(
        example = "%",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>"
    )]
    pub unit_of_measure: String,
    #[schema(value_type = ValueKind)]
    pub value_kind: String,
    /// Rates only: shown per this many units of the denominator (default 1).
    #[schema(exclusive_minimum = 0, maximum = 1e12)]
    pub rate_multiplier: Option<f64>,
    #[schema(value_type = Direction)]
    pub direction: String,
    /// The aim's value, in the measure's unit.
    #[schema(minimum = -1e12, maximum = 1e12)]
    pub target: Option<f64>,
    /// Binds the measure to a network indicator (with `municipality`): its data points are
    /// then the indicator's monthly figures in that municipality, from twelve months before
    /// the project's start to its end or today, read-only (adding points is 409). A bound
    /// measure is a `count` or a `measurement` (else 422 `value_kind`).
    #[schema(value_type = Option<IndicatorName>)]
    pub indicator: Option<String>,
    /// The municipality (code) of the bound indicator; given with `indicator` only.
    #[schema(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
}

impl CreateMeasureRequest {
    pub fn into_domain(self, today: NaiveDate) -> Result<NewMeasure, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let e = &mut errors;
        let name = required_story(e, "name", &self.name, MAX_TITLE_CHARS, today);
        let definition = required_story(
            e,
            "operational_definition",
            &self.operational_definition,
            MAX_STORY_CHARS,
            today,
        );
        let measure_type = e.check(
            "measure_type",
            rules::MeasureType::parse(&self.measure_type),
        );
        let unit = required_story(
            e,
            "unit_of_measure",
            &self.unit_of_measure,
            MAX_TITLE_CHARS,
            today,
        );
        let value_kind = e.check("value_kind", rules::ValueKind::parse(&self.value_kind));
        let direction = e.check("direction", rules::Direction::parse(&self.direction));
        let binding = indicator_binding(e, self.indicator.as_deref(), self.municipality.as_deref());
        let (
            Some(name),
            Some(operational_definition),
            Some(measure_type),
            Some(unit_of_measure),
            Some(value_kind),
            Some(direction),
            Some(indicator),
        ) = (
            name,
            definition,
            measure_type,
            unit,
            value_kind,
            direction,
            binding,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(NewMeasure {
            name,
            operational_definition,
            measure_type,
            unit_of_measure,
            value_kind,
            rate_multiplier: self.rate_multiplier,
            direction,
            target: self.target,
            indicator,
        })
    }
}

/// The indicator binding of a new measure: both `indicator` and `municipality`, or neither
/// (each problem named).
fn indicator_binding(
    errors: &mut FieldErrors,
    indicator: Option<&str>,
    municipality: Option<&str>,
) -> Option<Option<IndicatorBinding>> {
    let indicator = errors.check_optional("indicator", indicator, |name| {
        domain::indicator::IndicatorName::parse(name).map_err(|_| {
            InvalidValue::new("is not an indicator's name (see `GET /api/v1/indicators`)")
        })
    });
    let municipality = errors.check_optional("municipality", municipality, MunicipalityCode::parse);
    match (indicator?, municipality?) {
        (None, None) => Some(None),
        (Some(indicator), Some(municipality)) => Some(Some(IndicatorBinding {
            indicator,
            municipality,
        })),
        (Some(_), None) => {
            errors.push(
                "municipality",
                "a bound measure names the indicator's municipality",
            );
            None
        }
        (None, Some(_)) => {
            errors.push(
                "indicator",
                "a municipality is given only with an `indicator`",
            );
            None
        }
    }
}

/// A measure of an improvement project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureResponse {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    pub operational_definition: String,
    pub measure_type: MeasureType,
    pub unit_of_measure: String,
    pub value_kind: ValueKind,
    /// 1 unless a rate is shown per more units.
    pub rate_multiplier: f64,
    pub direction: Direction,
    pub target: Option<f64>,
    /// The network indicator whose monthly figures are its data points (read-only), if bound.
    pub indicator: Option<IndicatorName>,
    /// The bound indicator's municipality (code).
    pub municipality: Option<&'static str>,
    /// The `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Measure> for MeasureResponse {
    fn from(m: Measure) -> Self {
        Self {
            id: m.id,
            project_id: m.project_id,
            name: m.name.as_str().to_owned(),
            operational_definition: m.operational_definition.as_str().to_owned(),
            measure_type: m.measure_type.into(),
            unit_of_measure: m.unit_of_measure.as_str().to_owned(),
            value_kind: m.value_kind.into(),
            rate_multiplier: m.rate_multiplier,
            direction: m.direction.into(),
            target: m.target,
            indicator: m.indicator.map(|b| b.indicator.into()),
            municipality: m.indicator.map(|b| b.municipality.as_str()),
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// One data point as sent: `value` for counts and measurements, `numerator` and
/// `denominator` for proportions and rates.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataPointBody {
    /// The period the figure is for, named by its first day (`2027-01-01` for January).
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", example = "2027-01-01")]
    pub period: NaiveDate,
    /// A count or a measurement, within ±10^12.
    #[schema(minimum = -1e12, maximum = 1e12)]
    pub value: Option<f64>,
    #[schema(minimum = 0, maximum = 1e12)]
    pub numerator: Option<f64>,
    #[schema(minimum = 0, maximum = 1e12)]
    pub denominator: Option<f64>,
    /// A note shown on the chart (no personal number).
    #[schema(
        example = "Ny rutin för telefonsamtal",
        min_length = 1,
        max_length = 500,
        pattern = "<free-text>"
    )]
    pub annotation: Option<String>,
}

impl DataPointBody {
    fn input(&self, errors: &mut FieldErrors, field: &'static str) -> PointInput {
        PointInput {
            period: errors.check(field, plausible_date(self.period)),
            value: self.value,
            numerator: self.numerator,
            denominator: self.denominator,
            annotation: self.annotation.clone(),
        }
    }
}

/// Adds data points, all or none.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddDataPointsRequest {
    /// 1 to 5,000 points; each period once (and not one the measure already has).
    #[schema(min_items = 1, max_items = 5000)]
    pub points: Vec<DataPointBody>,
}

/// The points of a bulk add, or every problem of every row (`points[3].numerator`, or for CSV
/// `row 4: numerator`, counting the header as row 1).
pub fn observe_points(
    measure: &Measure,
    rows: &[PointRow],
    taken: &[NaiveDate],
    today: NaiveDate,
) -> Result<Vec<Observation>, ValidationFailed> {
    measure
        .observe_all(rows, taken, today)
        .map_err(ValidationFailed::from)
}

impl AddDataPointsRequest {
    /// The points as rows named `points[i].`; an implausible period is that row's problem.
    pub fn into_rows(self) -> Vec<PointRow> {
        self.points
            .into_iter()
            .enumerate()
            .map(|(i, point)| {
                let prefix = format!("points[{i}].");
                let input = match plausible_date(point.period) {
                    Ok(period) => Ok(PointInput {
                        period: Some(period),
                        value: point.value,
                        numerator: point.numerator,
                        denominator: point.denominator,
                        annotation: point.annotation,
                    }),
                    Err(e) => {
                        let mut problems = FieldProblems::default();
                        problems.push(format!("{prefix}period"), e.message);
                        Err(problems)
                    }
                };
                let period = input.as_ref().ok().and_then(|i| i.period);
                PointRow {
                    prefix,
                    period,
                    input,
                }
            })
            .collect()
    }
}

/// A number as a CSV cell holds it: empty for none, a decimal point, or a decimal comma when
/// `;` is between cells. With `,` between cells a comma in a (quoted) number is refused: an
/// English export's `"1,000"` is a thousand, a Swedish one's a one (attack review: stored as 1).
fn csv_number(cell: &str, delimiter: u8) -> Result<Option<f64>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    if delimiter == b',' && cell.contains(',') {
        return Err(format!(
            "`{cell}` is ambiguous with `,` between cells (a thousands separator or a decimal \
             comma?): write decimals with a point (1.5), or put `;` between cells to write \
             decimal commas"
        ));
    }
    cell.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or_else(|| format!("`{cell}` is not a number"))
}

/// The columns a CSV bulk add may have; `period` is required, the others as the value kind
/// needs them.
const CSV_COLUMNS: [&str; 5] = ["period", "value", "numerator", "denominator", "annotation"];

/// Why `raw`, one record's bytes as sent (with its line end), breaks RFC 4180's quoting
/// (§2: a quoted cell ends at a quote followed by the delimiter or the line's end, a quote
/// inside it is doubled, and a cell that is not quoted holds no quote), or `None`. Spaces and
/// tabs after a closing quote are let pass, as cells are trimmed. The csv crate reads all of
/// these leniently and has no strict mode (decision 0026).
fn quoting_problem(raw: &[u8], delimiter: u8) -> Option<&'static str> {
    #[derive(PartialEq)]
    enum At {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterQuoted,
    }
    let mut at = At::CellStart;
    for &byte in raw {
        let ends_cell = byte == delimiter || byte == b'\r' || byte == b'\n';
        at = match at {
            At::CellStart if byte == b'"' => At::Quoted,
            At::CellStart | At::Unquoted if ends_cell => At::CellStart,
            At::CellStart | At::Unquoted if byte == b'"' => {
                return Some(
                    "a quote (\") inside a cell that is not quoted: quote the whole cell and \
                     write the quote twice (\"\"), as RFC 4180 does",
                );
            }
            At::CellStart | At::Unquoted => At::Unquoted,
            At::Quoted if byte == b'"' => At::QuoteInQuoted,
            At::Quoted => At::Quoted,
            At::QuoteInQuoted if byte == b'"' => At::Quoted,
            At::QuoteInQuoted | At::AfterQuoted if ends_cell => At::CellStart,
            At::QuoteInQuoted | At::AfterQuoted if byte == b' ' || byte == b'\t' => At::AfterQuoted,
            At::QuoteInQuoted | At::AfterQuoted => {
                return Some(
                    "text after a quoted cell's closing quote: a quote inside a quoted cell \
                     is written twice (\"\"), as RFC 4180 does",
                );
            }
        };
    }
    (at == At::Quoted).then_some(
        "a quoted cell is not closed: its closing quote (\") is missing before the end of \
         the file",
    )
}

/// Why the csv crate could not read a record, in the API's words (its own name the crate's
/// record count and byte offset): a row with more or fewer cells than the header, a cell that
/// is not UTF-8 (named by its column).
fn unreadable_record(error: &csv::Error, headers: &csv::StringRecord) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} cells; the header row has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "the `{}` cell is not UTF-8 text; send the file as UTF-8",
            headers.get(err.field()).unwrap_or("?")
        ),
        _ => "cannot be read as CSV".into(),
    }
}

/// Parses a CSV bulk add: a header row naming the columns (`period`, and `value` or
/// `numerator`,`denominator`, optionally `annotation`, in any order), then one data point per
/// row. The delimiter is `,` or `;` (as Swedish spreadsheets write it; the header decides),
/// numbers take a decimal point or comma, periods are `YYYY-MM-DD`. Every problem names its
/// row, the header being row 1: `row 3: period`; a row with a cell that cannot be read brings
/// that problem to [`observe_points`], which names the other rows' problems too. Rows are
/// counted as lines (a blank line counts; a row whose quoted cell spans lines is named by its
/// first). Quoting is RFC 4180's ([`quoting_problem`]): a quoted cell never closed, text after
/// a closing quote or a quote in an unquoted cell is a problem of that row, never read on
/// into the rows after it. Err only when the header row is wrong.
pub fn parse_points_csv(body: &[u8]) -> Result<Vec<PointRow>, ValidationFailed> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let header_line = body.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if header_line.contains(&b';') && !header_line.contains(&b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(body);
    let mut errors = FieldErrors::default();
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            errors.push("row 1", format!("the header row cannot be read: {error}"));
            return Err(errors.into_failure());
        }
    };
    // The header's own quoting (an unclosed quote there would read the whole file as names).
    let header_end = reader.position().byte();
    let header_bytes = body
        .get(..usize::try_from(header_end).unwrap_or(body.len()))
        .unwrap_or(body);
    if let Some(problem) = quoting_problem(header_bytes, delimiter) {
        errors.push("row 1", problem);
        return Err(errors.into_failure());
    }
    // A header of more columns than there are names is refused as one problem, not one per
    // cell (attack review: a million commas answered with 127 MB of errors).
    if headers.len() > MAX_CSV_COLUMNS {
        errors.push(
            "row 1",
            format!(
                "the header row has {} columns; the columns are {} (at most {MAX_CSV_COLUMNS})",
                headers.len(),
                CSV_COLUMNS.join(", ")
            ),
        );
        return Err(errors.into_failure());
    }
    let mut columns = [None; 5];
    for (index, name) in headers.iter().enumerate() {
        match CSV_COLUMNS
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
        {
            Some(at) if columns[at].is_none() => columns[at] = Some(index),
            Some(_) => errors.push("row 1", format!("the column `{name}` is named twice")),
            None => errors.push(
                "row 1",
                format!(
                    "unknown column `{name}`; the columns are {}",
                    CSV_COLUMNS.join(", ")
                ),
            ),
        }
    }
    if columns[0].is_none() {
        errors.push("row 1", "the header row must name a `period` column");
    }
    if !errors.is_empty() {
        return Err(errors.into_failure());
    }
    // Each record with its position, so its raw text can be checked against RFC 4180's
    // quoting, which the csv crate does not enforce: it reads an unclosed quoted cell to the
    // end of the file (every later row lost in one annotation) and glues text after a
    // closing quote onto the cell (`"1"2` read as 12).
    let records: Vec<_> = reader
        .records()
        .map(|record| {
            let position = match &record {
                Ok(record) => record.position().cloned(),
                Err(error) => error.position().cloned(),
            };
            (position, record)
        })
        .collect();
    let mut rows = Vec::with_capacity(records.len());
    // Lines counted here, as an editor counts them (CRLF, LF or a lone CR each end one): the
    // crate counts LF only.
    let mut lines = LineCounter::default();
    for (index, (position, record)) in records.iter().enumerate() {
        let end = records
            .get(index + 1)
            .and_then(|(next, _)| next.as_ref().map(csv::Position::byte))
            .unwrap_or(body.len() as u64);
        let raw = position
            .as_ref()
            .and_then(|p| body.get(usize::try_from(p.byte()).ok()?..usize::try_from(end).ok()?));
        // Rows are counted as lines, the header being row 1, so a blank line counts too (the
        // crate's position of a record after blank lines is the first blank one).
        let blank = raw.map_or(0, |raw| {
            raw.iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count()
        });
        let row = position.as_ref().map_or(index as u64 + 2, |p| {
            let start = usize::try_from(p.byte()).unwrap_or(body.len());
            lines.line_at(body, start + blank)
        });
        let prefix = format!("row {row}: ");
        let mut problems = FieldProblems::default();
        let unreadable = match (raw.and_then(|raw| quoting_problem(raw, delimiter)), record) {
            (Some(problem), _) => Some(problem.to_owned()),
            (None, Err(error)) => Some(unreadable_record(error, &headers)),
            (None, Ok(_)) => None,
        };
        let record = match (unreadable, record) {
            (None, Ok(record)) => record,
            (problem, _) => {
                problems.push(
                    format!("row {row}"),
                    problem.unwrap_or_else(|| "cannot be read".into()),
                );
                rows.push(PointRow {
                    prefix,
                    period: None,
                    input: Err(problems),
                });
                continue;
            }
        };
        let cell = |column: usize| columns[column].and_then(|i| record.get(i)).unwrap_or("");
        let mut input = PointInput::default();
        let period = cell(0);
        let mut read_period = None;
        if !period.is_empty() {
            match period.parse::<NaiveDate>().ok().map(plausible_date) {
                Some(Ok(date)) => {
                    input.period = Some(date);
                    read_period = Some(date);
                }
                _ => problems.push(
                    format!("{prefix}period"),
                    format!("`{period}` is not a date (YYYY-MM-DD) between 1900 and 2199"),
                ),
            }
        }
        for (column, name, slot) in [
            (1, "value", &mut input.value),
            (2, "numerator", &mut input.numerator),
            (3, "denominator", &mut input.denominator),
        ] {
            match csv_number(cell(column), delimiter) {
                Ok(number) => *slot = number,
                Err(message) => problems.push(format!("{prefix}{name}"), message),
            }
        }
        // A line break inside a quoted cell is CRLF as RFC 4180 writes it, LF as the
        // annotation keeps it.
        let annotation = cell(4).replace("\r\n", "\n");
        input.annotation = (!annotation.is_empty()).then_some(annotation);
        let input = if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        };
        rows.push(PointRow {
            prefix,
            period: read_period,
            input,
        });
    }
    Ok(rows)
}

/// The most columns a CSV header may name: the five names, with room for a spreadsheet's
/// empty trailing ones.
const MAX_CSV_COLUMNS: usize = 16;

/// Counts lines through a body as records are met in order, each count resuming where the
/// last stopped (so a file is scanned once).
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: u64,
    after_cr: bool,
}

impl LineCounter {
    /// The 1-based line of byte `offset` of `body` (at or after the last offset asked).
    fn line_at(&mut self, body: &[u8], offset: usize) -> u64 {
        for &byte in body.get(self.at..offset).unwrap_or_default() {
            match byte {
                b'\n' if self.after_cr => {}
                b'\n' | b'\r' => self.line += 1,
                _ => {}
            }
            self.after_cr = byte == b'\r';
        }
        self.at = self.at.max(offset);
        self.line + 1
    }
}

/// A data point as it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataPointResponse {
    pub id: Uuid,
    pub measure_id: Uuid,
    pub period: NaiveDate,
    /// The value charted: the value, or numerator / denominator (× the rate multiplier).
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub annotation: Option<String>,
    /// True once deleted (it then leaves the charts; its history stays).
    pub deleted: bool,
    /// Counts its revisions; the `ETag` is this number in quotes.
    pub version: i64,
    /// Who recorded it as it stands now (a staff member's token subject); `null` for a
    /// caller who reads aggregates only (an analyst: staff are not named to her, as projects
    /// are not).
    pub recorded_by: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// The wire columns of an observation: (value charted, numerator, denominator, annotation).
fn figure_columns(
    observation: &Observation,
    multiplier: f64,
) -> (f64, Option<f64>, Option<f64>, Option<String>) {
    let (numerator, denominator) = match observation.figure {
        Figure::Value(_) => (None, None),
        Figure::Ratio {
            numerator,
            denominator,
        } => (Some(numerator), Some(denominator)),
    };
    (
        observation.figure.value(multiplier),
        numerator,
        denominator,
        observation
            .annotation
            .as_ref()
            .map(|a| a.as_str().to_owned()),
    )
}

impl DataPointResponse {
    /// The point as a caller who reads aggregates only sees it: the staff member who
    /// recorded it left out (a bound measure's `indicator:<name>` names no one and stays).
    pub fn without_staff(self) -> Self {
        Self {
            recorded_by: self.recorded_by.filter(|by| {
                by.starts_with(domain::improvement::measure::INDICATOR_RECORDER_PREFIX)
            }),
            ..self
        }
    }

    pub fn new(point: DataPoint, multiplier: f64) -> Self {
        let (value, numerator, denominator, annotation) =
            figure_columns(&point.observation, multiplier);
        Self {
            id: point.id,
            measure_id: point.measure_id,
            period: point.observation.period,
            value,
            numerator,
            denominator,
            annotation,
            deleted: point.deleted,
            version: point.version,
            recorded_by: Some(point.recorded_by),
            recorded_at: point.recorded_at,
        }
    }
}

/// A measure's standing data points in period order (its whole series).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataPointList {
    pub items: Vec<DataPointResponse>,
    /// A measure bound to an indicator: the months left out because their figure is
    /// suppressed (fewer than 5 persons; first day of each). Empty otherwise.
    pub suppressed_periods: Vec<NaiveDate>,
}

/// Options of `GET /api/v1/measures/{id}/data-points`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DataPointQuery {
    /// Also list deleted points, marked `deleted` (default false).
    pub include_deleted: Option<bool>,
}

/// The chart of `GET /api/v1/measures/{id}/chart`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeasureChartQuery {
    /// `run` (default), `i`, `mr`, `p` (proportions), `u` (rates) or `c` (counts).
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<crate::chart::ChartKind>)]
    pub kind: Option<String>,
    /// Freeze the centre line and limits on the first N points.
    #[param(minimum = 1)]
    pub baseline: Option<usize>,
    /// Dates (`YYYY-MM-DD`, comma-separated, at most 50 different) where a new part of the
    /// chart starts; absent: the project's adopted PDSA change points (the latest 50); empty:
    /// no split.
    #[param(example = "2027-03-01,2027-06-01")]
    pub split: Option<String>,
}

/// The chart's kind, baseline and split dates, or every parameter that is wrong.
pub fn chart_request(
    query: &MeasureChartQuery,
    default_splits: Vec<NaiveDate>,
) -> Result<domain::chart::ChartRequest, ValidationFailed> {
    let mut errors = FieldErrors::default();
    let kind = errors.check(
        "type",
        domain::chart::ChartKind::parse(query.kind.as_deref().unwrap_or("run")),
    );
    let splits = match query.split.as_deref().map(str::trim) {
        // The latest adopted change points, as many as a chart is split at.
        None => {
            let mut dates = default_splits;
            dates.sort_unstable();
            dates.dedup();
            let beyond = dates.len().saturating_sub(domain::chart::MAX_CHART_SPLITS);
            Some(dates.split_off(beyond))
        }
        Some("") => Some(Vec::new()),
        Some(text) => {
            let dates: Result<Vec<NaiveDate>, _> = text
                .split(',')
                .map(|d| d.trim().parse::<NaiveDate>())
                .collect();
            match dates {
                Ok(mut dates) => {
                    dates.sort_unstable();
                    dates.dedup();
                    if dates.len() > domain::chart::MAX_CHART_SPLITS {
                        errors.push(
                            "split",
                            format!(
                                "at most {} dates, not {}",
                                domain::chart::MAX_CHART_SPLITS,
                                dates.len()
                            ),
                        );
                        None
                    } else {
                        Some(dates)
                    }
                }
                Err(_) => {
                    errors.push("split", "must be dates (YYYY-MM-DD) separated by commas");
                    None
                }
            }
        }
    };
    let (Some(kind), Some(splits)) = (kind, splits) else {
        return Err(errors.into_failure());
    };
    Ok(domain::chart::ChartRequest {
        kind,
        baseline: query.baseline,
        splits,
    })
}

/// Corrects a data point: its new figure (the fields of a data point), and why. The old
/// figure stays in its history.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectDataPointRequest {
    #[schema(pattern = "^(19|20|21)[0-9]{2}-", example = "2027-01-01")]
    pub period: NaiveDate,
    /// A count or a measurement, within ±10^12.
    #[schema(minimum = -1e12, maximum = 1e12)]
    pub value: Option<f64>,
    #[schema(minimum = 0, maximum = 1e12)]
    pub numerator: Option<f64>,
    #[schema(minimum = 0, maximum = 1e12)]
    pub denominator: Option<f64>,
    #[schema(min_length = 1, max_length = 500, pattern = "<free-text>")]
    pub annotation: Option<String>,
    /// Why it is corrected (no personal number).
    #[schema(
        example = "Räknefel: två vårdtillfällen räknades dubbelt",
        min_length = 1,
        max_length = 500,
        pattern = "<free-text>"
    )]
    pub reason: String,
}

/// Deletes a data point, with the reason; it stays in the history.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteDataPointRequest {
    #[schema(
        example = "Fel mätetal: avsåg en annan enhet",
        min_length = 1,
        max_length = 500,
        pattern = "<free-text>"
    )]
    pub reason: String,
}

impl CorrectDataPointRequest {
    /// The corrected point's input and the reason (unparsed), or the period's error.
    pub fn into_parts(self) -> Result<(PointInput, String), ValidationFailed> {
        let body = DataPointBody {
            period: self.period,
            value: self.value,
            numerator: self.numerator,
            denominator: self.denominator,
            annotation: self.annotation,
        };
        let mut errors = FieldErrors::default();
        let input = body.input(&mut errors, "period");
        if errors.is_empty() {
            Ok((input, self.reason))
        } else {
            Err(errors.into_failure())
        }
    }
}

/// One revision of a data point.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataPointRevisionResponse {
    /// The data point's version this revision made.
    pub version: i64,
    pub kind: RevisionKind,
    pub period: NaiveDate,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub annotation: Option<String>,
    /// Why it was corrected or deleted (none when added; `null` for a caller who reads
    /// aggregates only, as `recorded_by`).
    pub reason: Option<String>,
    /// Who recorded the revision; `null` for a caller who reads aggregates only (an analyst).
    pub recorded_by: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl DataPointRevisionResponse {
    /// The revision as a caller who reads aggregates only sees it: who recorded it and why
    /// left out.
    pub fn without_staff(self) -> Self {
        Self {
            reason: None,
            recorded_by: None,
            ..self
        }
    }

    pub fn new(revision: DataPointRevision, multiplier: f64) -> Self {
        let (value, numerator, denominator, annotation) =
            figure_columns(&revision.observation, multiplier);
        Self {
            version: revision.version,
            kind: revision.kind.into(),
            period: revision.observation.period,
            value,
            numerator,
            denominator,
            annotation,
            reason: revision.reason.map(|r| r.as_str().to_owned()),
            recorded_by: Some(revision.recorded_by),
            recorded_at: revision.recorded_at,
        }
    }
}

/// A data point's history, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataPointHistory {
    pub data_point_id: Uuid,
    pub revisions: Vec<DataPointRevisionResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(failure: ValidationFailed) -> Vec<String> {
        failure.errors.into_iter().map(|e| e.field).collect()
    }

    fn inputs(rows: Vec<PointRow>) -> Vec<PointInput> {
        rows.into_iter().filter_map(|r| r.input.ok()).collect()
    }

    #[test]
    fn a_chart_is_split_at_most_at_the_latest_50_change_points() {
        let day =
            |n: u64| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default() + chrono::Days::new(n);
        let adopted: Vec<NaiveDate> = (0..80).rev().map(day).collect();
        let Ok(request) = chart_request(&MeasureChartQuery::default(), adopted) else {
            panic!("the default split is never refused");
        };
        assert_eq!(request.splits, (30..80).map(day).collect::<Vec<_>>());
        let asked: Vec<String> = (0..51).map(|n| day(n).to_string()).collect();
        let query = MeasureChartQuery {
            split: Some(asked.join(",")),
            ..MeasureChartQuery::default()
        };
        let refused = chart_request(&query, Vec::new()).err().map(fields);
        assert_eq!(refused, Some(vec!["split".to_owned()]));
    }

    #[test]
    fn csv_rows_are_read_by_their_header_with_either_delimiter() {
        let comma = b"period,numerator,denominator,annotation\n2027-01-01,3,40,\n2027-02-01,5,38,\"Ny rutin, dag 1\"\n";
        let rows = inputs(parse_points_csv(comma).unwrap_or_default());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].numerator, Some(5.0));
        assert_eq!(rows[1].annotation.as_deref(), Some("Ny rutin, dag 1"));
        let semicolon = "\u{feff}Period;Value\r\n2027-01-01;12,5\r\n".as_bytes();
        let rows = inputs(parse_points_csv(semicolon).unwrap_or_default());
        assert_eq!(rows[0].value, Some(12.5));
    }

    #[test]
    fn every_bad_csv_cell_is_named_by_row() {
        let bad = b"period,value\n2027-13-01,1\n2027-02-01,many\n2027-03-01,2\n";
        let rows = parse_points_csv(bad).unwrap_or_default();
        let problems: Vec<String> = rows
            .iter()
            .filter_map(|r| r.input.as_ref().err())
            .flat_map(|p| p.into_iter().map(|p| p.field.clone()))
            .collect();
        assert_eq!(problems, ["row 2: period", "row 3: value"]);
        assert_eq!(inputs(rows).len(), 1);
        let unknown = b"period,valeu\n2027-01-01,1\n";
        assert_eq!(
            parse_points_csv(unknown)
                .err()
                .map(fields)
                .unwrap_or_default(),
            ["row 1"]
        );
        let ragged = parse_points_csv(b"period,value\n2027-01-01,1,9\n").unwrap_or_default();
        assert!(matches!(&ragged[0].input, Err(p) if p.has("row 2")));
    }

    /// Field trial (issue 13): a quote left open took every later row into one annotation
    /// and the file was accepted with those rows lost.
    #[test]
    fn a_quote_left_open_is_named_and_takes_no_row_with_it() {
        let open = b"period,value,annotation\n2027-01-01,1,ok\n2027-02-01,2,\"Ny rutin\n2027-03-01,3,\n2027-04-01,4,\n";
        let rows = parse_points_csv(open).unwrap_or_default();
        assert_eq!(rows.len(), 2, "the open quote runs to the end of the file");
        assert!(rows[0].input.is_ok());
        assert!(matches!(&rows[1].input, Err(p) if p.has("row 3")));
        let stray = b"period,value,annotation\n2027-01-01,1,5\" sn\xc3\xb6\n2027-02-01,2,ok\n";
        let rows = parse_points_csv(stray).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert!(matches!(&rows[0].input, Err(p) if p.has("row 2")));
        assert!(rows[1].input.is_ok(), "the next row is read as its own");
        let quoted = b"period,value,annotation\n2027-01-01,1,\"Sa \"\"nej\"\", sedan ja\nrad tv\xc3\xa5\"\n2027-02-01,2,\n";
        let rows = inputs(parse_points_csv(quoted).unwrap_or_default());
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].annotation.as_deref(),
            Some("Sa \"nej\", sedan ja\nrad tv\u{e5}")
        );
    }

    fn problem_of(row: &PointRow) -> (String, String) {
        match &row.input {
            Err(problems) => problems
                .into_iter()
                .next()
                .map(|p| (p.field.clone(), p.message.clone()))
                .unwrap_or_default(),
            Ok(_) => Default::default(),
        }
    }

    /// Second attack review: CR-only lines were all `row 1`; an unreadable number hid the
    /// row's period twice; `"1,000"` with `,` between cells was stored as 1; a header of a
    /// million commas answered with a million errors; an unclosed quote in the header.
    #[test]
    fn lines_end_any_way_and_ambiguous_or_oversized_input_is_one_named_problem() {
        let cr = b"period,value\r2026-01-01,1\r2026-02-01,x\r";
        let rows = parse_points_csv(cr).unwrap_or_default();
        assert_eq!(problem_of(&rows[1]).0, "row 3: value");
        let mixed = b"period,value\r\n2026-01-01,1\r2026-02-01,x\n";
        let rows = parse_points_csv(mixed).unwrap_or_default();
        assert_eq!(problem_of(&rows[1]).0, "row 3: value");
        let twice = b"period,value\n2026-01-01,abc\n2026-01-01,3\n";
        let rows = parse_points_csv(twice).unwrap_or_default();
        assert_eq!(rows[0].period, NaiveDate::from_ymd_opt(2026, 1, 1));
        let thousand = b"period,value\n2026-01-01,\"1,000\"\n";
        let rows = parse_points_csv(thousand).unwrap_or_default();
        assert_eq!(problem_of(&rows[0]).0, "row 2: value");
        let semicolon = b"period;value\n2026-01-01;1,5\n";
        assert_eq!(
            inputs(parse_points_csv(semicolon).unwrap_or_default())[0].value,
            Some(1.5)
        );
        let wide = format!("period,value{}\n2026-01-01,1\n", ",".repeat(100_000));
        let refused = parse_points_csv(wide.as_bytes())
            .err()
            .map(|f| f.errors.len());
        assert_eq!(refused, Some(1));
        let open_header = b"\"period,value\n2026-01-01,3\n";
        let refused = parse_points_csv(open_header)
            .err()
            .map(|f| f.errors[0].message.clone());
        assert!(refused.is_some_and(|m| m.starts_with("a quoted cell is not closed")));
    }

    /// Attack review: `"1"2` was stored as 12, and a row after blank lines was named by its
    /// record count with the csv crate's own wording.
    #[test]
    fn text_after_a_closing_quote_is_refused_and_rows_are_counted_as_lines() {
        let glued = b"period,value\n2025-09-01,\"1\"2\n2025-10-01,\"3\" \r\n";
        let rows = parse_points_csv(glued).unwrap_or_default();
        let (field, message) = problem_of(&rows[0]);
        assert_eq!(field, "row 2");
        assert!(
            message.starts_with("text after a quoted cell's closing quote"),
            "{message}"
        );
        assert!(
            rows[1].input.is_ok(),
            "a space after the closing quote is trimmed"
        );
        let gaps = b"period,value\n\n\n2019-05-01,1\n2019-06-01,2,\n";
        let rows = parse_points_csv(gaps).unwrap_or_default();
        assert!(rows[0].input.is_ok());
        assert_eq!(
            problem_of(&rows[1]),
            ("row 5".into(), "has 3 cells; the header row has 2".into())
        );
        let latin1 = b"period,value,annotation\n2019-05-01,1,caf\xe9\n";
        let rows = parse_points_csv(latin1).unwrap_or_default();
        assert_eq!(
            problem_of(&rows[0]),
            (
                "row 2".into(),
                "the `annotation` cell is not UTF-8 text; send the file as UTF-8".into()
            )
        );
        let crlf_cell =
            b"period,value,annotation\r\n2019-05-01,1,\"rad ett\r\nrad tv\xc3\xa5\"\r\n";
        let rows = inputs(parse_points_csv(crlf_cell).unwrap_or_default());
        assert_eq!(rows[0].annotation.as_deref(), Some("rad ett\nrad tv\u{e5}"));
    }
}
