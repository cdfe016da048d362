//! The participants of network meetings: rows, conversion and queries. A meeting's
//! participants are listed in invitation order (UUID v7 ids).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::meeting::participant::{
    Attendance, Invitee, Participant, ParticipantKind, Representative, RepresentativeRole,
    ResponseStatus,
};
use domain::record::FreeText;
use uuid::Uuid;

use crate::schema::meeting_participants;
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = meeting_participants, treat_none_as_null = true)]
struct ParticipantRow {
    id: String,
    meeting_id: String,
    kind: String,
    staff_id: Option<String>,
    care_unit_id: Option<String>,
    organization_id: Option<String>,
    representative_name: Option<String>,
    representative_role: Option<String>,
    consent_to_be_named: Option<bool>,
    response: String,
    attendance: Option<String>,
    invited_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    person_id: Option<String>,
}

impl From<&Participant> for ParticipantRow {
    fn from(participant: &Participant) -> Self {
        let id_of = |kind: ParticipantKind| {
            (participant.invitee.kind() == kind)
                .then(|| participant.invitee.directory_id())
                .flatten()
                .map(|id| id.to_string())
        };
        let representative = match &participant.invitee {
            Invitee::Representative(r) => Some(r),
            _ => None,
        };
        Self {
            id: participant.id.to_string(),
            meeting_id: participant.meeting_id.to_string(),
            kind: participant.invitee.kind().as_str().to_owned(),
            staff_id: id_of(ParticipantKind::Staff),
            care_unit_id: id_of(ParticipantKind::CareUnit),
            organization_id: id_of(ParticipantKind::Organization),
            // A name not kept (no consent to be named) is the empty string: the table's CHECK
            // wants the column set for a representative (migration 000024).
            representative_name: representative.map(|r| {
                r.name
                    .as_ref()
                    .map_or_else(String::new, |name| name.as_str().to_owned())
            }),
            representative_role: representative.map(|r| r.role.as_str().to_owned()),
            consent_to_be_named: representative.map(Representative::consents_to_be_named),
            response: participant.response.as_str().to_owned(),
            attendance: participant.attendance.map(|a| a.as_str().to_owned()),
            invited_by: participant.invited_by.clone(),
            version: participant.version,
            created_at: participant.created_at.naive_utc(),
            updated_at: participant.updated_at.naive_utc(),
            person_id: id_of(ParticipantKind::Person),
        }
    }
}

impl TryFrom<ParticipantRow> for Participant {
    type Error = PersistenceError;

    fn try_from(row: ParticipantRow) -> Result<Self, PersistenceError> {
        let corrupt = |what: &str| {
            PersistenceError::Corrupt(format!("meeting_participants {}: {what}", row.id))
        };
        let kind = stored(
            "meeting_participants.kind",
            ParticipantKind::parse(&row.kind),
        )?;
        let required = |id: Option<Uuid>| id.ok_or_else(|| corrupt("no id for its kind"));
        let invitee = match kind {
            ParticipantKind::Staff => {
                Invitee::Staff(required(parse_optional_uuid(row.staff_id.as_deref())?)?)
            }
            ParticipantKind::CareUnit => {
                Invitee::CareUnit(required(parse_optional_uuid(row.care_unit_id.as_deref())?)?)
            }
            ParticipantKind::Organization => Invitee::Organization(required(parse_optional_uuid(
                row.organization_id.as_deref(),
            )?)?),
            ParticipantKind::Person => {
                Invitee::Person(required(parse_optional_uuid(row.person_id.as_deref())?)?)
            }
            ParticipantKind::Representative => {
                let (Some(role), Some(consent)) =
                    (row.representative_role.as_deref(), row.consent_to_be_named)
                else {
                    return Err(corrupt("a representative without role or consent"));
                };
                // Her name is read only under her consent (migration 000024 erased those
                // kept without it, leaving the empty string).
                let name = match (consent, row.representative_name.as_deref()) {
                    (false, _) => None,
                    (true, None) => {
                        return Err(corrupt("a representative named with consent has no name"));
                    }
                    (true, Some(name)) => Some(stored(
                        "meeting_participants.representative_name",
                        FreeText::parse(name),
                    )?),
                };
                Invitee::Representative(Representative {
                    name,
                    role: stored(
                        "meeting_participants.representative_role",
                        RepresentativeRole::parse(role),
                    )?,
                })
            }
        };
        Ok(Participant {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            invitee,
            response: stored(
                "meeting_participants.response",
                ResponseStatus::parse(&row.response),
            )?,
            attendance: row
                .attendance
                .as_deref()
                .map(|a| stored("meeting_participants.attendance", Attendance::parse(a)))
                .transpose()?,
            invited_by: row.invited_by,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert(conn: &mut DbConnection, participant: &Participant) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_participants::table)
        .values(ParticipantRow::from(participant))
        .execute(conn)?;
    Ok(())
}

/// The participant `id` of meeting `meeting_id`.
pub fn find_by_id(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    id: Uuid,
) -> Result<Option<Participant>, PersistenceError> {
    meeting_participants::table
        .find(id.to_string())
        .filter(meeting_participants::meeting_id.eq(meeting_id.to_string()))
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()?
        .map(Participant::try_from)
        .transpose()
}

/// Every participant of a meeting, in invitation order (what a rule over all of them needs).
pub fn all_of(
    conn: &mut DbConnection,
    meeting_id: Uuid,
) -> Result<Vec<Participant>, PersistenceError> {
    meeting_participants::table
        .filter(meeting_participants::meeting_id.eq(meeting_id.to_string()))
        .order(meeting_participants::id.asc())
        .select(ParticipantRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Participant::try_from)
        .collect()
}

/// A page of a meeting's participants in invitation order.
pub fn list(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    page: PageRequest,
) -> Result<Page<Participant>, PersistenceError> {
    let mut query = meeting_participants::table
        .filter(meeting_participants::meeting_id.eq(meeting_id.to_string()))
        .select(ParticipantRow::as_select())
        .into_boxed();
    if let Some(after) = page.after_text() {
        query = query.filter(meeting_participants::id.gt(after));
    }
    let rows = query
        .order(meeting_participants::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, Participant::try_from)
}

/// Writes `participant` over the stored row if that row is still at `participant.version`;
/// returns the participant as stored, with the next version.
pub fn update(
    conn: &mut DbConnection,
    participant: &Participant,
) -> Result<Participant, PersistenceError> {
    let mut row = ParticipantRow::from(participant);
    row.version = participant.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(meeting_participants::table.find(&row.id))
        .filter(meeting_participants::version.eq(participant.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    Participant::try_from(row)
}
