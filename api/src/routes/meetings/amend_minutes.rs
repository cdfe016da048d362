use actix_web::{HttpResponse, web};
use openapi::meeting::records::{AmendMinutesRequest, MinutesVersionResponse};
use openapi::responses::ActionErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{CHANGE_RECORD, on_meeting};
use super::recording::{find_for_recording, find_minutes};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::respond;
use crate::state::AppState;

/// Amends approved minutes (admin, coordinator, coach, or the meeting's organizer by her
/// HSA-id): the whole new text and the reason, kept as the next version; needs `If-Match`
/// with the minutes' ETag. A draft is edited with PATCH instead (409); an amendment that
/// changes nothing is 422 (`text`). Answers the new version; the minutes' new ETag is in
/// `ETag`.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/minutes/amendments",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("If-Match" = String, Header, description = "The ETag the minutes were read with"),
    ),
    request_body = AmendMinutesRequest,
    responses(
        (status = 201, description = "Amended; the new version", body = MinutesVersionResponse,
            headers(("ETag" = String, description = "The minutes' new entity tag"), ("Location" = String, description = "URL of the new version"))),
        ActionErrors,
    )
)]
pub async fn amend_minutes(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<AmendMinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let (minutes, version) = on_meeting(
        &state,
        writer.caller,
        id,
        CHANGE_RECORD,
        move |conn, caller| {
            let (text, reason) = body.into_domain(crate::record_access::today())?;
            find_for_recording(conn, caller, id)?;
            let current = find_minutes(conn, id)?;
            if_match.check(current.version)?;
            let (amended, version) = current.amend(
                text,
                reason,
                Uuid::now_v7(),
                &caller.subject,
                persistence::now(),
            )?;
            let amended = meeting_records::update_minutes(conn, &amended)?;
            meeting_records::insert_minutes_version(conn, &version)?;
            Ok((amended, version))
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/minutes/versions/{}", version.number),
        minutes.version,
        MinutesVersionResponse::from(version),
    ))
}
