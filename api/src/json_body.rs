//! Every JSON request body is an object, and so is every value inside it that the spec says is
//! an object. serde reads a struct from a JSON array by position (`["Esther","Andersson",…]`),
//! which the spec does not allow and which no client means; this middleware refuses such a
//! body before any handler reads it, with a 400 that names where an object was expected
//! instead of a Rust type name. Nested values are checked against the operation's request
//! schema in the served spec ([`BodyShapes`]), so a new operation is covered by documenting
//! it. (NDJSON imports check each of their lines themselves.)

use std::collections::HashMap;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::{ApiError, problem_response};

/// An operation's JSON body (`application/json`, at most 64 KiB: actix's `web::Json` and its
/// configuration read it, with their 415, 413 and 400), then read as `T` through
/// `serde_path_to_error`, so a value of the wrong type, a missing or an unknown field is a
/// 400 naming it by its path in `errors` (`points[0].value`, `aim.what`), where serde alone
/// names no field for a wrong type and no parent for a missing one.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(
        request: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let value = value.await?.into_inner();
            serde_path_to_error::deserialize(value)
                .map(Json)
                .map_err(|error| crate::error::instance_error(unreadable_body(&error), &request))
        })
    }
}

/// The problem of a body serde could not read as the operation's request, naming the field
/// by its path.
pub(crate) fn unreadable_body(error: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let message = openapi::without_type_names(&error.inner().to_string());
    let path = error.path().to_string();
    let parent = if path == "." {
        String::new()
    } else {
        format!("{path}.")
    };
    let quoted = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        Some(rest.split_once('`')?.0.to_owned())
    };
    let (field, problem) = if let Some(name) = quoted("missing field `") {
        (format!("{parent}{name}"), "is required".to_owned())
    } else if let Some(name) = quoted("unknown field `") {
        let expected = message
            .split_once(", ")
            .map_or(String::new(), |(_, rest)| format!(" ({rest})"));
        // The path already ends with the unknown key.
        let field = if path == "." { name } else { path.clone() };
        (
            field,
            format!("is not a field of this operation's body{expected}"),
        )
    } else if path == "." {
        ("body".to_owned(), message.clone())
    } else if let Some(problem) = openapi::date_time_problem(&message) {
        (path, problem.to_owned())
    } else {
        (path, message.clone())
    };
    let mut errors = openapi::FieldErrors::default();
    errors.push(&field, problem);
    ApiError::BadRequest {
        detail: format!("the JSON body is not valid for this operation: {message}"),
        errors: errors.into_failure().errors,
    }
}

/// The request-body schema of each operation, (method, path) in the spec's syntax, with the
/// spec's components to resolve `$ref`s.
#[derive(Debug, Clone, Default)]
pub struct BodyShapes {
    bodies: HashMap<(String, String), serde_json::Value>,
    schemas: serde_json::Value,
}

impl BodyShapes {
    /// The JSON request bodies of `spec`'s operations.
    pub fn from_spec(spec: &serde_json::Value) -> Self {
        let mut bodies = HashMap::new();
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
                if !schema.is_null() {
                    bodies.insert((method.clone(), path.clone()), schema.clone());
                }
            }
        }
        Self {
            bodies,
            schemas: spec["components"]["schemas"].clone(),
        }
    }

    /// Where in `body` an object is expected but an array was sent (`actions[0]`,
    /// `participants`), for the operation `method` `pattern`; `None` when the body has none
    /// or the operation takes no JSON body.
    pub fn positional_object(
        &self,
        method: &str,
        pattern: &str,
        body: &serde_json::Value,
    ) -> Option<String> {
        let schema = self
            .bodies
            .get(&(method.to_ascii_lowercase(), pattern.to_owned()))?;
        self.walk(schema, body, String::new(), 0)
    }

    /// Whether the operation `method` `pattern` takes a JSON body in the spec: one that takes
    /// none (an action such as `…/acknowledge`) does not read a body sent to it.
    pub fn takes_json(&self, method: &str, pattern: &str) -> bool {
        self.bodies
            .contains_key(&(method.to_ascii_lowercase(), pattern.to_owned()))
    }

    fn walk(
        &self,
        schema: &serde_json::Value,
        value: &serde_json::Value,
        at: String,
        depth: usize,
    ) -> Option<String> {
        // The spec's schemas nest a few levels; a bound keeps a cyclic `$ref` harmless.
        if depth > 32 {
            return None;
        }
        if let Some(name) = schema["$ref"].as_str() {
            let name = name.trim_start_matches("#/components/schemas/");
            return self.walk(&self.schemas[name], value, at, depth + 1);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for alternative in schema[key].as_array().into_iter().flatten() {
                if let Some(found) = self.walk(alternative, value, at.clone(), depth + 1) {
                    return Some(found);
                }
            }
        }
        let is_object = schema["type"] == "object"
            || schema["type"]
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t == "object"))
            || schema["properties"].is_object();
        match value {
            serde_json::Value::Array(items) if is_object => {
                Some(if at.is_empty() { "the body".into() } else { at })
            }
            serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                self.walk(&schema["items"], item, format!("{at}[{i}]"), depth + 1)
            }),
            serde_json::Value::Object(fields) => fields.iter().find_map(|(name, field)| {
                let property = &schema["properties"][name];
                let at = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                self.walk(property, field, at, depth + 1)
            }),
            _ => None,
        }
    }
}

/// Whether a JSON text is an object: its first character after white space is `{`. An empty
/// body is left to the handler, which says that a body is missing.
pub fn is_object_or_empty(body: &[u8]) -> bool {
    body.iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_none_or(|first| *first == b'{')
}

/// What [`nul_at`] adds to the place of a member name that holds NUL.
const MEMBER_NAME: &str = " (a member name)";

/// Where in `value` a string or a member name holds NUL (U+0000), which PostgreSQL refuses in
/// any text and no field of ours means (`the body`, `members[2].name`); `None` if nowhere.
pub fn nul_at(value: &serde_json::Value, at: &str) -> Option<String> {
    let here = || {
        if at.is_empty() {
            "the body".to_owned()
        } else {
            at.to_owned()
        }
    };
    match value {
        serde_json::Value::String(text) => text.contains('\0').then(here),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_at(item, &format!("{at}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, field)| {
            let inner = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            if name.contains('\0') {
                Some(format!("{}{MEMBER_NAME}", here()))
            } else {
                nul_at(field, &inner)
            }
        }),
        _ => None,
    }
}

/// Middleware: 400 for an `application/json` body that is an array or a single value, or
/// that holds the NUL character in any string ([`nul_at`]), for the operations that take a
/// JSON body ([`BodyShapes::takes_json`]); a body sent to any other is not read.
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
    // An operation that takes no body (per the served spec) leaves one sent unread, whatever
    // it holds or weighs: its answer is as without it, and it documents no 413, 415 or 422.
    let takes_json = request
        .app_data::<web::Data<BodyShapes>>()
        .zip(request.match_pattern())
        .is_none_or(|(shapes, pattern)| shapes.takes_json(request.method().as_str(), &pattern));
    if json && takes_json {
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
        let value = serde_json::from_slice::<serde_json::Value>(&body).ok();
        if let Some(at) = value.as_ref().and_then(|value| nul_at(value, "")) {
            // In a value, a field's rule is broken (422 naming it, as the domain's own text
            // rules do); in a member name, the body names no field of ours (400).
            let message = "must not hold the NUL character (\\u0000), which no text may hold";
            let error = match at.strip_suffix(MEMBER_NAME) {
                Some(within) => {
                    ApiError::bad_request(format!("a member name in `{within}` {message}"))
                }
                None => ApiError::invalid_field(&at, message),
            };
            let response = problem_response(&error, Some(request.path().to_owned()));
            return Ok(request.into_response(response).map_into_right_body());
        }
        let positional = request
            .app_data::<web::Data<BodyShapes>>()
            .zip(request.match_pattern())
            .zip(value)
            .and_then(|((shapes, pattern), value)| {
                shapes.positional_object(request.method().as_str(), &pattern, &value)
            });
        if let Some(at) = positional {
            let error = ApiError::bad_request(format!(
                "`{at}` must be a JSON object (`{{…}}`) with named fields, not an array"
            ));
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

    fn shapes() -> BodyShapes {
        BodyShapes::from_spec(&serde_json::json!({
            "paths": { "/plans/{id}": { "put": { "requestBody": { "content": {
                "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } } } } } },
            "components": { "schemas": {
                "Plan": { "type": "object", "properties": {
                    "goals": { "type": ["string", "null"] },
                    "tags": { "type": "array", "items": { "type": "string" } },
                    "participants": { "oneOf": [
                        { "type": "null" }, { "$ref": "#/components/schemas/Participants" } ] },
                    "actions": { "type": "array", "items": { "$ref": "#/components/schemas/Action" } }
                } },
                "Participants": { "type": "object", "properties": {
                    "staff": { "type": "array", "items": { "type": "string" } } } },
                "Action": { "type": "object", "properties": { "intervention": { "type": "string" } } }
            } }
        }))
    }

    #[test]
    fn a_nul_character_is_found_in_any_string_or_member_name() {
        let find = |body: serde_json::Value| nul_at(&body, "");
        assert_eq!(find(serde_json::json!({ "a": "x", "b": [1, "y"] })), None);
        assert_eq!(
            find(serde_json::json!({ "a": { "b": ["x", "y\u{0}"] } })).as_deref(),
            Some("a.b[1]")
        );
        assert_eq!(
            find(serde_json::json!({ "a": { "k\u{0}": 1 } })).as_deref(),
            Some("a (a member name)")
        );
    }

    #[test]
    fn an_array_where_the_spec_has_an_object_is_found_at_any_depth() {
        let shapes = shapes();
        let find = |body: serde_json::Value| shapes.positional_object("PUT", "/plans/{id}", &body);
        assert_eq!(
            find(serde_json::json!({ "actions": [["walk", "home"]] })).as_deref(),
            Some("actions[0]")
        );
        assert_eq!(
            find(serde_json::json!({ "participants": [["a"]] })).as_deref(),
            Some("participants")
        );
        assert_eq!(find(serde_json::json!(["x"])).as_deref(), Some("the body"));
        for fine in [
            serde_json::json!({ "tags": ["a", "b"], "goals": null }),
            serde_json::json!({ "actions": [{ "intervention": "walk" }], "participants": null }),
            serde_json::json!({ "participants": { "staff": ["x"] }, "unknown": [1] }),
        ] {
            assert_eq!(find(fine.clone()), None, "{fine}");
        }
        assert_eq!(
            shapes.positional_object("POST", "/plans/{id}", &serde_json::json!([1])),
            None
        );
    }

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
