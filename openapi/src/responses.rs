//! The error responses each kind of operation documents, all as problem+json.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{Ref, RefOr};

use crate::PROBLEM_CONTENT_TYPE;

/// What each error status means in this API: the description every operation's response of
/// that status carries, unless the operation documents its own.
pub fn describe(status: u16) -> &'static str {
    match status {
        400 => {
            "Malformed request: unreadable JSON, an unknown field, a bad path or query parameter, or a cursor that was not issued for this list"
        }
        401 => "Missing, expired or invalid bearer token",
        403 => "The caller may not do this: the role, or another unit's resource",
        404 => "No such resource",
        409 => {
            "Conflicts with the current state of the resource (RFC 9110 §15.5.10): a unique value such as an HSA-id is taken, or the resource's state refuses the request (a case's state, a relationship already ended or still needed by an open coordination case); `detail` says which, and `case_id` names such a case to a caller who may see it"
        }
        412 => {
            "`If-Match` does not match the current `ETag`: the resource changed since it was read"
        }
        406 => {
            "The `Accept` header accepts none of the media types this operation answers in (each is listed under 200); `q=0` refuses a type"
        }
        413 => "The request body is too large",
        415 => {
            "`Content-Type` must be the operation's media type: `application/json` unless it names another"
        }
        422 => "The request breaks a rule; `errors` names each field",
        429 => "Too many requests from this caller; retry after `Retry-After` seconds",
        428 => "Updates need `If-Match` with the `ETag` the resource was read with",
        500 => {
            "Unexpected server error; quote the `x-request-id` response header when reporting it"
        }
        503 => "The database is unavailable; retry after `Retry-After` seconds",
        _ => "Error",
    }
}

fn problem_response(status: u16) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(describe(status))
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

macro_rules! error_responses {
    ($($(#[$meta:meta])* $name:ident => [$($status:literal),+ $(,)?];)+) => {
        $(
            $(#[$meta])*
            pub struct $name;

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    [$($status),+].into_iter().map(|status: u16| (status.to_string(), problem_response(status))).collect()
                }
            }
        )+
    };
}

error_responses! {
    /// Errors of reading one resource by id.
    ReadErrors => [400, 401, 404, 429, 500, 503];
    /// Errors of listing a collection.
    ListErrors => [400, 401, 429, 500, 503];
    /// Errors of creating a resource.
    CreateErrors => [400, 401, 403, 409, 413, 415, 422, 429, 500, 503];
    /// Errors of updating a resource.
    UpdateErrors => [400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 500, 503];
    /// Errors of reading one resource that only some roles may read.
    RestrictedReadErrors => [400, 401, 403, 404, 429, 500, 503];
    /// Errors of reading one resource in a media type of the caller's choice (`Accept`).
    NegotiatedReadErrors => [400, 401, 403, 404, 406, 429, 500, 503];
    /// Errors of listing, in a media type of the caller's choice (`Accept`), a collection
    /// that only some roles may list.
    NegotiatedListErrors => [400, 401, 403, 406, 429, 500, 503];
    /// Errors of listing a collection that only some roles may list.
    RestrictedListErrors => [400, 401, 403, 429, 500, 503];
    /// Errors of an action on a resource (`POST …/{id}/<action>` with `If-Match`).
    ActionErrors => [400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 500, 503];
    /// Errors of a write to a part of a resource that needs no `If-Match` (a meeting's
    /// participants: an invitation, an answer, attendance).
    PartWriteErrors => [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];
    /// Errors of an action that takes no body and no `If-Match` (`POST …/{id}/<action>`:
    /// acknowledge, opt out, end, lift, withdraw a consent): nothing is read from a body, so
    /// no 413, 415 or 422; 409 when the resource's state refuses the action.
    BodylessActionErrors => [400, 401, 403, 404, 409, 429, 500, 503];
    /// Errors of reading part of a person's record (404 also when the caller may not see her).
    RecordReadErrors => [400, 401, 403, 404, 429, 500, 503];
    /// Errors of writing to a person's record.
    RecordWriteErrors => [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];
    /// Errors of a person search.
    SearchErrors => [400, 401, 403, 413, 415, 422, 429, 500, 503];
    /// Errors of reading the access log.
    LogErrors => [400, 401, 403, 404, 429, 500, 503];
    /// Errors of reading a calendar feed by its secret URL (no bearer token).
    FeedErrors => [400, 404, 500, 503];
    /// Errors of the readiness probe.
    ReadinessErrors => [400, 500, 503];
    /// Errors of the liveness probe (a query string is 400, as everywhere).
    LivenessErrors => [400, 500];
}
