use actix_web::web;
use openapi::improvement::training::{EnrolmentResponse, PresentationRequest};
use openapi::responses::PartWriteErrors;
use persistence::{improvement, training};
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// Records the improvement project an enrolled staff member presented (admin, coordinator,
/// coach); `null` withdraws it. The project must exist (422). Answers with her enrolment and
/// its completion.
#[utoipa::path(
    put,
    path = "/api/v1/training-cohorts/{id}/enrolments/{staff_id}/presentation",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "Cohort id"),
        ("staff_id" = Uuid, Path, description = "The enrolled staff member"),
    ),
    request_body = PresentationRequest,
    responses((status = 200, description = "Recorded", body = EnrolmentResponse), PartWriteErrors)
)]
pub async fn record_presentation(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    path: web::Path<(Uuid, Uuid)>,
    body: crate::json_body::Json<PresentationRequest>,
) -> Result<web::Json<EnrolmentResponse>, ApiError> {
    let (id, staff_id) = path.into_inner();
    let project_id = body.into_inner().improvement_project_id;
    let (cohort, enrolment) = db::transaction(&state, move |conn| {
        let cohort = super::find(conn, id)?;
        if let Some(project) = project_id
            && improvement::find_project(conn, project)?.is_none()
        {
            return Err(ApiError::invalid_field(
                "improvement_project_id",
                format!("no improvement project has id {project}"),
            ));
        }
        if !training::set_presented_project(conn, id, staff_id, project_id)? {
            return Err(ApiError::NotFound(format!(
                "staff member {staff_id} is not enrolled in cohort {id}"
            )));
        }
        let enrolment = training::enrolments_of(conn, &cohort)?
            .into_iter()
            .find(|e| e.staff_id == staff_id)
            .ok_or_else(|| ApiError::Internal("the enrolment just changed is gone".into()))?;
        Ok((cohort, enrolment))
    })
    .await?;
    Ok(web::Json(EnrolmentResponse::new(&cohort, enrolment)))
}
