use actix_web::{HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::calendar::{CalendarFeed, FEED_SECRET_BYTES, FeedTarget};
use openapi::calendar::{CalendarFeedResponse, CreateCalendarFeedRequest, FeedRequest};
use openapi::responses::CreateErrors;
use persistence::calendar_feeds;
use uuid::Uuid;

use super::secret_sha256;
use crate::auth::{Authorized, ReadMeetings};
use crate::db;
use crate::error::ApiError;
use crate::routes::references;
use crate::state::AppState;

/// Subscribes to a calendar feed (staff roles and integrations): `scope` `mine` (the meetings
/// of the caller's own staff record, found by her token's HSA-id claim, default `hsa_id`;
/// 422 naming `scope` without one), `unit` (with `care_unit_id`, an active unit) or
/// `municipality` (with `municipality`, its hosted meetings). The answer's `url` holds a
/// 256-bit random secret and is shown only here: the server keeps only its SHA-256. Anyone
/// with the URL reads the feed with no token, so it never carries a person's name. A user
/// keeps at most 20 active feeds (422).
#[utoipa::path(
    post,
    path = "/api/v1/calendar-feeds",
    tag = "meetings",
    request_body = CreateCalendarFeedRequest,
    responses(
        (status = 201, description = "Created; `url` is the feed's secret path", body = CalendarFeedResponse),
        CreateErrors,
    )
)]
pub async fn create_calendar_feed(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    body: crate::json_body::Json<CreateCalendarFeedRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner().into_domain()?;
    let owner = reader.caller.subject;
    let hsa_id = reader.caller.hsa_id;
    let mut random = [0u8; FEED_SECRET_BYTES];
    getrandom::fill(&mut random)
        .map_err(|e| ApiError::Internal(format!("no randomness for a feed secret: {e}")))?;
    let secret = URL_SAFE_NO_PAD.encode(random);
    let hash = secret_sha256(&secret);
    let feed = db::transaction(&state, move |conn| {
        let target = match request {
            FeedRequest::Mine => {
                let hsa_id = hsa_id.ok_or_else(|| {
                    ApiError::invalid_field(
                        "scope",
                        "scope `mine` needs the token's HSA-id claim, which links the caller to her staff record",
                    )
                })?;
                let staff_id = calendar_feeds::active_staff_by_hsa_id(conn, &hsa_id)?
                    .ok_or_else(|| {
                        ApiError::invalid_field(
                            "scope",
                            format!("no active staff member has the token's HSA-id {hsa_id}"),
                        )
                    })?;
                FeedTarget::Staff(staff_id)
            }
            FeedRequest::Target(FeedTarget::CareUnit(unit)) => {
                references::active_care_unit(conn, "care_unit_id", unit)?;
                FeedTarget::CareUnit(unit)
            }
            FeedRequest::Target(target) => target,
        };
        let active = calendar_feeds::count_active(conn, &owner)?;
        let feed =
            CalendarFeed::create(Uuid::now_v7(), &owner, target, active, persistence::now())?;
        calendar_feeds::insert(conn, &feed, &hash)?;
        Ok(feed)
    })
    .await?;
    let mut response = CalendarFeedResponse::from(feed);
    response.url = Some(format!("/feeds/{secret}.ics"));
    Ok(HttpResponse::Created().json(response))
}
