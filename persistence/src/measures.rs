//! Measures of improvement projects and their data points with every revision: rows,
//! conversion and queries. A data point row holds the point as it stands; each change appends
//! a row to `data_point_revisions` in the same transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::improvement::measure::{
    DataPoint, DataPointRevision, Direction, Figure, IndicatorBinding, Measure, MeasureType,
    Observation, RevisionKind, ValueKind,
};
use domain::indicator::IndicatorName;
use domain::record::FreeText;
use uuid::Uuid;

use crate::connection::insert_all;
use crate::schema::{data_point_revisions, measure_data_points, measures};
use crate::text::{parse_uuid, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = measures, treat_none_as_null = true)]
struct MeasureRow {
    id: String,
    project_id: String,
    name: String,
    operational_definition: String,
    measure_type: String,
    unit_of_measure: String,
    value_kind: String,
    rate_multiplier: f64,
    direction: String,
    target: Option<f64>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    indicator: Option<String>,
    indicator_municipality: Option<String>,
}

impl From<&Measure> for MeasureRow {
    fn from(m: &Measure) -> Self {
        Self {
            id: m.id.to_string(),
            project_id: m.project_id.to_string(),
            name: m.name.as_str().to_owned(),
            operational_definition: m.operational_definition.as_str().to_owned(),
            measure_type: m.measure_type.as_str().to_owned(),
            unit_of_measure: m.unit_of_measure.as_str().to_owned(),
            value_kind: m.value_kind.as_str().to_owned(),
            rate_multiplier: m.rate_multiplier,
            direction: m.direction.as_str().to_owned(),
            target: m.target,
            version: m.version,
            created_at: m.created_at.naive_utc(),
            updated_at: m.updated_at.naive_utc(),
            indicator: m.indicator.map(|b| b.indicator.as_str().to_owned()),
            indicator_municipality: m.indicator.map(|b| b.municipality.as_str().to_owned()),
        }
    }
}

impl TryFrom<MeasureRow> for Measure {
    type Error = PersistenceError;

    fn try_from(row: MeasureRow) -> Result<Self, PersistenceError> {
        let text = |column: &str, value: &str| stored(column, FreeText::parse(value));
        Ok(Measure {
            id: parse_uuid(&row.id)?,
            project_id: parse_uuid(&row.project_id)?,
            name: text("measures.name", &row.name)?,
            operational_definition: text(
                "measures.operational_definition",
                &row.operational_definition,
            )?,
            measure_type: stored(
                "measures.measure_type",
                MeasureType::parse(&row.measure_type),
            )?,
            unit_of_measure: text("measures.unit_of_measure", &row.unit_of_measure)?,
            value_kind: stored("measures.value_kind", ValueKind::parse(&row.value_kind))?,
            rate_multiplier: row.rate_multiplier,
            direction: stored("measures.direction", Direction::parse(&row.direction))?,
            target: row.target,
            indicator: match (row.indicator, row.indicator_municipality) {
                (Some(indicator), Some(municipality)) => Some(IndicatorBinding {
                    indicator: stored("measures.indicator", IndicatorName::parse(&indicator))?,
                    municipality: stored(
                        "measures.indicator_municipality",
                        MunicipalityCode::parse(&municipality),
                    )?,
                }),
                _ => None,
            },
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert_measure(conn: &mut DbConnection, measure: &Measure) -> Result<(), PersistenceError> {
    diesel::insert_into(measures::table)
        .values(MeasureRow::from(measure))
        .execute(conn)?;
    Ok(())
}

pub fn find_measure(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<Measure>, PersistenceError> {
    measures::table
        .find(id.to_string())
        .select(MeasureRow::as_select())
        .first(conn)
        .optional()?
        .map(Measure::try_from)
        .transpose()
}

/// A project's measures in creation order.
pub fn measures_of(
    conn: &mut DbConnection,
    project_id: Uuid,
) -> Result<Vec<Measure>, PersistenceError> {
    measures::table
        .filter(measures::project_id.eq(project_id.to_string()))
        .order(measures::id)
        .select(MeasureRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Measure::try_from)
        .collect()
}

/// The columns of an observation: (period, value, numerator, denominator, annotation).
type ObservationColumns = (
    NaiveDate,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<String>,
);

fn observation_columns(o: &Observation) -> ObservationColumns {
    let (value, numerator, denominator) = match o.figure {
        Figure::Value(v) => (Some(v), None, None),
        Figure::Ratio {
            numerator,
            denominator,
        } => (None, Some(numerator), Some(denominator)),
    };
    (
        o.period,
        value,
        numerator,
        denominator,
        o.annotation.as_ref().map(|a| a.as_str().to_owned()),
    )
}

fn observation(table: &str, columns: ObservationColumns) -> Result<Observation, PersistenceError> {
    let (period, value, numerator, denominator, annotation) = columns;
    let figure = match (value, numerator, denominator) {
        (Some(v), None, None) => Figure::Value(v),
        (None, Some(numerator), Some(denominator)) => Figure::Ratio {
            numerator,
            denominator,
        },
        _ => {
            return Err(PersistenceError::Corrupt(format!(
                "{table}: a figure is a value or a numerator with a denominator"
            )));
        }
    };
    Ok(Observation {
        period,
        figure,
        annotation: annotation
            .map(|a| stored(&format!("{table}.annotation"), FreeText::parse(&a)))
            .transpose()?,
    })
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = measure_data_points, treat_none_as_null = true)]
struct PointRow {
    id: String,
    measure_id: String,
    period: NaiveDate,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    annotation: Option<String>,
    deleted: bool,
    version: i64,
    recorded_by: String,
    recorded_at: NaiveDateTime,
}

impl From<&DataPoint> for PointRow {
    fn from(p: &DataPoint) -> Self {
        let (period, value, numerator, denominator, annotation) =
            observation_columns(&p.observation);
        Self {
            id: p.id.to_string(),
            measure_id: p.measure_id.to_string(),
            period,
            value,
            numerator,
            denominator,
            annotation,
            deleted: p.deleted,
            version: p.version,
            recorded_by: p.recorded_by.clone(),
            recorded_at: p.recorded_at.naive_utc(),
        }
    }
}

impl TryFrom<PointRow> for DataPoint {
    type Error = PersistenceError;

    fn try_from(row: PointRow) -> Result<Self, PersistenceError> {
        Ok(DataPoint {
            id: parse_uuid(&row.id)?,
            measure_id: parse_uuid(&row.measure_id)?,
            observation: observation(
                "measure_data_points",
                (
                    row.period,
                    row.value,
                    row.numerator,
                    row.denominator,
                    row.annotation,
                ),
            )?,
            deleted: row.deleted,
            version: row.version,
            recorded_by: row.recorded_by,
            recorded_at: to_utc(row.recorded_at),
        })
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = data_point_revisions, treat_none_as_null = true)]
struct RevisionRow {
    data_point_id: String,
    version: i64,
    kind: String,
    period: NaiveDate,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    annotation: Option<String>,
    reason: Option<String>,
    recorded_by: String,
    recorded_at: NaiveDateTime,
}

impl From<&DataPointRevision> for RevisionRow {
    fn from(r: &DataPointRevision) -> Self {
        let (period, value, numerator, denominator, annotation) =
            observation_columns(&r.observation);
        Self {
            data_point_id: r.data_point_id.to_string(),
            version: r.version,
            kind: r.kind.as_str().to_owned(),
            period,
            value,
            numerator,
            denominator,
            annotation,
            reason: r.reason.as_ref().map(|t| t.as_str().to_owned()),
            recorded_by: r.recorded_by.clone(),
            recorded_at: r.recorded_at.naive_utc(),
        }
    }
}

impl TryFrom<RevisionRow> for DataPointRevision {
    type Error = PersistenceError;

    fn try_from(row: RevisionRow) -> Result<Self, PersistenceError> {
        Ok(DataPointRevision {
            data_point_id: parse_uuid(&row.data_point_id)?,
            version: row.version,
            kind: stored("data_point_revisions.kind", RevisionKind::parse(&row.kind))?,
            observation: observation(
                "data_point_revisions",
                (
                    row.period,
                    row.value,
                    row.numerator,
                    row.denominator,
                    row.annotation,
                ),
            )?,
            reason: row
                .reason
                .map(|r| stored("data_point_revisions.reason", FreeText::parse(&r)))
                .transpose()?,
            recorded_by: row.recorded_by,
            recorded_at: to_utc(row.recorded_at),
        })
    }
}

/// Adds data points with their first revisions (all in the caller's transaction).
pub fn insert_points(
    conn: &mut DbConnection,
    points: &[(DataPoint, DataPointRevision)],
) -> Result<(), PersistenceError> {
    let rows: Vec<&DataPoint> = points.iter().map(|(p, _)| p).collect();
    let revisions: Vec<&DataPointRevision> = points.iter().map(|(_, r)| r).collect();
    insert_all!(conn, measure_data_points::table, rows, PointRow)?;
    insert_all!(conn, data_point_revisions::table, revisions, RevisionRow)
}

impl From<&&DataPoint> for PointRow {
    fn from(p: &&DataPoint) -> Self {
        PointRow::from(*p)
    }
}

impl From<&&DataPointRevision> for RevisionRow {
    fn from(r: &&DataPointRevision) -> Self {
        RevisionRow::from(*r)
    }
}

/// The data points of a measure in period order (then creation order): the standing ones,
/// and the deleted ones too when `include_deleted`.
pub fn points_of(
    conn: &mut DbConnection,
    measure_id: Uuid,
    include_deleted: bool,
) -> Result<Vec<DataPoint>, PersistenceError> {
    let mut query = measure_data_points::table
        .filter(measure_data_points::measure_id.eq(measure_id.to_string()))
        .into_boxed();
    if !include_deleted {
        query = query.filter(measure_data_points::deleted.eq(false));
    }
    query
        .order((measure_data_points::period, measure_data_points::id))
        .select(PointRow::as_select())
        .load(conn)?
        .into_iter()
        .map(DataPoint::try_from)
        .collect()
}

/// Data point `id` of measure `measure_id`, deleted or not.
pub fn find_point(
    conn: &mut DbConnection,
    measure_id: Uuid,
    id: Uuid,
) -> Result<Option<DataPoint>, PersistenceError> {
    measure_data_points::table
        .find(id.to_string())
        .filter(measure_data_points::measure_id.eq(measure_id.to_string()))
        .select(PointRow::as_select())
        .first(conn)
        .optional()?
        .map(DataPoint::try_from)
        .transpose()
}

/// Writes an amended point if the stored row is still at the version before it, and appends
/// its revision.
pub fn amend_point(
    conn: &mut DbConnection,
    point: &DataPoint,
    revision: &DataPointRevision,
) -> Result<(), PersistenceError> {
    let row = PointRow::from(point);
    let changed = diesel::update(measure_data_points::table.find(&row.id))
        .filter(measure_data_points::version.eq(point.version - 1))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    diesel::insert_into(data_point_revisions::table)
        .values(RevisionRow::from(revision))
        .execute(conn)?;
    Ok(())
}

/// Every revision of a data point, oldest first.
pub fn history(
    conn: &mut DbConnection,
    data_point_id: Uuid,
) -> Result<Vec<DataPointRevision>, PersistenceError> {
    data_point_revisions::table
        .filter(data_point_revisions::data_point_id.eq(data_point_id.to_string()))
        .order(data_point_revisions::version)
        .select(RevisionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(DataPointRevision::try_from)
        .collect()
}
