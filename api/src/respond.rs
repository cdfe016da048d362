//! Success responses carrying the resource's `ETag`.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Serialize;

use crate::preconditions::etag;

/// 200 with the resource and its `ETag`.
pub fn ok_with_etag<T: Serialize>(version: i64, body: T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(etag(version)))
        .json(body)
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
