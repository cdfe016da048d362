use actix_web::web;
use domain::access::may_end_relationship;
use domain::discharge::{CaseConflict, case_visible};
use domain::record::{AuditAction, AuditResource};
use openapi::record::CareRelationshipResponse;
use openapi::responses::BodylessActionErrors;
use persistence::relationships;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::routes::coordination::case_waiting_on;
use crate::state::AppState;

/// Ends a care relationship; the unit loses access through it at once. Ended by the unit's
/// own staff, the staff of the unit that started it, an integration of the organization it
/// is held under, or she herself; another unit's staff: 403. 409 when already ended, and for the unit's last relationship in force with her while an open coordination
/// case of hers waits on the unit (the admitting ward until the discharge notice or the
/// process interrupted; an addressed unit until it opts out or the message is retracted:
/// ending it would take the case from the unit's lists and reads); 404 for one her block hides from the caller (as it is not listed). The answer shows
/// it as the caller may see it (`started_by` withheld where her block hides the unit its
/// starter acted for). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/care-relationships/{relationship_id}/end",
    tag = "persons",
    params(("id" = Uuid, Path, description = "Person id"), ("relationship_id" = Uuid, Path, description = "Care relationship id")),
    responses((status = 200, description = "Ended", body = CareRelationshipResponse), BodylessActionErrors)
)]
pub async fn end_relationship(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<CareRelationshipResponse>, ApiError> {
    let (person_id, relationship_id) = path.into_inner();
    let relationship = guarded(
        &state,
        authorized.caller,
        person_id,
        Access::write(AuditAction::End, AuditResource::CareRelationship),
        move |conn, context, caller| {
            // One her block hides from the caller is not found, as it is not listed (an
            // attack review ended the blocked ward's relationship through its old id).
            let relationship = context
                .relationships
                .iter()
                .find(|r| r.id == relationship_id)
                .filter(|r| context.grant.relationship_view(r).is_some())
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "she has no care relationship with id {relationship_id}"
                    ))
                })?;
            if !may_end_relationship(&caller.viewer(), relationship) {
                return Err(ApiError::Forbidden(
                    "a care relationship is ended by its own unit's staff, the staff of the \
                     unit that started it, an integration of the organization it is held under, \
                     or she herself"
                        .into(),
                ));
            }
            let ended = relationship
                .end(caller.actor(), persistence::now())
                .map_err(|reason| ApiError::Conflict(reason.into()))?;
            // Her unit's last relationship in force: not while an open case waits on it.
            let unit = relationship.care_unit_id;
            let in_force = relationships::lock_in_force(conn, person_id, Some(unit))?;
            if in_force.iter().all(|id| *id == relationship_id)
                && let Some((case, messages)) = case_waiting_on(conn, person_id, unit)?
            {
                // Named only to a caller who may see the case (her block of the ward hides it
                // from units it was never sent to; decision 0027).
                let shown = case_visible(&context.grant, case.hospital_unit_id, &messages)
                    .then_some(case.id);
                let named = shown.map_or_else(String::new, |id| format!(" {id} ({})", case.state));
                let way_out = if case.hospital_unit_id == unit {
                    "the admitting ward's relationship can end once the case is closed (its \
                     discharge notice, or the process interrupted)"
                } else {
                    "a unit the case's messages addressed leaves once the case is closed or \
                     every message to it is retracted (or, before it has answered, once it \
                     opts out)"
                };
                return Err(ApiError::from(CaseConflict {
                    detail: format!(
                        "an open coordination case of hers{named} still waits on this unit; \
                         {way_out}"
                    ),
                    case_id: shown,
                }));
            }
            relationships::end(conn, &ended)?;
            // As the caller may see it: who started it may be withheld (her block).
            let view = context.grant.relationship_view(&ended);
            Ok(view.map_or_else(
                || CareRelationshipResponse::from(&ended),
                CareRelationshipResponse::from,
            ))
        },
    )
    .await?;
    Ok(web::Json(relationship))
}
