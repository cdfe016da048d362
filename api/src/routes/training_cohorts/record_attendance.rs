use actix_web::{HttpResponse, web};
use openapi::improvement::training::{AttendanceRequest, EnrolmentList, EnrolmentResponse};
use openapi::responses::PartWriteErrors;
use persistence::training;
use uuid::Uuid;

use crate::auth::{Authorized, WriteImprovement};
use crate::db;
use crate::error::ApiError;
use crate::record_access::today;
use crate::state::AppState;

/// Records who attended a session (admin, coordinator, coach): the enrolled staff members
/// present; the others count as absent. Replaces what was recorded for the session. Only once
/// the session's day has come (409); everyone listed must be enrolled (422). Answers with the
/// cohort's enrolments and their completion.
#[utoipa::path(
    put,
    path = "/api/v1/training-cohorts/{id}/sessions/{session_id}/attendance",
    tag = "improvement",
    params(
        ("id" = Uuid, Path, description = "Cohort id"),
        ("session_id" = Uuid, Path, description = "Session id"),
    ),
    request_body = AttendanceRequest,
    responses((status = 200, description = "Recorded", body = EnrolmentList), PartWriteErrors)
)]
pub async fn record_session_attendance(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    path: web::Path<(Uuid, Uuid)>,
    body: crate::json_body::Json<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, session_id) = path.into_inner();
    let attended = body.into_inner().into_domain()?;
    let today = today();
    let (cohort, enrolments) = db::transaction(&state, move |conn| {
        let cohort = super::find(conn, id)?;
        if !cohort.sessions.iter().any(|s| s.id == session_id) {
            return Err(ApiError::NotFound(format!(
                "cohort {id} has no session with id {session_id}"
            )));
        }
        cohort.check_attendance(session_id, today)?;
        let enrolled: Vec<Uuid> = training::enrolments_of(conn, &cohort)?
            .iter()
            .map(|e| e.staff_id)
            .collect();
        if let Some(stranger) = attended.iter().find(|s| !enrolled.contains(s)) {
            return Err(ApiError::invalid_field(
                "attended_staff_ids",
                format!("staff member {stranger} is not enrolled in this cohort"),
            ));
        }
        training::replace_attendance(conn, session_id, &attended)?;
        let enrolments = training::enrolments_of(conn, &cohort)?;
        Ok((cohort, enrolments))
    })
    .await?;
    Ok(HttpResponse::Ok().json(EnrolmentList {
        items: enrolments
            .into_iter()
            .map(|e| EnrolmentResponse::new(&cohort, e))
            .collect(),
    }))
}
