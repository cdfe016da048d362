use actix_web::{HttpResponse, web};
use openapi::meeting::series::SeriesResponse;
use openapi::responses::RestrictedReadErrors;
use persistence::meeting_series;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, respond};

/// Reads a recurring meeting with every occurrence as it stands now (moved, cancelled), in
/// `recurrence_id` order (staff roles and integrations).
#[utoipa::path(
    get,
    path = "/api/v1/meeting-series/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id")),
    responses(
        (status = 200, description = "The series", body = SeriesResponse,
            headers(("ETag" = String, description = "`\"<version>.<digest>\"`: changes with the series and with each occurrence moved or cancelled (decision 0028)"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_series(
    state: web::Data<AppState>,
    _reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (series, occurrences) = db::run(&state, move |conn| {
        let series = meeting_series::find_by_id(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no meeting series has id {id}")))?;
        Ok((series, meeting_series::occurrences(conn, id)?))
    })
    .await?;
    respond::ok_with_view_etag(series.version, SeriesResponse::new(series, &occurrences))
}
