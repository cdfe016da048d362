use actix_web::{HttpResponse, web};
use domain::record::Statement;
use domain::record::{AuditAction, AuditResource};
use openapi::record::{AddStatementRequest, StatementResponse};
use openapi::responses::RecordWriteErrors;
use persistence::persons;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Records a need, resource, ability or goal of hers, dated and signed by the caller (Esther
/// may record her own goals). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/statements",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = AddStatementRequest,
    responses((status = 201, description = "Recorded", body = StatementResponse), RecordWriteErrors)
)]
pub async fn add_statement(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<AddStatementRequest>,
) -> Result<HttpResponse, ApiError> {
    let (kind, text) = body.into_inner().into_domain()?;
    let statement = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::Statement),
        move |conn, context, caller| {
            let statement = Statement {
                id: Uuid::now_v7(),
                person_id: context.person.id,
                kind,
                text,
                recorded_by: caller.recorder(),
                recorded_at: persistence::now(),
            };
            persons::insert_statement(conn, &statement)?;
            Ok(StatementResponse::from(&statement))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(statement))
}
