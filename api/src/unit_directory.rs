//! What the service keeps in memory about care units, to spare database work on every request:
//! which organization each belongs to, as the directory says, for checking tokens
//! (`domain::access::check_token_unit`), and whether its caseload is small, for choosing how
//! to list it under a filter on the person ([`UnitSizes`]).
//!
//! An organization is trusted for [`FRESH_FOR`]; a unit moved to another organization through
//! this process is forgotten at once ([`UnitOrganizations::forget`]), through another replica
//! within [`FRESH_FOR`].

use std::time::{Duration, Instant};

use persistence::care_units;
use uuid::Uuid;

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a unit's organization is reused before it is read again.
pub const FRESH_FOR: Duration = Duration::from_secs(30);
/// Units remembered per process.
const CAPACITY: usize = 20_000;

/// Values per unit read recently, each trusted for `fresh_for` after it was read.
struct Recent<V> {
    kept: quick_cache::sync::Cache<Uuid, (V, Instant)>,
    fresh_for: Duration,
}

impl<V: Clone> Recent<V> {
    fn new(fresh_for: Duration) -> Self {
        Self {
            kept: quick_cache::sync::Cache::new(CAPACITY),
            fresh_for,
        }
    }

    /// The value kept for `unit`, if read less than `fresh_for` ago.
    fn fresh(&self, unit: Uuid) -> Option<V> {
        self.kept
            .get(&unit)
            .filter(|(_, read_at)| read_at.elapsed() < self.fresh_for)
            .map(|(value, _)| value)
    }

    fn keep(&self, unit: Uuid, value: V) {
        self.kept.insert(unit, (value, Instant::now()));
    }
}

/// Units' organizations read recently (`None`: the unit is not in the directory).
pub struct UnitOrganizations {
    kept: Recent<Option<Uuid>>,
}

impl Default for UnitOrganizations {
    fn default() -> Self {
        Self {
            kept: Recent::new(FRESH_FOR),
        }
    }
}

impl UnitOrganizations {
    /// The organization of `unit`, from memory while fresh, else from the directory.
    pub async fn organization_of(state: &AppState, unit: Uuid) -> Result<Option<Uuid>, ApiError> {
        if let Some(organization) = state.units.kept.fresh(unit) {
            return Ok(organization);
        }
        let organization = db::run(state, move |conn| {
            Ok(care_units::find_by_id(conn, unit)?.map(|found| found.organization_id))
        })
        .await?;
        state.units.kept.keep(unit, organization);
        Ok(organization)
    }

    /// Forgets `unit`, after a change of its organization.
    pub fn forget(&self, unit: Uuid) {
        self.kept.kept.remove(&unit);
    }
}

/// How long a unit's caseload size is reused before it is counted again.
pub const SIZE_FRESH_FOR: Duration = Duration::from_secs(60);

/// Whether each unit's caseload is small ([`persistence::caseload::is_small_unit`]), read
/// recently. The size only chooses how a caseload page filtered on the person is read
/// ([`persistence::caseload::Plan`]) — every plan gives the same page (`tests/api/worklists.rs`,
/// `every_caseload_plan_gives_the_same_pages`) — so a size up to [`SIZE_FRESH_FOR`] old is
/// harmless, and a page is spared the count.
pub struct UnitSizes {
    kept: Recent<bool>,
}

impl Default for UnitSizes {
    fn default() -> Self {
        Self {
            kept: Recent::new(SIZE_FRESH_FOR),
        }
    }
}

impl UnitSizes {
    /// Whether `unit`'s caseload is small, from memory while fresh, else counted on `conn`.
    pub fn is_small(
        &self,
        conn: &mut persistence::DbConnection,
        unit: Uuid,
    ) -> Result<bool, persistence::PersistenceError> {
        if let Some(small) = self.kept.fresh(unit) {
            return Ok(small);
        }
        let small = persistence::caseload::is_small_unit(conn, unit)?;
        self.kept.keep(unit, small);
        Ok(small)
    }
}
