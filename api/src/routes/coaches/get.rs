use actix_web::{HttpResponse, web};
use openapi::improvement::training::CoachResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, ReadImprovement};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads a staff member's coach profile.
#[utoipa::path(
    get,
    path = "/api/v1/coaches/{staff_id}",
    tag = "improvement",
    params(("staff_id" = Uuid, Path, description = "The coach's staff id")),
    responses(
        (status = 200, description = "The coach profile", body = CoachResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to change the profile"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_coach(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    staff_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let staff_id = staff_id.into_inner();
    let coach = db::run(&state, move |conn| super::find(conn, staff_id)).await?;
    Ok(respond::ok_with_etag(
        coach.version,
        CoachResponse::from(coach),
    ))
}
