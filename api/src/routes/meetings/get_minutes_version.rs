use actix_web::web;
use openapi::meeting::records::MinutesVersionResponse;
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_records;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeetings};
use crate::db;
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
    _reader: Authorized<ReadMeetings>,
    path: web::Path<(Uuid, u32)>,
) -> Result<web::Json<MinutesVersionResponse>, ApiError> {
    let (id, number) = path.into_inner();
    let version = db::run(&state, move |conn| {
        super::find(conn, id)?;
        meeting_records::find_minutes_version(conn, id, number)?.ok_or_else(|| {
            ApiError::NotFound(format!("meeting {id}'s minutes have no version {number}"))
        })
    })
    .await?;
    Ok(web::Json(MinutesVersionResponse::from(version)))
}
