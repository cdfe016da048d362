use actix_web::{HttpResponse, web};
use domain::plan::PlanChange;
use domain::record::{AuditAction, AuditResource};
use openapi::plan::{PlanRequest, PlanResponse};
use openapi::responses::UpdateErrors;
use uuid::Uuid;

use super::{append_version, check_content, guarded_plan, writing_unit};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::preconditions::IfMatchVersion;
use crate::record_access::Access;
use crate::respond;
use crate::state::AppState;

/// Revises a plan: the content is replaced whole and becomes a new version; the old one stays
/// readable under `/versions`. Actions the plan keeps are named by `id`; follow-ups already
/// held are kept. The same rules as making a plan apply (consent in force, statutory parts,
/// relatives). Needs `If-Match`. Logged.
#[utoipa::path(
    put,
    path = "/api/v1/care-plans/{id}",
    tag = "care plans",
    params(
        ("id" = Uuid, Path, description = "Plan id"),
        ("If-Match" = String, Header, description = "The ETag the plan was read with"),
    ),
    request_body = PlanRequest,
    responses(
        (status = 200, description = "Revised; the new version", body = PlanResponse, headers(("ETag" = String, description = "The new version"))),
        UpdateErrors,
    )
)]
pub async fn revise_plan(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    if_match: IfMatchVersion,
    body: crate::json_body::Json<PlanRequest>,
) -> Result<HttpResponse, ApiError> {
    // Parsed after the access decision (404 whatever the body for a caller who may not see it).
    let request = body.into_inner();
    let plan = guarded_plan(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Update, AuditResource::CarePlan),
        move |conn, context, caller, plan| {
            let parsed = request.into_domain()?;
            let unit = writing_unit(caller)?;
            if_match.check(plan.current.version)?;
            let known: Vec<Uuid> = plan.current.content.actions.iter().map(|a| a.id).collect();
            check_content(
                conn,
                context,
                &parsed.content,
                &parsed.named_action_ids,
                &known,
            )?;
            let mut content = parsed.content;
            content.follow_ups = plan.current.content.follow_ups.clone();
            append_version(
                conn,
                plan,
                PlanChange::Revised,
                parsed.note,
                content,
                caller,
                unit,
            )
        },
    )
    .await?;
    Ok(respond::ok_with_etag(plan.version, plan))
}
