use actix_web::web;
use domain::record::{AuditAction, AuditResource};
use openapi::record::CareRelationshipResponse;
use openapi::responses::BodylessActionErrors;
use persistence::relationships;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Ends a care relationship; the unit loses access through it at once. 409 when already
/// ended; 404 for one her block hides from the caller (as it is not listed). The answer shows
/// it as the caller may see it (`started_by` withheld where her block hides the unit its
/// starter acted for). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/care-relationships/{relationship_id}/end",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id"), ("relationship_id" = Uuid, Path, description = "Care relationship id")),
    responses((status = 200, description = "Ended", body = CareRelationshipResponse), BodylessActionErrors)
)]
pub async fn end_relationship(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<CareRelationshipResponse>, ApiError> {
    let (person_id, relationship_id) = path.into_inner();
    let relationship = guarded(
        &state,
        authorized.caller,
        person_id,
        Access::write(AuditAction::End, AuditResource::CareRelationship),
        move |conn, context, caller| {
            // One her block hides from the caller is not found, as it is not listed (an
            // attack review ended the blocked ward's relationship through its old id).
            let relationship = context
                .relationships
                .iter()
                .find(|r| r.id == relationship_id)
                .filter(|r| context.grant.relationship_view(r).is_some())
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "she has no care relationship with id {relationship_id}"
                    ))
                })?;
            let ended = relationship
                .end(caller.actor(), persistence::now())
                .map_err(|reason| ApiError::Conflict(reason.into()))?;
            relationships::end(conn, &ended)?;
            // As the caller may see it: who started it may be withheld (her block).
            let view = context.grant.relationship_view(&ended);
            Ok(view.map_or_else(
                || CareRelationshipResponse::from(&ended),
                CareRelationshipResponse::from,
            ))
        },
    )
    .await?;
    Ok(web::Json(relationship))
}
