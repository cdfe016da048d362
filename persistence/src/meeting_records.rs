//! What a meeting records: its agenda, minutes and their kept versions, decisions, and an
//! ESTHER café's story, lessons and proposals. Rows, conversion and queries; lists run in
//! recording order (UUID v7 ids), the agenda in its own order.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::meeting::agenda::AgendaItem;
use domain::meeting::cafe::{Lesson, Narrator, Proposal, Story};
use domain::meeting::minutes::{Approval, Decision, Minutes, MinutesVersion, MinutesVersionKind};
use domain::record::FreeText;
use uuid::Uuid;

use crate::schema::{
    meeting_agenda_items, meeting_decisions, meeting_lessons, meeting_minutes,
    meeting_minutes_versions, meeting_proposals, meeting_stories,
};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

fn text(column: &str, value: &str) -> Result<FreeText, PersistenceError> {
    stored(column, FreeText::parse_max(value, usize::MAX))
}

fn optional_text(
    column: &str,
    value: Option<String>,
) -> Result<Option<FreeText>, PersistenceError> {
    value.map(|t| text(column, &t)).transpose()
}

fn small(column: &str, value: i32) -> Result<u16, PersistenceError> {
    u16::try_from(value).map_err(|_| PersistenceError::Corrupt(format!("{column}: {value}")))
}

fn count(column: &str, value: i32) -> Result<u32, PersistenceError> {
    u32::try_from(value).map_err(|_| PersistenceError::Corrupt(format!("{column}: {value}")))
}

/// A page of the rows of one meeting in id order, converted.
macro_rules! page_of_meeting {
    ($conn:expr, $table:ident, $row:ty, $meeting_id:expr, $page:expr, $convert:expr) => {{
        let mut query = $table::table
            .filter($table::meeting_id.eq($meeting_id.to_string()))
            .select(<$row>::as_select())
            .into_boxed();
        if let Some(after) = $page.after_text() {
            query = query.filter($table::id.gt(after));
        }
        let rows = query
            .order($table::id.asc())
            .limit($page.fetch_limit())
            .load($conn)?;
        $page.into_page(rows, $convert)
    }};
}

// ---- agenda ----

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_agenda_items)]
struct AgendaRow {
    id: String,
    meeting_id: String,
    position: i32,
    title: String,
    presenter_id: Option<String>,
    minutes_allotted: Option<i32>,
    created_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<AgendaRow> for AgendaItem {
    type Error = PersistenceError;

    fn try_from(row: AgendaRow) -> Result<Self, PersistenceError> {
        Ok(AgendaItem {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            position: small("meeting_agenda_items.position", row.position)?,
            title: text("meeting_agenda_items.title", &row.title)?,
            presenter_id: parse_optional_uuid(row.presenter_id.as_deref())?,
            minutes_allotted: row
                .minutes_allotted
                .map(|m| small("meeting_agenda_items.minutes_allotted", m))
                .transpose()?,
            created_by: row.created_by,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert_agenda_item(
    conn: &mut DbConnection,
    item: &AgendaItem,
) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_agenda_items::table)
        .values(AgendaRow {
            id: item.id.to_string(),
            meeting_id: item.meeting_id.to_string(),
            position: i32::from(item.position),
            title: item.title.as_str().to_owned(),
            presenter_id: item.presenter_id.map(|id| id.to_string()),
            minutes_allotted: item.minutes_allotted.map(i32::from),
            created_by: item.created_by.clone(),
            version: item.version,
            created_at: item.created_at.naive_utc(),
            updated_at: item.updated_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// A meeting's whole agenda in order (at most `MAX_AGENDA_ITEMS` items).
pub fn agenda_of(
    conn: &mut DbConnection,
    meeting_id: Uuid,
) -> Result<Vec<AgendaItem>, PersistenceError> {
    meeting_agenda_items::table
        .filter(meeting_agenda_items::meeting_id.eq(meeting_id.to_string()))
        .order((
            meeting_agenda_items::position.asc(),
            meeting_agenda_items::id.asc(),
        ))
        .select(AgendaRow::as_select())
        .load(conn)?
        .into_iter()
        .map(AgendaItem::try_from)
        .collect()
}

// ---- minutes ----

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = meeting_minutes, treat_none_as_null = true)]
struct MinutesRow {
    meeting_id: String,
    text: String,
    revision: i32,
    approved_by: Option<String>,
    approved_at: Option<NaiveDateTime>,
    approval_recorded_by: Option<String>,
    created_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&Minutes> for MinutesRow {
    fn from(minutes: &Minutes) -> Self {
        let approval = minutes.approval.as_ref();
        Self {
            meeting_id: minutes.meeting_id.to_string(),
            text: minutes.text.as_str().to_owned(),
            revision: i32::try_from(minutes.revision).unwrap_or(i32::MAX),
            approved_by: approval.map(|a| a.staff_id.to_string()),
            approved_at: approval.map(|a| a.approved_at.naive_utc()),
            approval_recorded_by: approval.map(|a| a.recorded_by.clone()),
            created_by: minutes.created_by.clone(),
            version: minutes.version,
            created_at: minutes.created_at.naive_utc(),
            updated_at: minutes.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<MinutesRow> for Minutes {
    type Error = PersistenceError;

    fn try_from(row: MinutesRow) -> Result<Self, PersistenceError> {
        let approval = match (row.approved_by.as_deref(), row.approved_at) {
            (Some(staff_id), Some(approved_at)) => Some(Approval {
                staff_id: parse_uuid(staff_id)?,
                approved_at: to_utc(approved_at),
                recorded_by: row.approval_recorded_by.unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(Minutes {
            meeting_id: parse_uuid(&row.meeting_id)?,
            text: text("meeting_minutes.text", &row.text)?,
            approval,
            revision: count("meeting_minutes.revision", row.revision)?,
            created_by: row.created_by,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert_minutes(conn: &mut DbConnection, minutes: &Minutes) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_minutes::table)
        .values(MinutesRow::from(minutes))
        .execute(conn)?;
    Ok(())
}

pub fn find_minutes(
    conn: &mut DbConnection,
    meeting_id: Uuid,
) -> Result<Option<Minutes>, PersistenceError> {
    meeting_minutes::table
        .find(meeting_id.to_string())
        .select(MinutesRow::as_select())
        .first(conn)
        .optional()?
        .map(Minutes::try_from)
        .transpose()
}

/// Writes `minutes` over the stored row if that row is still at `minutes.version`; returns
/// them as stored, with the next version.
pub fn update_minutes(
    conn: &mut DbConnection,
    minutes: &Minutes,
) -> Result<Minutes, PersistenceError> {
    let mut row = MinutesRow::from(minutes);
    row.version = minutes.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(meeting_minutes::table.find(&row.meeting_id))
        .filter(meeting_minutes::version.eq(minutes.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    Minutes::try_from(row)
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_minutes_versions)]
struct MinutesVersionRow {
    id: String,
    meeting_id: String,
    number: i32,
    kind: String,
    text: String,
    reason: Option<String>,
    approved_by: Option<String>,
    recorded_by: String,
    recorded_at: NaiveDateTime,
}

impl TryFrom<MinutesVersionRow> for MinutesVersion {
    type Error = PersistenceError;

    fn try_from(row: MinutesVersionRow) -> Result<Self, PersistenceError> {
        Ok(MinutesVersion {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            number: count("meeting_minutes_versions.number", row.number)?,
            kind: stored(
                "meeting_minutes_versions.kind",
                MinutesVersionKind::parse(&row.kind),
            )?,
            text: text("meeting_minutes_versions.text", &row.text)?,
            reason: optional_text("meeting_minutes_versions.reason", row.reason)?,
            approved_by: parse_optional_uuid(row.approved_by.as_deref())?,
            recorded_by: row.recorded_by,
            recorded_at: to_utc(row.recorded_at),
        })
    }
}

pub fn insert_minutes_version(
    conn: &mut DbConnection,
    version: &MinutesVersion,
) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_minutes_versions::table)
        .values(MinutesVersionRow {
            id: version.id.to_string(),
            meeting_id: version.meeting_id.to_string(),
            number: i32::try_from(version.number).unwrap_or(i32::MAX),
            kind: version.kind.as_str().to_owned(),
            text: version.text.as_str().to_owned(),
            reason: version.reason.as_ref().map(|r| r.as_str().to_owned()),
            approved_by: version.approved_by.map(|id| id.to_string()),
            recorded_by: version.recorded_by.clone(),
            recorded_at: version.recorded_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// Version `number` of a meeting's minutes.
pub fn find_minutes_version(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    number: u32,
) -> Result<Option<MinutesVersion>, PersistenceError> {
    let Ok(number) = i32::try_from(number) else {
        return Ok(None);
    };
    meeting_minutes_versions::table
        .filter(meeting_minutes_versions::meeting_id.eq(meeting_id.to_string()))
        .filter(meeting_minutes_versions::number.eq(number))
        .select(MinutesVersionRow::as_select())
        .first(conn)
        .optional()?
        .map(MinutesVersion::try_from)
        .transpose()
}

/// A page of a meeting's kept minutes versions, oldest first.
pub fn list_minutes_versions(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    page: PageRequest,
) -> Result<Page<MinutesVersion>, PersistenceError> {
    page_of_meeting!(
        conn,
        meeting_minutes_versions,
        MinutesVersionRow,
        meeting_id,
        page,
        MinutesVersion::try_from
    )
}

// ---- decisions ----

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_decisions)]
struct DecisionRow {
    id: String,
    meeting_id: String,
    text: String,
    decided_at: NaiveDateTime,
    recorded_by: String,
    created_at: NaiveDateTime,
}

impl TryFrom<DecisionRow> for Decision {
    type Error = PersistenceError;

    fn try_from(row: DecisionRow) -> Result<Self, PersistenceError> {
        Ok(Decision {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            text: text("meeting_decisions.text", &row.text)?,
            decided_at: to_utc(row.decided_at),
            recorded_by: row.recorded_by,
            created_at: to_utc(row.created_at),
        })
    }
}

pub fn insert_decision(
    conn: &mut DbConnection,
    decision: &Decision,
) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_decisions::table)
        .values(DecisionRow {
            id: decision.id.to_string(),
            meeting_id: decision.meeting_id.to_string(),
            text: decision.text.as_str().to_owned(),
            decided_at: decision.decided_at.naive_utc(),
            recorded_by: decision.recorded_by.clone(),
            created_at: decision.created_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// A page of a meeting's decisions in recording order.
pub fn list_decisions(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    page: PageRequest,
) -> Result<Page<Decision>, PersistenceError> {
    page_of_meeting!(
        conn,
        meeting_decisions,
        DecisionRow,
        meeting_id,
        page,
        Decision::try_from
    )
}

// ---- ESTHER café ----

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = meeting_stories, treat_none_as_null = true)]
struct StoryRow {
    meeting_id: String,
    text: String,
    narrator: String,
    narrator_description: Option<String>,
    recorded_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&Story> for StoryRow {
    fn from(story: &Story) -> Self {
        Self {
            meeting_id: story.meeting_id.to_string(),
            text: story.text.as_str().to_owned(),
            narrator: story.narrator.as_str().to_owned(),
            narrator_description: story
                .narrator_description
                .as_ref()
                .map(|d| d.as_str().to_owned()),
            recorded_by: story.recorded_by.clone(),
            version: story.version,
            created_at: story.created_at.naive_utc(),
            updated_at: story.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<StoryRow> for Story {
    type Error = PersistenceError;

    fn try_from(row: StoryRow) -> Result<Self, PersistenceError> {
        Ok(Story {
            meeting_id: parse_uuid(&row.meeting_id)?,
            text: text("meeting_stories.text", &row.text)?,
            narrator: stored("meeting_stories.narrator", Narrator::parse(&row.narrator))?,
            narrator_description: optional_text(
                "meeting_stories.narrator_description",
                row.narrator_description,
            )?,
            recorded_by: row.recorded_by,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

pub fn insert_story(conn: &mut DbConnection, story: &Story) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_stories::table)
        .values(StoryRow::from(story))
        .execute(conn)?;
    Ok(())
}

pub fn find_story(
    conn: &mut DbConnection,
    meeting_id: Uuid,
) -> Result<Option<Story>, PersistenceError> {
    meeting_stories::table
        .find(meeting_id.to_string())
        .select(StoryRow::as_select())
        .first(conn)
        .optional()?
        .map(Story::try_from)
        .transpose()
}

/// Writes `story` over the stored row if that row is still at `story.version`.
pub fn update_story(conn: &mut DbConnection, story: &Story) -> Result<Story, PersistenceError> {
    let mut row = StoryRow::from(story);
    row.version = story.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(meeting_stories::table.find(&row.meeting_id))
        .filter(meeting_stories::version.eq(story.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    Story::try_from(row)
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_lessons)]
struct LessonRow {
    id: String,
    meeting_id: String,
    text: String,
    recorded_by: String,
    created_at: NaiveDateTime,
}

impl TryFrom<LessonRow> for Lesson {
    type Error = PersistenceError;

    fn try_from(row: LessonRow) -> Result<Self, PersistenceError> {
        Ok(Lesson {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            text: text("meeting_lessons.text", &row.text)?,
            recorded_by: row.recorded_by,
            created_at: to_utc(row.created_at),
        })
    }
}

pub fn insert_lesson(conn: &mut DbConnection, lesson: &Lesson) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_lessons::table)
        .values(LessonRow {
            id: lesson.id.to_string(),
            meeting_id: lesson.meeting_id.to_string(),
            text: lesson.text.as_str().to_owned(),
            recorded_by: lesson.recorded_by.clone(),
            created_at: lesson.created_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// A page of a café's lessons in recording order.
pub fn list_lessons(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    page: PageRequest,
) -> Result<Page<Lesson>, PersistenceError> {
    page_of_meeting!(
        conn,
        meeting_lessons,
        LessonRow,
        meeting_id,
        page,
        Lesson::try_from
    )
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_proposals)]
struct ProposalRow {
    id: String,
    meeting_id: String,
    title: String,
    text: String,
    organization_id: String,
    action_item_id: String,
    proposed_by: String,
    created_at: NaiveDateTime,
}

impl TryFrom<ProposalRow> for Proposal {
    type Error = PersistenceError;

    fn try_from(row: ProposalRow) -> Result<Self, PersistenceError> {
        Ok(Proposal {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            title: text("meeting_proposals.title", &row.title)?,
            text: text("meeting_proposals.text", &row.text)?,
            organization_id: parse_uuid(&row.organization_id)?,
            action_item_id: parse_uuid(&row.action_item_id)?,
            proposed_by: row.proposed_by,
            created_at: to_utc(row.created_at),
        })
    }
}

/// Stores a proposal; its action item must be stored first.
pub fn insert_proposal(
    conn: &mut DbConnection,
    proposal: &Proposal,
) -> Result<(), PersistenceError> {
    diesel::insert_into(meeting_proposals::table)
        .values(ProposalRow {
            id: proposal.id.to_string(),
            meeting_id: proposal.meeting_id.to_string(),
            title: proposal.title.as_str().to_owned(),
            text: proposal.text.as_str().to_owned(),
            organization_id: proposal.organization_id.to_string(),
            action_item_id: proposal.action_item_id.to_string(),
            proposed_by: proposal.proposed_by.clone(),
            created_at: proposal.created_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// A page of a café's proposals in recording order.
pub fn list_proposals(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    page: PageRequest,
) -> Result<Page<Proposal>, PersistenceError> {
    page_of_meeting!(
        conn,
        meeting_proposals,
        ProposalRow,
        meeting_id,
        page,
        Proposal::try_from
    )
}
