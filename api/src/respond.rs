//! Success responses carrying the resource's `ETag`.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Serialize;

use crate::error::ApiError;
use crate::preconditions::{etag, view_etag};

/// 200 with the resource and its `ETag`.
pub fn ok_with_etag<T: Serialize>(version: i64, body: T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(etag(version)))
        .json(body)
}

/// 200 with a read whose body shows more than the resource's own row — other rows, fields
/// computed from the clock, or a view that depends on the caller — and so an `ETag` that
/// follows the body: `"<version>.<digest of the body>"` ([`view_etag`], decision 0028). A
/// 304 is then given only for the very body the client holds, and the tag still passes
/// `If-Match` for the version before the dot. Errors: 500 only if the body cannot be
/// serialized (a bug).
pub fn ok_with_view_etag<T: Serialize>(version: i64, body: T) -> Result<HttpResponse, ApiError> {
    let json = serde_json::to_vec(&body)
        .map_err(|e| ApiError::Internal(format!("serializing a response: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(view_etag(version, &json)))
        .content_type("application/json")
        .body(json))
}

/// 201 with the new resource, its `ETag` and `Location`.
pub fn created<T: Serialize>(location: String, version: i64, body: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(header::ETag(etag(version)))
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// 200 with an existing resource found by a create-or-find operation, its `ETag` and `Location`.
pub fn ok_at<T: Serialize>(location: String, version: i64, body: T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(etag(version)))
        .insert_header((header::LOCATION, location))
        .json(body)
}
