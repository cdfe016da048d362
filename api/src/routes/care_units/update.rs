use actix_web::{HttpResponse, web};
use openapi::directory::{CareUnitResponse, UpdateCareUnitRequest};
use openapi::responses::UpdateErrors;
use persistence::{care_units, relationships};
use uuid::Uuid;

use super::super::references;
use crate::auth::{Authorized, ManageDirectory};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::state::AppState;
use crate::{db, respond};

/// Changes a care unit (admin); `active: false` deactivates it. Needs `If-Match`. A new
/// `organization_id` (the unit changed care provider) moves the unit's care relationships in
/// force with it: from then on its staff see what the new organization's entries are, and the
/// new organization's integrations, not the old one's, reach the persons it cares for.
#[utoipa::path(
    patch,
    path = "/api/v1/care-units/{id}",
    tag = "directory",
    params(
        ("id" = Uuid, Path, description = "Care unit id"),
        ("If-Match" = String, Header, description = "The ETag the care unit was read with"),
    ),
    request_body = UpdateCareUnitRequest,
    responses(
        (status = 200, description = "Updated", body = CareUnitResponse,
            headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_care_unit(
    state: web::Data<AppState>,
    _admin: Authorized<ManageDirectory>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdateCareUnitRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changes = body.into_inner().into_domain()?;
    let unit = db::transaction(&state, move |conn| {
        let current = care_units::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no care unit has id {id}")))?;
        if_match.check(current.version)?;
        if let Some(organization_id) = changes.organization_id {
            references::active_organization(conn, "organization_id", organization_id)?;
        }
        let moved_from = current.organization_id;
        let unit = care_units::update(conn, &current.apply(changes))?;
        // Her care relationships with the unit are held under its organization as it now is,
        // in the same transaction.
        if unit.organization_id != moved_from {
            relationships::move_unit_to_organization(conn, unit.id, unit.organization_id)?;
        }
        Ok(unit)
    })
    .await?;
    // Tokens naming this unit are checked against its organization as it now is.
    state.units.forget(unit.id);
    Ok(respond::ok_with_etag(
        unit.version,
        CareUnitResponse::from(unit),
    ))
}
