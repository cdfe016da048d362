use actix_web::{HttpResponse, web};
use domain::Role;
use openapi::responses::RestrictedReadErrors;
use persistence::calendar_feeds;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeetings};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// Revokes a calendar feed: the caller's own, or, for an administrator, anyone's (a leaked URL
/// can be revoked whoever made it); its URL answers 404 from now on. Another user's feed is
/// 404 for anyone else. Revoking a revoked feed changes nothing (204).
#[utoipa::path(
    delete,
    path = "/api/v1/calendar-feeds/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Feed id")),
    responses(
        (status = 204, description = "Revoked"),
        RestrictedReadErrors,
    )
)]
pub async fn revoke_calendar_feed(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let admin = reader.caller.has_any(&[Role::Admin]);
    let subject = reader.caller.subject;
    db::transaction(&state, move |conn| {
        let feed = calendar_feeds::find_by_id(conn, id)?
            .filter(|feed| feed.managed_by(&subject, admin))
            .ok_or_else(|| ApiError::NotFound(format!("you have no calendar feed with id {id}")))?;
        if let Some(revoked) = feed.revoke(persistence::now()) {
            calendar_feeds::revoke(conn, &revoked)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
