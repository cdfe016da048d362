use actix_web::web;
use domain::record::AuditResource;
use openapi::record::{BlockListResponse, BlockResponse};
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::guarded_view;
use crate::state::AppState;

/// Her blocks (spärrar), lifted ones included. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/blocks",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, description = "Her blocks", body = BlockListResponse), RecordReadErrors)
)]
pub async fn list_blocks(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<web::Json<BlockListResponse>, ApiError> {
    let blocks = guarded_view(
        &state,
        authorized.caller,
        id.into_inner(),
        AuditResource::Blocks,
        |context, _| {
            if !context.grant.may_manage_blocks() {
                return Err(ApiError::Forbidden(
                    "her blocks are listed only to her and to admins".into(),
                ));
            }
            Ok(BlockListResponse {
                items: context.blocks.iter().map(BlockResponse::from).collect(),
            })
        },
    )
    .await?;
    Ok(web::Json(blocks))
}
