use actix_web::{HttpResponse, web};
use domain::discharge::{
    CaseMessage, MessageKind, NewMessage, SendFacts, Sender, fast_vardkontakt_unit_ids,
    involved_units,
};
use domain::record::{AuditAction, AuditResource};
use openapi::coordination::{CaseResponse, SendMessageRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{care_units, coordination, relationships};
use uuid::Uuid;

use super::{case_view, guarded_case};
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, today};
use crate::state::AppState;

/// Sends a typed message in the case from the caller's unit. The case's state decides which
/// kinds are allowed (409 names the state and the allowed kinds); the ward-side kinds
/// (`admission_notice`, `ready_for_discharge` and its withdrawal, `discharge_notice`,
/// `process_interrupted`) come only from the admitting ward or an inpatient unit of its
/// organization (403 names the rule); a planning call needs a fast vårdkontakt at a unit of a
/// kind the agreement allows for her care (a primary care centre; for psychiatric care also a
/// psychiatric outpatient unit) and her consent to coordinated planning (422 names what is
/// missing); a unit that opted out cannot be addressed; a `process_interrupted` without `to`
/// goes to the active units still involved in the case, or to none. Addressed units that
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
    body: crate::json_body::Json<SendMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().into_domain()?;
    let agreement = state.agreement.clone();
    let view = guarded_case(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::CoordinationMessage),
        move |conn, context, caller, case| {
            let unit = caller.unit.ok_or_else(|| {
                ApiError::Forbidden("sending needs a token with the caller's `unit`".into())
            })?;
            // Who cares for her, read for this request, holds until the message is in.
            super::hold_care_team(conn, context)?;
            let earlier = coordination::messages(conn, case.id)?;
            let addressed = care_units::find_all(conn, &recipients_to_find(&new, &earlier))?;
            let fast_vardkontakt_units =
                care_units::find_all(conn, &fast_vardkontakt_unit_ids(&context.relationships))?;
            let sender_and_ward = care_units::find_all(conn, &[unit, case.hospital_unit_id])?;
            let find = |id| sender_and_ward.iter().find(|u| u.id == id);
            let facts = SendFacts {
                earlier: &earlier,
                addressed: &addressed,
                relationships: &context.relationships,
                fast_vardkontakt_units: &fast_vardkontakt_units,
                consents: &context.consents,
                sender_unit: find(unit),
                ward: find(case.hospital_unit_id),
                agreement: &agreement,
                today: today(),
                now: persistence::now(),
            };
            let sender = Sender {
                subject: &caller.subject,
                unit,
            };
            let decision = case.send(new, sender, &facts, Uuid::now_v7)?;
            for relationship in &decision.joining {
                relationships::insert(conn, relationship)?;
                coordination::link_relationship(
                    conn,
                    case.id,
                    relationship.id,
                    relationship.care_unit_id,
                )?;
            }
            coordination::insert_message(conn, &decision.message)?;
            let stored = coordination::update_case(conn, &decision.case)?;
            case_view(conn, context, &stored, &agreement)
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// The units to load for `new`: those it names, or, for a `process_interrupted` that names
/// none, the units the case's messages went to (the domain picks those still involved).
fn recipients_to_find(new: &NewMessage, earlier: &[CaseMessage]) -> Vec<Uuid> {
    if new.to.is_empty() && new.kind == MessageKind::ProcessInterrupted {
        involved_units(earlier)
    } else {
        new.to.clone()
    }
}
