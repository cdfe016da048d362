use actix_web::web;
use domain::record::AuditResource;
use openapi::record::{CareRelationshipListResponse, CareRelationshipResponse};
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::guarded_view;
use crate::state::AppState;

/// Who cares for her: every care relationship, ended ones included. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/care-relationships",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, description = "Her care relationships", body = CareRelationshipListResponse), RecordReadErrors)
)]
pub async fn list_relationships(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<web::Json<CareRelationshipListResponse>, ApiError> {
    let list = guarded_view(
        &state,
        authorized.caller,
        id.into_inner(),
        AuditResource::CareRelationships,
        |context, _| {
            Ok(CareRelationshipListResponse {
                items: context
                    .relationships
                    .iter()
                    .filter_map(|r| context.grant.relationship_view(r))
                    .map(CareRelationshipResponse::from)
                    .collect(),
            })
        },
    )
    .await?;
    Ok(web::Json(list))
}
