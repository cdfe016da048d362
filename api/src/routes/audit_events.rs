//! The access log of the whole service, for admins' follow-up.

use actix_web::web;
use domain::record::AuditResource;
use domain::record::{Outcome, Purpose};
use openapi::Page;
use openapi::record::{AuditEventQuery, AuditEventResponse};
use openapi::responses::LogErrors;
use persistence::audit::{self, AuditFilter};

use crate::auth::{Authorized, ReviewAccessLog};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{Access, event};
use crate::state::AppState;

/// Lists access-log events, oldest first (admin), filtered by person, user, unit, time range,
/// or emergency accesses only (`emergency_only=true`, for follow-up). Reading the log is
/// logged too.
#[utoipa::path(
    get,
    path = "/api/v1/audit-events",
    tag = "access log",
    params(AuditEventQuery),
    responses((status = 200, description = "A page of access-log events", body = Page<AuditEventResponse>), LogErrors)
)]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    authorized: Authorized<ReviewAccessLog>,
    query: crate::query_params::Query<AuditEventQuery>,
) -> Result<web::Json<Page<AuditEventResponse>>, ApiError> {
    let caller = authorized.caller;
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "audit-events", &query)?;
    let mut errors = openapi::FieldErrors::default();
    errors.plausible_instant("from", query.from);
    errors.plausible_instant("to", query.to);
    errors.check("to", domain::meeting::check_period(query.from, query.to));
    if !errors.is_empty() {
        return Err(ApiError::invalid_query(errors.into_failure()));
    }
    // Reading events about one person is logged against her too.
    let person = query.person;
    let filter = AuditFilter {
        action: query.action,
        person_id: query.person,
        subject: query.user,
        unit_id: query.unit,
        emergency_only: query.emergency_only.unwrap_or(false),
        from: query.from,
        to: query.to,
    };
    let request = listing.request;
    let page = db::transaction(&state, move |conn| {
        let page = audit::list(conn, &filter, request)?;
        audit::append(
            conn,
            &event(
                &caller,
                person,
                Access::read(AuditResource::AuditEvents),
                Purpose::Care,
                Outcome::Allowed,
            ),
        )?;
        Ok(page)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |e| e.id,
        AuditEventResponse::from,
    )?))
}
