use actix_web::web;
use openapi::health::HealthStatus;
use openapi::responses::LivenessErrors;

/// Liveness: the process answers HTTP. Does not touch the database.
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "operations",
    security(()),
    responses((status = 200, description = "The process is alive", body = HealthStatus), LivenessErrors)
)]
pub async fn live() -> web::Json<HealthStatus> {
    web::Json(HealthStatus { status: "ok" })
}
