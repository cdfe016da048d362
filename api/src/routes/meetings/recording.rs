//! The steps shared by the handlers of a meeting's records (agenda, minutes, decisions,
//! action items, an ESTHER café's story, lessons and proposals): finding the meeting for a
//! write by someone allowed to write its records, and the records that exist once.

use domain::meeting::cafe::Story;
use domain::meeting::minutes::{Minutes, check_recorder};
use domain::meeting::{MEETING_ORGANIZERS, Meeting};
use persistence::{DbConnection, meeting_records, staff};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;

/// The meeting (404), locked until the transaction ends, when `caller` may write its records
/// (an organizing role, or the meeting's organizer by her HSA-id; else 403).
pub(crate) fn find_for_recording(
    conn: &mut DbConnection,
    caller: &Caller,
    id: Uuid,
) -> Result<Meeting, ApiError> {
    let meeting = super::find_for_change(conn, id)?;
    let organizer = match meeting.organizer_id {
        Some(organizer) => staff::find_by_id(conn, organizer)?,
        None => None,
    };
    check_recorder(
        caller.has_any(MEETING_ORGANIZERS),
        caller.hsa_id.as_ref(),
        organizer.as_ref(),
    )?;
    Ok(meeting)
}

/// The meeting's minutes, or 404.
pub(crate) fn find_minutes(conn: &mut DbConnection, id: Uuid) -> Result<Minutes, ApiError> {
    meeting_records::find_minutes(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("meeting {id} has no minutes yet")))
}

/// The café's story, or 404.
pub(crate) fn find_story(conn: &mut DbConnection, id: Uuid) -> Result<Story, ApiError> {
    meeting_records::find_story(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("meeting {id} has no story recorded")))
}

/// Today in Europe/Stockholm, by the server's clock (the century of 10-digit personal
/// numbers found in café texts).
pub(crate) use crate::record_access::today;
