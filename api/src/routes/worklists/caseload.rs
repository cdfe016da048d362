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

use domain::access::worklist_unit;

use super::log_page;
use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::record_access::{today, visible_stamped_records};
use crate::routes::coordination::has_visible_open_case;
use crate::state::AppState;

/// The unit's caseload: the persons it has a care relationship in force with, in Swedish
/// alphabetical order of family name, then given name (CLDR's `sv` collation: `Å`, `Ä`, `Ö`
/// after `Z`; case and accents decide last), then id, each with her age, municipality, the unit's roles in her
/// care and since when, whether she has an open coordination case and her plans' next
/// follow-up. Read by the unit's own staff or an integration with it as `unit` (another unit,
/// a token without `unit`, an analyst, a coach or she herself: 403). Each
/// person shown is logged (resource `caseload`); contact details are withheld under protected
/// identity. Keyset-paginated: persons added meanwhile appear in their place, none twice; a
/// cursor whose person has been renamed since, or is no longer cared for by the unit, is
/// refused (400 naming `cursor`: start again).
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
    let unit = worklist_unit(&caller.viewer(), Some(id.into_inner()))?;
    // Anchored: a cursor whose person has been renamed since is refused, not continued from
    // her new place (which would pass over everyone between her old and new name).
    let listing = Listing::start_anchored(&state.cursors, &format!("caseload/{unit}"), &query)?;
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
    // `has_open_case=false` is applied to the page as read, not in SQL: the query would leave
    // out a person whose only open case the caller does not see (a ward she blocked), and her
    // absence from both filtered lists would tell that she has one (decision 0027). Most of a
    // caseload has no open case, so the page stays nearly full.
    let wanted_open_case = query.has_open_case;
    let filter = CaseloadFilter {
        unit,
        role,
        only_with_open_case: wanted_open_case == Some(true),
        municipality,
        name_prefix,
    };
    let limit = listing.request.limit;
    let (shared, anchored) = (state.clone(), listing.clone());
    let (items, has_more, last) = db::run(&state, move |conn| {
        let after = anchored.anchor(
            &shared.cursors,
            |id| Ok(caseload::anchor(conn, unit, id)?),
            sort_key,
        )?;
        let plan = Plan::choose(&filter, || shared.unit_sizes.is_small(conn, unit))?;
        let page = caseload::page_after(conn, &filter, after.as_ref(), limit, plan)?;
        let stamped: Vec<_> = page.items.iter().map(|p| (p.id, Some(p.stamp))).collect();
        let visible = visible_stamped_records(conn, &shared.records, &caller, &stamped)?;
        let mut open = HashSet::new();
        for p in &page.items {
            let Some(context) = visible.get(&p.id) else {
                continue;
            };
            if has_visible_open_case(conn, context, p.open_case)? {
                open.insert(p.id);
            }
        }
        // Under `has_open_case=true` the query counted every open case of hers; one whose
        // only open case the caller does not see (a ward she blocked) is left out, not shown
        // with `false`; under `false` she is shown, as the unfiltered list shows her
        // (decision 0027).
        let shown: Vec<Uuid> = page
            .items
            .iter()
            .map(|p| p.id)
            .filter(|p| visible.contains_key(p))
            .filter(|p| wanted_open_case.is_none_or(|wanted| open.contains(p) == wanted))
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
        // The next page continues after the last person read, shown or not, by her name's
        // sort key as read with the page.
        let last = page
            .items
            .last()
            .filter(|_| page.has_more)
            .map(|last| caseload::Anchor {
                id: last.id,
                sort_key: last.sort_key.clone(),
            });
        Ok((items, page.has_more, last))
    })
    .await?;
    let last = last.map(|anchor| (anchor.id, sort_key(&anchor)));
    let page = listing.finish_anchored(&state.cursors, has_more, last, items)?;
    Ok(web::Json(page))
}

/// What binds a caseload cursor to its person's place in the list: her name's sort key
/// ([`domain::name::sort_key`]), as the list is ordered, after a 1 byte: never empty, which
/// [`crate::pagination::Listing::anchor`] takes for "no such person" (an attack review: a
/// cursor on a person still without a key was accepted after she left the caseload, and the
/// list began again).
fn sort_key(anchor: &caseload::Anchor) -> Vec<u8> {
    [&[1u8][..], &anchor.sort_key].concat()
}
