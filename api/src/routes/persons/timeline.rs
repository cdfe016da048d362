use actix_web::web;
use domain::record::AuditResource;
use domain::timeline::timeline;
use openapi::Page;
use openapi::coordination::TimelineEventResponse;
use openapi::record::PageQuery;
use openapi::responses::RecordReadErrors;
use persistence::{coordination, identity_changes, plans};
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{Access, guarded};
use crate::routes::plans::visible_plans;
use crate::state::AppState;

/// Her care timeline: care relationships starting and ending, admissions, case messages and
/// their answers, the versions of her coordinated plans and the changes of her identity number
/// (`identity_changed`: the earlier and the new number, who changed it and at which unit),
/// across organizations, oldest first, leaving out what the caller may not see (the part of a
/// unit she blocked, plans not shared with the caller; `domain::timeline::timeline`).
/// Paginated. Logged.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/timeline",
    tag = "coordination",
    params(("id" = Uuid, Path, description = "Person id"), PageQuery),
    responses((status = 200, description = "A page of her timeline", body = Page<TimelineEventResponse>), RecordReadErrors)
)]
pub async fn get_timeline(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<PageQuery>,
) -> Result<web::Json<Page<TimelineEventResponse>>, ApiError> {
    let person_id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("timeline/{person_id}"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = guarded(&state, authorized.caller, person_id, Access::read(AuditResource::Timeline), move |conn, context, _| {
        let mut cases = Vec::new();
        for case in coordination::cases_for_person(conn, person_id)? {
            let messages = coordination::messages(conn, case.id)?;
            cases.push((case, messages));
        }
        let plans = visible_plans(conn, context)?
            .into_iter()
            .map(|plan| Ok((plan.id, plans::versions(conn, plan.id)?)))
            .collect::<Result<Vec<_>, ApiError>>()?;
        let changes = identity_changes::list_for_person(conn, person_id)?;
        let events = timeline(
            &context.grant,
            &context.person,
            &context.relationships, &cases, &plans, &changes);
        request.of(events, |e| e.key).ok_or_else(|| {
            ApiError::bad_request("the cursor points at an event you may no longer see; start again without a cursor")
        })
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |e| e.key,
        TimelineEventResponse::from,
    )?))
}
