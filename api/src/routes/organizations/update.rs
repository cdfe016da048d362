use actix_web::{HttpResponse, web};
use openapi::directory::{OrganizationResponse, UpdateOrganizationRequest};
use openapi::responses::UpdateErrors;
use persistence::organizations;
use uuid::Uuid;

use crate::auth::{Authorized, ManageDirectory};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::state::AppState;
use crate::{db, respond};

/// Changes an organization (admin); `active: false` deactivates it. Needs `If-Match`.
#[utoipa::path(
    patch,
    path = "/api/v1/organizations/{id}",
    tag = "directory",
    params(
        ("id" = Uuid, Path, description = "Organization id"),
        ("If-Match" = String, Header, description = "The ETag the organization was read with"),
    ),
    request_body = UpdateOrganizationRequest,
    responses(
        (status = 200, description = "Updated", body = OrganizationResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_organization(
    state: web::Data<AppState>,
    _admin: Authorized<ManageDirectory>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changes = body.into_inner().into_domain()?;
    let org = db::transaction(&state, move |conn| {
        let current = organizations::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no organization has id {id}")))?;
        if_match.check(current.version)?;
        Ok(organizations::update(conn, &current.apply(changes)?)?)
    })
    .await?;
    Ok(respond::ok_with_etag(
        org.version,
        OrganizationResponse::from(org),
    ))
}
