//! What every request handler shares.

use persistence::DbPool;
use persistence::audit::AuditWriter;

use crate::auth::TokenVerifier;
use crate::pagination::CursorCodec;

/// Shared, immutable after start-up; anything that changes lives in the database so every
/// replica sees the same.
pub struct AppState {
    pub pool: DbPool,
    pub verifier: TokenVerifier,
    pub cursors: CursorCodec,
    /// Commits the access-log events of reads (group commit).
    pub audit: AuditWriter,
    /// Bounds the requests with database work in flight.
    pub admission: crate::db::Admission,
    /// Requests per token subject.
    pub limits: crate::rate_limit::CallerLimits,
    /// Records read recently, reused while their stamp in the database is unchanged.
    pub records: crate::record_cache::RecordCache,
    /// Imports being read or applied; bounds the memory they hold (see
    /// [`crate::routes::persons::import::MAX_CONCURRENT_IMPORTS`]).
    pub imports: tokio::sync::Semaphore,
    /// Care units' organizations, for checking tokens' `unit` against their `org`.
    pub units: crate::unit_directory::UnitOrganizations,
    /// Whether units' caseloads are small, for choosing how to list them.
    pub unit_sizes: crate::unit_directory::UnitSizes,
    /// Browser origins allowed to call the API (CORS).
    pub cors_origins: Vec<String>,
    /// The region agreement's discharge rules.
    pub agreement: domain::discharge::AgreementSettings,
    /// The region's reservnummer pattern.
    pub reserve_numbers: domain::personal_number::ReserveNumberPattern,
}
