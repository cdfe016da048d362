use actix_web::{HttpResponse, web};
use domain::record::Consent;
use domain::record::{AuditAction, AuditResource};
use openapi::record::{ConsentResponse, RecordConsentRequest};
use openapi::responses::RecordWriteErrors;
use persistence::consents;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded, today};
use crate::state::AppState;

/// Records her consent decision (given, withdrawn or refused) for a scope. The latest
/// decision per scope is in force from the moment it is recorded: a withdrawal cuts
/// information sharing at once. Earlier decisions stay in the history. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/consents",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = RecordConsentRequest,
    responses((status = 201, description = "Recorded", body = ConsentResponse), RecordWriteErrors)
)]
pub async fn record_consent(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<RecordConsentRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = today();
    let (scope, status, valid_from, valid_to) = body.into_inner().into_domain(today)?;
    let consent = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::Consent),
        move |conn, context, caller| {
            let consent = Consent {
                id: Uuid::now_v7(),
                person_id: context.person.id,
                scope,
                status,
                valid_from,
                valid_to,
                recorded_by: caller.recorder(),
                recorded_at: persistence::now(),
            };
            consents::insert(conn, &consent)?;
            Ok(ConsentResponse::new(
                &consent,
                consent.grants_on(today),
                true,
            ))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(consent))
}
