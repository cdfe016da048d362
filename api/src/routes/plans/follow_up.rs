use actix_web::{HttpResponse, web};
use domain::plan::{FollowUp, PlanChange, UnknownAction, follow_up};
use domain::record::{AuditAction, AuditResource};
use openapi::plan::{FollowUpRequest, PlanResponse};
use openapi::responses::UpdateErrors;
use uuid::Uuid;

use super::{append_version, check_planning_consent, guarded_plan, writing_unit};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::{Access, today};
use crate::respond;
use crate::state::AppState;

/// Records a follow-up of the plan: the evaluation, the actions' new statuses, and the next
/// follow-up date. Makes a new version. Needs her consent to coordinated planning in force and
/// `If-Match`. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/care-plans/{id}/follow-ups",
    tag = "care plans",
    params(
        ("id" = Uuid, Path, description = "Plan id"),
        ("If-Match" = String, Header, description = "The ETag the plan was read with"),
    ),
    request_body = FollowUpRequest,
    responses(
        (status = 201, description = "Recorded; the plan's new version", body = PlanResponse, headers(
            ("Location" = String, description = "URL of the new version"),
            ("ETag" = String, description = "The new version"),
        )),
        UpdateErrors,
    )
)]
pub async fn follow_up_plan(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<FollowUpRequest>,
) -> Result<HttpResponse, ApiError> {
    // Parsed after the access decision (404 whatever the body for a caller who may not see it).
    let request = body.into_inner();
    let plan = guarded_plan(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::FollowUp, AuditResource::CarePlan),
        move |conn, context, caller, plan| {
            let held = request.into_domain(today())?;
            let unit = writing_unit(caller)?;
            if_match.check(plan.current.version)?;
            check_planning_consent(context)?;
            let now = persistence::now();
            let evaluation = FollowUp {
                id: Uuid::now_v7(),
                held_on: held.held_on,
                evaluation: held.evaluation,
                recorded_by: caller.subject.clone(),
                recorded_at: now,
            };
            let content = follow_up(
                &plan.current.content,
                evaluation,
                held.next_follow_up_date,
                &held.statuses,
            )
            .map_err(|UnknownAction(action)| {
                ApiError::invalid_field(
                    "action_statuses",
                    format!("action {action} is not an action of this plan"),
                )
            })?;
            append_version(
                conn,
                plan,
                PlanChange::FollowedUp,
                None,
                content,
                caller,
                unit,
            )
        },
    )
    .await?;
    Ok(respond::created(
        format!("/api/v1/care-plans/{}/versions/{}", plan.id, plan.version),
        plan.version,
        plan,
    ))
}
