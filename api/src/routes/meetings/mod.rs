//! The network's meetings across organizations (`/api/v1/meetings`): schedule, read, list in
//! start order, change (`If-Match`) and cancel (kept, with its reason); invite participants,
//! record their answers and, once held, their attendance. The rules are
//! [`domain::meeting`]'s. A case conference naming a registered person follows her record's
//! access rules: every handler reaches a meeting through [`conference::on_meeting`] and every
//! list through [`conference::shown`].

pub mod add_action_item;
pub mod add_agenda_item;
pub mod add_lesson;
pub mod amend_minutes;
pub mod approve_minutes;
pub mod cancel;
pub(crate) mod conference;
pub mod create;
pub mod edit_minutes;
pub mod get;
pub mod get_minutes;
pub mod get_minutes_version;
pub mod get_participant;
pub mod get_story;
pub mod invite_participant;
pub mod list;
pub mod list_agenda_items;
pub mod list_decisions;
pub mod list_lessons;
pub mod list_minutes_versions;
pub mod list_participants;
pub mod list_proposals;
pub mod make_proposal;
pub mod record_attendance;
pub mod record_decision;
pub mod record_response;
pub(crate) mod recording;
pub mod retell_story;
pub mod start_minutes;
pub mod tell_story;
pub mod update;
pub mod withdraw_name_consent;

use domain::meeting::Meeting;
use domain::meeting::participant::{Invitee, Participant};
use persistence::{DbConnection, meeting_participants, meetings};
use uuid::Uuid;

use crate::error::ApiError;
use crate::routes::references;

/// The meeting, or 404.
fn find(conn: &mut DbConnection, id: Uuid) -> Result<Meeting, ApiError> {
    meetings::find_by_id(conn, id)?.ok_or_else(|| conference::not_found(id))
}

/// The meeting, locked for a change to its participants until the transaction ends, or 404.
fn find_for_change(conn: &mut DbConnection, id: Uuid) -> Result<Meeting, ApiError> {
    meetings::find_for_change(conn, id)?.ok_or_else(|| conference::not_found(id))
}

/// Participant `id` of meeting `meeting_id`, or 404.
fn find_participant(
    conn: &mut DbConnection,
    meeting_id: Uuid,
    id: Uuid,
) -> Result<Participant, ApiError> {
    meeting_participants::find_by_id(conn, meeting_id, id)?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "meeting {meeting_id} has no participant with id {id}"
        ))
    })
}

/// The staff member, unit or organization invited must exist and be active (422 naming the
/// field).
fn check_invitee(conn: &mut DbConnection, invitee: &Invitee) -> Result<(), ApiError> {
    match invitee {
        Invitee::Staff(id) => references::active_staff_member(conn, "staff_id", *id).map(drop),
        Invitee::CareUnit(id) => references::active_care_unit(conn, "care_unit_id", *id).map(drop),
        Invitee::Organization(id) => {
            references::active_organization(conn, "organization_id", *id).map(drop)
        }
        // The person is the meeting's own ([`Meeting::check_invitee`]), a record that exists.
        Invitee::Representative(_) | Invitee::Person(_) => Ok(()),
    }
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
