use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use actix_web::web;
use chrono::{DateTime, Utc};
use domain::MunicipalityCode;
use domain::access::name_search_scope;
use domain::discharge::{CaseReport, CaseState, CoordinationCase, next_deadline};
use domain::record::AuditResource;
use openapi::meeting::parse_instant;
use openapi::responses::RecordReadErrors;
use openapi::worklist::{CaseListItem, CaseListOrder, CaseListQuery};
use openapi::{FieldErrors, Page};
use persistence::coordination::{self, CaseListFilter};
use persistence::{DbConnection, care_units};
use uuid::Uuid;

use super::{begin, log_page};
use crate::auth::{Authorized, PersonalData};
use crate::db;
use crate::error::ApiError;
use crate::pagination::{Listing, first_shown, page_after_key};
use crate::record_access::{RecordContext, visible_records};
use crate::routes::coordination::case_report;
use crate::state::AppState;

/// Most cases sorted by their next deadline (the order is computed, not stored).
const MAX_DEADLINE_CASES: i64 = 1_000;

/// The coordination cases of the caller's unit — those its ward opened and those whose
/// messages addressed it — of persons the unit (an integration: a unit of its organization)
/// has a care relationship in force with and the caller may see, each with her name, the ward, the
/// state, the admission time, the notice deadline and whether it was missed, since when she is
/// ready for discharge, the liability days so far and the next deadline (computed as for the
/// case itself). `sort=admission` (default) pages in admission order; `sort=deadline` puts the
/// earliest next deadline first (missed ones first), over at most 1,000 open cases; its
/// `next` continues after the page's last deadline, so a case answered while the pages are
/// read (its deadline moved) is not a reason to start again: the cases that kept their place
/// are all shown; one moved later may come again, one moved before the cursor is not shown. Another
/// unit, an analyst or a coach: 403. Each person shown is logged (resource
/// `coordination-cases`).
#[utoipa::path(
    get,
    path = "/api/v1/coordination-cases",
    tag = "work lists",
    params(CaseListQuery),
    responses((status = 200, description = "A page of the unit's cases", body = Page<CaseListItem>), RecordReadErrors)
)]
pub async fn list_cases(
    state: web::Data<AppState>,
    authorized: Authorized<PersonalData>,
    query: crate::query_params::Query<CaseListQuery>,
) -> Result<web::Json<Page<CaseListItem>>, ApiError> {
    let caller = authorized.caller;
    let query = query.into_inner();
    let order = query.sort.unwrap_or_default();
    let asked = (query.unit, "coordination-cases", &query);
    // The deadline order is computed per request, so its cursor carries the key itself.
    let (unit, listing) = match order {
        CaseListOrder::Admission => begin(&state, &caller, asked, Listing::start)?,
        CaseListOrder::Deadline => begin(&state, &caller, asked, Listing::start_keyed)?,
    };
    let mut errors = FieldErrors::default();
    let case_state = errors.check_optional("state", query.state.as_deref(), CaseState::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let from = errors.check_optional(
        "admitted_from",
        query.admitted_from.as_deref(),
        parse_instant,
    );
    let to = errors.check_optional("admitted_to", query.admitted_to.as_deref(), parse_instant);
    if let (Some(from), Some(to)) = (from, to) {
        errors.check("admitted_to", domain::meeting::check_period(from, to));
    }
    let (Some(case_state), Some(municipality), Some(admitted_from), Some(admitted_to), true) =
        (case_state, municipality, from, to, errors.is_empty())
    else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = CaseListFilter {
        unit,
        state: case_state,
        municipality,
        admitted_from,
        admitted_to,
        open_only: order == CaseListOrder::Deadline && case_state.is_none(),
        // The persons the caller reaches through care relationships (no one else's case is
        // shown but under an emergency access, which opens her record, not the unit's lists).
        reached: name_search_scope(&caller.viewer()),
    };
    let request = listing.request;
    let keyed_after = listing.keyed_after().map(<[u8]>::to_vec);
    let shared = state.clone();
    let shown = db::run(&state, move |conn| {
        let now = persistence::now();
        let agreement = &shared.agreement;
        let (computed, visible, has_more, last_fetched) = match order {
            CaseListOrder::Admission => {
                // Cases hidden from the caller (her block, her consent) are passed over before
                // the page is cut, so no page is short for them (decision 0029).
                let (computed, more) = first_shown(
                    conn,
                    request,
                    |conn, request| Ok(coordination::list_by_admission(conn, &filter, request)?),
                    |conn, cases| {
                        let persons = cases.iter().map(|c| c.person_id);
                        let visible = visible_records(conn, &shared.records, &caller, persons)?;
                        compute(conn, &visible, cases, agreement, now)
                    },
                    |case| case.id,
                )?;
                let persons = computed.iter().map(|c| c.case.person_id);
                let visible = visible_records(conn, &shared.records, &caller, persons)?;
                let last_shown = computed.last().map(|c| After::Case(c.case.id));
                (computed, visible, more, last_shown)
            }
            CaseListOrder::Deadline => {
                let cases = coordination::list_all(conn, &filter, MAX_DEADLINE_CASES)?;
                let persons = cases.iter().map(|c| c.person_id);
                let visible = visible_records(conn, &shared.records, &caller, persons)?;
                let computed = compute(conn, &visible, cases, agreement, now)?;
                let (page, more) = page_after_key(
                    computed,
                    keyed_after.as_deref(),
                    request.limit,
                    deadline_key,
                );
                let last_shown = page.last().map(|c| After::Key(deadline_key(c)));
                (page, visible, more, last_shown)
            }
        };
        let mut wards = BTreeMap::new();
        let mut items = Vec::with_capacity(computed.len());
        for c in &computed {
            let ward = c.case.hospital_unit_id;
            if let Entry::Vacant(entry) = wards.entry(ward) {
                entry.insert(care_units::find_by_id(conn, ward)?.map(|u| u.name.to_string()));
            }
            let Some(context) = visible.get(&c.case.person_id) else {
                continue;
            };
            let ward_name = wards.get(&ward).cloned().flatten();
            items.push(CaseListItem::new(
                &c.case,
                &context.person,
                ward_name,
                &c.report,
                c.next,
            ));
        }
        let shown = computed.iter().map(|c| c.case.person_id);
        log_page(
            &shared,
            &caller,
            AuditResource::CoordinationCases,
            &visible,
            shown,
        )?;
        Ok((items, has_more, last_fetched))
    })
    .await?;
    let (items, has_more, last) = shown;
    let page = match last {
        Some(After::Key(key)) => listing.finish_keyed(&state.cursors, has_more, Some(key), items),
        Some(After::Case(id)) => listing.finish_shown(&state.cursors, has_more, Some(id), items),
        None => listing.finish_shown(&state.cursors, false, None, items),
    }?;
    Ok(web::Json(page))
}

/// Where the next page continues: after a case (admission order, by its stored key) or after
/// a sort key (deadline order, computed per request).
enum After {
    Case(Uuid),
    Key(Vec<u8>),
}

/// A case's place in the deadline order, as bytes that sort as the order does: cases with a
/// next deadline first, earliest first (a missed one is earlier than any to come), then
/// those awaiting nothing; ties by admission time, then by case id.
fn deadline_key(c: &Computed) -> Vec<u8> {
    /// An instant's microseconds with the sign bit flipped: big-endian, they sort as the
    /// instants do, before 1970 too.
    fn ordered(instant: Option<DateTime<Utc>>) -> [u8; 8] {
        let micros = instant.map_or(0, |t| t.timestamp_micros());
        (micros.cast_unsigned() ^ (1 << 63)).to_be_bytes()
    }
    let mut key = Vec::with_capacity(33);
    key.push(u8::from(c.next.is_none()));
    key.extend(ordered(c.next));
    key.extend(ordered(Some(c.case.admitted_at)));
    key.extend(c.case.id.as_bytes());
    key
}

/// A case of a person the caller may see, with what the server computes about it now.
struct Computed {
    case: CoordinationCase,
    report: CaseReport,
    next: Option<DateTime<Utc>>,
}

/// The report and next deadline of each of `cases` whose person is in `visible` (the one
/// computation behind a case, [`case_report`]); the others are left out.
fn compute(
    conn: &mut DbConnection,
    visible: &BTreeMap<Uuid, RecordContext>,
    cases: Vec<CoordinationCase>,
    agreement: &domain::discharge::AgreementSettings,
    now: DateTime<Utc>,
) -> Result<Vec<Computed>, ApiError> {
    let mut computed = Vec::with_capacity(cases.len());
    for case in cases {
        let Some(context) = visible.get(&case.person_id) else {
            continue;
        };
        let messages = coordination::messages(conn, case.id)?;
        // A case of a ward she blocked only for the units it was sent to and not retracted
        // from (decision 0027); the list's query counts a retracted message as sent.
        if !domain::discharge::case_visible(&context.grant, case.hospital_unit_id, &messages) {
            continue;
        }
        let report = case_report(conn, context, &case, &messages, agreement, now)?;
        let next = next_deadline(&case, &messages, &report, agreement);
        computed.push(Computed { case, report, next });
    }
    Ok(computed)
}
