//! Work lists (issue 16): a unit's caseload, its coordination cases and the plans due for
//! follow-up. Each is read for the caller's own unit ([`domain::access::worklist_unit`]),
//! shows only persons whose record the person read would open
//! ([`crate::record_access::visible_records`], the same [`domain::access::decide`]), and logs
//! one event per person shown on the page ([`crate::record_access::log_shown`]), as the inbox
//! and the overdue queue do.

pub mod caseload;
pub mod cases;
pub mod plans_due;

use std::collections::BTreeMap;

use domain::access::worklist_unit;
use domain::record::AuditResource;
use openapi::directory::PageParams;
use serde::Serialize;
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::pagination::{CursorCodec, Listing};
use crate::record_access::{Access, RecordContext, log_shown};
use crate::state::AppState;

/// The unit whose `list` the caller asked for (`asked`, else her own; another is 403) and the
/// checked paging of the request, by `start` ([`Listing::start`], or
/// [`Listing::start_anchored`] for a list ordered by a stored key that can change,
/// [`Listing::start_keyed`] for one ordered by a key computed per request); cursors are bound
/// to the list, the unit and the filters.
fn begin<Q: PageParams + Validate + Serialize>(
    state: &AppState,
    caller: &Caller,
    (asked, list, query): (Option<Uuid>, &str, &Q),
    start: impl FnOnce(&CursorCodec, &str, &Q) -> Result<Listing, ApiError>,
) -> Result<(Uuid, Listing), ApiError> {
    let unit = worklist_unit(&caller.viewer(), asked)?;
    let listing = start(&state.cursors, &format!("{list}/{unit}"), query)?;
    Ok((unit, listing))
}

/// Logs one `read` event of `resource` for each person in `shown` (once each, however many
/// items of the page are hers), all committed before the page is answered.
fn log_page(
    state: &AppState,
    caller: &Caller,
    resource: AuditResource,
    visible: &BTreeMap<Uuid, RecordContext>,
    shown: impl IntoIterator<Item = Uuid>,
) -> Result<(), ApiError> {
    let persons: std::collections::BTreeSet<Uuid> = shown.into_iter().collect();
    log_shown(
        state,
        caller,
        Access::read(resource),
        persons.iter().filter_map(|p| visible.get(p)),
    )
}
