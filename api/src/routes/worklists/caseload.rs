use actix_web::web;
use domain::MunicipalityCode;
use domain::record::{AuditResource, RelationshipRole};
use domain::worklist::caseload_entry;
use openapi::responses::RecordReadErrors;
use openapi::worklist::{CaseloadItem, CaseloadQuery, parse_name_prefix};
use openapi::{FieldErrors, Page};
use std::collections::HashSet;

use persistence::caseload::{self, CaseloadFilter, Plan};
use persistence::plans;
use uuid::Uuid;

use super::{answer, begin, log_page};
use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::record_access::{today, visible_stamped_records};
use crate::state::AppState;

/// The unit's caseload: the persons it has a care relationship in force with, in name order
/// (family name, given name, id), each with her age, municipality, the unit's roles in her
/// care and since when, whether she has an open coordination case and her plans' next
/// follow-up. Read by the unit's own staff (another unit, an analyst or a coach: 403). Each
/// person shown is logged (resource `caseload`); contact details are withheld under protected
/// identity. Keyset-paginated: persons added meanwhile appear in their place, none twice.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/caseload",
    tag = "work lists",
    params(("id" = Uuid, Path, description = "Care unit id (the caller's own)"), CaseloadQuery),
    responses((status = 200, description = "A page of the unit's persons", body = Page<CaseloadItem>), RecordReadErrors)
)]
pub async fn unit_caseload(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    id: web::Path<Uuid>,
    query: crate::query_params::Query<CaseloadQuery>,
) -> Result<web::Json<Page<CaseloadItem>>, ApiError> {
    let caller = authorized.caller;
    let query = query.into_inner();
    let (unit, listing) = begin(&state, &caller, Some(id.into_inner()), "caseload", &query)?;
    let mut errors = FieldErrors::default();
    let role = errors.check_optional("role", query.role.as_deref(), RelationshipRole::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let name_prefix = errors.check_optional("name", query.name.as_deref(), parse_name_prefix);
    let (Some(role), Some(municipality), Some(name_prefix)) = (role, municipality, name_prefix)
    else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = CaseloadFilter {
        unit,
        role,
        has_open_case: query.has_open_case,
        municipality,
        name_prefix,
    };
    let request = listing.request;
    let shared = state.clone();
    let shown = db::run(&state, move |conn| {
        let plan = Plan::choose(&filter, || shared.unit_sizes.is_small(conn, unit))?;
        let page = caseload::page_with_plan(conn, &filter, request, plan)?;
        let stamped: Vec<_> = page.items.iter().map(|p| (p.id, Some(p.stamp))).collect();
        let visible = visible_stamped_records(conn, &shared.records, &caller, &stamped)?;
        let shown: Vec<Uuid> = page
            .items
            .iter()
            .map(|p| p.id)
            .filter(|p| visible.contains_key(p))
            .collect();
        let open: HashSet<Uuid> = page
            .items
            .iter()
            .filter(|p| p.open_case)
            .map(|p| p.id)
            .collect();
        let plans = plans::for_persons(conn, &shown)?;
        let today = today();
        let items = shown
            .iter()
            .filter_map(|p| visible.get(p))
            .map(|context| {
                let entry = caseload_entry(
                    unit,
                    &context.person,
                    &context.relationships,
                    &context.consents,
                    &plans,
                    &context.grant,
                    today,
                );
                CaseloadItem::new(&context.person, &entry, open.contains(&context.person.id))
            })
            .collect();
        log_page(&shared, &caller, AuditResource::Caseload, &visible, shown)?;
        Ok((items, page.has_more, page.items.last().map(|p| p.id)))
    })
    .await?;
    answer(&state, &listing, shown)
}
