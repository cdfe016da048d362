//! Optimistic concurrency: every resource has an `ETag` (its version in quotes) and updates
//! must send it back in `If-Match`.

use std::future::{Ready, ready};

use actix_web::http::header::{EntityTag, Header, IfMatch};
use actix_web::{FromRequest, HttpRequest, dev::Payload};

use crate::error::ApiError;

/// The entity tag of a resource at `version`.
pub fn etag(version: i64) -> EntityTag {
    EntityTag::new_strong(version.to_string())
}

/// The shape of an `If-Match` value the server reads (RFC 9110 §8.8.3, §13.1.1): `*`, or one
/// or more entity tags, strong or weak (`W/`), separated by commas; a tag holds no comma (the
/// header parser splits the list at every comma, and no ETag of this API has one). Only the resource's
/// current ETag passes (412 otherwise), which no pattern can state; a value of another shape
/// matches no entity tag and is 412 as well (RFC 9110 §13.1.1).
pub const IF_MATCH_PATTERN: &str = "^[ \\t]*(\\*|(W/)?\"[\\x21\\x23-\\x2B\\x2D-\\x7E]*\"([ \\t]*,[ \\t]*(W/)?\"[\\x21\\x23-\\x2B\\x2D-\\x7E]*\")*)[ \\t]*$";

/// The `If-Match` condition of an update; required (an empty one counts as missing), so a
/// handler that takes it cannot be called without one (428).
pub struct IfMatchVersion(IfMatch);

impl IfMatchVersion {
    /// Passes when the resource is still at `current_version`; 412 otherwise.
    pub fn check(&self, current_version: i64) -> Result<(), ApiError> {
        let current = etag(current_version);
        let matches = match &self.0 {
            IfMatch::Any => true,
            IfMatch::Items(tags) => tags.iter().any(|tag| tag.strong_eq(&current)),
        };
        if matches {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "If-Match does not match the current ETag {current}; read the resource again and retry"
            )))
        }
    }
}

impl FromRequest for IfMatchVersion {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = request.headers().get(IfMatch::name());
        // Sent, but not visible ASCII: no entity tag (RFC 9110 §8.8.3), so not a missing one.
        if header.is_some_and(|v| v.to_str().is_err()) {
            return ready(Err(ApiError::bad_request(
                "If-Match must be `*` or quoted entity tags such as \"3\", in visible ASCII",
            )));
        }
        let given = header.and_then(|v| v.to_str().ok()).map(str::trim);
        if given.is_none_or(str::is_empty) {
            return ready(Err(ApiError::PreconditionRequired(
                "send If-Match with the ETag you read (the resource's `version` in quotes, as its GET answers it)".into(),
            )));
        }
        ready(IfMatch::parse(request).map(IfMatchVersion).map_err(|_| {
            ApiError::bad_request("If-Match must be `*` or quoted entity tags such as \"3\"")
        }))
    }
}
