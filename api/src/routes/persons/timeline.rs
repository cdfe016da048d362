use actix_web::web;
use domain::timeline::timeline;
use openapi::Page;
use openapi::coordination::TimelineEventResponse;
use openapi::record::PageQuery;
use openapi::responses::RecordReadErrors;
use persistence::coordination;
use uuid::Uuid;

use crate::auth::{Authorized, PersonalData};
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{Access, guarded};
use crate::state::AppState;

/// Her care timeline: care relationships starting and ending, admissions, case messages and
/// their answers, across organizations, oldest first, leaving out what the caller may not see
/// (the part of a unit she blocked). Paginated. Logged.
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
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<TimelineEventResponse>>, ApiError> {
    let person_id = id.into_inner();
    let listing = Listing::start(
        &state.cursors,
        &format!("timeline/{person_id}"),
        &query.into_inner(),
    )?;
    let request = listing.request;
    let page = guarded(&state, authorized.caller, person_id, Access::read("timeline"), move |conn, context, _| {
        let mut cases = Vec::new();
        for case in coordination::cases_for_person(conn, person_id)? {
            let messages = coordination::messages(conn, case.id)?;
            cases.push((case, messages));
        }
        let events = timeline(&context.grant, &context.relationships, &cases);
        let start = match request.after {
            None => 0,
            Some(after) => events
                .iter()
                .position(|e| e.key == after)
                .map(|at| at + 1)
                .ok_or_else(|| ApiError::bad_request("the cursor points at an event you may no longer see; start again without a cursor"))?,
        };
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let has_more = events.len() > start.saturating_add(limit);
        let items = events.into_iter().skip(start).take(limit).collect();
        Ok(persistence::Page { items, has_more })
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |e| e.key,
        TimelineEventResponse::from,
    )?))
}
