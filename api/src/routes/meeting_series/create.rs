use actix_web::{HttpResponse, web};
use openapi::meeting::series::{CreateSeriesRequest, SeriesResponse};
use openapi::responses::CreateErrors;
use persistence::meeting_series;
use uuid::Uuid;

use crate::auth::{Authorized, OrganizeMeetings};
use crate::error::ApiError;
use crate::routes::references;
use crate::state::AppState;
use crate::{db, respond};

/// Creates a recurring meeting (admin, coordinator, coach): an RFC 5545 `rrule` with `COUNT`
/// or `UNTIL`, its first start as local time in Europe/Stockholm (`starts_local`), a duration
/// and optional excluded starts (`exdates`). The server expands the rule in the Stockholm
/// zone, so 09:00 stays 09:00 across daylight-saving changes, and schedules every occurrence
/// as a meeting of its own: it shows in `GET /api/v1/meetings` and its filters, takes
/// participants and attendance, and is cancelled or moved there. A rule without `COUNT` or
/// `UNTIL`, reaching more than two years past its first start, or giving more than 200
/// occurrences is a 422 naming `rrule`; `exdates` excluding every start is a 422 naming
/// `exdates`. The rule is kept canonical (upper-case, no `RRULE:` prefix).
#[utoipa::path(
    post,
    path = "/api/v1/meeting-series",
    tag = "meetings",
    request_body = CreateSeriesRequest,
    responses(
        (status = 201, description = "Created, with its occurrences", body = SeriesResponse,
            headers(("ETag" = String, description = "Entity tag of the new series"), ("Location" = String, description = "URL of the new series"))),
        CreateErrors,
    )
)]
pub async fn create_series(
    state: web::Data<AppState>,
    organizer: Authorized<OrganizeMeetings>,
    body: crate::json_body::Json<CreateSeriesRequest>,
) -> Result<HttpResponse, ApiError> {
    let recorder = organizer.caller.recorder();
    // Expanding a recurrence rule is CPU work that some rules make long (bounded by the
    // window and the occurrence limit, but up to seconds for rules the library iterates
    // year by year): it runs on the blocking pool, never on the workers that answer requests.
    let (series, occurrences) = web::block(move || -> Result<_, ApiError> {
        Ok(body
            .into_inner()
            .into_domain(crate::record_access::today())?
            .into_records(Uuid::now_v7(), Uuid::now_v7, &recorder, persistence::now())?)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))??;
    let (series, occurrences) = db::transaction(&state, move |conn| {
        if let Some(organization) = series.host_organization_id {
            references::active_organization(conn, "host_organization_id", organization)?;
        }
        if let Some(organizer) = series.organizer_id {
            references::active_staff_member(conn, "organizer_id", organizer)?;
        }
        meeting_series::insert(conn, &series, &occurrences)?;
        Ok((series, occurrences))
    })
    .await?;
    Ok(respond::created(
        format!("/api/v1/meeting-series/{}", series.id),
        series.version,
        SeriesResponse::new(series, &occurrences),
    ))
}
