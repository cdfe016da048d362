use actix_web::{HttpResponse, web};
use domain::plan::{CarePlan, PlanChange, PlanVersion};
use domain::record::{AuditAction, AuditResource};
use openapi::plan::{PlanRequest, PlanResponse};
use openapi::responses::RecordWriteErrors;
use persistence::plans;
use uuid::Uuid;

use super::{check_content, writing_unit};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::respond;
use crate::routes::references;
use crate::state::AppState;

/// Makes a coordinated individual plan (SIP) for her, as version 1, from the caller's unit
/// (which must be caring for her). Needs her consent to coordinated planning in force — a
/// refusal or withdrawal blocks it (422, field `consent`). Every statutory part must be there:
/// her needs, her own goals, who does what (actions with the responsible organization), the
/// region or municipality holding overall responsibility, participants, and the follow-up
/// date; the 422 names each one missing. Relatives take part only if she has not objected.
/// Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/care-plans",
    tag = "care plans",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PlanRequest,
    responses(
        (status = 201, description = "Made; version 1", body = PlanResponse, headers(
            ("Location" = String, description = "URL of the plan"),
            ("ETag" = String, description = "The plan's version"),
        )),
        RecordWriteErrors,
    )
)]
pub async fn create_plan(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<PlanRequest>,
) -> Result<HttpResponse, ApiError> {
    // Parsed after the access decision: a caller who may not see her learns nothing from
    // the body's checks (404 whatever the body).
    let request = body.into_inner();
    let plan = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::CarePlan),
        move |conn, context, caller| {
            let parsed = request.into_domain()?;
            let unit_id = writing_unit(caller)?;
            check_content(
                conn,
                context,
                &parsed.content,
                &parsed.named_action_ids,
                &[],
            )?;
            let unit = references::active_care_unit(conn, "unit", unit_id)?;
            let now = persistence::now();
            let plan = CarePlan {
                id: Uuid::now_v7(),
                person_id: context.person.id,
                created_by_unit: unit.id,
                created_by_organization: unit.organization_id,
                created_at: now,
                current: PlanVersion {
                    version: 1,
                    change: PlanChange::Created,
                    note: parsed.note,
                    content: parsed.content,
                    changed_by: caller.subject.clone(),
                    changed_by_unit: unit.id,
                    changed_at: now,
                },
            };
            plans::insert(conn, &plan)?;
            Ok(PlanResponse::new(&plan, &plan.current))
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/care-plans/{}", plan.id),
        plan.version,
        plan,
    ))
}
