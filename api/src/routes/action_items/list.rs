use actix_web::web;
use domain::meeting::action_item::{ActionItem, ActionStatus, overdue_before};
use domain::record::AuditResource;
use openapi::meeting::action_item::{ActionItemQuery, ActionItemResponse};
use openapi::responses::RestrictedListErrors;
use openapi::{FieldErrors, Page};
use persistence::action_items::{self, ActionItemFilter, Overdue};

use crate::auth::{Authorized, ReadMeetings};
use crate::db;
use crate::error::ApiError;
use crate::pagination::{Listing, first_shown};
use crate::record_access::Access;
use crate::routes::meetings::conference::{admitted_rows, log_rows};
use crate::state::AppState;

/// Lists action items across meetings in due order (then id), with filters: `owner` (a staff
/// member's), `unit` (assigned to the unit or owned by its staff), `organization` (addressed
/// to it, or of its units and their staff), `meeting`, `improvement_project` (the items that
/// feed the project), `status`, and `overdue=true` (still
/// `open` or `in_progress`, due before today's date in Europe/Stockholm by the server's
/// clock) or `overdue=false`. E.g. `?unit=…&overdue=true`: what a unit promised and is late
/// with. Items of case conferences about a registered person are listed only for callers who
/// may see the conference under her record's access rules (one access-log event per person
/// shown); those of a person the caller's unit does not care for are left out before paging,
/// as in the meeting list, so no page's cursor points at one.
#[utoipa::path(
    get,
    path = "/api/v1/action-items",
    tag = "meetings",
    params(ActionItemQuery),
    responses((status = 200, description = "A page of action items", body = Page<ActionItemResponse>), RestrictedListErrors)
)]
pub async fn list_action_items(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    query: crate::query_params::Query<ActionItemQuery>,
) -> Result<web::Json<Page<ActionItemResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start_anchored(&state.cursors, "action-items", &query)?;
    let mut errors = FieldErrors::default();
    let Some(status) =
        errors.check_optional("status", query.status.as_deref(), ActionStatus::parse)
    else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let now = persistence::now();
    let filter = ActionItemFilter {
        owner_id: query.owner,
        care_unit_id: query.unit,
        organization_id: query.organization,
        meeting_id: query.meeting,
        improvement_project_id: query.improvement_project,
        status,
        overdue: query.overdue.map(|overdue| Overdue {
            overdue,
            due_before: overdue_before(now),
            pending: ActionStatus::PENDING,
        }),
        // Staff see an item of a conference about a person only where their unit cares for
        // her (the access rules decide on each after that; nothing else is fetched, so no
        // cursor points at one).
        conferences_cared_for_by: Some(reader.caller.unit),
    };
    let anchored = listing.clone();
    let caller = reader.caller;
    let shared = state.clone();
    let (shown, has_more, last) = db::run(&state, move |conn| {
        let request = anchored.anchored_request(
            &shared.cursors,
            |id| Ok(action_items::find_by_id(conn, id)?),
            due_key,
            |item| item.id,
        )?;
        let (shown, more) = first_shown(
            conn,
            request,
            |conn, request| Ok(action_items::list(conn, &filter, request)?),
            |conn, rows| admitted_rows(conn, &shared, &caller, rows, |i| i.meeting_id),
            |item| item.id,
        )?;
        let access = Access::read(AuditResource::ActionItems);
        log_rows(conn, &shared, &caller, access, &shown, |i| i.meeting_id)?;
        let last = shown.last().map(|item| (item.id, due_key(item)));
        Ok((shown, more, last))
    })
    .await?;
    let items = shown
        .into_iter()
        .map(|item| ActionItemResponse::at(item, now))
        .collect();
    listing
        .finish_anchored(&state.cursors, has_more, last, items)
        .map(web::Json)
}

/// An item's place in the list (its due date; then its id, which does not change), for the
/// cursor to be checked against: an item whose due date changed after a page ended on it
/// moved.
fn due_key(item: &ActionItem) -> Vec<u8> {
    item.due.to_string().into_bytes()
}
