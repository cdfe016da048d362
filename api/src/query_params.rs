//! Unknown query parameters are refused on every operation (400): lists refuse theirs through
//! their typed queries (`deny_unknown_fields`); an operation whose spec names no query
//! parameter at all is refused here when a query string is sent, so that a misspelt filter is
//! never silently ignored.

use std::collections::HashSet;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::{ApiError, problem_response};

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

/// Middleware: 400 for a query string sent to an operation that takes no query parameter.
pub async fn refuse_unexpected_query(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refused = !request.query_string().is_empty()
        && request
            .app_data::<web::Data<QueryFreeOperations>>()
            .zip(request.match_pattern())
            .is_some_and(|(free, pattern)| free.refuses(request.method().as_str(), &pattern));
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
        let error = ApiError::bad_request(format!(
            "{} {} takes no query parameters; remove {}",
            request.method(),
            request.path(),
            if names.is_empty() {
                "the query string".to_owned()
            } else {
                names.join(", ")
            }
        ));
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
}
