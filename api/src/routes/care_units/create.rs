use actix_web::{HttpResponse, web};
use openapi::directory::{CareUnitResponse, CreateCareUnitRequest};
use openapi::responses::CreateErrors;
use persistence::care_units;
use uuid::Uuid;

use super::super::references;
use crate::auth::{Authorized, ManageDirectory};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Registers a care unit of an active organization (admin).
#[utoipa::path(
    post,
    path = "/api/v1/care-units",
    tag = "directory",
    request_body = CreateCareUnitRequest,
    responses(
        (status = 201, description = "Registered", body = CareUnitResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_care_unit(
    state: web::Data<AppState>,
    _admin: Authorized<ManageDirectory>,
    body: crate::json_body::Json<CreateCareUnitRequest>,
) -> Result<HttpResponse, ApiError> {
    let unit = body
        .into_inner()
        .into_domain()?
        .into_record(Uuid::now_v7(), persistence::now());
    let unit = db::transaction(&state, move |conn| {
        references::active_organization(conn, "organization_id", unit.organization_id)?;
        care_units::insert(conn, &unit)?;
        Ok(unit)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/care-units/{}", unit.id),
        unit.version,
        CareUnitResponse::from(unit),
    ))
}
