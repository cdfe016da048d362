use actix_web::{HttpResponse, web};
use openapi::directory::{CreateOrganizationRequest, OrganizationResponse};
use openapi::responses::CreateErrors;
use persistence::organizations;
use uuid::Uuid;

use crate::auth::{Authorized, ManageDirectory};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Registers an organization (admin).
#[utoipa::path(
    post,
    path = "/api/v1/organizations",
    tag = "directory",
    request_body = CreateOrganizationRequest,
    responses(
        (status = 201, description = "Registered", body = OrganizationResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_organization(
    state: web::Data<AppState>,
    _admin: Authorized<ManageDirectory>,
    body: crate::json_body::Json<CreateOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().into_domain()?;
    let org = new.into_record(Uuid::now_v7(), persistence::now())?;
    let org = db::run(&state, move |conn| {
        organizations::insert(conn, &org)?;
        Ok(org)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/organizations/{}", org.id),
        org.version,
        OrganizationResponse::from(org),
    ))
}
