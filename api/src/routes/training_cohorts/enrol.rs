use actix_web::{HttpResponse, web};
use domain::improvement::training::Enrolment;
use openapi::improvement::training::{EnrolRequest, EnrolmentResponse};
use openapi::responses::PartWriteErrors;
use persistence::training;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::routes::references;
use crate::state::AppState;
use crate::{db, respond};

/// Enrols a staff member (existing, active) in a cohort (admin, coordinator, coach); once
/// per cohort (409).
#[utoipa::path(
    post,
    path = "/api/v1/training-cohorts/{id}/enrolments",
    tag = "improvement",
    params(("id" = Uuid, Path, description = "Cohort id")),
    request_body = EnrolRequest,
    responses(
        (status = 201, description = "Enrolled", body = EnrolmentResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the cohort's enrolments"))),
        PartWriteErrors,
    )
)]
pub async fn enrol(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<EnrolRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let staff_id = body.into_inner().staff_id;
    let (cohort, enrolment) = db::transaction(&state, move |conn| {
        let cohort = super::find(conn, id)?;
        references::active_staff_member(conn, "staff_id", staff_id)?;
        let enrolment = Enrolment {
            cohort_id: id,
            staff_id,
            attended_session_ids: Vec::new(),
            presented_project_id: None,
            enrolled_at: persistence::now(),
        };
        training::insert_enrolment(conn, &enrolment).map_err(|e| match e {
            persistence::PersistenceError::UniqueViolation { .. } => ApiError::Conflict(format!(
                "staff member {staff_id} is already enrolled in this cohort"
            )),
            other => other.into(),
        })?;
        Ok((cohort, enrolment))
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/training-cohorts/{id}/enrolments"),
        1,
        EnrolmentResponse::new(&cohort, enrolment),
    ))
}
