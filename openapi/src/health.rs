//! Liveness and readiness bodies.

use serde::Serialize;
use utoipa::ToSchema;

/// The service's state as a load balancer sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthStatus {
    /// `ok` when live; `ready` when the database answers.
    #[schema(example = "ok")]
    pub status: &'static str,
}
