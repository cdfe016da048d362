use actix_web::web;
use domain::plan::CarePlan;
use domain::record::AuditResource;
use openapi::Page;
use openapi::responses::RecordReadErrors;
use openapi::worklist::{PlanFollowUpItem, PlanFollowUpQuery};
use persistence::plans::{self, FollowUpFilter};

use super::{begin, log_page};
use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::pagination::{Listing, first_shown};
use crate::record_access::{today, visible_records};
use crate::state::AppState;

/// Coordinated plans due for follow-up, for the follow-up meeting's agenda: plans of persons
/// the caller's unit cares for that the caller may see (as when reading the plan), whose
/// follow-up date is before `follow_up_before` (default: due today or earlier), optionally
/// only those an organization holds overall responsibility for; earliest follow-up first.
/// Another unit, an analyst or a coach: 403. Each person shown is logged (resource
/// `care-plans-due`).
#[utoipa::path(
    get,
    path = "/api/v1/care-plans",
    tag = "work lists",
    params(PlanFollowUpQuery),
    responses((status = 200, description = "A page of plans due for follow-up", body = Page<PlanFollowUpItem>), RecordReadErrors)
)]
pub async fn plans_due(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    query: crate::query_params::Query<PlanFollowUpQuery>,
) -> Result<web::Json<Page<PlanFollowUpItem>>, ApiError> {
    let caller = authorized.caller;
    let query = query.into_inner();
    let asked = (query.unit, "care-plans-due", &query);
    let (unit, listing) = begin(&state, &caller, asked, Listing::start_anchored)?;
    let today = today();
    let mut errors = openapi::FieldErrors::default();
    errors.plausible_date("follow_up_before", query.follow_up_before);
    if !errors.is_empty() {
        return Err(ApiError::invalid_query(errors.into_failure()));
    }
    let follow_up_before = match query.follow_up_before {
        Some(day) => day,
        None => today.succ_opt().unwrap_or(today),
    };
    let filter = FollowUpFilter {
        unit,
        follow_up_before,
        responsible_organization: query.responsible_organization,
    };
    let anchored = listing.clone();
    let shared = state.clone();
    let (items, more, last) = db::run(&state, move |conn| {
        let request = anchored.anchored_request(
            &shared.cursors,
            |id| Ok(plans::find(conn, id)?),
            follow_up_key,
            |plan| plan.id,
        )?;
        let (plans, more) = first_shown(
            conn,
            request,
            |conn, request| Ok(plans::due_for_follow_up(conn, &filter, request)?),
            |conn, rows| {
                let persons = rows.iter().map(|plan| plan.person_id);
                let visible = visible_records(conn, &shared.records, &caller, persons)?;
                Ok(rows
                    .into_iter()
                    .filter(|plan| {
                        visible.get(&plan.person_id).is_some_and(|context| {
                            plan.visible_under(&context.grant, &context.consents, today)
                        })
                    })
                    .collect())
            },
            |plan| plan.id,
        )?;
        let persons = plans.iter().map(|plan| plan.person_id);
        let visible = visible_records(conn, &shared.records, &caller, persons)?;
        let items = plans
            .iter()
            .filter_map(|plan| {
                let context = visible.get(&plan.person_id)?;
                Some(PlanFollowUpItem::new(plan, &context.person))
            })
            .collect();
        let persons = plans.iter().map(|plan| plan.person_id);
        log_page(
            &shared,
            &caller,
            AuditResource::CarePlansDue,
            &visible,
            persons,
        )?;
        let last = plans.last().map(|plan| (plan.id, follow_up_key(plan)));
        Ok((items, more, last))
    })
    .await?;
    let page = listing.finish_anchored(&state.cursors, more, last, items)?;
    Ok(web::Json(page))
}

/// A plan's place in the list (its follow-up date; then its id, which does not change), for
/// the cursor to be checked against: a plan followed up after a page ended on it moved.
fn follow_up_key(plan: &CarePlan) -> Vec<u8> {
    plan.current.content.follow_up_date.to_string().into_bytes()
}
