use actix_web::{HttpResponse, web};
use openapi::meeting::records::{ApproveMinutesRequest, MinutesResponse};
use openapi::responses::ActionErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{CHANGE_RECORD, on_meeting};
use super::recording::{find_for_recording, find_minutes};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::respond;
use crate::routes::references;
use crate::state::AppState;

/// Records that a staff member (`approved_by`: existing and active, else 422) approved the
/// minutes now (admin, coordinator, coach, or the meeting's organizer by her HSA-id); needs
/// `If-Match`. The approved text is kept as version 1. Minutes are approved once (409 naming
/// who approved them and when), and only once the meeting is held (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/minutes/approve",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-Match" = String, Header, description = "The ETag the minutes were read with"),
    ),
    request_body = ApproveMinutesRequest,
    responses(
        (status = 200, description = "Approved", body = MinutesResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        ActionErrors,
    )
)]
pub async fn approve_minutes(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<ApproveMinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let approver = body.into_inner().approved_by;
    let minutes = on_meeting(
        &state,
        writer.caller,
        id,
        CHANGE_RECORD,
        move |conn, caller| {
            let meeting = find_for_recording(conn, caller, id)?;
            let current = find_minutes(conn, id)?;
            if_match.check(current.version)?;
            references::active_staff_member(conn, "approved_by", approver)?;
            let (approved, version) = current.approve(
                &meeting,
                approver,
                Uuid::now_v7(),
                &caller.subject,
                persistence::now(),
            )?;
            let approved = meeting_records::update_minutes(conn, &approved)?;
            meeting_records::insert_minutes_version(conn, &version)?;
            Ok(approved)
        },
    )
    .await?;
    Ok(respond::ok_with_etag(
        minutes.version,
        MinutesResponse::from(minutes),
    ))
}
