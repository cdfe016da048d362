use actix_web::web;
use domain::record::{AuditAction, AuditResource};
use openapi::record::BlockResponse;
use openapi::responses::BodylessActionErrors;
use persistence::consents;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Lifts a block; who lifted it and when are recorded. 409 when it was already lifted.
/// Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/blocks/{block_id}/lift",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id"), ("block_id" = Uuid, Path, description = "Block id")),
    responses((status = 200, description = "Lifted", body = BlockResponse), BodylessActionErrors)
)]
pub async fn lift_block(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<BlockResponse>, ApiError> {
    let (person_id, block_id) = path.into_inner();
    let block = guarded(
        &state,
        authorized.caller,
        person_id,
        Access::write(AuditAction::Lift, AuditResource::Block),
        move |conn, context, caller| {
            if !context.grant.may_manage_blocks() {
                return Err(ApiError::Forbidden(
                    "only she or an admin may lift her block".into(),
                ));
            }
            let block = context
                .blocks
                .iter()
                .find(|b| b.id == block_id)
                .ok_or_else(|| {
                    ApiError::NotFound(format!("she has no block with id {block_id}"))
                })?;
            let lifted = block
                .lift(&caller.subject, persistence::now())
                .map_err(|reason| ApiError::Conflict(reason.into()))?;
            consents::lift_block(conn, &lifted)?;
            Ok(BlockResponse::from(&lifted))
        },
    )
    .await?;
    Ok(web::Json(block))
}
