use actix_web::{HttpResponse, web};
use openapi::directory::OrganizationResponse;
use openapi::responses::ReadErrors;
use persistence::organizations;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads one organization.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}",
    tag = "directory",
    params(("id" = Uuid, Path, description = "Organization id")),
    responses(
        (status = 200, description = "The organization", body = OrganizationResponse,
            headers(("ETag" = String, description = "The version in quotes; send it as If-Match to update"))),
        ReadErrors,
    )
)]
pub async fn get_organization(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let org = db::run(&state, move |conn| {
        organizations::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no organization has id {id}")))
    })
    .await?;
    Ok(respond::ok_with_etag(
        org.version,
        OrganizationResponse::from(org),
    ))
}
