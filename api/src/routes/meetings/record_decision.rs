use actix_web::{HttpResponse, web};
use openapi::meeting::records::{DecisionResponse, RecordDecisionRequest};
use openapi::responses::PartWriteErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{ADD_RECORD, on_meeting};
use super::recording::find_for_recording;
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::state::AppState;

/// Records a decision taken at a meeting (admin, coordinator, coach, or the meeting's
/// organizer by her HSA-id): its text and when it was taken (RFC 3339 with an offset; not
/// before the meeting starts nor in the future, else 422 `decided_at`). Not at a cancelled
/// meeting (409).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{id}/decisions",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = RecordDecisionRequest,
    responses(
        (status = 201, description = "Recorded", body = DecisionResponse,
            headers(("ETag" = String, description = "Entity tag of the decision"), ("Location" = String, description = "URL of the meeting's decisions"))),
        PartWriteErrors,
    )
)]
pub async fn record_decision(
    state: web::Data<AppState>,
    writer: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<RecordDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let decision = on_meeting(
        &state,
        writer.caller,
        id,
        ADD_RECORD,
        move |conn, caller| {
            let (text, decided_at) = body.into_domain(crate::record_access::today())?;
            let meeting = find_for_recording(conn, caller, id)?;
            let decision = meeting.record_decision(
                text,
                decided_at,
                Uuid::now_v7(),
                &caller.subject,
                persistence::now(),
            )?;
            meeting_records::insert_decision(conn, &decision)?;
            Ok(decision)
        },
    )
    .await?;
    // Decisions are never changed: every one is at version 1.
    Ok(respond::created(
        format!("/api/v1/meetings/{id}/decisions"),
        1,
        DecisionResponse::from(decision),
    ))
}
