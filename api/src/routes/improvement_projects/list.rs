use actix_web::web;
use domain::MunicipalityCode;
use domain::improvement::ProjectStatus;
use openapi::improvement::{ProjectQuery, ProjectResponse};
use openapi::responses::RestrictedListErrors;
use openapi::{FieldErrors, Page};
use persistence::improvement::{self, ProjectFilter};

use crate::auth::{Authorized, ReadImprovement};
use crate::db;
use crate::error::ApiError;
use crate::pagination::Listing;
use crate::state::AppState;

/// Lists improvement projects in creation order, with optional filters: status, municipality
/// (code), unit, coach, team member (e.g. `?status=active&municipality=0686`).
#[utoipa::path(
    get,
    path = "/api/v1/improvement-projects",
    tag = "improvement",
    params(ProjectQuery),
    responses((status = 200, description = "A page of projects", body = Page<ProjectResponse>), RestrictedListErrors)
)]
pub async fn list_projects(
    state: web::Data<AppState>,
    _reader: Authorized<ReadImprovement>,
    query: crate::query_params::Query<ProjectQuery>,
) -> Result<web::Json<Page<ProjectResponse>>, ApiError> {
    let query = query.into_inner();
    let listing = Listing::start(&state.cursors, "improvement-projects", &query)?;
    let mut errors = FieldErrors::default();
    let status = errors.check_optional("status", query.status.as_deref(), ProjectStatus::parse);
    let municipality = errors.check_optional(
        "municipality",
        query.municipality.as_deref(),
        MunicipalityCode::parse,
    );
    let (Some(status), Some(municipality)) = (status, municipality) else {
        return Err(ApiError::invalid_query(errors.into_failure()));
    };
    let filter = ProjectFilter {
        status,
        municipality,
        care_unit_id: query.unit,
        coach_id: query.coach,
        team_member_id: query.team_member,
    };
    let request = listing.request;
    let page = db::run(&state, move |conn| {
        Ok(improvement::list_projects(conn, &filter, request)?)
    })
    .await?;
    Ok(web::Json(listing.finish(
        &state.cursors,
        page,
        |p| p.id,
        ProjectResponse::from,
    )?))
}
