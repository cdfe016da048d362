use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use domain::record::{Block, FreeText, already_blocked, check_new_block};
use openapi::FieldErrors;
use openapi::record::{BlockResponse, CreateBlockRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{PersistenceError, care_units, consents};
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Blocks (spärr) what one care unit recorded about her from every other unit, at her
/// request. Takes effect at once. 409 when she already blocks that unit (one block in force
/// per unit). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/blocks",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = CreateBlockRequest,
    responses((status = 201, description = "Blocked", body = BlockResponse), RecordWriteErrors)
)]
pub async fn create_block(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<CreateBlockRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let mut errors = FieldErrors::default();
    let reason = errors.check_optional("reason", request.reason.as_deref(), |r| {
        FreeText::parse_max(r, 1_000)
    });
    let Some(reason) = reason else {
        return Err(errors.into_failure().into());
    };
    let block = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::Block),
        move |conn, context, caller| {
            if care_units::find_by_id(conn, request.care_unit_id)?.is_none() {
                return Err(ApiError::invalid_field(
                    "care_unit_id",
                    format!("no care unit has id {}", request.care_unit_id),
                ));
            }
            check_new_block(&context.blocks, request.care_unit_id).map_err(ApiError::Conflict)?;
            let block = Block {
                id: Uuid::now_v7(),
                person_id: context.person.id,
                blocked_unit_id: request.care_unit_id,
                reason,
                created_by: caller.subject.clone(),
                created_at: persistence::now(),
                lifted_by: None,
                lifted_at: None,
            };
            // A concurrent request for the same unit got past the check: the database's index
            // refuses the second (migration 000026).
            consents::insert_block(conn, &block).map_err(|error| match error {
                PersistenceError::UniqueViolation { .. } => {
                    ApiError::Conflict(already_blocked(request.care_unit_id))
                }
                other => other.into(),
            })?;
            Ok(BlockResponse::from(&block))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(block))
}
