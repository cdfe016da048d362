//! Liveness and readiness probes (no authentication).

pub mod live;
pub mod ready;
