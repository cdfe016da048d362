//! Recurring meetings: the series (its rule) and the link from each occurrence's row in
//! `meetings` to its series and RECURRENCE-ID. The occurrences themselves are written and read
//! through [`crate::meetings`].

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::meeting::series::{MeetingSeries, OccurrenceMeeting, Schedule};
use domain::meeting::{Meeting, MeetingKind, VideoLink};
use domain::record::FreeText;
use uuid::Uuid;

use crate::connection::insert_all;
use crate::schema::{meeting_occurrences, meeting_series};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, PersistenceError, meetings};

/// RFC 5545 basic form of a local date-time, as `exdates` keeps them.
const BASIC_FORM: &str = "%Y%m%dT%H%M%S";

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_series)]
struct SeriesRow {
    id: String,
    kind: String,
    title: String,
    description: Option<String>,
    rrule: String,
    starts_local: NaiveDateTime,
    duration_minutes: i32,
    exdates: String,
    place: Option<String>,
    video_link: Option<String>,
    host_municipality_code: Option<String>,
    host_organization_id: Option<String>,
    organizer_id: Option<String>,
    created_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&MeetingSeries> for SeriesRow {
    fn from(series: &MeetingSeries) -> Self {
        let text = |value: &Option<FreeText>| value.as_ref().map(|t| t.as_str().to_owned());
        let schedule = &series.schedule;
        Self {
            id: series.id.to_string(),
            kind: series.kind.as_str().to_owned(),
            title: series.title.as_str().to_owned(),
            description: text(&series.description),
            rrule: schedule.rule().to_owned(),
            starts_local: schedule.starts_local,
            duration_minutes: i32::try_from(schedule.duration_minutes).unwrap_or(i32::MAX),
            exdates: schedule
                .exdates
                .iter()
                .map(|d| d.format(BASIC_FORM).to_string())
                .collect::<Vec<_>>()
                .join(","),
            place: text(&series.place),
            video_link: series.video_link.as_ref().map(|l| l.as_str().to_owned()),
            host_municipality_code: series.host_municipality.map(|m| m.as_str().to_owned()),
            host_organization_id: series.host_organization_id.map(|id| id.to_string()),
            organizer_id: series.organizer_id.map(|id| id.to_string()),
            created_by: series.created_by.clone(),
            version: series.version,
            created_at: series.created_at.naive_utc(),
            updated_at: series.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<SeriesRow> for MeetingSeries {
    type Error = PersistenceError;

    fn try_from(row: SeriesRow) -> Result<Self, PersistenceError> {
        let text = |column: &str, value: Option<String>| {
            value
                .map(|t| stored(column, FreeText::parse(&t)))
                .transpose()
        };
        let exdates = row
            .exdates
            .split(',')
            .filter(|d| !d.is_empty())
            .map(|d| {
                NaiveDateTime::parse_from_str(d, BASIC_FORM)
                    .map_err(|e| PersistenceError::Corrupt(format!("meeting_series.exdates: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MeetingSeries {
            id: parse_uuid(&row.id)?,
            kind: stored("meeting_series.kind", MeetingKind::parse(&row.kind))?,
            title: stored("meeting_series.title", FreeText::parse(&row.title))?,
            description: text("meeting_series.description", row.description)?,
            schedule: Schedule::from_stored(
                row.rrule,
                row.starts_local,
                i64::from(row.duration_minutes),
                exdates,
            ),
            place: text("meeting_series.place", row.place)?,
            video_link: row
                .video_link
                .map(|l| stored("meeting_series.video_link", VideoLink::parse(&l)))
                .transpose()?,
            host_municipality: row
                .host_municipality_code
                .map(|code| {
                    stored(
                        "meeting_series.host_municipality_code",
                        MunicipalityCode::parse(&code),
                    )
                })
                .transpose()?,
            host_organization_id: parse_optional_uuid(row.host_organization_id.as_deref())?,
            organizer_id: parse_optional_uuid(row.organizer_id.as_deref())?,
            created_by: row.created_by,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_occurrences)]
struct OccurrenceRow {
    meeting_id: String,
    series_id: String,
    recurrence_id: NaiveDateTime,
}

impl From<&OccurrenceMeeting> for OccurrenceRow {
    fn from(occurrence: &OccurrenceMeeting) -> Self {
        Self {
            meeting_id: occurrence.meeting.id.to_string(),
            series_id: occurrence.series_id.to_string(),
            recurrence_id: occurrence.recurrence_id.naive_utc(),
        }
    }
}

/// Where a meeting stands in its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccurrenceLink {
    pub series_id: Uuid,
    pub recurrence_id: chrono::DateTime<Utc>,
}

/// Stores a new series and its occurrences (meetings and links).
pub fn insert(
    conn: &mut DbConnection,
    series: &MeetingSeries,
    occurrences: &[OccurrenceMeeting],
) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_series::table)
        .values(SeriesRow::from(series))
        .execute(conn)?;
    for occurrence in occurrences {
        meetings::insert(conn, &occurrence.meeting)?;
    }
    insert_all!(conn, meeting_occurrences::table, occurrences, OccurrenceRow)
}

pub fn find_by_id(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<MeetingSeries>, PersistenceError> {
    meeting_series::table
        .find(id.to_string())
        .select(SeriesRow::as_select())
        .first(conn)
        .optional()?
        .map(MeetingSeries::try_from)
        .transpose()
}

/// The series of these ids (those that exist), by id.
pub fn find_many(
    conn: &mut DbConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, MeetingSeries>, PersistenceError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(crate::ROWS_PER_STATEMENT) {
        let keys: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        for row in meeting_series::table
            .filter(meeting_series::id.eq_any(keys))
            .select(SeriesRow::as_select())
            .load(conn)?
        {
            let series = MeetingSeries::try_from(row)?;
            found.insert(series.id, series);
        }
    }
    Ok(found)
}

/// The series links of those of these meetings that are occurrences, by meeting id.
pub fn links(
    conn: &mut DbConnection,
    meeting_ids: &[Uuid],
) -> Result<HashMap<Uuid, OccurrenceLink>, PersistenceError> {
    let mut found = HashMap::new();
    for chunk in meeting_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let keys: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        for row in meeting_occurrences::table
            .filter(meeting_occurrences::meeting_id.eq_any(keys))
            .select(OccurrenceRow::as_select())
            .load(conn)?
        {
            found.insert(
                parse_uuid(&row.meeting_id)?,
                OccurrenceLink {
                    series_id: parse_uuid(&row.series_id)?,
                    recurrence_id: to_utc(row.recurrence_id),
                },
            );
        }
    }
    Ok(found)
}

/// The meeting ids of every occurrence of these series, by series id.
pub fn occurrence_ids(
    conn: &mut DbConnection,
    series_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, PersistenceError> {
    let mut found: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in series_ids.chunks(crate::ROWS_PER_STATEMENT) {
        let keys: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        for row in meeting_occurrences::table
            .filter(meeting_occurrences::series_id.eq_any(keys))
            .select(OccurrenceRow::as_select())
            .load(conn)?
        {
            found
                .entry(parse_uuid(&row.series_id)?)
                .or_default()
                .push(parse_uuid(&row.meeting_id)?);
        }
    }
    Ok(found)
}

/// Every occurrence of a series in RECURRENCE-ID order, as it stands now (moved, cancelled).
pub fn occurrences(
    conn: &mut DbConnection,
    series_id: Uuid,
) -> Result<Vec<OccurrenceMeeting>, PersistenceError> {
    let rows: Vec<OccurrenceRow> = meeting_occurrences::table
        .filter(meeting_occurrences::series_id.eq(series_id.to_string()))
        .order(meeting_occurrences::recurrence_id.asc())
        .select(OccurrenceRow::as_select())
        .load(conn)?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let meeting_id = parse_uuid(&row.meeting_id)?;
        let meeting: Meeting = meetings::find_by_id(conn, meeting_id)?.ok_or_else(|| {
            PersistenceError::Corrupt(format!("occurrence {meeting_id} has no meeting"))
        })?;
        found.push(OccurrenceMeeting {
            meeting,
            series_id,
            recurrence_id: to_utc(row.recurrence_id),
        });
    }
    Ok(found)
}
