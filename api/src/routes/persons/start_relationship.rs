use actix_web::{HttpResponse, web};
use domain::Role;
use domain::record::{AuditAction, AuditResource};
use domain::record::{CareRelationship, RelationshipRole};
use openapi::record::{CareRelationshipResponse, StartCareRelationshipRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{relationships, staff};
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::routes::references;
use crate::state::AppState;

/// Roles that may bring a unit into her care.
const STAFF_ROLES: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Integration,
];

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
    body: web::Json<StartCareRelationshipRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let role = RelationshipRole::parse(&request.role)
        .map_err(|e| ApiError::invalid_field("role", e.message))?;
    let relationship = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::CareRelationship),
        move |conn, context, caller| {
            if !caller.has_any(STAFF_ROLES) {
                return Err(ApiError::Forbidden(
                    "care relationships are started by staff".into(),
                ));
            }
            let unit = references::active_care_unit(conn, "care_unit_id", request.care_unit_id)?;
            if let Some(staff_id) = request.staff_id {
                let member = staff::find_by_id(conn, staff_id)?
                    .filter(|m| m.active && m.care_unit_id == unit.id);
                if member.is_none() {
                    return Err(ApiError::invalid_field(
                        "staff_id",
                        format!("no active staff member {staff_id} at care unit {}", unit.id),
                    ));
                }
            }
            if context
                .relationships
                .iter()
                .any(|r| r.is_active() && r.care_unit_id == unit.id && r.role == role)
            {
                return Err(ApiError::Conflict(format!(
                    "care unit {} already has an active `{role}` relationship with her",
                    unit.id
                )));
            }
            let relationship = CareRelationship::start(
                Uuid::now_v7(),
                context.person.id,
                &unit,
                request.staff_id,
                role,
                &caller.subject,
                persistence::now(),
            );
            relationships::insert(conn, &relationship)?;
            Ok(CareRelationshipResponse::from(&relationship))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(relationship))
}
