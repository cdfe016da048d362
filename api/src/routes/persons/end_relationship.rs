use actix_web::web;
use domain::discharge::{case_holding_unit, case_visible};
use domain::record::{AuditAction, AuditResource};
use openapi::record::CareRelationshipResponse;
use openapi::responses::BodylessActionErrors;
use persistence::{coordination, relationships};
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Ends a care relationship; the unit loses access through it at once. 409 when already
/// ended, and for the unit's last relationship in force with her while an open coordination
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
            let ended = relationship
                .end(caller.actor(), persistence::now())
                .map_err(|reason| ApiError::Conflict(reason.into()))?;
            // Her unit's last relationship in force: not while an open case waits on it.
            let unit = relationship.care_unit_id;
            let last = !context
                .relationships
                .iter()
                .any(|r| r.is_active() && r.care_unit_id == unit && r.id != relationship_id);
            if last {
                let mut cases = Vec::new();
                for case in coordination::cases_for_person(conn, person_id)? {
                    if !case.state.is_closed() {
                        let messages = coordination::messages(conn, case.id)?;
                        cases.push((case, messages));
                    }
                }
                if let Some((case, messages)) = case_holding_unit(&cases, unit) {
                    // Named only to a caller who may see the case (her block of the ward
                    // hides it from units it was never sent to; decision 0027).
                    let named = if case_visible(&context.grant, case.hospital_unit_id, messages) {
                        format!(" {} ({})", case.id, case.state)
                    } else {
                        String::new()
                    };
                    return Err(ApiError::Conflict(format!(
                        "an open coordination case of hers{named} still waits on this unit: its \
                         ward ends the relationship after the discharge notice or the process \
                         interrupted, an addressed unit after opting out or once the message to \
                         it is retracted"
                    )));
                }
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
