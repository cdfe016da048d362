//! Every JSON request body is an object. serde reads a struct from a JSON array by position
//! (`["Esther","Andersson",…]`), which the spec does not allow and which no client means;
//! this middleware refuses a body that is not an object before any handler reads it, with a
//! 400 that says what is expected instead of a Rust type name. (NDJSON imports check each of
//! their lines themselves.)

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::{ApiError, problem_response};

/// Whether a JSON text is an object: its first character after white space is `{`. An empty
/// body is left to the handler, which says that a body is missing.
pub fn is_object_or_empty(body: &[u8]) -> bool {
    body.iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_none_or(|first| *first == b'{')
}

/// Middleware: 400 for an `application/json` body that is an array or a single value.
pub async fn require_json_object(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"));
    if json {
        // Read as the JSON extractor would (same limit), then hand the bytes on.
        let body = match request.extract::<web::Bytes>().await {
            Ok(body) => body,
            Err(cause) => {
                let error = if cause.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::PayloadTooLarge(format!(
                        "the body may be at most {} bytes",
                        crate::startup::BODY_LIMIT_BYTES
                    ))
                } else {
                    ApiError::bad_request("the body could not be read")
                };
                let response = problem_response(&error, Some(request.path().to_owned()));
                return Ok(request.into_response(response).map_into_right_body());
            }
        };
        if !is_object_or_empty(&body) {
            let error = ApiError::bad_request(
                "the body must be a JSON object (`{…}`) with the operation's fields, not an array or a single value",
            );
            let response = problem_response(&error, Some(request.path().to_owned()));
            return Ok(request.into_response(response).map_into_right_body());
        }
        request.set_payload(actix_web::dev::Payload::from(body));
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_objects_pass() {
        for body in [&b"{}"[..], b"  \n{\"a\":1}", b""] {
            assert!(is_object_or_empty(body), "{body:?}");
        }
        for body in [
            &b"[]"[..],
            b" [\"x\"]",
            b"null",
            b"\"text\"",
            b"42",
            b"true",
        ] {
            assert!(!is_object_or_empty(body), "{body:?}");
        }
    }
}
