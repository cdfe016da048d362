use std::collections::BTreeSet;

use actix_web::web;
use domain::record::AuditResource;
use openapi::coordination::{InboxItem, InboxResponse};
use openapi::record::PersonSummary;
use openapi::responses::RecordReadErrors;
use persistence::coordination;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::record_access::{Access, log_shown, visible_records};
use crate::state::AppState;

/// Most messages an inbox returns.
const MAX_ITEMS: i64 = 200;

/// The unit's inbox: messages addressed to it that it has not answered, oldest first, for
/// the persons the caller may see. Read by the unit's own staff; each person shown is logged.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/inbox",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Care unit id (the caller's own)")),
    responses((status = 200, description = "Unanswered messages", body = InboxResponse), RecordReadErrors)
)]
pub async fn unit_inbox(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
) -> Result<web::Json<InboxResponse>, ApiError> {
    let caller = authorized.caller;
    let unit = id.into_inner();
    if caller.unit != Some(unit) {
        return Err(ApiError::Forbidden(
            "a unit's inbox is read by its own staff (the token's `unit`)".into(),
        ));
    }
    let shared = state.clone();
    let items = db::run(&state, move |conn| {
        let entries = coordination::pending_for_unit(conn, unit, MAX_ITEMS)?;
        let visible = visible_records(
            conn,
            &shared.records,
            &caller,
            entries.iter().map(|e| e.person_id),
        )?;
        let shown: BTreeSet<Uuid> = entries
            .iter()
            .map(|e| e.person_id)
            .filter(|p| visible.contains_key(p))
            .collect();
        log_shown(
            &shared,
            &caller,
            Access::read(AuditResource::Inbox),
            shown.iter().filter_map(|p| visible.get(p)),
        )?;
        Ok(entries
            .into_iter()
            .filter_map(|e| {
                let context = visible.get(&e.person_id)?;
                Some(InboxItem {
                    case_id: e.case_id,
                    message_id: e.message_id,
                    kind: e.kind.into(),
                    sent_by_unit: e.sent_by_unit,
                    sent_at: e.sent_at,
                    person: PersonSummary::from(&context.person),
                })
            })
            .collect())
    })
    .await?;
    Ok(web::Json(InboxResponse { items }))
}
