//! Coordination cases, their messages and the recipients' answers.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::discharge::{
    CaseMessage, CaseState, CoordinationCase, InpatientCare, MessageKind, PayingDecision,
    Recipient, RecipientStatus,
};
use domain::record::FreeText;
use uuid::Uuid;

use crate::schema::{
    blocks, case_care_relationships, case_message_recipients, case_messages, coordination_cases,
};
use crate::text::{parse_uuid, stored, to_utc};
use crate::{DbConnection, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = coordination_cases, treat_none_as_null = true)]
struct CaseRow {
    id: String,
    person_id: String,
    hospital_unit_id: String,
    care_kind: String,
    state: String,
    admitted_at: NaiveDateTime,
    assessed_at: Option<NaiveDateTime>,
    expected_discharge_date: Option<NaiveDate>,
    opened_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    paying_municipality_code: Option<String>,
    paying_reason: Option<String>,
    paying_decided_by: Option<String>,
    paying_decided_at: Option<NaiveDateTime>,
    paying_decided_by_unit_id: Option<String>,
}

impl From<&CoordinationCase> for CaseRow {
    fn from(c: &CoordinationCase) -> Self {
        Self {
            id: c.id.to_string(),
            person_id: c.person_id.to_string(),
            hospital_unit_id: c.hospital_unit_id.to_string(),
            care_kind: c.care.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            admitted_at: c.admitted_at.naive_utc(),
            assessed_at: c.assessed_at.map(|at| at.naive_utc()),
            expected_discharge_date: c.expected_discharge_date,
            opened_by: c.opened_by.clone(),
            version: c.version,
            created_at: c.created_at.naive_utc(),
            updated_at: c.updated_at.naive_utc(),
            paying_municipality_code: c
                .paying_decision
                .as_ref()
                .map(|d| d.municipality.as_str().to_owned()),
            paying_reason: c
                .paying_decision
                .as_ref()
                .map(|d| d.reason.as_str().to_owned()),
            paying_decided_by: c.paying_decision.as_ref().map(|d| d.decided_by.clone()),
            paying_decided_at: c.paying_decision.as_ref().map(|d| d.decided_at.naive_utc()),
            paying_decided_by_unit_id: c
                .paying_decision
                .as_ref()
                .and_then(|d| d.decided_for_unit)
                .map(|unit| unit.to_string()),
        }
    }
}

/// The recorded paying decision: all four columns, or none (the unit it was recorded for may be
/// absent in either case).
fn paying_decision(
    municipality: Option<String>,
    reason: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
    decided_for_unit: Option<String>,
) -> Result<Option<PayingDecision>, PersistenceError> {
    match (municipality, reason, decided_by, decided_at) {
        (None, None, None, None) => Ok(None),
        (Some(municipality), Some(reason), Some(decided_by), Some(decided_at)) => {
            Ok(Some(PayingDecision {
                municipality: stored(
                    "coordination_cases.paying_municipality_code",
                    MunicipalityCode::parse(&municipality),
                )?,
                reason: stored("coordination_cases.paying_reason", FreeText::parse(&reason))?,
                decided_by,
                decided_at: to_utc(decided_at),
                decided_for_unit: decided_for_unit.as_deref().map(parse_uuid).transpose()?,
            }))
        }
        _ => Err(PersistenceError::Corrupt(
            "coordination_cases: a paying decision is stored in part".into(),
        )),
    }
}

impl TryFrom<CaseRow> for CoordinationCase {
    type Error = PersistenceError;

    fn try_from(row: CaseRow) -> Result<Self, PersistenceError> {
        Ok(CoordinationCase {
            id: parse_uuid(&row.id)?,
            person_id: parse_uuid(&row.person_id)?,
            hospital_unit_id: parse_uuid(&row.hospital_unit_id)?,
            care: stored(
                "coordination_cases.care_kind",
                InpatientCare::parse(&row.care_kind),
            )?,
            state: stored("coordination_cases.state", CaseState::parse(&row.state))?,
            admitted_at: to_utc(row.admitted_at),
            assessed_at: row.assessed_at.map(to_utc),
            expected_discharge_date: row.expected_discharge_date,
            opened_by: row.opened_by,
            paying_decision: paying_decision(
                row.paying_municipality_code,
                row.paying_reason,
                row.paying_decided_by,
                row.paying_decided_at,
                row.paying_decided_by_unit_id,
            )?,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert_case(
    conn: &mut DbConnection,
    case: &CoordinationCase,
) -> Result<(), PersistenceError> {
    diesel::insert_into(coordination_cases::table)
        .values(CaseRow::from(case))
        .execute(conn)?;
    Ok(())
}

pub fn find_case(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<CoordinationCase>, PersistenceError> {
    coordination_cases::table
        .find(id.to_string())
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?
        .map(CoordinationCase::try_from)
        .transpose()
}

/// The person a case is about, without loading the case: the access rules start from her.
pub fn person_of_case(conn: &mut DbConnection, id: Uuid) -> Result<Option<Uuid>, PersistenceError> {
    let person: Option<String> = coordination_cases::table
        .find(id.to_string())
        .select(coordination_cases::person_id)
        .first(conn)
        .optional()?;
    person.map(|p| parse_uuid(&p)).transpose()
}

/// Writes `case` over the stored row if it is still at `case.version`; returns it as stored.
/// A case changes only by a message sent in it, decided on the case as read: when another
/// message got in first, the case is no longer in the state the decision started from
/// (`StateConflict`).
pub fn update_case(
    conn: &mut DbConnection,
    case: &CoordinationCase,
) -> Result<CoordinationCase, PersistenceError> {
    let mut row = CaseRow::from(case);
    row.version = case.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(coordination_cases::table.find(&row.id))
        .filter(coordination_cases::version.eq(case.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::StateConflict);
    }
    CoordinationCase::try_from(row)
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_messages)]
struct MessageRow {
    id: String,
    case_id: String,
    kind: String,
    text: Option<String>,
    sent_by: String,
    sent_by_unit: String,
    sent_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_message_recipients)]
struct RecipientRow {
    message_id: String,
    unit_id: String,
    status: String,
    answered_by: Option<String>,
    answered_at: Option<NaiveDateTime>,
    retract_reason: Option<String>,
}

pub fn insert_message(
    conn: &mut DbConnection,
    message: &CaseMessage,
) -> Result<(), PersistenceError> {
    let row = MessageRow {
        id: message.id.to_string(),
        case_id: message.case_id.to_string(),
        kind: message.kind.as_str().to_owned(),
        text: message.text.as_ref().map(ToString::to_string),
        sent_by: message.sent_by.clone(),
        sent_by_unit: message.sent_by_unit.to_string(),
        sent_at: message.sent_at.naive_utc(),
    };
    diesel::insert_into(case_messages::table)
        .values(row)
        .execute(conn)?;
    for recipient in &message.recipients {
        let row = RecipientRow {
            message_id: message.id.to_string(),
            unit_id: recipient.unit_id.to_string(),
            status: recipient.status.as_str().to_owned(),
            answered_by: recipient.answered_by.clone(),
            answered_at: recipient.answered_at.map(|at| at.naive_utc()),
            retract_reason: recipient.retract_reason.as_ref().map(ToString::to_string),
        };
        diesel::insert_into(case_message_recipients::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The case's messages with their recipients, in the order sent.
pub fn messages(
    conn: &mut DbConnection,
    case_id: Uuid,
) -> Result<Vec<CaseMessage>, PersistenceError> {
    let rows: Vec<MessageRow> = case_messages::table
        .filter(case_messages::case_id.eq(case_id.to_string()))
        .order((case_messages::sent_at.asc(), case_messages::id.asc()))
        .select(MessageRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|m| m.id.clone()).collect();
    let recipients: Vec<RecipientRow> = case_message_recipients::table
        .filter(case_message_recipients::message_id.eq_any(ids))
        .order((
            case_message_recipients::message_id.asc(),
            case_message_recipients::unit_id.asc(),
        ))
        .select(RecipientRow::as_select())
        .load(conn)?;
    assemble(rows, recipients)
}

/// Cases that may have an event between `from` and `to` (UTC): admitted by `to`, and still
/// open or changed since `from` (a closed case was last changed when it closed). A superset:
/// the caller decides per event.
macro_rules! cases_in_span {
    ($from:expr, $to:expr) => {
        coordination_cases::table
            .filter(coordination_cases::admitted_at.le($to))
            .filter(
                coordination_cases::state
                    .ne_all(closed_states())
                    .or(coordination_cases::updated_at.ge($from)),
            )
    };
}

/// Which cases the network's indicators read (`domain::indicator`): those that may have an
/// event between `from` and `to` (UTC, see `cases_in_span!`) and are paid by one of `areas`
/// (municipality codes as stored) — the recorded decision's municipality, else where she is
/// registered ([`CoordinationCase::paying_municipality`]); a case paid by none is counted
/// nowhere.
#[derive(Debug, Clone)]
pub struct IndicatorCases {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub areas: Vec<String>,
}

/// A case [`indicator_cases`] found: its id, her person's and where she is registered, as
/// stored.
#[derive(Debug, Clone)]
pub struct CaseToCount {
    case_id: String,
    person_id: String,
    registered_in: Option<String>,
}

impl CaseToCount {
    /// Her person's id, as stored.
    pub fn person_id(&self) -> &str {
        &self.person_id
    }
}

/// The cases of `scope` in id order, in one statement: the span's cases joined with their
/// persons (a hash join, or a primary-key probe per case: the span, not a municipality's
/// register, decides how many rows are read).
pub fn indicator_cases(
    conn: &mut DbConnection,
    scope: &IndicatorCases,
) -> Result<Vec<CaseToCount>, PersistenceError> {
    use crate::schema::persons;
    let rows: Vec<(String, String, Option<String>)> = cases_in_span!(scope.from, scope.to)
        .inner_join(persons::table.on(persons::id.eq(coordination_cases::person_id)))
        .filter(
            coordination_cases::paying_municipality_code
                .eq_any(&scope.areas)
                .or(coordination_cases::paying_municipality_code
                    .is_null()
                    .and(persons::municipality_code.eq_any(&scope.areas))),
        )
        .order(coordination_cases::id.asc())
        .select((
            coordination_cases::id,
            coordination_cases::person_id,
            persons::municipality_code,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(case_id, person_id, registered_in)| CaseToCount {
            case_id,
            person_id,
            registered_in,
        })
        .collect())
}

/// Each of `cases` with its messages in the order sent and where her person is registered,
/// handed to `add` one at a time in their order, read `batch` at a time (three statements per
/// batch) so that no more than a batch is held at once. A case no longer stored is passed
/// over.
pub fn each_indicator_case(
    conn: &mut DbConnection,
    cases: &[CaseToCount],
    batch: usize,
    mut add: impl FnMut(domain::indicator::CaseRecord),
) -> Result<(), PersistenceError> {
    for chunk in cases.chunks(batch.max(1)) {
        let case_ids: Vec<&str> = chunk.iter().map(|c| c.case_id.as_str()).collect();
        let rows: Vec<CaseRow> = coordination_cases::table
            .filter(coordination_cases::id.eq_any(&case_ids))
            .order(coordination_cases::id.asc())
            .select(CaseRow::as_select())
            .load(conn)?;
        let message_rows: Vec<MessageRow> = case_messages::table
            .filter(case_messages::case_id.eq_any(&case_ids))
            .order((
                case_messages::case_id.asc(),
                case_messages::sent_at.asc(),
                case_messages::id.asc(),
            ))
            .select(MessageRow::as_select())
            .load(conn)?;
        let message_ids: Vec<&str> = message_rows.iter().map(|m| m.id.as_str()).collect();
        let recipients: Vec<RecipientRow> = case_message_recipients::table
            .filter(case_message_recipients::message_id.eq_any(&message_ids))
            .order((
                case_message_recipients::message_id.asc(),
                case_message_recipients::unit_id.asc(),
            ))
            .select(RecipientRow::as_select())
            .load(conn)?;
        let mut registered: HashMap<&str, Option<MunicipalityCode>> = HashMap::new();
        for case in chunk {
            let code = case
                .registered_in
                .as_deref()
                .map(|c| stored("persons.municipality_code", MunicipalityCode::parse(c)))
                .transpose()?;
            registered.insert(case.case_id.as_str(), code);
        }
        let mut by_case: HashMap<Uuid, Vec<CaseMessage>> = HashMap::new();
        for message in assemble(message_rows, recipients)? {
            by_case.entry(message.case_id).or_default().push(message);
        }
        for row in rows {
            let municipality = registered.get(row.id.as_str()).copied().flatten();
            let case = CoordinationCase::try_from(row)?;
            let messages = by_case.remove(&case.id).unwrap_or_default();
            add(domain::indicator::CaseRecord {
                case,
                messages,
                municipality,
            });
        }
    }
    Ok(())
}

/// Persons looked up at a time by the functions below that take a list of persons: a bound
/// parameter each on SQLite.
const PERSONS_AT_A_TIME: usize = 1_000;

/// Every admission (person, admitted at) of `persons` (ids as stored) in their cases that
/// may have an event between `from` and `to` (UTC, as `cases_in_span!`), whoever pays for
/// them: a discharge followed by one is a readmission.
pub fn admissions_of(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    persons: &[&str],
) -> Result<Vec<(Uuid, DateTime<Utc>)>, PersistenceError> {
    let mut admissions = Vec::new();
    for chunk in persons.chunks(PERSONS_AT_A_TIME) {
        let rows: Vec<(String, NaiveDateTime)> = cases_in_span!(from, to)
            .filter(coordination_cases::person_id.eq_any(chunk))
            .select((
                coordination_cases::person_id,
                coordination_cases::admitted_at,
            ))
            .load(conn)?;
        for (person, at) in rows {
            admissions.push((parse_uuid(&person)?, to_utc(at)));
        }
    }
    Ok(admissions)
}

/// Home care (a care relationship with a home care service unit) of `persons` (ids as
/// stored).
pub fn home_care_of(
    conn: &mut DbConnection,
    persons: &[&str],
) -> Result<Vec<domain::indicator::HomeCare>, PersistenceError> {
    use crate::schema::{care_relationships, care_units};
    let mut home_care = Vec::new();
    for chunk in persons.chunks(PERSONS_AT_A_TIME) {
        let home_care_units = care_units::table
            .filter(care_units::kind.eq(domain::CareUnitKind::HomeCareService.as_str()))
            .select(care_units::id);
        let rows: Vec<(String, NaiveDateTime, Option<NaiveDateTime>)> = care_relationships::table
            .filter(care_relationships::person_id.eq_any(chunk))
            .filter(care_relationships::care_unit_id.eq_any(home_care_units))
            .select((
                care_relationships::person_id,
                care_relationships::started_at,
                care_relationships::ended_at,
            ))
            .load(conn)?;
        for (person, started, ended) in rows {
            home_care.push(domain::indicator::HomeCare {
                person_id: parse_uuid(&person)?,
                started_at: to_utc(started),
                ended_at: ended.map(to_utc),
            });
        }
    }
    Ok(home_care)
}

/// When the SIPs of `persons` (ids as stored) were written or changed: (person, changed at),
/// one entry per plan version.
pub fn plan_changes_of(
    conn: &mut DbConnection,
    persons: &[&str],
) -> Result<Vec<(Uuid, DateTime<Utc>)>, PersistenceError> {
    use crate::schema::{care_plan_versions, care_plans};
    let mut changes = Vec::new();
    for chunk in persons.chunks(PERSONS_AT_A_TIME) {
        let rows: Vec<(String, NaiveDateTime)> = care_plan_versions::table
            .inner_join(care_plans::table)
            .filter(care_plans::person_id.eq_any(chunk))
            .select((care_plans::person_id, care_plan_versions::changed_at))
            .load(conn)?;
        for (person, at) in rows {
            changes.push((parse_uuid(&person)?, to_utc(at)));
        }
    }
    Ok(changes)
}

/// Messages with their recipients (each message's recipients in the order given).
fn assemble(
    rows: Vec<MessageRow>,
    recipients: Vec<RecipientRow>,
) -> Result<Vec<CaseMessage>, PersistenceError> {
    let mut by_message: HashMap<String, Vec<RecipientRow>> = HashMap::new();
    for recipient in recipients {
        by_message
            .entry(recipient.message_id.clone())
            .or_default()
            .push(recipient);
    }
    rows.into_iter()
        .map(|row| {
            let recipients = by_message
                .remove(&row.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    Ok(Recipient {
                        unit_id: parse_uuid(&r.unit_id)?,
                        status: stored(
                            "case_message_recipients.status",
                            RecipientStatus::parse(&r.status),
                        )?,
                        answered_by: r.answered_by,
                        answered_at: r.answered_at.map(to_utc),
                        retract_reason: r
                            .retract_reason
                            .as_ref()
                            .map(|t| {
                                stored("case_message_recipients.retract_reason", FreeText::parse(t))
                            })
                            .transpose()?,
                    })
                })
                .collect::<Result<_, PersistenceError>>()?;
            Ok(CaseMessage {
                id: parse_uuid(&row.id)?,
                case_id: parse_uuid(&row.case_id)?,
                kind: stored("case_messages.kind", MessageKind::parse(&row.kind))?,
                text: row
                    .text
                    .map(|t| stored("case_messages.text", FreeText::parse(&t)))
                    .transpose()?,
                sent_by: row.sent_by,
                sent_by_unit: parse_uuid(&row.sent_by_unit)?,
                sent_at: to_utc(row.sent_at),
                recipients,
            })
        })
        .collect()
}

/// Stores a recipient's new entry (an answer or a retraction, as decided by
/// `domain::discharge`), if the stored entry is still in a status it may move on from
/// (`StateConflict` otherwise: someone else answered or retracted meanwhile).
pub fn update_recipient(
    conn: &mut DbConnection,
    message_id: Uuid,
    recipient: &Recipient,
) -> Result<(), PersistenceError> {
    let from: Vec<&str> = RecipientStatus::may_become_from(recipient.status)
        .into_iter()
        .map(RecipientStatus::as_str)
        .collect();
    let changed = diesel::update(
        case_message_recipients::table
            .find((message_id.to_string(), recipient.unit_id.to_string())),
    )
    .filter(case_message_recipients::status.eq_any(from))
    .set((
        case_message_recipients::status.eq(recipient.status.as_str()),
        case_message_recipients::answered_by.eq(recipient.answered_by.as_deref()),
        case_message_recipients::answered_at.eq(recipient.answered_at.map(|at| at.naive_utc())),
        case_message_recipients::retract_reason
            .eq(recipient.retract_reason.as_ref().map(FreeText::as_str)),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::StateConflict);
    }
    Ok(())
}

/// A message waiting for a unit's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxEntry {
    pub case_id: Uuid,
    /// The case's admitting ward (her block of it hides the case from most units).
    pub hospital_unit_id: Uuid,
    pub person_id: Uuid,
    pub message_id: Uuid,
    pub kind: MessageKind,
    pub sent_by_unit: Uuid,
    pub sent_at: chrono::DateTime<chrono::Utc>,
}

/// A page of the messages addressed to `unit_id` that it has not answered, oldest first (sent
/// time, then id), continuing after the message `page.after`; with `reached`, only those about
/// persons the scope reaches now (an active care relationship: the unit's inbox does not read
/// through the messages about persons it no longer cares for, whom it may not see).
pub fn pending_for_unit(
    conn: &mut DbConnection,
    unit_id: Uuid,
    reached: Option<domain::access::SearchScope>,
    page: crate::PageRequest,
) -> Result<crate::Page<InboxEntry>, PersistenceError> {
    let mut query = case_message_recipients::table
        .inner_join(
            case_messages::table.on(case_messages::id.eq(case_message_recipients::message_id)),
        )
        .inner_join(coordination_cases::table.on(coordination_cases::id.eq(case_messages::case_id)))
        .filter(case_message_recipients::unit_id.eq(unit_id.to_string()))
        .filter(case_message_recipients::status.eq(RecipientStatus::Pending.as_str()))
        .into_boxed();
    if let Some(scope) = reached {
        query =
            query.filter(coordination_cases::person_id.eq_any(crate::persons::reached_by(scope)));
    }
    if let Some(after) = page.after_text() {
        let sent: Option<NaiveDateTime> = case_messages::table
            .find(&after)
            .select(case_messages::sent_at)
            .first(conn)
            .optional()?;
        // Messages are never deleted; a cursor naming none has nothing after it.
        let Some(sent) = sent else {
            return Ok(crate::Page {
                items: Vec::new(),
                has_more: false,
            });
        };
        query = query.filter(
            case_messages::sent_at.gt(sent).or(case_messages::sent_at
                .eq(sent)
                .and(case_messages::id.gt(after))),
        );
    }
    let rows: Vec<(
        String,
        String,
        String,
        String,
        String,
        String,
        NaiveDateTime,
    )> = query
        .order((case_messages::sent_at.asc(), case_messages::id.asc()))
        .limit(page.fetch_limit())
        .select((
            coordination_cases::id,
            coordination_cases::hospital_unit_id,
            coordination_cases::person_id,
            case_messages::id,
            case_messages::kind,
            case_messages::sent_by_unit,
            case_messages::sent_at,
        ))
        .load(conn)?;
    page.into_page(
        rows,
        |(case_id, hospital_unit_id, person_id, message_id, kind, sent_by_unit, sent_at)| {
            Ok(InboxEntry {
                case_id: parse_uuid(&case_id)?,
                hospital_unit_id: parse_uuid(&hospital_unit_id)?,
                person_id: parse_uuid(&person_id)?,
                message_id: parse_uuid(&message_id)?,
                kind: stored("case_messages.kind", MessageKind::parse(&kind))?,
                sent_by_unit: parse_uuid(&sent_by_unit)?,
                sent_at: to_utc(sent_at),
            })
        },
    )
}

/// A page of the open cases (not discharged or interrupted) of persons `unit_id` currently
/// cares for, oldest first (by id), continuing after the case `page.after`.
pub fn open_cases_cared_for_by(
    conn: &mut DbConnection,
    unit_id: Uuid,
    page: crate::PageRequest,
) -> Result<crate::Page<CoordinationCase>, PersistenceError> {
    use crate::schema::care_relationships;
    let cared_for = care_relationships::table
        .filter(care_relationships::care_unit_id.eq(unit_id.to_string()))
        .filter(care_relationships::ended_at.is_null())
        .select(care_relationships::person_id);
    let mut query = coordination_cases::table
        .filter(coordination_cases::person_id.eq_any(cared_for))
        .filter(coordination_cases::state.ne_all(closed_states()))
        .filter(visible_to_unit(unit_id.to_string()))
        .into_boxed();
    if let Some(after) = page.after_text() {
        query = query.filter(coordination_cases::id.gt(after));
    }
    let rows: Vec<CaseRow> = query
        .order(coordination_cases::id.asc())
        .limit(page.fetch_limit())
        .select(CaseRow::as_select())
        .load(conn)?;
    page.into_page(rows, CoordinationCase::try_from)
}

/// Her cases, oldest first.
pub fn cases_for_person(
    conn: &mut DbConnection,
    person_id: Uuid,
) -> Result<Vec<CoordinationCase>, PersistenceError> {
    let rows: Vec<CaseRow> = coordination_cases::table
        .filter(coordination_cases::person_id.eq(person_id.to_string()))
        .order(coordination_cases::id.asc())
        .select(CaseRow::as_select())
        .load(conn)?;
    rows.into_iter().map(CoordinationCase::try_from).collect()
}

/// Notes that the case started `relationship_id` when it addressed `unit_id`.
pub fn link_relationship(
    conn: &mut DbConnection,
    case_id: Uuid,
    relationship_id: Uuid,
    unit_id: Uuid,
) -> Result<(), PersistenceError> {
    diesel::insert_into(case_care_relationships::table)
        .values((
            case_care_relationships::case_id.eq(case_id.to_string()),
            case_care_relationships::relationship_id.eq(relationship_id.to_string()),
            case_care_relationships::unit_id.eq(unit_id.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The care relationships the case started for `unit_id`.
pub fn relationships_started_for(
    conn: &mut DbConnection,
    case_id: Uuid,
    unit_id: Uuid,
) -> Result<Vec<Uuid>, PersistenceError> {
    let ids: Vec<String> = case_care_relationships::table
        .filter(case_care_relationships::case_id.eq(case_id.to_string()))
        .filter(case_care_relationships::unit_id.eq(unit_id.to_string()))
        .select(case_care_relationships::relationship_id)
        .load(conn)?;
    ids.iter().map(|id| parse_uuid(id)).collect()
}

/// Which cases the case list selects: those of `unit` (it admitted her) or addressed to it
/// (a message in the case names it as a recipient and was not retracted from it), optionally
/// narrowed.
#[derive(Debug, Clone, Copy)]
pub struct CaseListFilter {
    pub unit: Uuid,
    pub state: Option<CaseState>,
    /// Only cases of persons registered in this municipality.
    pub municipality: Option<MunicipalityCode>,
    /// Admitted at or after (inclusive).
    pub admitted_from: Option<chrono::DateTime<chrono::Utc>>,
    /// Admitted before (exclusive).
    pub admitted_to: Option<chrono::DateTime<chrono::Utc>>,
    /// Only cases that are neither discharged nor interrupted.
    pub open_only: bool,
    /// Only cases of persons the scope reaches now (an active care relationship with its
    /// unit, or with a unit of its organization): the persons a work list may show, so that a
    /// page is not read through the many closed cases of persons whose care has moved on.
    pub reached: Option<domain::access::SearchScope>,
}

/// The states a case is closed in ([`CaseState::is_closed`]), as stored.
pub(crate) fn closed_states() -> Vec<&'static str> {
    CaseState::ALL
        .iter()
        .filter(|state| state.is_closed())
        .map(|state| state.as_str())
        .collect()
}

/// The cases with a message to unit `unit` (its id as stored) not retracted from it.
#[diesel::dsl::auto_type]
pub(crate) fn addressed_to(unit: String) -> _ {
    let retracted: &'static str = RecipientStatus::Retracted.as_str();
    case_messages::table
        .inner_join(
            case_message_recipients::table
                .on(case_message_recipients::message_id.eq(case_messages::id)),
        )
        .filter(case_message_recipients::unit_id.eq(unit))
        .filter(case_message_recipients::status.ne(retracted))
        .select(case_messages::case_id)
}

/// The message kinds only the ward side sends ([`MessageKind::is_ward_side`]), as stored.
pub(crate) fn ward_side_kinds() -> Vec<&'static str> {
    MessageKind::ALL
        .iter()
        .filter(|kind| kind.is_ward_side())
        .map(|kind| kind.as_str())
        .collect()
}

/// The condition on a case that unit `unit` (its id as stored) may see it under her blocks
/// (decision 0027, `domain::discharge::case_visible`, emergency access aside): its own ward's
/// case, a case of a ward she has not blocked, or one whose ward side sent the unit a message
/// not retracted from it (`domain::discharge::sent_by_ward_side`: sent by the ward, or of a
/// ward-side kind). Lists filter with it before paging, so no page's cursor names a hidden
/// case; the rule is applied again to what is read.
#[diesel::dsl::auto_type]
pub(crate) fn visible_to_unit(unit: String) -> _ {
    let retracted: &'static str = RecipientStatus::Retracted.as_str();
    let kinds: Vec<&'static str> = ward_side_kinds();
    let recipient: String = String::from(unit.as_str());
    let ward_blocked = blocks::table
        .filter(blocks::person_id.eq(coordination_cases::person_id))
        .filter(blocks::blocked_unit_id.eq(coordination_cases::hospital_unit_id))
        .filter(blocks::lifted_at.is_null());
    let sent_by_ward_side = case_messages::table
        .inner_join(
            case_message_recipients::table
                .on(case_message_recipients::message_id.eq(case_messages::id)),
        )
        .filter(case_messages::case_id.eq(coordination_cases::id))
        .filter(case_message_recipients::unit_id.eq(recipient))
        .filter(case_message_recipients::status.ne(retracted))
        .filter(
            case_messages::sent_by_unit
                .eq(coordination_cases::hospital_unit_id)
                .or(case_messages::kind.eq_any(kinds)),
        );
    coordination_cases::hospital_unit_id
        .eq(unit)
        .or(diesel::dsl::not(diesel::dsl::exists(ward_blocked)))
        .or(diesel::dsl::exists(sent_by_ward_side))
}

/// The cases `filter` selects, as a query to order and limit.
fn listed(
    filter: &CaseListFilter,
) -> coordination_cases::BoxedQuery<'static, crate::connection::MultiBackend> {
    use crate::schema::persons;
    let unit = filter.unit.to_string();
    // A message taken back from the unit (sent to the wrong one) does not bring the case into
    // its list: nor would it show the case under her block of the ward (decision 0027), and a
    // hidden case on a page would still put its id in the page's cursor.
    let addressed = addressed_to(unit.clone());
    let mut query = coordination_cases::table
        .filter(
            coordination_cases::hospital_unit_id
                .eq(unit.clone())
                .or(coordination_cases::id.eq_any(addressed)),
        )
        .filter(visible_to_unit(unit))
        .into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(coordination_cases::state.eq(state.as_str()));
    }
    if filter.open_only {
        query = query.filter(coordination_cases::state.ne_all(closed_states()));
    }
    if let Some(municipality) = filter.municipality {
        let registered = persons::table
            .filter(persons::municipality_code.eq(municipality.as_str()))
            .select(persons::id);
        query = query.filter(coordination_cases::person_id.eq_any(registered));
    }
    if let Some(scope) = filter.reached {
        query =
            query.filter(coordination_cases::person_id.eq_any(crate::persons::reached_by(scope)));
    }
    if let Some(from) = filter.admitted_from {
        query = query.filter(coordination_cases::admitted_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.admitted_to {
        query = query.filter(coordination_cases::admitted_at.lt(to.naive_utc()));
    }
    query
}

/// A page of the cases `filter` selects in admission order (then id). The page continues
/// after the case `page.after`; cases opened meanwhile appear in their place, none is shown
/// twice or skipped.
pub fn list_by_admission(
    conn: &mut DbConnection,
    filter: &CaseListFilter,
    page: crate::PageRequest,
) -> Result<crate::Page<CoordinationCase>, PersistenceError> {
    let mut query = listed(filter);
    if let Some(after) = page.after_text() {
        let admitted: Option<NaiveDateTime> = coordination_cases::table
            .find(&after)
            .select(coordination_cases::admitted_at)
            .first(conn)
            .optional()?;
        // Cases are never deleted; a cursor naming none has nothing after it.
        let Some(admitted) = admitted else {
            return Ok(crate::Page {
                items: Vec::new(),
                has_more: false,
            });
        };
        query = query.filter(
            coordination_cases::admitted_at
                .gt(admitted)
                .or(coordination_cases::admitted_at
                    .eq(admitted)
                    .and(coordination_cases::id.gt(after))),
        );
    }
    let rows: Vec<CaseRow> = query
        .order((
            coordination_cases::admitted_at.asc(),
            coordination_cases::id.asc(),
        ))
        .limit(page.fetch_limit())
        .select(CaseRow::as_select())
        .load(conn)?;
    page.into_page(rows, CoordinationCase::try_from)
}

/// Every case `filter` selects, in admission order, at most `limit`: for orders the server
/// computes (the next deadline), which are sorted after loading.
pub fn list_all(
    conn: &mut DbConnection,
    filter: &CaseListFilter,
    limit: i64,
) -> Result<Vec<CoordinationCase>, PersistenceError> {
    let rows: Vec<CaseRow> = listed(filter)
        .order((
            coordination_cases::admitted_at.asc(),
            coordination_cases::id.asc(),
        ))
        .limit(limit)
        .select(CaseRow::as_select())
        .load(conn)?;
    rows.into_iter().map(CoordinationCase::try_from).collect()
}
