//! Action items of the network's meetings: rows, conversion and queries. Lists run in due
//! order (then id), across meetings.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::meeting::action_item::{ActionItem, ActionStatus};
use domain::record::FreeText;
use uuid::Uuid;

use crate::schema::{action_items, care_units, meetings, staff};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = action_items, treat_none_as_null = true)]
struct ActionItemRow {
    id: String,
    meeting_id: String,
    title: String,
    description: Option<String>,
    owner_id: Option<String>,
    care_unit_id: Option<String>,
    organization_id: Option<String>,
    due: NaiveDate,
    status: String,
    completed_at: Option<NaiveDateTime>,
    improvement_project_id: Option<String>,
    created_by: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&ActionItem> for ActionItemRow {
    fn from(item: &ActionItem) -> Self {
        let id = |value: Option<Uuid>| value.map(|id| id.to_string());
        Self {
            id: item.id.to_string(),
            meeting_id: item.meeting_id.to_string(),
            title: item.title.as_str().to_owned(),
            description: item.description.as_ref().map(|d| d.as_str().to_owned()),
            owner_id: id(item.owner_id),
            care_unit_id: id(item.care_unit_id),
            organization_id: id(item.organization_id),
            due: item.due,
            status: item.status.as_str().to_owned(),
            completed_at: item.completed_at.map(|t| t.naive_utc()),
            improvement_project_id: id(item.improvement_project_id),
            created_by: item.created_by.clone(),
            version: item.version,
            created_at: item.created_at.naive_utc(),
            updated_at: item.updated_at.naive_utc(),
        }
    }
}

impl TryFrom<ActionItemRow> for ActionItem {
    type Error = PersistenceError;

    fn try_from(row: ActionItemRow) -> Result<Self, PersistenceError> {
        Ok(ActionItem {
            id: parse_uuid(&row.id)?,
            meeting_id: parse_uuid(&row.meeting_id)?,
            title: stored("action_items.title", FreeText::parse(&row.title))?,
            description: row
                .description
                .map(|d| stored("action_items.description", FreeText::parse(&d)))
                .transpose()?,
            owner_id: parse_optional_uuid(row.owner_id.as_deref())?,
            care_unit_id: parse_optional_uuid(row.care_unit_id.as_deref())?,
            organization_id: parse_optional_uuid(row.organization_id.as_deref())?,
            due: row.due,
            status: stored("action_items.status", ActionStatus::parse(&row.status))?,
            completed_at: row.completed_at.map(to_utc),
            improvement_project_id: parse_optional_uuid(row.improvement_project_id.as_deref())?,
            created_by: row.created_by,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        })
    }
}

/// Which action items a list returns.
#[derive(Debug, Clone, Default)]
pub struct ActionItemFilter {
    /// Owned by this staff member.
    pub owner_id: Option<Uuid>,
    /// The unit's: assigned to it, or owned by one of its staff.
    pub care_unit_id: Option<Uuid>,
    /// The organization's: addressed to it, or assigned to one of its units or their staff.
    pub organization_id: Option<Uuid>,
    pub meeting_id: Option<Uuid>,
    /// Feeding this improvement project.
    pub improvement_project_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    /// Only overdue items, or only items that are not.
    pub overdue: Option<Overdue>,
    /// Items of case conferences about a registered person only where this unit cares for
    /// her now (`Some(None)`: none at all); `None`: no such restriction. As
    /// [`crate::meetings::MeetingFilter::conferences_cared_for_by`]: left out before paging,
    /// so a page's cursor never points at an item of a conference the caller may not know of.
    pub conferences_cared_for_by: Option<Option<Uuid>>,
}

/// Which items are overdue, as the domain decides it
/// (`domain::meeting::action_item::{ActionStatus::PENDING, overdue_before}`): those in a
/// `pending` status due before `due_before`.
#[derive(Debug, Clone, Copy)]
pub struct Overdue {
    /// `true`: only overdue items; `false`: only the others.
    pub overdue: bool,
    pub due_before: NaiveDate,
    pub pending: &'static [ActionStatus],
}

pub fn insert(conn: &mut DbConnection, item: &ActionItem) -> Result<(), PersistenceError> {
    diesel::insert_into(action_items::table)
        .values(ActionItemRow::from(item))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<ActionItem>, PersistenceError> {
    action_items::table
        .find(id.to_string())
        .select(ActionItemRow::as_select())
        .first(conn)
        .optional()?
        .map(ActionItem::try_from)
        .transpose()
}

/// A page of action items in due order (then id). The page continues after the item
/// `page.after` as it is due now.
pub fn list(
    conn: &mut DbConnection,
    filter: &ActionItemFilter,
    page: PageRequest,
) -> Result<Page<ActionItem>, PersistenceError> {
    let after = match page.after_text() {
        None => None,
        Some(after) => {
            let due = action_items::table
                .find(&after)
                .select(action_items::due)
                .first::<NaiveDate>(conn)
                .optional()?;
            // Action items are never deleted; a cursor naming none has nothing after it.
            let Some(due) = due else {
                return Ok(Page {
                    items: Vec::new(),
                    has_more: false,
                });
            };
            Some((due, after))
        }
    };
    let mut query = action_items::table
        .select(ActionItemRow::as_select())
        .into_boxed();
    if let Some(owner) = filter.owner_id {
        query = query.filter(action_items::owner_id.eq(owner.to_string()));
    }
    if let Some(unit) = filter.care_unit_id {
        let unit = unit.to_string();
        let its_staff = staff::table
            .filter(staff::care_unit_id.eq(unit.clone()))
            .select(staff::id.nullable());
        query = query.filter(
            action_items::care_unit_id
                .eq(unit)
                .or(action_items::owner_id.eq_any(its_staff)),
        );
    }
    if let Some(organization) = filter.organization_id {
        let organization = organization.to_string();
        let its_units = care_units::table
            .filter(care_units::organization_id.eq(organization.clone()))
            .select(care_units::id.nullable());
        let its_staff = staff::table
            .inner_join(care_units::table)
            .filter(care_units::organization_id.eq(organization.clone()))
            .select(staff::id.nullable());
        query = query.filter(
            action_items::organization_id
                .eq(organization)
                .or(action_items::care_unit_id.eq_any(its_units))
                .or(action_items::owner_id.eq_any(its_staff)),
        );
    }
    if let Some(meeting) = filter.meeting_id {
        query = query.filter(action_items::meeting_id.eq(meeting.to_string()));
    }
    if let Some(project) = filter.improvement_project_id {
        query = query.filter(action_items::improvement_project_id.eq(project.to_string()));
    }
    if let Some(status) = filter.status {
        query = query.filter(action_items::status.eq(status.as_str()));
    }
    if let Some(rule) = filter.overdue {
        let pending: Vec<&str> = rule.pending.iter().map(|s| s.as_str()).collect();
        query = if rule.overdue {
            query
                .filter(action_items::due.lt(rule.due_before))
                .filter(action_items::status.eq_any(pending))
        } else {
            query.filter(
                action_items::due
                    .ge(rule.due_before)
                    .or(action_items::status.ne_all(pending)),
            )
        };
    }
    match filter.conferences_cared_for_by {
        None => {}
        Some(None) => {
            let network = meetings::table
                .filter(meetings::person_id.is_null())
                .select(meetings::id);
            query = query.filter(action_items::meeting_id.eq_any(network));
        }
        Some(Some(unit)) => {
            let shown = meetings::table
                .filter(crate::meetings::shown_to_unit(unit.to_string()))
                .select(meetings::id);
            query = query.filter(action_items::meeting_id.eq_any(shown));
        }
    }
    if let Some((due, id)) = after {
        query = query.filter(
            action_items::due
                .gt(due)
                .or(action_items::due.eq(due).and(action_items::id.gt(id))),
        );
    }
    let rows = query
        .order((action_items::due.asc(), action_items::id.asc()))
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, ActionItem::try_from)
}

/// The action items feeding improvement project `project_id`, in due order (then id).
pub fn of_project(
    conn: &mut DbConnection,
    project_id: Uuid,
) -> Result<Vec<ActionItem>, PersistenceError> {
    action_items::table
        .filter(action_items::improvement_project_id.eq(project_id.to_string()))
        .order((action_items::due.asc(), action_items::id.asc()))
        .select(ActionItemRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ActionItem::try_from)
        .collect()
}

/// Writes `item` over the stored row if that row is still at `item.version`; returns the item
/// as stored, with the next version.
pub fn update(conn: &mut DbConnection, item: &ActionItem) -> Result<ActionItem, PersistenceError> {
    let mut row = ActionItemRow::from(item);
    row.version = item.version + 1;
    row.updated_at = crate::now().naive_utc();
    let changed = diesel::update(action_items::table.find(&row.id))
        .filter(action_items::version.eq(item.version))
        .set(&row)
        .execute(conn)?;
    if changed == 0 {
        return Err(PersistenceError::VersionMismatch);
    }
    ActionItem::try_from(row)
}

/// What the network's stock figures need of every action item that may be open between
/// `from` and `to` (UTC): recorded by `to`, and pending or closed no earlier than `from`;
/// with its meeting's kind and host. A closed item is never changed again, so its
/// `updated_at` is when it closed.
pub fn facts_in_span(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<domain::indicator::stock::ActionItemFacts>, PersistenceError> {
    use crate::schema::meetings;
    use domain::meeting::MeetingKind;

    let pending: Vec<&str> = ActionStatus::PENDING.iter().map(|s| s.as_str()).collect();
    let rows: Vec<(
        String,
        Option<String>,
        NaiveDateTime,
        NaiveDate,
        String,
        NaiveDateTime,
    )> = action_items::table
        .inner_join(meetings::table.on(meetings::id.eq(action_items::meeting_id)))
        .filter(action_items::created_at.le(to))
        .filter(
            action_items::status
                .eq_any(pending)
                .or(action_items::updated_at.ge(from)),
        )
        .select((
            meetings::kind,
            meetings::host_municipality_code,
            action_items::created_at,
            action_items::due,
            action_items::status,
            action_items::updated_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, host, created_at, due, status, updated_at)| {
            let status = stored("action_items.status", ActionStatus::parse(&status))?;
            Ok(domain::indicator::stock::ActionItemFacts {
                host: crate::meetings::host_of(host)?,
                meeting_kind: stored("meetings.kind", MeetingKind::parse(&kind))?,
                recorded_at: to_utc(created_at),
                due,
                closed_at: (!status.is_pending()).then(|| to_utc(updated_at)),
            })
        })
        .collect()
}
