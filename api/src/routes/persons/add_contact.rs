use actix_web::{HttpResponse, web};
use domain::record::{AuditAction, AuditResource};
use openapi::record::{AddContactRequest, RelatedContactResponse};
use openapi::responses::RecordWriteErrors;
use persistence::persons;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Records a relative or other contact of hers. For a person with protected identity the
/// contact is stored but shown only to admins and herself. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/contacts",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = AddContactRequest,
    responses((status = 201, description = "Recorded", body = RelatedContactResponse), RecordWriteErrors)
)]
pub async fn add_contact(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<AddContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().into_domain()?;
    let contact = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::Contact),
        move |conn, context, caller| {
            let contact = new.into_record(
                Uuid::now_v7(),
                context.person.id,
                caller.recorder(),
                persistence::now(),
            );
            persons::insert_contact(conn, &contact)?;
            // Echoes only what the caller just sent, so nothing withheld is revealed.
            Ok(RelatedContactResponse::from(&contact))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(contact))
}
