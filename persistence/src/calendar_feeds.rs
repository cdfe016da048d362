//! Secret-URL calendar feeds: the subscription rows (only the secret's SHA-256 is kept) and
//! the selection of the meetings a feed carries.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::MunicipalityCode;
use domain::calendar::{CalendarFeed, FeedScope, FeedTarget, MAX_FEED_MEETINGS};
use uuid::Uuid;

use crate::connection::MultiBackend;
use crate::schema::{calendar_feeds, meeting_participants, meetings, staff};
use crate::text::{parse_optional_uuid, parse_uuid, stored, to_utc};
use crate::{DbConnection, Page, PageRequest, PersistenceError, care_units};

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_feeds)]
struct FeedRow {
    id: String,
    secret_sha256: String,
    owner: String,
    scope: String,
    staff_id: Option<String>,
    care_unit_id: Option<String>,
    municipality_code: Option<String>,
    created_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl FeedRow {
    fn new(feed: &CalendarFeed, secret_sha256: &str) -> Self {
        let (staff_id, care_unit_id, municipality_code) = match feed.target {
            FeedTarget::Staff(id) => (Some(id.to_string()), None, None),
            FeedTarget::CareUnit(id) => (None, Some(id.to_string()), None),
            FeedTarget::Municipality(code) => (None, None, Some(code.as_str().to_owned())),
        };
        Self {
            id: feed.id.to_string(),
            secret_sha256: secret_sha256.to_owned(),
            owner: feed.owner.clone(),
            scope: feed.target.scope().as_str().to_owned(),
            staff_id,
            care_unit_id,
            municipality_code,
            created_at: feed.created_at.naive_utc(),
            revoked_at: feed.revoked_at.map(|t| t.naive_utc()),
        }
    }
}

impl TryFrom<FeedRow> for CalendarFeed {
    type Error = PersistenceError;

    fn try_from(row: FeedRow) -> Result<Self, PersistenceError> {
        let scope = stored("calendar_feeds.scope", FeedScope::parse(&row.scope))?;
        let missing =
            || PersistenceError::Corrupt(format!("calendar feed {} has no target", row.id));
        let target = match scope {
            FeedScope::Mine => FeedTarget::Staff(
                parse_optional_uuid(row.staff_id.as_deref())?.ok_or_else(missing)?,
            ),
            FeedScope::Unit => FeedTarget::CareUnit(
                parse_optional_uuid(row.care_unit_id.as_deref())?.ok_or_else(missing)?,
            ),
            FeedScope::Municipality => FeedTarget::Municipality(stored(
                "calendar_feeds.municipality_code",
                MunicipalityCode::parse(row.municipality_code.as_deref().unwrap_or_default()),
            )?),
        };
        Ok(CalendarFeed {
            id: parse_uuid(&row.id)?,
            owner: row.owner,
            target,
            created_at: to_utc(row.created_at),
            revoked_at: row.revoked_at.map(to_utc),
        })
    }
}

/// Stores a new feed under the SHA-256 (hex) of its secret.
pub fn insert(
    conn: &mut DbConnection,
    feed: &CalendarFeed,
    secret_sha256: &str,
) -> Result<(), PersistenceError> {
    diesel::insert_into(calendar_feeds::table)
        .values(FeedRow::new(feed, secret_sha256))
        .execute(conn)?;
    Ok(())
}

/// The active (not revoked) feed whose secret has this SHA-256 (hex).
pub fn find_active_by_secret(
    conn: &mut DbConnection,
    secret_sha256: &str,
) -> Result<Option<CalendarFeed>, PersistenceError> {
    calendar_feeds::table
        .filter(calendar_feeds::secret_sha256.eq(secret_sha256))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(FeedRow::as_select())
        .first(conn)
        .optional()?
        .map(CalendarFeed::try_from)
        .transpose()
}

/// The feed `id`, revoked or not.
pub fn find_by_id(
    conn: &mut DbConnection,
    id: Uuid,
) -> Result<Option<CalendarFeed>, PersistenceError> {
    calendar_feeds::table
        .find(id.to_string())
        .select(FeedRow::as_select())
        .first(conn)
        .optional()?
        .map(CalendarFeed::try_from)
        .transpose()
}

/// How many feeds `owner` keeps active.
pub fn count_active(conn: &mut DbConnection, owner: &str) -> Result<usize, PersistenceError> {
    let count: i64 = calendar_feeds::table
        .filter(calendar_feeds::owner.eq(owner))
        .filter(calendar_feeds::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// A page of `owner`'s feeds (every user's when `None`), revoked ones included, in creation
/// order.
pub fn list(
    conn: &mut DbConnection,
    owner: Option<&str>,
    page: PageRequest,
) -> Result<Page<CalendarFeed>, PersistenceError> {
    let mut query = calendar_feeds::table
        .select(FeedRow::as_select())
        .into_boxed();
    if let Some(owner) = owner {
        query = query.filter(calendar_feeds::owner.eq(owner.to_owned()));
    }
    if let Some(after) = page.after_text() {
        query = query.filter(calendar_feeds::id.gt(after));
    }
    let rows = query
        .order(calendar_feeds::id.asc())
        .limit(page.fetch_limit())
        .load(conn)?;
    page.into_page(rows, CalendarFeed::try_from)
}

/// Records that a feed was revoked.
pub fn revoke(conn: &mut DbConnection, feed: &CalendarFeed) -> Result<(), PersistenceError> {
    diesel::update(calendar_feeds::table.find(feed.id.to_string()))
        .set(calendar_feeds::revoked_at.eq(feed.revoked_at.map(|t| t.naive_utc())))
        .execute(conn)?;
    Ok(())
}

/// The meetings in a feed's scope, whenever they are, as a query to narrow, order and limit;
/// `None` when the scope has none (an unknown staff member or unit).
fn in_scope_query(
    conn: &mut DbConnection,
    target: FeedTarget,
) -> Result<Option<meetings::BoxedQuery<'static, MultiBackend>>, PersistenceError> {
    let mut query = meetings::table.into_boxed();
    match target {
        FeedTarget::Municipality(code) => {
            query = query.filter(meetings::host_municipality_code.eq(code.as_str().to_owned()));
        }
        FeedTarget::Staff(staff_id) => {
            let Some(unit_id) = staff::table
                .find(staff_id.to_string())
                .select(staff::care_unit_id)
                .first::<String>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let Some(unit) = care_units::find_by_id(conn, parse_uuid(&unit_id)?)? else {
                return Ok(None);
            };
            let invited = meeting_participants::table
                .filter(
                    meeting_participants::staff_id
                        .eq(staff_id.to_string())
                        .or(meeting_participants::care_unit_id.eq(unit_id))
                        .or(meeting_participants::organization_id
                            .eq(unit.organization_id.to_string())),
                )
                .select(meeting_participants::meeting_id);
            query = query.filter(
                meetings::id
                    .eq_any(invited)
                    .or(meetings::organizer_id.eq(staff_id.to_string())),
            );
        }
        FeedTarget::CareUnit(unit_id) => {
            let Some(unit) = care_units::find_by_id(conn, unit_id)? else {
                return Ok(None);
            };
            let members = staff::table
                .filter(staff::care_unit_id.eq(unit_id.to_string()))
                .select(staff::id.nullable());
            let invited = meeting_participants::table
                .filter(
                    meeting_participants::care_unit_id
                        .eq(unit_id.to_string())
                        .or(meeting_participants::organization_id
                            .eq(unit.organization_id.to_string()))
                        .or(meeting_participants::staff_id.eq_any(members)),
                )
                .select(meeting_participants::meeting_id);
            query = query.filter(meetings::id.eq_any(invited));
        }
    }
    Ok(Some(query))
}

/// The ids of the meetings a feed for `target` carries, in start order: those ending after `from`, at most [`MAX_FEED_MEETINGS`].
pub fn meeting_ids(
    conn: &mut DbConnection,
    target: FeedTarget,
    from: DateTime<Utc>,
) -> Result<Vec<Uuid>, PersistenceError> {
    let Some(query) = in_scope_query(conn, target)? else {
        return Ok(Vec::new());
    };
    query
        .filter(meetings::ends_at.gt(from.naive_utc()))
        .select(meetings::id)
        .order((meetings::starts_at.asc(), meetings::id.asc()))
        .limit(MAX_FEED_MEETINGS)
        .load::<String>(conn)?
        .iter()
        .map(|id| parse_uuid(id))
        .collect()
}

/// Those of these meetings that are in the scope of a feed for `target` (the scope
/// [`meeting_ids`] describes), whenever they take place.
pub fn in_scope(
    conn: &mut DbConnection,
    target: FeedTarget,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, PersistenceError> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(crate::ROWS_PER_STATEMENT) {
        let Some(query) = in_scope_query(conn, target)? else {
            return Ok(found);
        };
        let keys: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        for id in query
            .filter(meetings::id.eq_any(keys))
            .select(meetings::id)
            .load::<String>(conn)?
        {
            found.insert(parse_uuid(&id)?);
        }
    }
    Ok(found)
}

/// The active staff member with this HSA-id: who the caller of a `mine` feed is.
pub fn active_staff_by_hsa_id(
    conn: &mut DbConnection,
    hsa_id: &domain::HsaId,
) -> Result<Option<Uuid>, PersistenceError> {
    staff::table
        .filter(staff::hsa_id.eq(hsa_id.to_string()))
        .filter(staff::active.eq(true))
        .select(staff::id)
        .first::<String>(conn)
        .optional()?
        .map(|id| parse_uuid(&id))
        .transpose()
}
