use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::record::{PersonResponse, UpdatePersonRequest};
use openapi::responses::UpdateErrors;
use persistence::persons;
use persistence::snapshot::RecordSnapshot;
use std::sync::Arc;
use uuid::Uuid;

use super::{render, respond_with};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::{Access, RecordContext, guarded};
use crate::state::AppState;

/// Changes her record (name, municipality, protected identity, contact details, what matters
/// to her). Needs `If-Match`. Logged.
#[utoipa::path(
    patch,
    path = "/api/v1/persons/{id}",
    tag = "persons",
    params(
        ("id" = Uuid, Path, description = "Person id"),
        ("If-Match" = String, Header, description = "The ETag the record was read with"),
    ),
    request_body = UpdatePersonRequest,
    responses(
        (status = 200, description = "Updated", body = PersonResponse, headers(("ETag" = String, description = "The new entity tag"))),
        UpdateErrors,
    )
)]
pub async fn update_person(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<UpdatePersonRequest>,
) -> Result<HttpResponse, ApiError> {
    let changes = body.into_inner().into_domain()?;
    let person = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Update, AuditResource::Person),
        move |conn, context, _| {
            if_match.check(context.person.version)?;
            let lifts_protection =
                context.person.protected_identity && changes.protected_identity == Some(false);
            if lifts_protection && !context.grant.may_lift_protected_identity() {
                return Err(ApiError::Forbidden(
                    "only admins may turn protected identity off".into(),
                ));
            }
            let person = persons::update(conn, &context.person.clone().apply(changes))?;
            let updated = RecordContext {
                record: Arc::new(RecordSnapshot {
                    person,
                    ..RecordSnapshot::clone(&context.record)
                }),
                grant: context.grant.clone(),
            };
            Ok(render(&updated))
        },
    )
    .await?;
    Ok(respond_with(person))
}
