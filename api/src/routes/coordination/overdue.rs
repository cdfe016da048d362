use actix_web::web;
use domain::MunicipalityCode;
use domain::discharge::overdue_reasons;
use domain::record::AuditResource;
use openapi::FieldErrors;
use openapi::Page;
use openapi::coordination::{OverdueItem, OverdueQuery};
use openapi::record::PersonSummary;
use openapi::responses::RecordReadErrors;
use persistence::coordination;

use domain::access::worklist_unit;

use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{Access, log_shown, visible_records};
use crate::state::AppState;

/// The caller's unit's overdue queue: open cases of persons the unit cares for whose admission
/// notice is late or missing, whose messages have waited for an answer longer than the
/// agreement's notice hours, or that accrue payment liability; optionally only persons
/// registered in one municipality. Paged over the open cases of the persons the unit cares
/// for, oldest first (`limit` of them examined per page, 1–200, default 50; pass `next` as
/// `cursor`): a page holds those that need attention, so it may be short or empty and still
/// carry `next`. Each person shown is logged.
#[utoipa::path(
    get,
    path = "/api/v1/coordination/overdue",
    tag = "coordination",
    params(OverdueQuery),
    responses((status = 200, description = "A page of the cases that need attention", body = Page<OverdueItem>), RecordReadErrors)
)]
pub async fn overdue_queue(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    query: crate::query_params::Query<OverdueQuery>,
) -> Result<web::Json<Page<OverdueItem>>, ApiError> {
    let caller = authorized.caller;
    // As the work lists: the caller's unit's staff or integration (a `person` token claiming
    // a unit was let in, an attack review found).
    let unit = worklist_unit(&caller.viewer(), None)?;
    let mut errors = FieldErrors::default();
    let Some(municipality) = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    ) else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let listing = Listing::start(&state.cursors, &format!("overdue/{unit}"), &*query)?;
    let (shared, request) = (state.clone(), listing.request);
    let (items, has_more, last) = db::run(&state, move |conn| {
        let now = persistence::now();
        let page = coordination::open_cases_cared_for_by(conn, unit, request)?;
        let last = page.items.last().map(|case| case.id);
        let cases = page.items;
        let visible = visible_records(
            conn,
            &shared.records,
            &caller,
            cases.iter().map(|c| c.person_id),
        )?;
        let mut items = Vec::new();
        let mut shown = Vec::new();
        for case in &cases {
            let Some(context) = visible.get(&case.person_id) else {
                continue;
            };
            if municipality.is_some_and(|m| context.person.municipality != Some(m)) {
                continue;
            }
            let messages = coordination::messages(conn, case.id)?;
            // A case of a ward she blocked only for the units it was sent to (decision 0027).
            if !domain::discharge::case_visible(&context.grant, case.hospital_unit_id, &messages) {
                continue;
            }
            let computed =
                super::case_report(conn, context, case, &messages, &shared.agreement, now)?;
            let reasons = overdue_reasons(&messages, &computed, &shared.agreement, now);
            if reasons.is_empty() {
                continue;
            }
            if !shown
                .iter()
                .any(|p: &&crate::record_access::RecordContext| p.person.id == case.person_id)
            {
                shown.push(context);
            }
            items.push(OverdueItem {
                case_id: case.id,
                person: PersonSummary::from(&context.person),
                state: case.state.into(),
                reasons: reasons.into_iter().map(Into::into).collect(),
                notice_deadline: computed.notice_deadline,
                paying_municipality: computed.paying_municipality.map(|m| m.as_str().to_owned()),
                liable_days: computed.liability.days.len(),
                amount_sek: computed.liability.amount_sek,
            });
        }
        log_shown(
            &shared,
            &caller,
            Access::read(AuditResource::OverdueQueue),
            shown,
        )?;
        Ok((items, page.has_more, last))
    })
    .await?;
    listing
        .finish_shown(&state.cursors, has_more, last, items)
        .map(web::Json)
}
