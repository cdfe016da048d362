use actix_web::{HttpResponse, web};
use openapi::directory::{CreateStaffRequest, StaffResponse};
use openapi::responses::CreateErrors;
use persistence::staff;
use uuid::Uuid;

use super::super::references;
use crate::auth::{Authorized, ManageDirectory};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Registers a staff member at an active care unit (admin).
#[utoipa::path(
    post,
    path = "/api/v1/staff",
    tag = "directory",
    request_body = CreateStaffRequest,
    responses(
        (status = 201, description = "Registered", body = StaffResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_staff_member(
    state: web::Data<AppState>,
    _admin: Authorized<ManageDirectory>,
    body: crate::json_body::Json<CreateStaffRequest>,
) -> Result<HttpResponse, ApiError> {
    let member = body
        .into_inner()
        .into_domain()?
        .into_record(Uuid::now_v7(), persistence::now());
    let member = db::transaction(&state, move |conn| {
        references::active_care_unit(conn, "care_unit_id", member.care_unit_id)?;
        staff::insert(conn, &member)?;
        Ok(member)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/staff/{}", member.id),
        member.version,
        StaffResponse::from(member),
    ))
}
