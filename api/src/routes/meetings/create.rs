use actix_web::{HttpResponse, web};
use domain::meeting::Meeting;
use domain::record::{AuditAction, AuditResource};
use openapi::meeting::{CreateMeetingRequest, MeetingResponse};
use openapi::responses::RecordWriteErrors;
use persistence::{DbConnection, meetings};
use uuid::Uuid;

use super::check_references;
use crate::auth::{Authorized, Caller, OrganizeMeetings};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;
use crate::{db, respond};

/// Schedules a meeting of the network (admin, coordinator, coach). Times are RFC 3339 with an
/// offset; the end comes after the start, at most 48 hours later; the host organization and
/// the organizer must exist and be active. Every field that breaks a rule is named in the 422.
/// A case conference may name the registered person it is about (`person_id`, only kind
/// `case_conference`): the caller must then be allowed to write to her record, decided before
/// anything else in the body is checked (404 as for a person who does not exist), and the
/// meeting is her record's entry by the caller's unit, in her access log from then on.
#[utoipa::path(
    post,
    path = "/api/v1/meetings",
    tag = "meetings",
    request_body = CreateMeetingRequest,
    responses(
        (status = 201, description = "Scheduled", body = MeetingResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        RecordWriteErrors,
    )
)]
pub async fn create_meeting(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    body: crate::json_body::Json<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let person = body.person_id;
    let work = move |conn: &mut DbConnection, caller: &Caller| -> Result<Meeting, ApiError> {
        let meeting = body
            .into_domain(crate::record_access::today())?
            .into_record(Uuid::now_v7(), &caller.recorder(), persistence::now())?;
        check_references(conn, &meeting)?;
        meetings::insert(conn, &meeting)?;
        Ok(meeting)
    };
    let caller = organizer.caller;
    let meeting = match person {
        None => db::transaction(&state, move |conn| work(conn, &caller)).await?,
        Some(person) => {
            let access = Access::write(AuditAction::Create, AuditResource::Meeting);
            guarded(&state, caller, person, access, move |conn, _, caller| {
                work(conn, caller)
            })
            .await?
        }
    };
    Ok(respond::created(
        format!("/api/v1/meetings/{}", meeting.id),
        meeting.version,
        MeetingResponse::from(meeting),
    ))
}
