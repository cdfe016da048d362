use actix_web::{HttpResponse, web};
use openapi::improvement::training::{CoachResponse, UpdateCoachRequest};
use openapi::responses::UpdateErrors;
use persistence::training;
use uuid::Uuid;

use super::check_references;
use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::state::AppState;
use crate::{db, respond};

/// Changes a coach profile (admin, coordinator, coach); needs `If-Match`. Lists are replaced
/// whole; `certified_on` records the certification.
#[utoipa::path(
    patch,
    path = "/api/v1/coaches/{staff_id}",
    tag = "improvement",
    params(
        ("staff_id" = Uuid, Path, description = "The coach's staff id"),
        ("If-Match" = String, Header, description = "The ETag the profile was read with"),
    ),
    request_body = UpdateCoachRequest,
    responses(
        (status = 200, description = "Changed", body = CoachResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_coach(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    staff_id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateCoachRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff_id = staff_id.into_inner();
    let changes = body.into_inner();
    let today = crate::record_access::today();
    let coach = db::transaction(&state, move |conn| {
        let current = super::find(conn, staff_id)?;
        if_match.check(current.version)?;
        let next = changes.apply(&current, today)?;
        check_references(conn, &next)?;
        Ok(training::update_coach(conn, &next)?)
    })
    .await?;
    Ok(respond::ok_with_etag(
        coach.version,
        CoachResponse::from(coach),
    ))
}
