use actix_web::{HttpResponse, web};
use openapi::meeting::{CreateMeetingRequest, MeetingResponse};
use openapi::responses::CreateErrors;
use persistence::meetings;
use uuid::Uuid;

use super::check_references;
use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Schedules a meeting of the network (admin, coordinator, coach). Times are RFC 3339 with an
/// offset; the end comes after the start, at most 48 hours later; the host organization and
/// the organizer must exist and be active. Every field that breaks a rule is named in the 422.
#[utoipa::path(
    post,
    path = "/api/v1/meetings",
    tag = "meetings",
    request_body = CreateMeetingRequest,
    responses(
        (status = 201, description = "Scheduled", body = MeetingResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_meeting(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    body: web::Json<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting = body
        .into_inner()
        .into_domain(crate::record_access::today())?
        .into_record(
            Uuid::now_v7(),
            &organizer.caller.subject,
            persistence::now(),
        )?;
    let meeting = db::transaction(&state, move |conn| {
        check_references(conn, &meeting)?;
        meetings::insert(conn, &meeting)?;
        Ok(meeting)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/meetings/{}", meeting.id),
        meeting.version,
        MeetingResponse::from(meeting),
    ))
}
