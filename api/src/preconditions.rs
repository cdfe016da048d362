//! Optimistic concurrency: every resource has an `ETag` (its version in quotes, or for reads
//! that show more than the resource's own row `"<version>.<digest>"`, decision 0028) and
//! updates must send it back in `If-Match`, which compares the version.

use std::future::{Ready, ready};

use actix_web::http::header::{EntityTag, Header, IfMatch};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The entity tag of a resource at `version`.
pub fn etag(version: i64) -> EntityTag {
    EntityTag::new_strong(version.to_string())
}

/// The entity tag of a read at `version` whose body `json` shows more than the version
/// covers: `"<version>.<16 hex digits>"`, the digits the first 8 bytes of the body's SHA-256,
/// so the tag changes with anything the body shows (RFC 9110 §8.8.3: a validator for the
/// representation) while [`IfMatchVersion::check`] reads the version before the dot.
pub fn view_etag(version: i64, json: &[u8]) -> EntityTag {
    let digest = Sha256::digest(json);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    EntityTag::new_strong(format!("{version}.{hex}"))
}

/// Whether an `If-Match` tag names `version`: the whole tag (`"7"`), or what comes before the
/// dot of a read's tag (`"7.<digest>"`, [`view_etag`]). A weak tag names none (RFC 9110
/// §13.1.1: `If-Match` uses the strong comparison).
fn names_version(tag: &EntityTag, version: i64) -> bool {
    let text = tag.tag();
    let named = text.split_once('.').map_or(text, |(named, _)| named);
    !tag.weak && named == version.to_string()
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
    /// Passes when the resource is still at `current_version` (a tag `"<version>"` or a
    /// read's `"<version>.<digest>"` naming it); 412 otherwise.
    pub fn check(&self, current_version: i64) -> Result<(), ApiError> {
        let current = etag(current_version);
        let matches = match &self.0 {
            IfMatch::Any => true,
            IfMatch::Items(tags) => tags.iter().any(|tag| names_version(tag, current_version)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_if_match_tag_names_the_version_whole_or_before_a_reads_digest() {
        let strong = |text: &str| EntityTag::new_strong(text.to_owned());
        assert!(names_version(&strong("7"), 7));
        assert!(names_version(&view_etag(7, b"{}"), 7));
        assert!(!names_version(&view_etag(7, b"{}"), 8));
        assert!(!names_version(&strong("07"), 7));
        assert!(!names_version(&strong("7x"), 7));
        assert!(!names_version(&strong(""), 7));
        assert!(!names_version(&EntityTag::new_weak("7".to_owned()), 7));
    }

    #[test]
    fn a_reads_tag_follows_its_body() {
        let tag = view_etag(3, br#"{"overdue":false}"#);
        assert_eq!(tag, view_etag(3, br#"{"overdue":false}"#));
        assert_ne!(tag, view_etag(3, br#"{"overdue":true}"#));
        let text = tag.tag();
        let (version, digest) = text.split_once('.').unwrap_or_default();
        assert_eq!(version, "3");
        assert_eq!(digest.len(), 16);
        assert!(digest.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
