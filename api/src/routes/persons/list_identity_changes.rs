use actix_web::web;
use domain::record::AuditResource;
use openapi::identity::{IdentityChangeListResponse, IdentityChangeResponse};
use openapi::responses::RecordReadErrors;
use persistence::identity_changes;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Her identity-number history, oldest change first: each earlier number, the new one, why,
/// who and when. Under protected identity the earlier numbers are shown only to her and to
/// admins; who made a change at a unit she has blocked is not shown to other units. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/identity-changes",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, description = "Her identity-number history", body = IdentityChangeListResponse), RecordReadErrors)
)]
pub async fn list_identity_changes(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<web::Json<IdentityChangeListResponse>, ApiError> {
    let list = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::read(AuditResource::IdentityChanges),
        |conn, context, _| {
            let items = identity_changes::list_for_person(conn, context.person.id)?
                .iter()
                .map(|c| IdentityChangeResponse::seen_under(c, &context.grant, &context.person))
                .collect();
            Ok(IdentityChangeListResponse { items })
        },
    )
    .await?;
    Ok(web::Json(list))
}
