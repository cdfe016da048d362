use actix_web::web;
use domain::access::{extract_names_user, may_read_access_log};
use domain::record::AuditResource;
use domain::record::{Outcome, Purpose};
use openapi::Page;
use openapi::record::{AuditEventResponse, PageQuery};
use openapi::responses::LogErrors;
use persistence::audit::{self, AuditFilter};
use persistence::persons;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{Access, event, not_found};
use crate::state::AppState;

const READ_LOG: Access = Access::read(AuditResource::AccessLog);

/// Her access-log extract: which users at which units read or changed her record, when, why
/// (`care` or `emergency`) and with what outcome, oldest first. For herself (role `person`)
/// and for admins; 404 for everyone else. Reading it is logged too. In her own extract an
/// event made by someone else for no care unit or organization (another person's own token
/// refused at her record, an administrator) has `subject` `null`.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/access-log",
    tag = "access log",
    params(("id" = Uuid, Path, description = "Person id"), PageQuery),
    responses((status = 200, description = "A page of her access log", body = Page<AuditEventResponse>), LogErrors)
)]
pub async fn access_log(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<PageQuery>,
) -> Result<web::Json<Page<AuditEventResponse>>, ApiError> {
    let caller = authorized.caller;
    let person_id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("access-log/{person_id}"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let reader = caller.clone();
    let page = db::transaction(&state, move |conn| {
        let allowed = may_read_access_log(&caller.viewer(), person_id)
            && persons::find_by_id(conn, person_id)?.is_some();
        let outcome = if allowed {
            Outcome::Allowed
        } else {
            Outcome::Denied
        };
        audit::append(
            conn,
            &event(&caller, Some(person_id), READ_LOG, Purpose::Care, outcome),
        )?;
        if !allowed {
            return Ok(None);
        }
        let filter = AuditFilter {
            person_id: Some(person_id),
            ..AuditFilter::default()
        };
        Ok(Some(audit::list(conn, &filter, request)?))
    })
    .await?
    .ok_or_else(|| not_found(person_id))?;
    let viewer = reader.viewer();
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |e| e.id,
        |e| {
            let names = extract_names_user(
                &viewer,
                &reader.subject,
                &e.subject,
                e.unit_id,
                e.organization_id,
            );
            let mut wire = AuditEventResponse::from(e);
            if !names {
                wire.subject = None;
            }
            wire
        },
    )?))
}
