use actix_web::web;
use domain::MunicipalityCode;
use domain::meeting::conference::sees_network_meetings;
use domain::meeting::{Meeting, MeetingKind, MeetingStatus};
use domain::record::AuditResource;
use openapi::meeting::{MeetingQuery, MeetingResponse, parse_instant};
use openapi::responses::RestrictedListErrors;
use openapi::{FieldErrors, Page};
use persistence::meetings::{self, Invitee, MeetingFilter};
use persistence::{DbConnection, care_units, staff};
use uuid::Uuid;

use super::conference;
use crate::auth::{AttendMeetings, Authorized};
use crate::db;
use crate::error::ApiError;
use crate::pagination::{Listing, first_shown};
use crate::record_access::Access;
use crate::state::AppState;

/// Lists meetings in start order (then id), cancelled ones included, with optional filters;
/// `from`/`to` select the meetings overlapping that period (e.g. `?municipality=0686&from=
/// 2026-09-01T00:00:00%2B02:00` for Eksjö's meetings from September on); `esther_present`
/// selects held meetings where Esther or someone speaking for her took part, or did not.
/// Case conferences about a registered person are listed only for callers who may see them
/// under her record's access rules (one access-log event per person shown); her own token
/// (role `person`) lists only the case conferences she is invited to.
#[utoipa::path(
    get,
    path = "/api/v1/meetings",
    tag = "meetings",
    params(MeetingQuery),
    responses((status = 200, description = "A page of meetings", body = Page<MeetingResponse>), RestrictedListErrors)
)]
pub async fn list_meetings(
    state: web::Data<AppState>,
    reader: Authorized<AttendMeetings>,
    query: crate::query_params::Query<MeetingQuery>,
) -> Result<web::Json<Page<MeetingResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start_anchored(&state.cursors, "meetings", &query)?;
    let mut errors = FieldErrors::default();
    let kind = errors.check_optional("kind", query.kind.as_deref(), MeetingKind::parse);
    let status = errors.check_optional("status", query.status.as_deref(), MeetingStatus::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let from = errors.check_optional("from", query.from.as_deref(), parse_instant);
    let to = errors.check_optional("to", query.to.as_deref(), parse_instant);
    if let (Some(from), Some(to)) = (from, to) {
        errors.check("to", domain::meeting::check_period(from, to));
    }
    let (Some(kind), Some(status), Some(municipality), Some(from), Some(to), true) =
        (kind, status, municipality, from, to, errors.is_empty())
    else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let mut filter = MeetingFilter {
        kind,
        status,
        host_municipality: municipality,
        host_organization_id: query.organization,
        organizer_id: query.organizer,
        esther_present: query.esther_present,
        participant: None,
        invited_person: None,
        conferences_cared_for_by: None,
        from,
        to,
    };
    let anchored = listing.clone();
    let participant = query.participant;
    let caller = reader.caller;
    let shared = state.clone();
    let (shown, has_more, last) = db::run(&state, move |conn| {
        let request = anchored.anchored_request(
            &shared.cursors,
            |id| Ok(meetings::find_by_id(conn, id)?),
            start_key,
            |m| m.id,
        )?;
        if let Some(staff_id) = participant {
            let Some(invitee) = invitee(conn, staff_id)? else {
                return Ok((Vec::new(), false, None));
            };
            filter.participant = Some(invitee);
        }
        // Her own token lists the case conferences she is invited to; staff see a
        // conference about a person only where their unit cares for her (the access rules
        // decide on each after that; nothing else is fetched, so no cursor points at one).
        if !sees_network_meetings(&caller.roles) {
            let Some(person) = caller.person else {
                return Ok((Vec::new(), false, None));
            };
            filter.invited_person = Some(person);
        } else {
            filter.conferences_cared_for_by = Some(caller.unit);
        }
        let (shown, more) = first_shown(
            conn,
            request,
            |conn, request| Ok(meetings::list(conn, &filter, request)?),
            |conn, rows| conference::admitted_rows(conn, &shared, &caller, rows, |m| m.id),
            |m| m.id,
        )?;
        let access = Access::read(AuditResource::Meetings);
        conference::log_rows(conn, &shared, &caller, access, &shown, |m| m.id)?;
        let last = shown.last().map(|m| (m.id, start_key(m)));
        Ok((shown, more, last))
    })
    .await?;
    let items = shown.into_iter().map(MeetingResponse::from).collect();
    listing
        .finish_anchored(&state.cursors, has_more, last, items)
        .map(web::Json)
}

/// A meeting's place in the list (its start; then its id, which does not change), for the
/// cursor to be checked against: a meeting rescheduled after a page ended on it moved.
fn start_key(meeting: &Meeting) -> Vec<u8> {
    meeting.starts_at.timestamp_micros().to_be_bytes().to_vec()
}

/// How invitations reach a staff member: by name, her unit, its organization; `None` for an
/// unknown staff member.
fn invitee(conn: &mut DbConnection, staff_id: Uuid) -> Result<Option<Invitee>, ApiError> {
    let Some(member) = staff::find_by_id(conn, staff_id)? else {
        return Ok(None);
    };
    let unit = care_units::find_by_id(conn, member.care_unit_id)?;
    Ok(unit.map(|unit| Invitee {
        staff_id,
        care_unit_id: unit.id,
        organization_id: unit.organization_id,
    }))
}
