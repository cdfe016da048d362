//! Proactive content negotiation (RFC 9110 §12.5.1) for the operations that answer in more
//! than one media type: the indicator table (JSON or CSV) and the charts (JSON or SVG).
//!
//! Each media type the operation offers gets the quality of the most specific range of the
//! request's `Accept` that matches it (`text/csv` before `text/*` before `*/*`; parameters
//! other than `q` are not compared); a range with `q=0` makes the type not acceptable. The
//! offered type of the highest quality above 0 answers, the operation's own order breaking
//! ties. No `Accept` (or an empty one) accepts anything: the first offered type, JSON. When
//! none is acceptable the answer is 406 naming what is offered, rather than a body the client
//! said it cannot use. The header is parsed by actix-web's typed [`Accept`], which passes over
//! items it cannot read (`csv`, `text/csv;q=2`); a header left with none accepts anything.

use actix_web::http::header::{self, Accept, Header, Quality};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};

use crate::error::ApiError;

/// A 200 whose body was chosen by [`negotiate`]: `Vary: Accept` tells caches the answer
/// depends on the header (RFC 9110 §12.5.5).
pub fn negotiated_ok() -> HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::VARY, "Accept"));
    response
}

/// The media type of `offered` (in the operation's order of preference) that the request's
/// `Accept` prefers. Errors: 400 for an unreadable `Accept`, 406 when none is acceptable.
pub fn negotiate(
    request: &HttpRequest,
    offered: &[&'static str],
) -> Result<&'static str, ApiError> {
    let first = offered.first().copied().unwrap_or("application/json");
    if request
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .is_none()
    {
        return Ok(first);
    }
    let accept = Accept::parse(request).map_err(|_| {
        ApiError::bad_request(
            "the `Accept` header is not a list of media ranges (RFC 9110 §12.5.1), e.g. `text/csv` or `application/json, */*;q=0.5`",
        )
    })?;
    if accept.0.is_empty() {
        return Ok(first);
    }
    let ranges: Vec<(String, String, Quality)> = accept
        .0
        .iter()
        .map(|item| {
            // The essence keeps a structured suffix (`svg+xml`), which `subtype()` drops.
            let essence = item.item.essence_str().to_ascii_lowercase();
            let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
            (kind.to_owned(), subtype.to_owned(), item.quality)
        })
        .collect();
    let quality_of = |media_type: &str| -> Quality {
        let (kind, subtype) = media_type.split_once('/').unwrap_or((media_type, ""));
        let specificity = |(k, s): (&str, &str)| match (k, s) {
            ("*", "*") => Some(1),
            (k, "*") if k == kind => Some(2),
            (k, s) if k == kind && s == subtype => Some(3),
            _ => None,
        };
        ranges
            .iter()
            .filter_map(|(k, s, q)| specificity((k, s)).map(|rank| (rank, *q)))
            // The most specific range decides; among equally specific ones, the first.
            .fold(None::<(u8, Quality)>, |best, (rank, q)| match best {
                Some((best_rank, _)) if best_rank >= rank => best,
                _ => Some((rank, q)),
            })
            .map_or(Quality::ZERO, |(_, q)| q)
    };
    let mut chosen: Option<(&'static str, Quality)> = None;
    for &media_type in offered {
        let quality = quality_of(media_type);
        if quality > Quality::ZERO && chosen.is_none_or(|(_, best)| quality > best) {
            chosen = Some((media_type, quality));
        }
    }
    chosen.map(|(media_type, _)| media_type).ok_or_else(|| {
        ApiError::NotAcceptable(format!(
            "this operation answers in {}; the `Accept` header accepts none of them",
            offered
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    const OFFERED: &[&str] = &["application/json", "text/csv", "image/svg+xml"];

    fn answer(accept: Option<&str>) -> Result<&'static str, u16> {
        let mut request = TestRequest::default();
        if let Some(accept) = accept {
            request = request.insert_header(("accept", accept));
        }
        negotiate(&request.to_http_request(), OFFERED)
            .map_err(|e| actix_web::ResponseError::status_code(&e).as_u16())
    }

    #[test]
    fn the_most_specific_range_decides_and_q_0_refuses() {
        assert_eq!(answer(None), Ok("application/json"));
        assert_eq!(answer(Some("*/*")), Ok("application/json"));
        assert_eq!(answer(Some("text/csv")), Ok("text/csv"));
        assert_eq!(answer(Some("TEXT/CSV; charset=utf-8")), Ok("text/csv"));
        assert_eq!(answer(Some("text/*")), Ok("text/csv"));
        assert_eq!(
            answer(Some("application/json;q=0.5, text/csv")),
            Ok("text/csv")
        );
        assert_eq!(answer(Some("text/csv;q=0")), Err(406));
        assert_eq!(answer(Some("text/csv;q=0, */*")), Ok("application/json"));
        assert_eq!(
            answer(Some("*/*;q=0.1, application/json;q=0")),
            Ok("text/csv")
        );
        assert_eq!(answer(Some("image/png")), Err(406));
        assert_eq!(answer(Some("image/svg+xml")), Ok("image/svg+xml"));
        assert_eq!(answer(Some("image/*")), Ok("image/svg+xml"));
        assert_eq!(answer(Some("image/png, */*;q=0.1")), Ok("application/json"));
        // Equal qualities: the operation's own order.
        assert_eq!(
            answer(Some("text/csv, application/json")),
            Ok("application/json")
        );
        // Items actix-web cannot read are passed over: what is left accepts anything.
        for unreadable in ["text/csv;q=2", "csv", "][", "text/csv;q=x"] {
            assert_eq!(
                answer(Some(unreadable)),
                Ok("application/json"),
                "{unreadable}"
            );
        }
    }
}
