//! RFC 9457 problem details: the body of every error response.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error, as RFC 9457 problem details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:smartcare:problem:validation-failed",
    "title": "The request is not valid",
    "status": 422,
    "detail": "1 field is invalid",
    "errors": [{"field": "hsa_id", "message": "an HSA-id is `SE`, a ten-digit organisation number, `-` and a local part of letters and digits, at most 31 characters (e.g. SE2321000057-1003): the `-` is missing"}]
}))]
pub struct Problem {
    /// Stable identifier of the kind of error; clients branch on this, not on `title`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the kind of error.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// One entry per invalid field, for validation errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a 409 that one of her open coordination cases causes (a second case opened while
    /// one is open; a care relationship the case still waits on ended), the case's id, when
    /// the caller may see the case (`GET /api/v1/coordination-cases/{id}`); absent otherwise.
    /// An extension member (RFC 9457 §3.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<uuid::Uuid>,
}

/// What is wrong with one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field's name as sent (`hsa_id`, `limit`).
    pub field: String,
    /// Which rule the value breaks.
    pub message: String,
}
