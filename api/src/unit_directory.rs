//! Which organization each care unit belongs to, as the directory says, for checking tokens
//! (`domain::access::check_token_unit`) without database work on every request.
//!
//! An entry is trusted for [`FRESH_FOR`]; a unit moved to another organization through this
//! process is forgotten at once ([`UnitOrganizations::forget`]), through another replica within
//! [`FRESH_FOR`].

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

/// Units' organizations read recently (`None`: the unit is not in the directory).
pub struct UnitOrganizations {
    kept: quick_cache::sync::Cache<Uuid, (Option<Uuid>, Instant)>,
}

impl Default for UnitOrganizations {
    fn default() -> Self {
        Self {
            kept: quick_cache::sync::Cache::new(CAPACITY),
        }
    }
}

impl UnitOrganizations {
    /// The organization of `unit`, from memory while fresh, else from the directory.
    pub async fn organization_of(state: &AppState, unit: Uuid) -> Result<Option<Uuid>, ApiError> {
        if let Some((organization, read_at)) = state.units.kept.get(&unit)
            && read_at.elapsed() < FRESH_FOR
        {
            return Ok(organization);
        }
        let organization = db::run(state, move |conn| {
            Ok(care_units::find_by_id(conn, unit)?.map(|found| found.organization_id))
        })
        .await?;
        state
            .units
            .kept
            .insert(unit, (organization, Instant::now()));
        Ok(organization)
    }

    /// Forgets `unit`, after a change of its organization.
    pub fn forget(&self, unit: Uuid) {
        self.kept.remove(&unit);
    }
}
