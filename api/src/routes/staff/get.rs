use actix_web::{HttpResponse, web};
use openapi::directory::StaffResponse;
use openapi::responses::ReadErrors;
use persistence::staff;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads one staff member.
#[utoipa::path(
    get,
    path = "/api/v1/staff/{id}",
    tag = "directory",
    params(("id" = Uuid, Path, description = "Staff member id")),
    responses(
        (status = 200, description = "The staff member", body = StaffResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to update"))),
        ReadErrors,
    )
)]
pub async fn get_staff_member(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let member = db::run(&state, move |conn| {
        staff::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no staff member has id {id}")))
    })
    .await?;
    Ok(respond::ok_with_etag(
        member.version,
        StaffResponse::from(member),
    ))
}
