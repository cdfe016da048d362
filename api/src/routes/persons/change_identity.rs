use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::identity::{IdentityChangeRequest, IdentityChangeResponse};
use openapi::responses::RecordWriteErrors;
use persistence::{identity_changes, persons};
use uuid::Uuid;

use crate::auth::{Authorized, ChangeIdentity};
use crate::error::ApiError;
use crate::record_access::{Access, guarded, today};
use crate::state::AppState;

/// Changes her identity number (admin, coordinator): her personnummer became known (she was
/// registered under a reservnummer), or a number was replaced. Her record keeps its id, so
/// every part of it — care relationships, consents, cases, plans, meetings, the access log —
/// stays hers and nothing is copied; her earlier number still finds her (search,
/// registration, import, emergency access) and is kept in her history
/// (`GET /persons/{id}/identity-changes`) and in her timeline (an `identity_changed` event,
/// `GET /persons/{id}/timeline`). A number that belongs, now or earlier, to another
/// registered person is refused with 409 without naming that record (the caller may have no
/// access to it; no merge; decision record 0019); her own number is 422. One transaction,
/// logged as `change-identity`.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/identity-changes",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = IdentityChangeRequest,
    responses((status = 201, description = "Changed; the change as kept in her history", body = IdentityChangeResponse,
        headers(("Location" = String, description = "URL of her identity history"))), RecordWriteErrors)
)]
pub async fn change_identity(
    state: web::Data<AppState>,
    authorized: Authorized<ChangeIdentity>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<IdentityChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let person_id = id.into_inner();
    // Checked once the caller may see her: a caller who may not gets 404 whatever the body.
    let request = body.into_inner();
    let reserve = state.reserve_numbers.clone();
    let change = guarded(
        &state,
        authorized.caller,
        person_id,
        Access::write(AuditAction::ChangeIdentity, AuditResource::Person),
        move |conn, context, caller| {
            let new = request.into_domain(today(), &reserve)?;
            let holder = identity_changes::holder_of(conn, &new.number)?;
            let (person, change) = new
                .apply(
                    &context.person,
                    holder,
                    Uuid::now_v7(),
                    caller.recorder(),
                    persistence::now(),
                )
                .map_err(ApiError::from)?;
            persons::update(conn, &person)?;
            identity_changes::insert(conn, &change)?;
            Ok(IdentityChangeResponse::made(&change))
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/persons/{person_id}/identity-changes"),
        ))
        .json(change))
}
