//! The network's meetings across organizations (`/api/v1/meetings`): schedule, read, list in
//! start order, change (`If-Match`) and cancel (kept, with its reason). The rules are
//! [`domain::meeting`]'s; no person's data is held here.

pub mod cancel;
pub mod create;
pub mod get;
pub mod list;
pub mod update;

use domain::meeting::Meeting;
use persistence::{DbConnection, meetings};
use uuid::Uuid;

use crate::error::ApiError;
use crate::routes::references;

/// The meeting, or 404.
fn find(conn: &mut DbConnection, id: Uuid) -> Result<Meeting, ApiError> {
    meetings::find_by_id(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("no meeting has id {id}")))
}

/// The host organization and the organizer a meeting names must exist and be active (422).
fn check_references(conn: &mut DbConnection, meeting: &Meeting) -> Result<(), ApiError> {
    if let Some(organization) = meeting.host_organization_id {
        references::active_organization(conn, "host_organization_id", organization)?;
    }
    if let Some(organizer) = meeting.organizer_id {
        references::active_staff_member(conn, "organizer_id", organizer)?;
    }
    Ok(())
}
