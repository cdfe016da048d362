use actix_web::{HttpResponse, web};
use openapi::directory::{StaffResponse, UpdateStaffRequest};
use openapi::responses::UpdateErrors;
use persistence::staff;
use uuid::Uuid;

use super::super::references;
use crate::auth::{Authorized, ManageDirectory};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::state::AppState;
use crate::{db, respond};

/// Changes a staff member (admin); `active: false` deactivates them. Needs `If-Match`.
#[utoipa::path(
    patch,
    path = "/api/v1/staff/{id}",
    tag = "directory",
    params(
        ("id" = Uuid, Path, description = "Staff member id"),
        ("If-Match" = String, Header, description = "The ETag the staff member was read with"),
    ),
    request_body = UpdateStaffRequest,
    responses(
        (status = 200, description = "Updated", body = StaffResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_staff_member(
    state: web::Data<AppState>,
    _admin: Authorized<ManageDirectory>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateStaffRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changes = body.into_inner().into_domain()?;
    let member = db::transaction(&state, move |conn| {
        let current = staff::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no staff member has id {id}")))?;
        if_match.check(current.version)?;
        if let Some(care_unit_id) = changes.care_unit_id {
            references::active_care_unit(conn, "care_unit_id", care_unit_id)?;
        }
        Ok(staff::update(conn, &current.apply(changes))?)
    })
    .await?;
    Ok(respond::ok_with_etag(
        member.version,
        StaffResponse::from(member),
    ))
}
