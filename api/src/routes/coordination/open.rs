use actix_web::{HttpResponse, web};
use domain::discharge::{CaseState, CoordinationCase, check_no_open_case, may_open_case};
use domain::record::{AuditAction, AuditResource};
use openapi::coordination::{CaseResponse, OpenCaseRequest};
use openapi::responses::RecordWriteErrors;
use persistence::{care_units, coordination};
use uuid::Uuid;

use super::case_view;
use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Opens a coordination case for her inpatient stay at the caller's unit (the ward), which
/// must be caring for her and be an inpatient unit (`SMARTCARE_INPATIENT_UNIT_KINDS`; 403
/// names the rule otherwise). The admission notice falls due by the agreement's rule. Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/coordination-cases",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = OpenCaseRequest,
    responses(
        (status = 201, description = "Opened", body = CaseResponse, headers(("Location" = String, description = "URL of the case"))),
        RecordWriteErrors,
    )
)]
pub async fn open_case(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<OpenCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().into_domain(persistence::now())?;
    let agreement = state.agreement.clone();
    let view = guarded(
        &state,
        authorized.caller,
        id.into_inner(),
        Access::write(AuditAction::Create, AuditResource::CoordinationCase),
        move |conn, context, caller| {
            let ward = caller.unit.ok_or_else(|| {
                ApiError::Forbidden("opening a case needs a token with the ward's `unit`".into())
            })?;
            // The ward's relationship read for this request holds until the case is in.
            super::hold_care_team(conn, context)?;
            may_open_case(
                &agreement,
                ward,
                care_units::find_by_id(conn, ward)?.as_ref(),
            )?;
            let cases = coordination::cases_for_person(conn, context.person.id)?;
            // An open case the caller does not see (a ward she blocked) is not described.
            let shown = match cases.iter().find(|case| !case.state.is_closed()) {
                None => true,
                Some(open) => domain::discharge::case_visible(
                    &context.grant,
                    open.hospital_unit_id,
                    &coordination::messages(conn, open.id)?,
                ),
            };
            check_no_open_case(&cases, |_| shown)?;
            let now = persistence::now();
            let case = CoordinationCase {
                id: Uuid::now_v7(),
                person_id: context.person.id,
                hospital_unit_id: ward,
                care: new.care,
                state: CaseState::Admitted,
                admitted_at: new.admitted_at,
                assessed_at: new.assessed_at,
                expected_discharge_date: new.expected_discharge_date,
                opened_by: caller.subject.clone(),
                paying_decision: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            coordination::insert_case(conn, &case)?;
            case_view(conn, context, &case, &agreement)
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/coordination-cases/{}", view.id),
        ))
        .json(view))
}
