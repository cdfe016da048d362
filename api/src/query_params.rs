//! Unknown query parameters are refused on every operation (400): lists refuse theirs through
//! their typed queries (`deny_unknown_fields`); an operation whose spec names no query
//! parameter at all is refused here when a query string is sent, so that a misspelt filter is
//! never silently ignored.
//!
//! Every query parameter must also be text once percent-decoded (RFC 3986 §2.1, as
//! `application/x-www-form-urlencoded`, `+` a space): valid UTF-8 without the NUL character.
//! Decoding lossily would turn `%FF` into U+FFFD and search for it; PostgreSQL refuses NUL
//! in any text. Either is refused here with a 400 that names the parameter.
//!
//! Handlers take their typed queries through [`Query`], which names the parameter that cannot
//! be read in the problem's `errors` (`limit`: "`abc` must be a whole number"), where actix's
//! own `web::Query` says only "invalid digit found in string".

use std::collections::HashSet;
use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use openapi::{FieldErrors, ValidationFailed};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, instance_error, problem_response};
use openapi::meeting::lost_plus_sign;

/// An operation's typed query string (`application/x-www-form-urlencoded`, as actix's
/// `web::Query` reads it); what cannot be read is a 400 naming the parameter
/// ([`parse_query`]).
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            parse_query(request.query_string())
                .map(Query)
                .map_err(|failure| instance_error(ApiError::invalid_query(failure), request)),
        )
    }
}

/// `query` (a raw query string) read as `T`, or the problem with the parameter it concerns:
/// an unknown parameter (`T` denies unknown fields) is named with the parameters there are; a
/// required one missing, one given twice, and a value of the wrong kind (a whole number, a
/// number, `true` or `false`) are named with what was sent.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ValidationFailed> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let message = error.inner().to_string();
        let mut errors = FieldErrors::default();
        let quoted = |prefix: &str| {
            let rest = message.strip_prefix(prefix)?;
            let (name, rest) = rest.split_once('`')?;
            Some((name.to_owned(), rest.trim_start_matches(", ").to_owned()))
        };
        if let Some((name, expected)) = quoted("unknown field `") {
            let expected = expected.replace("there are no fields", "this operation takes none");
            errors.push(
                &name,
                format!("is not a parameter of this operation ({expected})"),
            );
        } else if let Some((name, _)) = quoted("missing field `") {
            errors.push(&name, "is required");
        } else if let Some((name, _)) = quoted("duplicate field `") {
            errors.push(&name, "is given more than once");
        } else {
            let name = error.path().to_string();
            let sent_value = form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.into_owned());
            let sent = sent_value
                .as_ref()
                .map(|value| {
                    let shown: String = value.chars().take(QUOTED_NAME_CHARS).collect();
                    let more = if shown.len() < value.len() { "…" } else { "" };
                    format!("`{shown}{more}` ")
                })
                .unwrap_or_default();
            let problem = match message.as_str() {
                "invalid digit found in string" | "cannot parse integer from empty string" => {
                    "must be a whole number".to_owned()
                }
                "number too large to fit in target type" => "is too large".to_owned(),
                "number too small to fit in target type" => "is too small".to_owned(),
                "invalid float literal" => "must be a number".to_owned(),
                "provided string was not `true` or `false`" => "must be true or false".to_owned(),
                other if other.starts_with("UUID parsing failed") => "is not a UUID".to_owned(),
                other => match (one_of(other), openapi::date_time_problem(other)) {
                    (Some(values), _) => format!("is not one of: {values}"),
                    (None, Some(_)) if sent_value.as_deref().is_some_and(lost_plus_sign) => {
                        "must be an RFC 3339 date-time with an offset; the offset's `+` arrived \
                         as a space: in a query string send it as `%2B`"
                            .to_owned()
                    }
                    (None, Some(date_time)) => date_time.to_owned(),
                    (None, None) => format!("cannot be read: {other}"),
                },
            };
            let field = if name == "." { "query" } else { name.as_str() };
            errors.push(field, format!("{sent}{problem}"));
        }
        errors.into_failure()
    })
}

/// The values serde names in "unknown variant `x`, expected `a`, `b` or `c`" (an enum
/// parameter's), as "a, b, c" — the same words as the handlers' own enum checks.
fn one_of(message: &str) -> Option<String> {
    let (_, expected) = message.split_once("expected ")?;
    if !message.starts_with("unknown variant") {
        return None;
    }
    let values: Vec<&str> = expected
        .split(['`', ',', ' '])
        .filter(|word| !word.is_empty() && *word != "or" && *word != "one" && *word != "of")
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// (method, path) of the operations that take no query parameter, in the spec's syntax
/// (`get`, `/api/v1/persons/{id}`).
#[derive(Debug, Clone, Default)]
pub struct QueryFreeOperations(HashSet<(String, String)>);

impl QueryFreeOperations {
    /// The operations of `spec` with no `in: query` parameter.
    pub fn from_spec(spec: &serde_json::Value) -> Self {
        let mut free = HashSet::new();
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let takes_query = operation["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|parameter| parameter["in"] == "query");
                if !takes_query {
                    free.insert((method.clone(), path.clone()));
                }
            }
        }
        Self(free)
    }

    fn refuses(&self, method: &str, pattern: &str) -> bool {
        self.0
            .contains(&(method.to_ascii_lowercase(), pattern.to_owned()))
    }
}

/// The longest part of a parameter's name quoted back in an error.
const QUOTED_NAME_CHARS: usize = 40;

/// Why the first unreadable parameter of `query` (a raw query string) is refused, naming it:
/// a name or value that is not UTF-8 once percent-decoded, or that holds NUL (U+0000).
/// `None` when every parameter is text.
pub fn unreadable_parameter(query: &str) -> Option<String> {
    let decode = |raw: &str| -> Result<String, &'static str> {
        let plus_as_space = raw.replace('+', " ");
        let text = percent_encoding::percent_decode_str(&plus_as_space)
            .decode_utf8()
            .map_err(|_| "is not UTF-8 text once percent-decoded")?;
        if text.contains('\0') {
            return Err("holds the NUL character (%00), which no text may hold");
        }
        Ok(text.into_owned())
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .find_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let quoted = |name: &str| {
                let shown: String = name.chars().take(QUOTED_NAME_CHARS).collect();
                let more = if shown.len() < name.len() { "…" } else { "" };
                format!("`{shown}{more}`")
            };
            match decode(name) {
                Err(problem) => Some(format!(
                    "the name of query parameter {} {problem}",
                    quoted(&String::from_utf8_lossy(
                        &percent_encoding::percent_decode_str(name).collect::<Vec<u8>>()
                    ))
                )),
                Ok(name) => decode(value)
                    .err()
                    .map(|problem| format!("query parameter {} {problem}", quoted(&name))),
            }
        })
}

/// Middleware: 400 for a query parameter that is not text ([`unreadable_parameter`]), and
/// for a query string sent to an operation that takes no query parameter.
pub async fn refuse_unexpected_query(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(problem) = unreadable_parameter(request.query_string()) {
        let error = ApiError::bad_request(problem);
        let response = problem_response(&error, Some(request.path().to_owned()));
        return Ok(request.into_response(response).map_into_right_body());
    }
    let refused = !request.query_string().is_empty()
        && request
            .app_data::<web::Data<QueryFreeOperations>>()
            .zip(request.match_pattern())
            .is_some_and(|(free, pattern)| {
                // HEAD is served with GET and takes its parameters.
                let method = match request.method().as_str() {
                    "HEAD" => "GET",
                    method => method,
                };
                free.refuses(method, &pattern)
            });
    if refused {
        let names: Vec<String> =
            web::Query::<Vec<(String, String)>>::from_query(request.query_string())
                .map(|query| {
                    query
                        .into_inner()
                        .into_iter()
                        .map(|(name, _)| format!("`{name}`"))
                        .collect()
                })
                .unwrap_or_default();
        let mut errors = FieldErrors::default();
        for name in &names {
            errors.push(
                name.trim_matches('`'),
                "is not a parameter: this operation takes none",
            );
        }
        let error = ApiError::BadRequest {
            detail: format!(
                "{} {} takes no query parameters; remove {}",
                request.method(),
                request.path(),
                if names.is_empty() {
                    "the query string".to_owned()
                } else {
                    names.join(", ")
                }
            ),
            errors: if errors.is_empty() {
                Vec::new()
            } else {
                errors.into_failure().errors
            },
        };
        let path = request.path().to_owned();
        let response = problem_response(&error, Some(path));
        return Ok(request.into_response(response).map_into_right_body());
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_enum_value_names_the_values_allowed() {
        let two = "unknown variant `foo`, expected `admission` or `deadline`";
        assert_eq!(one_of(two).as_deref(), Some("admission, deadline"));
        let three = "unknown variant `x`, expected one of `open`, `in_progress`, `done`";
        assert_eq!(one_of(three).as_deref(), Some("open, in_progress, done"));
        assert_eq!(
            one_of("unknown variant `x`, expected `only`").as_deref(),
            Some("only")
        );
        assert_eq!(one_of("invalid type: map, expected a string"), None);
    }

    #[test]
    fn operations_without_query_parameters_are_found_in_the_spec() {
        let spec = serde_json::json!({ "paths": {
            "/api/v1/persons/{id}": {
                "get": { "parameters": [{ "name": "id", "in": "path" }] },
                "patch": {}
            },
            "/api/v1/meetings": { "get": { "parameters": [{ "name": "kind", "in": "query" }] } }
        }});
        let free = QueryFreeOperations::from_spec(&spec);
        assert!(free.refuses("GET", "/api/v1/persons/{id}"));
        assert!(free.refuses("PATCH", "/api/v1/persons/{id}"));
        assert!(!free.refuses("GET", "/api/v1/meetings"));
        assert!(!free.refuses("GET", "/unknown"));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Paging {
        limit: Option<u32>,
        include_inactive: Option<bool>,
        name: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Needs {
        from: String,
    }

    fn problem<T: DeserializeOwned + std::fmt::Debug>(query: &str) -> (String, String) {
        let failure = parse_query::<T>(query)
            .err()
            .unwrap_or_else(|| unreachable!());
        let error = failure
            .errors
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!());
        (error.field, error.message)
    }

    #[test]
    fn a_parameter_that_cannot_be_read_is_named_with_what_was_sent() {
        let read = parse_query::<Paging>("limit=20&name=Ester+%C3%96berg");
        assert!(matches!(
            read,
            Ok(Paging {
                limit: Some(20),
                ..
            })
        ));
        let cases = [
            ("limit=abc", "limit", "`abc` must be a whole number"),
            ("limit=-1", "limit", "`-1` must be a whole number"),
            ("limit=99999999999", "limit", "`99999999999` is too large"),
            (
                "include_inactive=yes",
                "include_inactive",
                "`yes` must be true or false",
            ),
            ("limit=1&limit=2", "limit", "is given more than once"),
        ];
        for (query, field, message) in cases {
            assert_eq!(
                problem::<Paging>(query),
                (field.into(), message.into()),
                "{query}"
            );
        }
        let (field, message) = problem::<Paging>("limt=5");
        assert_eq!(field, "limt");
        assert!(
            message.starts_with("is not a parameter of this operation (expected one of `limit`"),
            "{message}"
        );
        assert_eq!(problem::<Needs>(""), ("from".into(), "is required".into()));
    }

    #[test]
    fn a_parameter_that_is_not_text_once_decoded_is_named() {
        assert_eq!(unreadable_parameter(""), None);
        assert_eq!(
            unreadable_parameter("name=Ester+%C3%96berg&limit=2&&x"),
            None
        );
        assert_eq!(
            unreadable_parameter("limit=2&user=a%00b").as_deref(),
            Some("query parameter `user` holds the NUL character (%00), which no text may hold")
        );
        assert_eq!(
            unreadable_parameter("name=%FF").as_deref(),
            Some("query parameter `name` is not UTF-8 text once percent-decoded")
        );
        let long = format!("{}%FF=1", "n".repeat(100));
        let problem = unreadable_parameter(&long).unwrap_or_default();
        assert!(
            problem.starts_with("the name of query parameter `nnnn"),
            "{problem}"
        );
        assert!(problem.len() < 120, "{problem}");
        // A literal `%` that is not an escape stays as it is, as form decoding reads it.
        assert_eq!(unreadable_parameter("name=100%"), None);
    }
}
