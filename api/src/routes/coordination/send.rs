use actix_web::{HttpResponse, web};
use chrono::TimeDelta;
use domain::CareUnitKind;
use domain::discharge::{CaseMessage, MessageKind, Recipient, RecipientStatus, opted_out_units};
use domain::plan::coordinated_planning_consent;
use domain::record::{AuditAction, AuditResource};
use domain::record::{CareRelationship, RelationshipRole};
use openapi::FieldError;
use openapi::coordination::{CaseResponse, SendMessageRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{DbConnection, care_units, coordination, relationships};
use uuid::Uuid;

use super::{case_view, guarded_case};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, RecordContext, today};
use crate::routes::references;
use crate::state::AppState;

/// How far ahead of the server's clock a reported `sent_at` may be (clock skew).
const CLOCK_SKEW_SECS: i64 = 300;

/// Sends a typed message in the case from the caller's unit. The case's state decides which
/// kinds are allowed (409 names the state and the allowed kinds); a planning call needs a
/// fast vårdkontakt at a primary care centre and her consent to coordinated planning (422
/// names what is missing); a unit that opted out cannot be addressed. Addressed units that
/// do not yet care for her join her care team for the planning, and leave it again when they
/// turn out not to be involved (they opt out, or every message to them is retracted). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/coordination-cases/{id}/messages",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = SendMessageRequest,
    responses((status = 201, description = "Sent; the case", body = CaseResponse), RecordWriteErrors)
)]
pub async fn send_message(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: web::Json<SendMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().into_domain()?;
    let agreement = state.agreement.clone();
    let view = guarded_case(&state, authorized.caller, id.into_inner(), Access::write(AuditAction::Create, AuditResource::CoordinationMessage), move |conn, context, caller, case| {
        let sender = caller.unit.ok_or_else(|| ApiError::Forbidden("sending needs a token with the caller's `unit`".into()))?;
        let next = case.state.apply(new.kind).map_err(|illegal| ApiError::Conflict(illegal.to_string()))?;
        let earlier = coordination::messages(conn, case.id)?;
        let now = persistence::now();
        let sent_at = new.sent_at.unwrap_or(now);
        let not_before = earlier.last().map_or(case.admitted_at, |m| m.sent_at.max(case.admitted_at));
        if sent_at < not_before || sent_at > now + TimeDelta::seconds(CLOCK_SKEW_SECS) {
            return Err(ApiError::invalid_field("sent_at", "must be after the admission and the case's previous message, and not in the future"));
        }
        let opted_out = opted_out_units(&earlier);
        if let Some(unit) = new.to.iter().find(|unit| opted_out.contains(unit)) {
            return Err(ApiError::invalid_field("to", format!("care unit {unit} answered that it is not involved in this case")));
        }
        let mut addressed = Vec::new();
        for unit in &new.to {
            addressed.push(references::active_care_unit(conn, "to", *unit)?);
        }
        if new.kind == MessageKind::PlanningCall {
            check_planning_call(conn, context)?;
        }
        for unit in addressed.iter().filter(|u| !context.relationships.iter().any(|r| r.is_active() && r.care_unit_id == u.id)) {
            let relationship_id = Uuid::now_v7();
            relationships::insert(conn, &CareRelationship::start(relationship_id, case.person_id, unit, None, RelationshipRole::Other, &caller.subject, now))?;

            coordination::link_relationship(conn, case.id, relationship_id, unit.id)?;
        }
        coordination::insert_message(conn, &CaseMessage {
            id: Uuid::now_v7(),
            case_id: case.id,
            kind: new.kind,
            text: new.text,
            sent_by: caller.subject.clone(),
            sent_by_unit: sender,
            sent_at,
            recipients: new
                .to
                .iter()
                .map(|unit| Recipient { unit_id: *unit, status: RecipientStatus::Pending, answered_by: None, answered_at: None, retract_reason: None })
                .collect(),
        })?;
        let mut changed = case.clone();
        changed.state = next;
        if new.expected_discharge_date.is_some() {
            changed.expected_discharge_date = new.expected_discharge_date;
        }
        let stored = coordination::update_case(conn, &changed)?;
        case_view(conn, &stored, &agreement)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// A planning call needs an appointed fast vårdkontakt at a primary care centre and her
/// consent to coordinated planning; the 422 names each that is missing.
fn check_planning_call(conn: &mut DbConnection, context: &RecordContext) -> Result<(), ApiError> {
    let mut missing = Vec::new();
    let mut has_fast_vardkontakt = false;
    for relationship in context
        .relationships
        .iter()
        .filter(|r| r.is_active() && r.role == RelationshipRole::FastVardkontakt)
    {
        let unit = care_units::find_by_id(conn, relationship.care_unit_id)?;
        has_fast_vardkontakt |= unit.is_some_and(|u| u.kind == CareUnitKind::PrimaryCareCentre);
    }
    if !has_fast_vardkontakt {
        missing.push(FieldError {
            field: "fast_vardkontakt".into(),
            message: "no fast vårdkontakt is appointed at a primary care centre: start a care relationship with role `fast_vardkontakt` first".into(),
        });
    }
    if let Err(problem) = coordinated_planning_consent(&context.consents, today()) {
        missing.push(FieldError {
            field: "consent".into(),
            message: problem.to_string(),
        });
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(missing))
    }
}
