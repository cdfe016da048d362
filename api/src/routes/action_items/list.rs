use actix_web::web;
use domain::meeting::action_item::{ActionStatus, overdue_before};
use openapi::meeting::action_item::{ActionItemQuery, ActionItemResponse};
use openapi::responses::RestrictedListErrors;
use openapi::{FieldErrors, Page};
use persistence::action_items::{self, ActionItemFilter, Overdue};

use crate::auth::{Authorized, ReadMeetings};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists action items across meetings in due order (then id), with filters: `owner` (a staff
/// member's), `unit` (assigned to the unit or owned by its staff), `organization` (addressed
/// to it, or of its units and their staff), `meeting`, `improvement_project` (the items that
/// feed the project), `status`, and `overdue=true` (still
/// `open` or `in_progress`, due before today's date in Europe/Stockholm by the server's
/// clock) or `overdue=false`. E.g. `?unit=…&overdue=true`: what a unit promised and is late
/// with.
#[utoipa::path(
    get,
    path = "/api/v1/action-items",
    tag = "meetings",
    params(ActionItemQuery),
    responses((status = 200, description = "A page of action items", body = Page<ActionItemResponse>), RestrictedListErrors)
)]
pub async fn list_action_items(
    state: web::Data<AppState>,
    _reader: Authorized<ReadMeetings>,
    query: web::Query<ActionItemQuery>,
) -> Result<web::Json<Page<ActionItemResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "action-items", &query)?;
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
    };
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(action_items::list(conn, &filter, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |item| item.id,
        |item| ActionItemResponse::at(item, now),
    )?))
}
