//! An improvement project's measures and their data points (the Model for Improvement's
//! outcome, process and balancing measures; Provost & Murray, *The Health Care Data Guide*,
//! 2011, ch. 2).
//!
//! A data point is never silently overwritten: a correction or a deletion needs a reason and
//! leaves a [`DataPointRevision`] behind, so a chart's history can always be read back.

use chrono::{DateTime, Months, NaiveDate, Utc};
use uuid::Uuid;

use super::{ImprovementProject, ImprovementRuleError, parse_story};
use crate::chart;
use crate::indicator::{self, IndicatorCell, IndicatorName};
use crate::record::FreeText;
use crate::{FieldProblems, InvalidValue, MunicipalityCode};

/// Longest annotation of a data point.
pub const MAX_ANNOTATION_CHARS: usize = 500;
/// Longest reason for a correction or deletion.
pub const MAX_REASON_CHARS: usize = 500;
/// Most data points added in one request (a decade of daily figures).
pub const MAX_POINTS_PER_REQUEST: usize = 5_000;

crate::string_enum! {
    /// What a measure tells the team (Provost & Murray 2011).
    pub enum MeasureType {
        /// The result for Esther or the system: the aim's measure.
        Outcome => "outcome",
        /// Whether the changed process is carried out.
        Process => "process",
        /// Whether the change causes problems elsewhere.
        Balancing => "balancing",
    }
}

crate::string_enum! {
    /// How a data point's value is given, which also decides which control chart fits it.
    pub enum ValueKind {
        /// A count of events per period (C chart): `value`, a whole number ≥ 0.
        Count => "count",
        /// A proportion (P chart): `numerator` of `denominator` cases, whole numbers,
        /// 0 ≤ numerator ≤ denominator, denominator ≥ 1; the value is their quotient.
        Proportion => "proportion",
        /// A rate (U chart): `numerator` events per `denominator` units of exposure (bed
        /// days, visits), numerator a whole number ≥ 0, denominator > 0; the value is the
        /// quotient times the measure's `rate_multiplier`.
        Rate => "rate",
        /// A measurement (I chart): `value`, any finite number.
        Measurement => "measurement",
    }
}

crate::string_enum! {
    /// Which way is better.
    pub enum Direction {
        Increase => "increase",
        Decrease => "decrease",
    }
}

/// A measure of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: FreeText,
    /// Exactly what is counted or measured, how, from which source.
    pub operational_definition: FreeText,
    pub measure_type: MeasureType,
    /// The unit shown on the chart's y axis (`%`, `dagar`, `per 1000 vårddygn`).
    pub unit_of_measure: FreeText,
    pub value_kind: ValueKind,
    /// For rates: the quotient is shown per this many units of the denominator (e.g. 1000);
    /// 1 for other kinds.
    pub rate_multiplier: f64,
    pub direction: Direction,
    /// The value the aim sets, in the measure's unit.
    pub target: Option<f64>,
    /// The network indicator whose monthly series are its data points, if bound to one.
    pub indicator: Option<IndicatorBinding>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to add a measure to a project.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeasure {
    pub name: FreeText,
    pub operational_definition: FreeText,
    pub measure_type: MeasureType,
    pub unit_of_measure: FreeText,
    pub value_kind: ValueKind,
    pub rate_multiplier: Option<f64>,
    pub direction: Direction,
    pub target: Option<f64>,
    pub indicator: Option<IndicatorBinding>,
}

/// A measure bound to one of the network's indicators in one municipality: its data points
/// are the indicator's monthly figures, read from the care chain itself (issue 13: "a
/// project measure can be bound to an indicator so its data points come from the care
/// chain"), never sent or stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorBinding {
    pub indicator: IndicatorName,
    pub municipality: MunicipalityCode,
}

/// The `recorded_by` of a bound measure's points, before the indicator's name: the care
/// chain, not a person.
pub const INDICATOR_RECORDER_PREFIX: &str = "indicator:";

/// Months of a bound measure's series before its project started: its baseline.
pub const BASELINE_MONTHS: u32 = 12;

impl IndicatorBinding {
    /// The monthly query of a bound measure's series: from the first day of the month
    /// [`BASELINE_MONTHS`] before the project's start (before `today` for a project not
    /// started) to the project's end, or `today` while it runs, each month whole (as every
    /// indicator query is) — at most [`indicator::MAX_PERIODS`] months, the latest kept.
    pub fn query(
        &self,
        project: &ImprovementProject,
        today: NaiveDate,
    ) -> Result<indicator::IndicatorQuery, InvalidValue> {
        let month = |d: NaiveDate| indicator::Period::Month.start_of(d);
        let to = project.end_on.map_or(today, |end| end.min(today));
        let start = month(project.start_on.unwrap_or(today).min(to));
        let earliest = month(to)
            .checked_sub_months(Months::new(indicator::MAX_PERIODS as u32 - 1))
            .unwrap_or(start);
        let from = start
            .checked_sub_months(Months::new(BASELINE_MONTHS))
            .unwrap_or(start)
            .max(earliest);
        indicator::IndicatorQuery::new(
            Some(self.municipality),
            from,
            to,
            indicator::Period::Month,
            Some(self.indicator),
        )
    }
}

impl NewMeasure {
    /// The measure as first stored, on a project that is not closed (409). A multiplier is
    /// for rates only and is positive (422).
    pub fn into_record(
        self,
        id: Uuid,
        project: &ImprovementProject,
        now: DateTime<Utc>,
    ) -> Result<Measure, ImprovementRuleError> {
        project.check_open("measures")?;
        let rate_multiplier = match (self.value_kind, self.rate_multiplier) {
            (ValueKind::Rate, None) => 1.0,
            (ValueKind::Rate, Some(m)) if bounded(m) && m > 0.0 => m,
            (ValueKind::Rate, Some(_)) => {
                return Err(InvalidValue::for_field(
                    "rate_multiplier",
                    "must be a positive number up to 10^12",
                )
                .into());
            }
            (_, None) => 1.0,
            (_, Some(_)) => {
                return Err(InvalidValue::for_field(
                    "rate_multiplier",
                    "is only given for a measure whose value_kind is `rate`",
                )
                .into());
            }
        };
        if self.target.is_some_and(|t| !bounded(t)) {
            return Err(
                InvalidValue::for_field("target", "must be a number from -10^12 to 10^12").into(),
            );
        }
        if self.indicator.is_some()
            && !matches!(self.value_kind, ValueKind::Count | ValueKind::Measurement)
        {
            return Err(InvalidValue::for_field(
                "value_kind",
                "a measure bound to an indicator is a `count` or a `measurement`: an \
                 indicator's figures are values, not numerators and denominators",
            )
            .into());
        }
        if let Some(binding) = &self.indicator
            && self.value_kind == ValueKind::Count
            && !binding.indicator.is_count()
        {
            return Err(InvalidValue::for_field(
                "value_kind",
                format!(
                    "`{}` is not a count (its figures need not be whole numbers): bind it as a \
                     `measurement`",
                    binding.indicator
                ),
            )
            .into());
        }
        Ok(Measure {
            id,
            project_id: project.id,
            name: self.name,
            operational_definition: self.operational_definition,
            measure_type: self.measure_type,
            unit_of_measure: self.unit_of_measure,
            value_kind: self.value_kind,
            rate_multiplier,
            direction: self.direction,
            target: self.target,
            indicator: self.indicator,
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

/// A data point's figure, by the measure's value kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    /// A count or a measurement.
    Value(f64),
    /// A proportion or a rate.
    Ratio { numerator: f64, denominator: f64 },
}

impl Figure {
    /// The value charted: the value, or numerator / denominator × `multiplier`.
    pub fn value(self, multiplier: f64) -> f64 {
        match self {
            Figure::Value(v) => v,
            Figure::Ratio {
                numerator,
                denominator,
            } => numerator / denominator * multiplier,
        }
    }
}

/// A data point as sent: the fields as given, checked against the measure by [`Measure::observe`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PointInput {
    pub period: Option<NaiveDate>,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub annotation: Option<String>,
}

/// A checked observation, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The period the figure is for, named by its first day (or the day itself).
    pub period: NaiveDate,
    pub figure: Figure,
    pub annotation: Option<FreeText>,
}

/// Largest magnitude of a measure's figure, target or rate multiplier (10^12): beyond any
/// count or measurement of care, and small enough that a chart's limits and axis stay finite.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// Whether `x` is a finite number within ±[`MAX_MAGNITUDE`].
fn bounded(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_MAGNITUDE
}

fn whole(field: &'static str, x: f64) -> Result<f64, InvalidValue> {
    if bounded(x) && x >= 0.0 && x.fract() == 0.0 {
        Ok(x)
    } else {
        Err(InvalidValue::for_field(
            field,
            "must be a whole number from 0 to 10^12",
        ))
    }
}

impl Measure {
    /// `input` as an observation of this measure, or every field that breaks a rule, each
    /// named `<prefix><field>` (`rows[2].numerator`, `row 3: numerator`). Counts and
    /// measurements take `value` only; proportions and rates `numerator` and `denominator`
    /// only (see [`ValueKind`]); the annotation holds no personal number.
    pub fn observe(
        &self,
        input: &PointInput,
        prefix: &str,
        today: NaiveDate,
        problems: &mut FieldProblems,
    ) -> Option<Observation> {
        let field = |name: &str| format!("{prefix}{name}");
        let period = match input.period {
            // A figure is of a period that has begun: one dated ahead would be charted as
            // if observed (trial: a year of points to come was taken without a word).
            Some(period) if period > today => {
                problems.push(field("period"), not_begun(period, today));
                None
            }
            Some(period) => Some(period),
            None => {
                problems.push(field("period"), "is required (YYYY-MM-DD)");
                None
            }
        };
        let annotation = match input.annotation.as_deref() {
            None => Some(None),
            Some(text) => problems
                .keep(
                    field("annotation"),
                    parse_story(text, MAX_ANNOTATION_CHARS, today),
                )
                .map(Some),
        };
        let figure = match self.value_kind {
            ValueKind::Count | ValueKind::Measurement => {
                for (name, given) in [
                    ("numerator", input.numerator),
                    ("denominator", input.denominator),
                ] {
                    if given.is_some() {
                        problems.push(
                            field(name),
                            format!("a {} measure takes `value` only", self.value_kind),
                        );
                    }
                }
                match input.value {
                    None => {
                        problems.push(field("value"), "is required");
                        None
                    }
                    Some(v) if self.value_kind == ValueKind::Count => problems
                        .keep(field("value"), whole("value", v))
                        .map(Figure::Value),
                    Some(v) if bounded(v) => Some(Figure::Value(v)),
                    Some(_) => {
                        problems.push(field("value"), "must be a number from -10^12 to 10^12");
                        None
                    }
                }
            }
            ValueKind::Proportion | ValueKind::Rate => {
                if input.value.is_some() {
                    problems.push(
                        field("value"),
                        format!(
                            "a {} measure takes `numerator` and `denominator`",
                            self.value_kind
                        ),
                    );
                }
                let numerator = match input.numerator {
                    None => {
                        problems.push(field("numerator"), "is required");
                        None
                    }
                    Some(n) => problems.keep(field("numerator"), whole("numerator", n)),
                };
                let denominator = match input.denominator {
                    None => {
                        problems.push(field("denominator"), "is required");
                        None
                    }
                    Some(d) if self.value_kind == ValueKind::Proportion => problems
                        .keep(field("denominator"), whole("denominator", d))
                        .filter(|d| {
                            let positive = *d >= 1.0;
                            if !positive {
                                problems.push(field("denominator"), "must be at least 1");
                            }
                            positive
                        }),
                    Some(d) if bounded(d) && d > 0.0 => Some(d),
                    Some(_) => {
                        problems.push(
                            field("denominator"),
                            "must be a number above 0, up to 10^12",
                        );
                        None
                    }
                };
                match (numerator, denominator) {
                    (Some(n), Some(d)) if self.value_kind == ValueKind::Proportion && n > d => {
                        problems.push(
                            field("numerator"),
                            "must not be greater than the denominator",
                        );
                        None
                    }
                    (Some(numerator), Some(denominator)) => Some(Figure::Ratio {
                        numerator,
                        denominator,
                    }),
                    _ => None,
                }
            }
        };
        Some(Observation {
            period: period?,
            figure: figure?,
            annotation: annotation?,
        })
    }

    /// Every row of a bulk add as observations, or every problem of every row, in row
    /// order: a row's fields are named by its `prefix` + field, a row that could not be read
    /// brings its own problems, and a period given twice (in the input, or already among
    /// `taken` periods) is a problem of the later row, whatever else is wrong with either; the
    /// measure then holds at most [`chart::MAX_CHART_POINTS`] standing points, as many as its
    /// chart takes ("points"). All or nothing.
    pub fn observe_all(
        &self,
        rows: &[PointRow],
        taken: &[NaiveDate],
        today: NaiveDate,
    ) -> Result<Vec<Observation>, FieldProblems> {
        let mut problems = FieldProblems::default();
        if rows.is_empty() {
            problems.push("points", "must hold at least one data point");
        }
        if rows.len() > MAX_POINTS_PER_REQUEST {
            problems.push(
                "points",
                format!("at most {MAX_POINTS_PER_REQUEST} data points per request"),
            );
            return Err(problems);
        }
        let taken: std::collections::HashSet<NaiveDate> = taken.iter().copied().collect();
        // Each period's first row in this request, named as its fields are (`points[0]`).
        let mut first_row: std::collections::HashMap<NaiveDate, &str> =
            std::collections::HashMap::new();
        let mut observations = Vec::with_capacity(rows.len());
        for row in rows {
            // A period twice is named whatever else is wrong with either row.
            if let Some(period) = row.period {
                let field = format!("{}period", row.prefix);
                let name = row.prefix.trim_end_matches(['.', ':', ' ']);
                if taken.contains(&period) {
                    problems.push(field, period_taken(period));
                } else if let Some(first) = first_row.get(&period) {
                    problems.push(
                        field,
                        format!("{period} is given twice in this request (also in {first})"),
                    );
                } else {
                    first_row.insert(period, name);
                }
            }
            let input = match &row.input {
                Ok(input) => input,
                Err(unreadable) => {
                    for problem in unreadable {
                        problems.push(problem.field.clone(), problem.message.clone());
                    }
                    if let Some(period) = row.period.filter(|p| *p > today) {
                        problems.push(format!("{}period", row.prefix), not_begun(period, today));
                    }
                    continue;
                }
            };
            if let Some(observation) = self.observe(input, &row.prefix, today, &mut problems) {
                observations.push(observation);
            }
        }
        if problems.is_empty() && taken.len() + observations.len() > chart::MAX_CHART_POINTS {
            problems.push(
                "points",
                format!(
                    "a measure holds at most {} standing data points, the most its chart \
                     takes; it has {} and this request adds {}",
                    chart::MAX_CHART_POINTS,
                    taken.len(),
                    observations.len()
                ),
            );
        }
        problems.into_result().map(|()| observations)
    }
}

/// Why a period is refused: it has not begun.
fn not_begun(period: NaiveDate, today: NaiveDate) -> String {
    format!("{period} has not begun (today is {today}): a data point is a figure observed")
}

/// Why a period is refused: another standing point of the measure holds it (one standing
/// data point per measure and period).
fn period_taken(period: NaiveDate) -> String {
    format!("{period} already has a data point; correct that one instead")
}

/// One row of a bulk add: how its fields are named (`points[3].`, `row 4: `), and its input,
/// or the problems that kept it from being read (a CSV cell that is not a number).
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    pub prefix: String,
    /// The period as read, also when another cell of the row could not be: a period given
    /// twice or not begun is named whatever else is wrong with the row.
    pub period: Option<NaiveDate>,
    pub input: Result<PointInput, FieldProblems>,
}

impl Measure {
    /// The chart of this measure's standing data points (period order, deleted ones left
    /// out) computed by [`chart::compute`]; a rate's values, centre lines and limits are then
    /// shown per [`Measure::rate_multiplier`] units (the limits scale with the values, the
    /// signals do not change). Errors as [`chart::compute`]'s (`points`, `baseline`).
    pub fn chart(
        &self,
        points: &[DataPoint],
        request: &chart::ChartRequest,
    ) -> Result<chart::Chart, InvalidValue> {
        let series: Vec<chart::Observation> = points
            .iter()
            .filter(|p| !p.deleted)
            .map(|p| chart::Observation {
                date: p.observation.period,
                observed: match p.observation.figure {
                    Figure::Value(v) => chart::Observed::Value(v),
                    Figure::Ratio {
                        numerator,
                        denominator,
                    } => chart::Observed::Ratio {
                        numerator,
                        denominator,
                    },
                },
            })
            .collect();
        let mut computed = chart::compute(&series, request)?;
        let k = self.rate_multiplier;
        let scale = |x: &mut Option<f64>| *x = x.map(|v| v * k);
        for point in &mut computed.points {
            scale(&mut point.value);
            scale(&mut point.centre);
            scale(&mut point.lower);
            scale(&mut point.upper);
        }
        for part in &mut computed.parts {
            scale(&mut part.centre);
        }
        Ok(computed)
    }
}

impl Measure {
    /// Data points are sent only to a measure that is not bound to an indicator (409
    /// otherwise: its points come from the care chain).
    pub fn check_takes_points(&self) -> Result<(), ImprovementRuleError> {
        match self.indicator {
            None => Ok(()),
            Some(binding) => Err(ImprovementRuleError::State(format!(
                "the measure is bound to the indicator `{}` of municipality {}: its data \
                 points come from the care chain and are not sent",
                binding.indicator, binding.municipality
            ))),
        }
    }

    /// A bound measure's data points: one per month of the indicator's `cells` that has a
    /// figure, read-only (version 1, recorded by `indicator:<name>` at `now`, an id derived
    /// from the measure and the month so it is the same at every read); and the months left
    /// out because their figure is suppressed (fewer than 5 persons).
    pub fn indicator_points(
        &self,
        cells: &[IndicatorCell],
        now: DateTime<Utc>,
    ) -> (Vec<DataPoint>, Vec<NaiveDate>) {
        let (series, suppressed) = indicator::series(cells);
        let recorded_by = format!(
            "{INDICATOR_RECORDER_PREFIX}{}",
            self.indicator.map_or("", |b| b.indicator.as_str())
        );
        let points = series
            .into_iter()
            .filter_map(|o| match o.observed {
                chart::Observed::Value(value) => Some(DataPoint {
                    id: Uuid::new_v5(&self.id, o.date.to_string().as_bytes()),
                    measure_id: self.id,
                    observation: Observation {
                        period: o.date,
                        figure: Figure::Value(value),
                        annotation: None,
                    },
                    deleted: false,
                    version: 1,
                    recorded_by: recorded_by.clone(),
                    recorded_at: now,
                }),
                chart::Observed::Ratio { .. } => None,
            })
            .collect();
        (points, suppressed)
    }
}

crate::string_enum! {
    /// What a revision of a data point recorded.
    pub enum RevisionKind {
        Added => "added",
        Corrected => "corrected",
        Deleted => "deleted",
    }
}

/// A stored data point. A deleted one stays, marked, with its history.
#[derive(Debug, Clone, PartialEq)]
pub struct DataPoint {
    pub id: Uuid,
    pub measure_id: Uuid,
    pub observation: Observation,
    pub deleted: bool,
    /// Counts the revisions; the `ETag`.
    pub version: i64,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One revision of a data point: what it was after the change, who changed it, when, why.
#[derive(Debug, Clone, PartialEq)]
pub struct DataPointRevision {
    pub data_point_id: Uuid,
    /// The data point's version this revision made.
    pub version: i64,
    pub kind: RevisionKind,
    pub observation: Observation,
    /// Why it was corrected or deleted; none for the first entry.
    pub reason: Option<FreeText>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A correction or deletion: why, by whom, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Amendment {
    pub reason: FreeText,
    pub recorded_by: String,
    pub at: DateTime<Utc>,
}

/// A reason for a correction or deletion: 1 to 500 characters, no personal number.
pub fn parse_reason(text: &str, today: NaiveDate) -> Result<FreeText, InvalidValue> {
    parse_story(text, MAX_REASON_CHARS, today)
}

impl DataPoint {
    /// A new data point with its first revision.
    pub fn add(
        id: Uuid,
        measure_id: Uuid,
        observation: Observation,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> (DataPoint, DataPointRevision) {
        let point = DataPoint {
            id,
            measure_id,
            observation,
            deleted: false,
            version: 1,
            recorded_by: recorded_by.to_owned(),
            recorded_at: now,
        };
        let revision = point.revision(RevisionKind::Added, None);
        (point, revision)
    }

    fn revision(&self, kind: RevisionKind, reason: Option<FreeText>) -> DataPointRevision {
        DataPointRevision {
            data_point_id: self.id,
            version: self.version,
            kind,
            observation: self.observation.clone(),
            reason,
            recorded_by: self.recorded_by.clone(),
            recorded_at: self.recorded_at,
        }
    }

    fn amended(
        &self,
        observation: Observation,
        deleted: bool,
        amendment: Amendment,
    ) -> Result<(DataPoint, DataPointRevision), ImprovementRuleError> {
        if self.deleted {
            return Err(ImprovementRuleError::State(
                "the data point is deleted; add a new one for its period".into(),
            ));
        }
        let next = DataPoint {
            observation,
            deleted,
            version: self.version + 1,
            recorded_by: amendment.recorded_by,
            recorded_at: amendment.at,
            ..self.clone()
        };
        let kind = if deleted {
            RevisionKind::Deleted
        } else {
            RevisionKind::Corrected
        };
        let revision = next.revision(kind, Some(amendment.reason));
        Ok((next, revision))
    }

    /// The point corrected to `observation` for `amendment`'s reason, with the revision that
    /// keeps it, given the measure's `standing` points (this one may be among them); a deleted
    /// point is not corrected (409); a period another standing point holds is refused (422
    /// naming `period`, as adding a point there is: one standing point per measure and period).
    pub fn correct(
        &self,
        observation: Observation,
        standing: &[DataPoint],
        amendment: Amendment,
    ) -> Result<(DataPoint, DataPointRevision), ImprovementRuleError> {
        let period = observation.period;
        if !self.deleted
            && standing
                .iter()
                .any(|p| p.id != self.id && !p.deleted && p.observation.period == period)
        {
            return Err(InvalidValue::for_field("period", period_taken(period)).into());
        }
        self.amended(observation, false, amendment)
    }

    /// The point deleted for `amendment`'s reason: it leaves the charts, its history stays;
    /// deleted once only (409).
    pub fn delete(
        &self,
        amendment: Amendment,
    ) -> Result<(DataPoint, DataPointRevision), ImprovementRuleError> {
        self.amended(self.observation.clone(), true, amendment)
    }
}

#[cfg(test)]
mod tests {
    use super::super::ProjectStatus;
    use super::super::tests::{day, project, text};
    use super::*;

    fn new_measure(kind: ValueKind) -> NewMeasure {
        NewMeasure {
            name: text("Återinskrivna inom 30 dagar"),
            operational_definition: text("Andel utskrivna som skrivs in igen inom 30 dagar"),
            measure_type: MeasureType::Outcome,
            unit_of_measure: text("%"),
            value_kind: kind,
            rate_multiplier: None,
            direction: Direction::Decrease,
            target: Some(10.0),
            indicator: None,
        }
    }

    fn measure(kind: ValueKind) -> Measure {
        new_measure(kind)
            .into_record(
                Uuid::nil(),
                &project(ProjectStatus::Active),
                DateTime::<Utc>::UNIX_EPOCH,
            )
            .unwrap_or_else(|_| unreachable!())
    }

    fn point(period: &str, value: Option<f64>, num: Option<f64>, den: Option<f64>) -> PointInput {
        PointInput {
            period: Some(day(period)),
            value,
            numerator: num,
            denominator: den,
            annotation: None,
        }
    }

    fn rows(inputs: &[PointInput], name: impl Fn(usize) -> String) -> Vec<PointRow> {
        inputs
            .iter()
            .enumerate()
            .map(|(i, input)| PointRow {
                prefix: name(i),
                period: input.period,
                input: Ok(input.clone()),
            })
            .collect()
    }

    fn fields(problems: &FieldProblems) -> Vec<String> {
        problems.into_iter().map(|p| p.field.clone()).collect()
    }

    #[test]
    fn each_value_kind_takes_its_own_fields() {
        let today = day("2027-06-01");
        let row = |i: usize| format!("rows[{i}].");
        let proportion = measure(ValueKind::Proportion);
        let inputs = [
            point("2027-01-01", None, Some(3.0), Some(10.0)),
            point("2027-02-01", None, Some(11.0), Some(10.0)),
            point("2027-03-01", Some(0.3), None, Some(0.0)),
            point("2027-04-01", None, Some(1.5), Some(4.0)),
        ];
        let problems = proportion
            .observe_all(&rows(&inputs, row), &[], today)
            .err()
            .unwrap_or_default();
        assert_eq!(
            fields(&problems),
            [
                "rows[1].numerator",
                "rows[2].value",
                "rows[2].numerator",
                "rows[2].denominator",
                "rows[3].numerator",
            ]
        );
        let count = measure(ValueKind::Count);
        let problems = count
            .observe_all(
                &rows(
                    &[
                        point("2027-01-01", Some(-1.0), None, None),
                        point("2027-01-02", Some(2.5), None, None),
                        point("2027-01-03", None, Some(1.0), None),
                        PointInput::default(),
                    ],
                    |i| format!("row {}: ", i + 2),
                ),
                &[],
                today,
            )
            .err()
            .unwrap_or_default();
        assert_eq!(
            fields(&problems),
            [
                "row 2: value",
                "row 3: value",
                "row 4: numerator",
                "row 4: value",
                "row 5: period",
                "row 5: value",
            ]
        );
        let rate = measure(ValueKind::Rate);
        let ok = rate
            .observe_all(
                &rows(&[point("2027-01-01", None, Some(2.0), Some(0.5))], row),
                &[],
                today,
            )
            .unwrap_or_default();
        assert_eq!(ok.len(), 1);
        let measurement = measure(ValueKind::Measurement);
        assert!(
            measurement
                .observe_all(
                    &rows(&[point("2027-01-01", Some(-3.25), None, None)], row),
                    &[],
                    today
                )
                .is_ok()
        );
    }

    #[test]
    fn a_period_is_taken_once_and_annotations_hold_no_personal_number() {
        let today = day("2027-06-01");
        let count = measure(ValueKind::Count);
        let mut annotated = point("2027-01-03", Some(2.0), None, None);
        annotated.annotation = Some("Esther 19121212-1212 föll".into());
        let problems = count
            .observe_all(
                &rows(
                    &[
                        point("2027-01-01", Some(1.0), None, None),
                        point("2027-01-02", Some(1.0), None, None),
                        point("2027-01-01", Some(1.0), None, None),
                        annotated,
                    ],
                    |i| format!("rows[{i}]."),
                ),
                &[day("2027-01-02")],
                today,
            )
            .err()
            .unwrap_or_default();
        assert_eq!(
            fields(&problems),
            ["rows[1].period", "rows[2].period", "rows[3].annotation"]
        );
        let messages: Vec<String> = problems.into_iter().map(|p| p.message.clone()).collect();
        assert_eq!(
            messages[..2],
            [
                "2027-01-02 already has a data point; correct that one instead",
                "2027-01-01 is given twice in this request (also in rows[0])"
            ]
        );
        // Attack review: a period twice was not named while its first row had another problem.
        let both_wrong = count
            .observe_all(
                &rows(
                    &[
                        point("2027-02-01", Some(-1.0), None, None),
                        point("2027-02-01", Some(5.0), None, None),
                    ],
                    |i| format!("rows[{i}]."),
                ),
                &[],
                today,
            )
            .err()
            .unwrap_or_default();
        assert_eq!(fields(&both_wrong), ["rows[0].value", "rows[1].period"]);
        // A CSV row whose number could not be read still brings its period (second review).
        let mut unreadable = FieldProblems::default();
        unreadable.push("row 2: value", "`abc` is not a number");
        let csv_rows = vec![
            PointRow {
                prefix: "row 2: ".into(),
                period: Some(day("2027-03-01")),
                input: Err(unreadable),
            },
            PointRow {
                prefix: "row 3: ".into(),
                period: Some(day("2027-03-01")),
                input: Ok(point("2027-03-01", Some(3.0), None, None)),
            },
        ];
        let named = count
            .observe_all(&csv_rows, &[], today)
            .err()
            .unwrap_or_default();
        assert_eq!(fields(&named), ["row 2: value", "row 3: period"]);
    }

    #[test]
    fn a_point_is_of_a_period_that_has_begun() {
        let count = measure(ValueKind::Count);
        let today = day("2026-12-01");
        let named = |period: &str| {
            let rows = rows(&[point(period, Some(1.0), None, None)], |i| {
                format!("rows[{i}].")
            });
            count
                .observe_all(&rows, &[], today)
                .err()
                .map(|p| fields(&p))
        };
        assert_eq!(named("2026-12-01"), None, "the month begun today");
        assert_eq!(named("2026-12-02"), Some(vec!["rows[0].period".to_owned()]));
    }

    /// Attack review: 5,000 points were taken in one request, and the measure's chart, which
    /// takes at most 2,000, was a 422 from then on.
    #[test]
    fn a_measure_holds_no_more_points_than_its_chart_takes() {
        let today = day("2030-01-01");
        let count = measure(ValueKind::Count);
        let taken: Vec<NaiveDate> = (0..1_999)
            .map(|d| day("2020-01-01") + chrono::Duration::days(d))
            .collect();
        let one = rows(&[point("2026-01-01", Some(1.0), None, None)], |i| {
            format!("rows[{i}].")
        });
        assert!(count.observe_all(&one, &taken, today).is_ok());
        let two = rows(
            &[
                point("2026-01-01", Some(1.0), None, None),
                point("2026-01-02", Some(1.0), None, None),
            ],
            |i| format!("rows[{i}]."),
        );
        let refused = count
            .observe_all(&two, &taken, today)
            .err()
            .unwrap_or_default();
        assert_eq!(fields(&refused), ["points"]);
    }

    #[test]
    fn a_rate_is_shown_per_its_multiplier_and_a_multiplier_is_for_rates_only() {
        let figure = Figure::Ratio {
            numerator: 3.0,
            denominator: 1500.0,
        };
        assert!((figure.value(1000.0) - 2.0).abs() < 1e-12);
        let mut new = NewMeasure {
            name: text("Fall"),
            operational_definition: text("Fall per 1000 vårddygn"),
            measure_type: MeasureType::Balancing,
            unit_of_measure: text("per 1000 vårddygn"),
            value_kind: ValueKind::Count,
            rate_multiplier: Some(1000.0),
            direction: Direction::Decrease,
            target: None,
            indicator: None,
        };
        let active = project(ProjectStatus::Active);
        let now = DateTime::<Utc>::UNIX_EPOCH;
        assert!(new.clone().into_record(Uuid::nil(), &active, now).is_err());
        new.value_kind = ValueKind::Rate;
        let rate = new.into_record(Uuid::nil(), &active, now);
        assert_eq!(rate.map(|m| m.rate_multiplier).ok(), Some(1000.0));
    }

    #[test]
    fn a_rate_chart_is_shown_per_the_multiplier_and_deleted_points_are_left_out() {
        let mut rate = measure(ValueKind::Rate);
        rate.rate_multiplier = 1000.0;
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let points: Vec<DataPoint> = (1..=12)
            .map(|month| {
                let observation = Observation {
                    period: day(&format!("2027-{month:02}-01")),
                    figure: Figure::Ratio {
                        numerator: f64::from(month % 3 + 1),
                        denominator: 1000.0,
                    },
                    annotation: None,
                };
                DataPoint::add(Uuid::nil(), Uuid::nil(), observation, "a", now).0
            })
            .collect();
        let request = chart::ChartRequest {
            kind: chart::ChartKind::U,
            baseline: None,
            splits: Vec::new(),
        };
        let shown = rate
            .chart(&points, &request)
            .unwrap_or_else(|_| unreachable!());
        rate.rate_multiplier = 1.0;
        let raw = rate
            .chart(&points, &request)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(shown.points[0].value, Some(2.0), "2 per 1000 units");
        for (shown, raw) in shown.points.iter().zip(&raw.points) {
            assert_eq!(shown.upper, raw.upper.map(|u| u * 1000.0));
            assert_eq!(shown.rules, raw.rules);
        }
        let mut with_deleted = points.clone();
        with_deleted[0].deleted = true;
        let fewer = rate
            .chart(&with_deleted, &request)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(fewer.points.len(), 11);
    }

    #[test]
    fn a_correction_may_not_move_a_point_to_a_period_another_holds() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let observation = |period: &str| Observation {
            period: day(period),
            figure: Figure::Value(1.0),
            annotation: None,
        };
        let amendment = Amendment {
            reason: text("fel månad"),
            recorded_by: "b".into(),
            at: now,
        };
        let (january, _) = DataPoint::add(
            Uuid::from_u128(1),
            Uuid::nil(),
            observation("2027-01-01"),
            "a",
            now,
        );
        let (february, _) = DataPoint::add(
            Uuid::from_u128(2),
            Uuid::nil(),
            observation("2027-02-01"),
            "a",
            now,
        );
        let standing = [january.clone(), february.clone()];
        let refused = february.correct(observation("2027-01-01"), &standing, amendment.clone());
        assert!(matches!(
            refused,
            Err(ImprovementRuleError::Invalid(InvalidValue {
                field: Some("period"),
                ..
            }))
        ));
        assert!(
            february
                .correct(observation("2027-02-01"), &standing, amendment.clone())
                .is_ok(),
            "its own period stays its own"
        );
        let mut gone = january;
        gone.deleted = true;
        assert!(
            february
                .correct(
                    observation("2027-01-01"),
                    &[gone, february.clone()],
                    amendment
                )
                .is_ok(),
            "a deleted point holds no period"
        );
    }

    #[test]
    fn corrections_and_deletions_keep_every_revision_with_its_reason() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let observation = |v: f64| Observation {
            period: day("2027-01-01"),
            figure: Figure::Value(v),
            annotation: None,
        };
        let (point, added) = DataPoint::add(Uuid::nil(), Uuid::nil(), observation(4.0), "a", now);
        assert_eq!(
            (added.kind, added.version, added.reason),
            (RevisionKind::Added, 1, None)
        );
        let amendment = |reason: &str| Amendment {
            reason: text(reason),
            recorded_by: "b".into(),
            at: now,
        };
        let (corrected, revision) = point
            .correct(
                observation(5.0),
                std::slice::from_ref(&point),
                amendment("fel i räkningen"),
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(corrected.version, 2);
        assert_eq!(revision.kind, RevisionKind::Corrected);
        assert_eq!(revision.observation.figure, Figure::Value(5.0));
        assert_eq!(revision.reason, Some(text("fel i räkningen")));
        let (deleted, revision) = corrected
            .delete(amendment("dubblett"))
            .unwrap_or_else(|_| unreachable!());
        assert!(deleted.deleted);
        assert_eq!(
            (revision.kind, revision.version),
            (RevisionKind::Deleted, 3)
        );
        assert!(matches!(
            deleted.correct(observation(1.0), &[], amendment("x")),
            Err(ImprovementRuleError::State(_))
        ));
        assert!(deleted.delete(amendment("x")).is_err());
    }

    fn bound(kind: ValueKind) -> Result<Measure, ImprovementRuleError> {
        NewMeasure {
            indicator: Some(IndicatorBinding {
                indicator: IndicatorName::ReadmissionsWithin30Days,
                municipality: MunicipalityCode::parse("0682").unwrap_or_else(|e| panic!("{e}")),
            }),
            value_kind: kind,
            target: None,
            ..NewMeasure {
                name: text("Återinskrivna"),
                operational_definition: text("Nätverkets indikator"),
                measure_type: MeasureType::Outcome,
                unit_of_measure: text("utskrivningar"),
                value_kind: kind,
                rate_multiplier: None,
                direction: Direction::Decrease,
                target: None,
                indicator: None,
            }
        }
        .into_record(
            Uuid::from_u128(9),
            &project(ProjectStatus::Active),
            DateTime::<Utc>::UNIX_EPOCH,
        )
    }

    #[test]
    fn a_bound_measure_takes_no_points_and_is_a_count_or_a_measurement() {
        let measure = bound(ValueKind::Count).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            measure.check_takes_points(),
            Err(ImprovementRuleError::State(_))
        ));
        assert!(bound(ValueKind::Measurement).is_ok());
        for kind in [ValueKind::Proportion, ValueKind::Rate] {
            assert!(matches!(
                bound(kind),
                Err(ImprovementRuleError::Invalid(InvalidValue {
                    field: Some("value_kind"),
                    ..
                }))
            ));
        }
        assert!(self::measure(ValueKind::Count).check_takes_points().is_ok());
        // Trial: a mean bound as a count was charted as a C chart of 3.1, 3.3, …
        let mut mean = NewMeasure {
            indicator: Some(IndicatorBinding {
                indicator: IndicatorName::DaysReadyToDischargeMean,
                municipality: MunicipalityCode::parse("0682").unwrap_or_else(|e| panic!("{e}")),
            }),
            ..self::new_measure(ValueKind::Count)
        };
        let refused = mean.clone().into_record(
            Uuid::nil(),
            &project(ProjectStatus::Active),
            DateTime::<Utc>::UNIX_EPOCH,
        );
        assert!(matches!(
            refused,
            Err(ImprovementRuleError::Invalid(InvalidValue {
                field: Some("value_kind"),
                ..
            }))
        ));
        mean.value_kind = ValueKind::Measurement;
        assert!(
            mean.into_record(
                Uuid::nil(),
                &project(ProjectStatus::Active),
                DateTime::<Utc>::UNIX_EPOCH
            )
            .is_ok()
        );
    }

    #[test]
    fn a_bound_series_starts_a_year_before_the_project_and_runs_to_today_or_its_end() {
        let measure = bound(ValueKind::Count).unwrap_or_else(|e| panic!("{e}"));
        let binding = measure.indicator.unwrap_or_else(|| unreachable!());
        let mut running = project(ProjectStatus::Active);
        running.start_on = Some(day("2026-03-15"));
        let query = binding
            .query(&running, day("2026-11-20"))
            .unwrap_or_else(|e| panic!("{e}"));
        // Whole months: the running month to its last day.
        assert_eq!(
            (query.from, query.to),
            (day("2025-03-01"), day("2026-11-30"))
        );
        assert_eq!(query.only, Some(IndicatorName::ReadmissionsWithin30Days));
        running.end_on = Some(day("2026-06-30"));
        let ended = binding
            .query(&running, day("2026-11-20"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ended.to, day("2026-06-30"));
        // Not started: the year up to today. Started long ago: the latest 120 months.
        let idea = project(ProjectStatus::Idea);
        let query = binding
            .query(&idea, day("2026-11-20"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(query.from, day("2025-11-01"));
        running.start_on = Some(day("2001-01-01"));
        running.end_on = None;
        let long = binding
            .query(&running, day("2026-11-20"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(long.from, day("2016-12-01"));
        assert_eq!(long.period_starts().len(), 120);
    }

    #[test]
    fn a_bound_measures_points_are_the_indicators_figures_with_stable_ids() {
        let measure = bound(ValueKind::Count).unwrap_or_else(|e| panic!("{e}"));
        let area = MunicipalityCode::parse("0682").unwrap_or_else(|e| panic!("{e}"));
        let cell = |month: &str, figure| IndicatorCell {
            indicator: IndicatorName::ReadmissionsWithin30Days,
            area,
            period_start: day(month),
            period_end: day(month),
            figure,
        };
        let cells = [
            cell("2026-01-01", indicator::Figure::Value(6.0)),
            cell("2026-02-01", indicator::Figure::Suppressed),
            cell("2026-03-01", indicator::Figure::Missing),
            cell("2026-04-01", indicator::Figure::Value(0.0)),
        ];
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let (points, suppressed) = measure.indicator_points(&cells, now);
        assert_eq!(suppressed, vec![day("2026-02-01")]);
        let periods: Vec<NaiveDate> = points.iter().map(|p| p.observation.period).collect();
        assert_eq!(periods, vec![day("2026-01-01"), day("2026-04-01")]);
        assert_eq!(points[0].observation.figure, Figure::Value(6.0));
        assert_eq!(
            points[0].recorded_by,
            "indicator:readmissions_within_30_days"
        );
        let (again, _) = measure.indicator_points(&cells, now);
        assert_eq!(again[0].id, points[0].id);
        assert_ne!(points[0].id, points[1].id);
    }
}
