use actix_web::web;
use diesel::connection::SimpleConnection;
use openapi::health::HealthStatus;
use openapi::responses::ReadinessErrors;

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// Readiness: the database answers a query. 503 while it does not, so a load balancer stops
/// sending traffic to this replica.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "operations",
    security(()),
    responses((status = 200, description = "The database answers", body = HealthStatus), ReadinessErrors)
)]
pub async fn ready(state: web::Data<AppState>) -> Result<web::Json<HealthStatus>, ApiError> {
    db::run(&state, |conn| Ok(conn.batch_execute("SELECT 1")?)).await?;
    Ok(web::Json(HealthStatus { status: "ready" }))
}
