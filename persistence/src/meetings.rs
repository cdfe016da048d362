//! The network's meetings: rows, conversion and queries. Lists run in start order.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::meeting::{CaseSubject, Meeting, MeetingKind, MeetingStatus, VideoLink};
use domain::record::{FreeText, Recorder};
use uuid::Uuid;

use crate::schema::{care_relationships, meeting_participants, meetings};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = meetings, treat_none_as_null = true)]
struct MeetingRow {
    id: String,
    kind: String,
    title: String,
    description: Option<String>,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    place: Option<String>,
    video_link: Option<String>,
    host_municipality_code: Option<String>,
    host_organization_id: Option<String>,
    organizer_id: Option<String>,
    status: String,
    cancel_reason: Option<String>,
    esther_present: Option<bool>,
    created_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    person_id: Option<String>,
    recorded_by_unit_id: Option<String>,
    recorded_by_organization_id: Option<String>,
}

impl From<&Meeting> for MeetingRow {
    fn from(meeting: &Meeting) -> Self {
        let text = |value: &Option<FreeText>| value.as_ref().map(|t| t.as_str().to_owned());
        let about = meeting.about.as_ref();
        let recorded_by = about.map(|subject| &subject.recorded_by);
        Self {
            id: meeting.id.to_string(),
            kind: meeting.kind.as_str().to_owned(),
            title: meeting.title.as_str().to_owned(),
            description: text(&meeting.description),
            starts_at: meeting.starts_at.naive_utc(),
            ends_at: meeting.ends_at.naive_utc(),
            place: text(&meeting.place),
            video_link: meeting.video_link.as_ref().map(|l| l.as_str().to_owned()),
            host_municipality_code: meeting.host_municipality.map(|m| m.as_str().to_owned()),
            host_organization_id: meeting.host_organization_id.map(|id| id.to_string()),
            organizer_id: meeting.organizer_id.map(|id| id.to_string()),
            status: meeting.status.as_str().to_owned(),
            cancel_reason: text(&meeting.cancel_reason),
            esther_present: meeting.esther_present,
            created_by: meeting.created_by.clone(),
            version: meeting.version,
            created_at: meeting.created_at.naive_utc(),
            updated_at: meeting.updated_at.naive_utc(),
            person_id: about.map(|subject| subject.person_id.to_string()),
            recorded_by_unit_id: recorded_by.and_then(|r| r.unit_id).map(|id| id.to_string()),
            recorded_by_organization_id: recorded_by
                .and_then(|r| r.organization_id)
                .map(|id| id.to_string()),
        }
    }
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = PersistenceError;

    fn try_from(row: MeetingRow) -> Result<Self, PersistenceError> {
        let text = |column: &str, value: Option<String>| {
            value
                .map(|t| stored(column, FreeText::parse(&t)))
                .transpose()
        };
        let about = case_subject(
            row.person_id.as_deref(),
            &row.created_by,
            row.recorded_by_unit_id.as_deref(),
            row.recorded_by_organization_id.as_deref(),
        )?;
        Ok(Meeting {
            id: parse_uuid(&row.id)?,
            kind: stored("meetings.kind", MeetingKind::parse(&row.kind))?,
            title: stored("meetings.title", FreeText::parse(&row.title))?,
            description: text("meetings.description", row.description)?,
            starts_at: to_utc(row.starts_at),
            ends_at: to_utc(row.ends_at),
            place: text("meetings.place", row.place)?,
            video_link: row
                .video_link
                .map(|l| stored("meetings.video_link", VideoLink::parse(&l)))
                .transpose()?,
            host_municipality: row
                .host_municipality_code
                .map(|code| {
                    stored(
                        "meetings.host_municipality_code",
                        MunicipalityCode::parse(&code),
                    )
                })
                .transpose()?,
            host_organization_id: parse_optional_uuid(row.host_organization_id.as_deref())?,
            organizer_id: parse_optional_uuid(row.organizer_id.as_deref())?,
            status: stored("meetings.status", MeetingStatus::parse(&row.status))?,
            cancel_reason: text("meetings.cancel_reason", row.cancel_reason)?,
            esther_present: row.esther_present,
            created_by: row.created_by,
            about,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

/// A staff member as invitations reach her: by name, through her care unit, through its
/// organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitee {
    pub staff_id: Uuid,
    pub care_unit_id: Uuid,
    pub organization_id: Uuid,
}

/// Which meetings a list returns. Meetings overlapping `[from, to)` are listed when either is
/// given.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub kind: Option<MeetingKind>,
    pub status: Option<MeetingStatus>,
    pub host_municipality: Option<MunicipalityCode>,
    pub host_organization_id: Option<Uuid>,
    pub organizer_id: Option<Uuid>,
    /// Held meetings where Esther or someone speaking for her took part (`true`) or not.
    pub esther_present: Option<bool>,
    /// Meetings a staff member is invited to: herself, or through her unit or organization.
    pub participant: Option<Invitee>,
    /// Meetings the registered person is invited to herself (her own list).
    pub invited_person: Option<Uuid>,
    /// Case conferences about a registered person only where this unit cares for her now
    /// (`Some(None)`: none at all); `None`: no such restriction. A list leaves out, before
    /// paging, what its caller could not see anyway, so a page's cursor never points at a
    /// conference the caller may not know of.
    pub conferences_cared_for_by: Option<Option<Uuid>>,
    /// Meetings that end after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Meetings that start before this instant.
    pub to: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut DbConnection, meeting: &Meeting) -> Result<(), PersistenceError> {
    diesel::insert_into(meetings::table)
        .values(MeetingRow::from(meeting))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: Uuid) -> Result<Option<Meeting>, PersistenceError> {
    meetings::table
        .find(id.to_string())
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()?
        .map(Meeting::try_from)
        .transpose()
}

/// The condition on meetings that a list shows, before paging, to a caller of unit `unit`
/// (`MeetingFilter::conferences_cared_for_by`): meetings naming nobody, and case conferences
/// about a person only where `unit` (its id as stored) cares for her now. A list pages over
/// what this leaves, so its cursor never points at a conference the caller may not know of;
/// the record's access rules then decide on each conference left
/// (`api::routes::meetings::conference::shown`).
#[diesel::dsl::auto_type]
pub fn shown_to_unit(unit: String) -> _ {
    let cared_for: cared_for_by = cared_for_by(unit);
    meetings::person_id
        .is_null()
        .or(meetings::person_id.eq_any(cared_for))
}

/// The persons unit `unit` (its id as stored) has a care relationship in force with.
#[diesel::dsl::auto_type]
fn cared_for_by(unit: String) -> _ {
    care_relationships::table
        .filter(care_relationships::care_unit_id.eq(unit))
        .filter(care_relationships::ended_at.is_null())
        .select(care_relationships::person_id.nullable())
}

/// Whom meeting `id` is about: `None` when there is no such meeting, `Some(None)` when it names
/// nobody (a network meeting), `Some(Some(person))` for a case conference about her. The person
/// is fixed once named, so the answer holds for the rest of a request.
pub fn person_of(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<Option<Uuid>>, PersistenceError> {
    let person: Option<Option<String>> = meetings::table
        .find(id.to_string())
        .select(meetings::person_id)
        .first(conn)
        .optional()?;
    person
        .map(|person| parse_optional_uuid(person.as_deref()))
        .transpose()
}

/// A meeting's id, person, creator and the creator's unit and organization, as stored.
type SubjectColumns = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

/// The persons the meetings among `ids` are about (and who scheduled them), by meeting id;
/// meetings that name nobody are left out.
pub fn subjects_of(
    conn: &mut DbConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, CaseSubject>, PersistenceError> {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let rows: Vec<SubjectColumns> = meetings::table
        .filter(meetings::id.eq_any(ids))
        .filter(meetings::person_id.is_not_null())
        .select((
            meetings::id,
            meetings::person_id,
            meetings::created_by,
            meetings::recorded_by_unit_id,
            meetings::recorded_by_organization_id,
        ))
        .load(conn)?;
    let mut subjects = std::collections::HashMap::new();
    for (id, person, created_by, unit, organization) in rows {
        let subject = case_subject(
            person.as_deref(),
            &created_by,
            unit.as_deref(),
            organization.as_deref(),
        )?;
        if let Some(subject) = subject {
            subjects.insert(parse_uuid(&id)?, subject);
        }
    }
    Ok(subjects)
}

/// The person a meeting's row names and who scheduled it, from the stored columns.
fn case_subject(
    person_id: Option<&str>,
    created_by: &str,
    unit_id: Option<&str>,
    organization_id: Option<&str>,
) -> Result<Option<CaseSubject>, PersistenceError> {
    let Some(person_id) = parse_optional_uuid(person_id)? else {
        return Ok(None);
    };
    Ok(Some(CaseSubject {
        person_id,
        recorded_by: Recorder {
            subject: created_by.to_owned(),
            unit_id: parse_optional_uuid(unit_id)?,
            organization_id: parse_optional_uuid(organization_id)?,
        },
    }))
}

/// The meeting, its row locked until the transaction ends, so that changes to its
/// participants (and what they decide about the meeting) are made one at a time. Every
/// statement after this one sees what was committed before the lock was granted.
pub fn find_for_change(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<Meeting>, PersistenceError> {
    // A write that changes nothing takes the row lock on both backends (SQLite's write
    // transaction holds the database's anyway).
    diesel::update(meetings::table.find(id.to_string()))
        .set(meetings::id.eq(meetings::id))
        .execute(conn)?;
    find_by_id(conn, id)
}

/// A page of meetings in start order (then id). The page continues after the meeting
/// `page.after` as it starts now: a meeting moved meanwhile may show up again or be passed.
pub fn list(
    conn: &mut DbConnection,
    filter: &MeetingFilter,
    page: PageRequest,
) -> Result<Page<Meeting>, PersistenceError> {
    let after = match page.after_text() {
        None => None,
        Some(after) => {
            let starts_at = meetings::table
                .find(&after)
                .select(meetings::starts_at)
                .first::<NaiveDateTime>(conn)
                .optional()?;
            // Meetings are never deleted; a cursor naming none has nothing after it.
            let Some(starts_at) = starts_at else {
                return Ok(Page {
                    items: Vec::new(),
                    has_more: false,
                });
            };
            Some((starts_at, after))
        }
    };
    let mut query = meetings::table.select(MeetingRow::as_select()).into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(meetings::kind.eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(meetings::status.eq(status.as_str()));
    }
    if let Some(municipality) = filter.host_municipality {
        query = query.filter(meetings::host_municipality_code.eq(municipality.as_str()));
    }
    if let Some(organization) = filter.host_organization_id {
        query = query.filter(meetings::host_organization_id.eq(organization.to_string()));
    }
    if let Some(organizer) = filter.organizer_id {
        query = query.filter(meetings::organizer_id.eq(organizer.to_string()));
    }
    if let Some(invitee) = filter.participant {
        let invited = meeting_participants::table
            .filter(
                meeting_participants::staff_id
                    .eq(invitee.staff_id.to_string())
                    .or(meeting_participants::care_unit_id.eq(invitee.care_unit_id.to_string()))
                    .or(meeting_participants::organization_id
                        .eq(invitee.organization_id.to_string())),
            )
            .select(meeting_participants::meeting_id);
        query = query.filter(meetings::id.eq_any(invited));
    }
    if let Some(person) = filter.invited_person {
        let invited = meeting_participants::table
            .filter(meeting_participants::person_id.eq(person.to_string()))
            .select(meeting_participants::meeting_id);
        query = query.filter(meetings::id.eq_any(invited));
    }
    if let Some(present) = filter.esther_present {
        query = query.filter(meetings::esther_present.eq(present));
    }
    match filter.conferences_cared_for_by {
        None => {}
        Some(None) => query = query.filter(meetings::person_id.is_null()),
        Some(Some(unit)) => query = query.filter(shown_to_unit(unit.to_string())),
    }
    if let Some(from) = filter.from {
        query = query.filter(meetings::ends_at.gt(from.naive_utc()));
    }
    if let Some(to) = filter.to {
        query = query.filter(meetings::starts_at.lt(to.naive_utc()));
    }
    if let Some((starts_at, id)) = after {
        query = query.filter(
            meetings::starts_at
                .gt(starts_at)
                .or(meetings::starts_at.eq(starts_at).and(meetings::id.gt(id))),
        );
    }
    let rows = query
        .order((meetings::starts_at.asc(), meetings::id.asc()))
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, Meeting::try_from)
}

/// Writes `meeting` over the stored row if that row is still at `meeting.version`; returns the
/// meeting as stored, with the next version.
pub fn update(conn: &mut DbConnection, meeting: &Meeting) -> Result<Meeting, PersistenceError> {
    let mut row = MeetingRow::from(meeting);
    row.version = meeting.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(meetings::table.find(&row.id))
        .filter(meetings::version.eq(meeting.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    Meeting::try_from(row)
}

/// Held meetings that start between `from` and `to` (UTC), for the network's indicators.
/// A meeting's stored host municipality code as a code.
pub(crate) fn host_of(code: Option<String>) -> Result<Option<MunicipalityCode>, PersistenceError> {
    code.map(|c| {
        stored(
            "meetings.host_municipality_code",
            MunicipalityCode::parse(&c),
        )
    })
    .transpose()
}

pub fn held_between(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<domain::indicator::HeldMeeting>, PersistenceError> {
    let rows: Vec<(String, Option<String>, NaiveDateTime, Option<bool>)> = meetings::table
        .filter(meetings::status.eq(MeetingStatus::Held.as_str()))
        .filter(meetings::starts_at.ge(from))
        .filter(meetings::starts_at.le(to))
        .select((
            meetings::kind,
            meetings::host_municipality_code,
            meetings::starts_at,
            meetings::esther_present,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, host, starts_at, esther_present)| {
            Ok(domain::indicator::HeldMeeting {
                kind: stored("meetings.kind", MeetingKind::parse(&kind))?,
                host: host_of(host)?,
                starts_at: to_utc(starts_at),
                esther_present,
            })
        })
        .collect()
}
