use actix_web::web;
use openapi::meeting::records::MinutesVersionResponse;
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use super::conference::{READ_RECORDS, on_meeting};
use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::state::AppState;

/// Reads one kept version of a meeting's minutes (1 = as approved; staff roles and
/// integrations). Versions never change.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}/minutes/versions/{number}",
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Meeting id"),
        ("number" = u32, Path, description = "Version number, from 1"),
    ),
    responses(
        (status = 200, description = "The version", body = MinutesVersionResponse),
        RestrictedReadErrors,
    )
)]
pub async fn get_minutes_version(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    path: web::Path<(Uuid, u32)>,
) -> Result<web::Json<MinutesVersionResponse>, ApiError> {
    let (id, number) = path.into_inner();
    let version = on_meeting(&state, reader.caller, id, READ_RECORDS, move |conn, _| {
        meeting_records::find_minutes_version(conn, id, number)?.ok_or_else(|| {
            ApiError::NotFound(format!("meeting {id}'s minutes have no version {number}"))
        })
    })
    .await?;
    Ok(web::Json(MinutesVersionResponse::from(version)))
}
