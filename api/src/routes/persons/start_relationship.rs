use actix_web::{HttpResponse, web};
use domain::care_team::{StartFacts, StartRefused};
use domain::record::{AuditAction, AuditResource};
use openapi::record::{CareRelationshipResponse, StartCareRelationshipRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{care_units, relationships, staff};
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Starts a care relationship between her and an active care unit (and optionally one of its
/// active staff), e.g. when the hospital brings home care into her team. Staff roles only;
/// 409 when that unit already has an active relationship in the same role. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/care-relationships",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = StartCareRelationshipRequest,
    responses((status = 201, description = "Started", body = CareRelationshipResponse), RecordWriteErrors)
)]
pub async fn start_relationship(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<StartCareRelationshipRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().into_domain()?;
    let relationship = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::CareRelationship),
        move |conn, context, caller| {
            let unit = care_units::find_by_id(conn, new.care_unit_id)?;
            let member = match new.staff_id {
                Some(staff_id) => staff::find_by_id(conn, staff_id)?,
                None => None,
            };
            let facts = StartFacts {
                roles: &caller.roles,
                unit: unit.as_ref(),
                staff: member.as_ref(),
                person_id: context.person.id,
                relationships: &context.relationships,
            };
            let relationship = new
                .start(&facts, Uuid::now_v7(), caller.actor(), persistence::now())
                .map_err(|refused| match refused {
                    StartRefused::NotStaff => ApiError::Forbidden(refused.to_string()),
                    StartRefused::Invalid(invalid) => invalid.into(),
                    StartRefused::AlreadyActive { .. } => ApiError::Conflict(refused.to_string()),
                })?;
            relationships::insert(conn, &relationship)?;
            Ok(CareRelationshipResponse::from(&relationship))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(relationship))
}
