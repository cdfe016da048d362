use actix_web::web;
use chrono::TimeDelta;
use domain::access::name_search_scope;
use domain::record::AuditResource;
use domain::record::{Outcome, PersonSearch, Purpose};
use openapi::record::{PersonSearchResponse, PersonSummary, SearchPersonsRequest};
use openapi::responses::SearchErrors;
use persistence::{audit, persons, rate_limits};

use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::record_access::{Access, RecordSource, event, load_record, today};
use crate::state::AppState;

const SEARCH: Access = Access::read(AuditResource::PersonSearch);
/// Name searches allowed per caller per minute.
pub const NAME_SEARCHES_PER_MINUTE: i32 = 20;
/// Most persons a name search returns.
const NAME_SEARCH_LIMIT: i64 = 50;

/// Finds persons by exact personal number, or by the start of their name among the persons
/// the caller's unit (integration: organization) cares for. Only persons the caller may see
/// are returned, so an empty result says nothing about who is registered. Name searches are
/// limited to 20 a minute per caller (429). Logged.
#[utoipa::path(
    post,
    path = "/api/v1/persons/search",
    tag = "persons",
    request_body = SearchPersonsRequest,
    responses((status = 200, description = "The persons found that the caller may see", body = PersonSearchResponse), SearchErrors)
)]
pub async fn search_persons(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    body: crate::json_body::Json<SearchPersonsRequest>,
) -> Result<web::Json<PersonSearchResponse>, ApiError> {
    let caller = authorized.caller;
    let search = body
        .into_inner()
        .into_domain(today(), &state.reserve_numbers)?;
    let shared = state.clone();
    let items = db::run(&state, move |conn| match search {
        PersonSearch::Number(number) => {
            let found = persons::find_by_personal_number(conn, &number)?;
            let visible = match &found {
                Some(person) => load_record(
                    conn,
                    RecordSource::Cache(&shared.records),
                    &caller,
                    person.id,
                )?,
                None => None,
            };
            let (outcome, purpose) = match (&found, &visible) {
                (Some(_), None) => (Outcome::Denied, Purpose::Care),
                (_, Some(context)) => (Outcome::Allowed, context.grant.purpose()),
                (None, None) => (Outcome::Allowed, Purpose::Care),
            };
            audit::append(
                conn,
                &event(
                    &caller,
                    found.as_ref().map(|p| p.id),
                    SEARCH,
                    purpose,
                    outcome,
                ),
            )?;
            Ok(visible
                .map(|context| PersonSummary::from(&context.person))
                .into_iter()
                .collect())
        }
        PersonSearch::NamePrefix(prefix) => {
            if let Some(wait) = rate_limits::hit(
                conn,
                &caller.subject,
                "person-name-search",
                NAME_SEARCHES_PER_MINUTE,
                TimeDelta::minutes(1),
                persistence::now(),
            )? {
                audit::append(
                    conn,
                    &event(&caller, None, SEARCH, Purpose::Care, Outcome::Denied),
                )?;
                return Err(ApiError::TooManyRequests {
                    retry_after_secs: u64::try_from(wait.num_seconds().max(1)).unwrap_or(60),
                });
            }
            let scope = name_search_scope(&caller.viewer()).ok_or_else(|| {
                ApiError::Forbidden(
                    "name search needs a care role with a `unit`, or an integration with an `org`"
                        .into(),
                )
            })?;
            let found = persons::search_by_name(conn, scope, &prefix, NAME_SEARCH_LIMIT)?;
            // One event per person shown, so each search shows in her own log extract.
            let shown: Vec<Option<uuid::Uuid>> = match found.is_empty() {
                true => vec![None],
                false => found.iter().map(|p| Some(p.id)).collect(),
            };
            for person_id in shown {
                audit::append(
                    conn,
                    &event(&caller, person_id, SEARCH, Purpose::Care, Outcome::Allowed),
                )?;
            }
            Ok(found.iter().map(PersonSummary::from).collect())
        }
    })
    .await?;
    Ok(web::Json(PersonSearchResponse { items }))
}
