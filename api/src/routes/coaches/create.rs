use actix_web::{HttpResponse, web};
use domain::improvement::training::CoachProfile;
use openapi::improvement::training::{CoachResponse, CreateCoachRequest};
use openapi::responses::CreateErrors;
use persistence::training;

use super::check_references;
use crate::auth::{Authorized, WriteImprovement};
use crate::error::ApiError;
use crate::routes::references;
use crate::state::AppState;
use crate::{db, respond};

/// Gives a staff member (existing, active) a coach profile (admin, coordinator, coach): the
/// cohort she trained in, when she was certified (absent while in training; today or before,
/// 422 otherwise), the units and
/// municipalities she supports. One profile per staff member (409).
#[utoipa::path(
    post,
    path = "/api/v1/coaches",
    tag = "improvement",
    request_body = CreateCoachRequest,
    responses(
        (status = 201, description = "Created", body = CoachResponse,
            headers(("ETag" = String, description = "Entity tag of the new resource"), ("Location" = String, description = "URL of the new resource"))),
        CreateErrors,
    )
)]
pub async fn create_coach(
    state: web::Data<AppState>,
    _writer: Authorized<WriteImprovement>,
    body: crate::json_body::Json<CreateCoachRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let staff_id = body.staff_id;
    let fields = body.into_domain(crate::record_access::today())?;
    let now = persistence::now();
    let coach = CoachProfile {
        staff_id,
        cohort_id: fields.cohort_id,
        certified_on: fields.certified_on,
        care_unit_ids: fields.care_unit_ids,
        municipalities: fields.municipalities,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let coach = db::transaction(&state, move |conn| {
        references::active_staff_member(conn, "staff_id", staff_id)?;
        if training::find_coach(conn, staff_id)?.is_some() {
            return Err(ApiError::Conflict(format!(
                "staff member {staff_id} already has a coach profile; change it with PATCH"
            )));
        }
        check_references(conn, &coach)?;
        training::insert_coach(conn, &coach)?;
        Ok(coach)
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/coaches/{}", coach.staff_id),
        coach.version,
        CoachResponse::from(coach),
    ))
}
