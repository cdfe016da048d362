use actix_web::web;
use openapi::improvement::training::{EnrolmentList, EnrolmentResponse};
use openapi::responses::RestrictedReadErrors;
use persistence::training;
use uuid::Uuid;

use crate::auth::{Authorized, ReadImprovement};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// A cohort's enrolments (staff id order), each with the sessions attended, the project
/// presented and whether the completion rule is met — and if not, what is missing.
#[utoipa::path(
    get,
    path = "/api/v1/training-cohorts/{id}/enrolments",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, description = "The enrolments", body = EnrolmentList), RestrictedReadErrors)
)]
pub async fn list_enrolments(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    id: web::Path<Uuid>,
) -> Result<web::Json<EnrolmentList>, ApiError> {
    let id = id.into_inner();
    let (cohort, enrolments) = db::run(&state, move |conn| {
        let cohort = super::find(conn, id)?;
        let enrolments = training::enrolments_of(conn, &cohort)?;
        Ok((cohort, enrolments))
    })
    .await?;
    Ok(web::Json(EnrolmentList {
        items: enrolments
            .into_iter()
            .map(|e| EnrolmentResponse::new(&cohort, e))
            .collect(),
    }))
}
