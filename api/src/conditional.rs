//! Conditional reads (RFC 9110 §13.1.2): a `GET` or `HEAD` whose `If-None-Match` names the
//! entity tag the response would carry is answered `304 Not Modified` without a body.
//!
//! The handler runs in full first — a 304 on her record is still an access to it and leaves
//! its access-log event like the 200 would — and the middleware only replaces the answer.
//! Every operation whose 200 documents an `ETag` therefore supports `If-None-Match`;
//! [`document_conditional_reads`] states that in the spec. That is sound because every such
//! `ETag` follows the whole body: the resource's version where the body is its own row, and
//! `"<version>.<digest>"` for reads that show more (other rows, the clock, the caller's view:
//! `respond::ok_with_view_etag`, decision 0028).

use std::str::FromStr;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, Header, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, OpenApi, RefOr, Required, ResponseBuilder, Type};

/// Whether an `If-None-Match` condition fails for a response tagged `current`, i.e. whether the
/// client's copy is current: `*` matches any tag, a list matches when one of its tags is
/// weakly equal to `current` (RFC 9110 §13.1.2 uses the weak comparison).
pub fn client_copy_is_current(condition: &IfNoneMatch, current: &EntityTag) -> bool {
    match condition {
        IfNoneMatch::Any => true,
        IfNoneMatch::Items(tags) => tags.iter().any(|tag| tag.weak_eq(current)),
    }
}

/// Middleware: `304 Not Modified` (no body; `ETag`, `Cache-Control` and the other headers of
/// the 200 kept, RFC 9110 §15.4.5) for a successful `GET`/`HEAD` whose `ETag` the request's
/// `If-None-Match` names. A malformed `If-None-Match` is ignored, as RFC 9110 allows.
pub async fn answer_not_modified(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let condition = if matches!(*request.method(), Method::GET | Method::HEAD)
        && request.headers().contains_key(header::IF_NONE_MATCH)
    {
        IfNoneMatch::parse(request.request()).ok()
    } else {
        None
    };
    let response = next.call(request).await?.map_into_boxed_body();
    let Some(condition) = condition else {
        return Ok(response);
    };
    let current = response
        .headers()
        .get(header::ETAG)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| EntityTag::from_str(value).ok());
    match current {
        Some(current)
            if response.status() == StatusCode::OK
                && client_copy_is_current(&condition, &current) =>
        {
            Ok(response.map_into_boxed_body().map_body(|head, _| {
                head.status = StatusCode::NOT_MODIFIED;
                head.headers.remove(header::CONTENT_LENGTH);
                BoxBody::new(())
            }))
        }
        _ => Ok(response),
    }
}

/// States conditional reads in the spec: every `GET` whose 200 documents an `ETag` gets an
/// optional `If-None-Match` header parameter and a `304` response (no body, the `ETag`).
pub fn document_conditional_reads(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let Some(operation) = item.get.as_mut() else {
            continue;
        };
        let tagged = matches!(
            operation.responses.responses.get("200"),
            Some(RefOr::T(ok)) if ok.headers.contains_key("ETag")
        );
        if !tagged {
            continue;
        }
        let etag = utoipa::openapi::header::HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .description(Some("The current entity tag (unchanged)"))
            .build();
        operation.responses.responses.insert(
            "304".to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description(
                        "Not Modified: `If-None-Match` names the current `ETag`; no body. A read \
                         of personal data is logged as an access all the same.",
                    )
                    .header("ETag", etag)
                    .build(),
            ),
        );
        let parameter = ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Entity tags of the copy the client holds (RFC 9110 §13.1.2): when one matches \
                 the current `ETag`, the answer is 304 without a body",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        let parameters = operation.parameters.get_or_insert_with(Vec::new);
        if !parameters
            .iter()
            .any(|p| matches!(p, RefOr::T(p) if p.name.eq_ignore_ascii_case("If-None-Match")))
        {
            parameters.push(RefOr::T(parameter));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(text: &str) -> EntityTag {
        EntityTag::from_str(text).unwrap_or_else(|_| EntityTag::new_strong(String::new()))
    }

    #[test]
    fn a_listed_tag_weakly_equal_to_the_current_one_means_the_copy_is_current() {
        let current = tag("\"7\"");
        let listed = |tags: &[&str]| IfNoneMatch::Items(tags.iter().map(|t| tag(t)).collect());
        assert!(client_copy_is_current(&listed(&["\"7\""]), &current));
        assert!(client_copy_is_current(
            &listed(&["\"6\"", "W/\"7\""]),
            &current
        ));
        assert!(client_copy_is_current(&IfNoneMatch::Any, &current));
        assert!(!client_copy_is_current(&listed(&["\"6\""]), &current));
        assert!(!client_copy_is_current(&listed(&[]), &current));
    }
}
