//! Request ids: taken from `x-request-id` when the caller (or a proxy) sends a sane one,
//! otherwise generated; echoed on the response, written in the access log line, and logged
//! with the cause of every server error.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use uuid::Uuid;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");
/// Longer ids from outside are replaced rather than logged.
const MAX_INCOMING_LENGTH: usize = 128;

fn incoming_id(request: &ServiceRequest) -> Option<String> {
    let value = request.headers().get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let sane = !value.is_empty()
        && value.len() <= MAX_INCOMING_LENGTH
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    sane.then(|| value.to_owned())
}

/// Middleware: assigns the request id and logs server-error causes with it.
pub async fn assign_request_id(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = incoming_id(&request).unwrap_or_else(|| Uuid::now_v7().to_string());
    let method = request.method().clone();
    let path = request.path().to_owned();
    let mut response = next.call(request).await?;
    if response.status().is_server_error()
        && let Some(error) = response.response().error()
    {
        log::error!("request_id={id} {method} {path} failed: {error:?}");
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}
