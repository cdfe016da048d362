//! Action items across the network's meetings (`/api/v1/action-items`): everything a staff
//! member, unit or organization has promised, filtered and keyset-paginated in due order;
//! read one, change one (`If-Match`). They are recorded at a meeting
//! (`POST /api/v1/meetings/{id}/action-items`, or an ESTHER café's proposal). The rules are
//! [`domain::meeting::action_item`]'s.

pub mod get;
pub mod list;
pub mod update;

use actix_web::web;
use domain::meeting::action_item::ActionItem;
use persistence::{DbConnection, action_items, improvement};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::ApiError;
use crate::record_access::Access;
use crate::routes::meetings::conference::on_part_of_meeting;
use crate::routes::references;
use crate::state::AppState;

/// Runs `work` on action item `id` under the access rules of its meeting
/// ([`on_part_of_meeting`]): an item of a case conference the caller may not see is 404 like
/// one that does not exist.
async fn on_action_item<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Caller) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let meeting = db::run(state, move |conn| Ok(find(conn, id)?.meeting_id)).await?;
    let hidden = format!("no action item has id {id}");
    on_part_of_meeting(state, caller, meeting, access, hidden, work).await
}

/// The action item, or 404.
fn find(conn: &mut DbConnection, id: Uuid) -> Result<ActionItem, ApiError> {
    action_items::find_by_id(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no action item has id {id}")))
}

/// The owner and the unit an action item names must exist and be active, and the improvement
/// project it feeds must exist (422 naming the field).
pub(crate) fn check_references(
    conn: &mut DbConnection,
    owner_id: Option<Uuid>,
    care_unit_id: Option<Uuid>,
    improvement_project_id: Option<Uuid>,
) -> Result<(), ApiError> {
    if let Some(project) = improvement_project_id
        && improvement::find_project(conn, project)?.is_none()
    {
        return Err(ApiError::invalid_field(
            "improvement_project_id",
            format!("no improvement project has id {project}"),
        ));
    }
    if let Some(owner) = owner_id {
        references::active_staff_member(conn, "owner_id", owner)?;
    }
    if let Some(unit) = care_unit_id {
        references::active_care_unit(conn, "care_unit_id", unit)?;
    }
    Ok(())
}
