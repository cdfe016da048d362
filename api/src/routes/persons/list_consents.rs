use actix_web::web;
use domain::record::AuditResource;
use domain::record::consent_in_force;
use openapi::record::{ConsentHistoryResponse, ConsentResponse};
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{guarded_view, today};
use crate::state::AppState;

/// Her consent decisions, oldest first; `in_force` marks the decision that counts today for
/// each scope. Who recorded a decision for a unit she blocked is withheld from other units
/// (`recorded_by: null`). Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/consents",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, description = "Her consent history", body = ConsentHistoryResponse), RecordReadErrors)
)]
pub async fn list_consents(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ConsentHistoryResponse>, ApiError> {
    let history = guarded_view(
        &state,
        authorized.caller,
        id.into_inner(),
        AuditResource::Consents,
        |context, _| {
            let today = today();
            let items = context
                .consents
                .iter()
                .map(|consent| {
                    let latest = consent_in_force(&context.consents, consent.scope)
                        .is_some_and(|c| c.id == consent.id);
                    let recorder = &consent.recorded_by;
                    ConsentResponse::new(
                        consent,
                        latest && consent.grants_on(today),
                        context.grant.may_see_actor_of(recorder.unit_id),
                    )
                })
                .collect();
            Ok(ConsentHistoryResponse { items })
        },
    )
    .await?;
    Ok(web::Json(history))
}
