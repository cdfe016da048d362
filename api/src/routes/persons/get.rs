use actix_web::{HttpResponse, web};
use domain::record::AuditResource;
use openapi::record::PersonResponse;
use openapi::responses::RecordReadErrors;
use uuid::Uuid;

use super::render;
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::guarded_view;
use crate::respond;
use crate::state::AppState;

/// Reads her record as the caller may see it: entries hidden by the access rules are left
/// out, and for protected identity so are contact details. 404 when the person does not
/// exist or the caller may not see her. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "Her record", body = PersonResponse, headers(("ETag" = String, description = "`\"<version>.<digest>\"`: changes with anything her record as shown to the caller changes with (decision 0028); send it as If-Match to update her record"))),
        RecordReadErrors,
    )
)]
pub async fn get_person(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let person = guarded_view(
        &state,
        authorized.caller,
        id.into_inner(),
        AuditResource::Person,
        |context, _| Ok(render(context)),
    )
    .await?;
    respond::ok_with_view_etag(person.version, person)
}
