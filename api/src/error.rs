//! Error policy: every error leaves as RFC 9457 problem+json with a stable `type` per kind.
//!
//! Client errors (4xx) say what is wrong. Server errors (5xx) say only that something failed;
//! their cause is logged with the request id by [`crate::request_id`] and never sent, so no
//! SQL, file path or panic text reaches a client.
//!
//! One status per condition: a write whose version guard fails (someone else changed the
//! record since the client's `If-Match`) is 412; a write to a record no longer in a state that
//! allows it (already ended, answered, retracted; the case moved on) is 409, whether the
//! handler or the write's guard finds it.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use domain::access::{EmergencyAccessRefused, WorklistRefused};
use domain::discharge::{AnswerRefused, RetractRefused, SendRefused, WardRefused};
use openapi::{FieldError, PROBLEM_CONTENT_TYPE, Problem, ValidationFailed};
use persistence::PersistenceError;

/// Seconds a client should wait before retrying when the database is unavailable.
const RETRY_AFTER_SECS: &str = "2";

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// Unreadable body, bad path or query parameter, bad cursor; optionally per field.
    #[error("{detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// The body parsed but breaks rules; one entry per field.
    #[error("the request breaks {} rule(s)", .0.len())]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// A conflict with one of her open coordination cases, named by id to a caller who may
    /// see it (the problem's `case_id`).
    #[error("{0}")]
    CaseConflict(domain::discharge::CaseConflict),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request's `Accept` accepts none of the media types the operation answers in.
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("too many requests; retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database cannot be reached; the cause is logged, not sent.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Too many requests are already waiting for the database: refused at once rather than
    /// queued without bound.
    #[error("at capacity: {0}")]
    AtCapacity(String),
    /// A fault on our side; the cause is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// A query string whose parameters break rules.
    pub fn invalid_query(failure: ValidationFailed) -> Self {
        ApiError::BadRequest {
            detail: "invalid query parameters".into(),
            errors: failure.errors,
        }
    }

    /// One field of the body names something that does not exist or cannot be used.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// (stable type slug, title) of each kind.
    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => ("forbidden", "Not allowed"),
            ApiError::NotFound(_) => ("not-found", "Not found"),
            ApiError::BadRequest { .. } => ("bad-request", "The request is malformed"),
            ApiError::Validation(_) => ("validation-failed", "The request is not valid"),
            ApiError::Conflict(_) | ApiError::CaseConflict(_) => {
                ("conflict", "Conflicts with the current state")
            }
            ApiError::PreconditionFailed(_) => ("precondition-failed", "The resource has changed"),
            ApiError::PreconditionRequired(_) => ("precondition-required", "If-Match is required"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "The request body is too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported content type")
            }
            ApiError::NotAcceptable(_) => ("not-acceptable", "No acceptable media type"),
            ApiError::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            ApiError::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            ApiError::Unavailable(_) => ("service-unavailable", "Service temporarily unavailable"),
            ApiError::AtCapacity(_) => ("at-capacity", "Server at capacity"),
            ApiError::Internal(_) => ("internal-error", "Internal server error"),
        }
    }

    /// The problem body; `instance` is the request path when known.
    pub fn to_problem(&self, instance: Option<String>) -> Problem {
        let (slug, title) = self.kind();
        let detail = match self {
            ApiError::Unavailable(_) => "the database is unavailable; try again shortly".to_owned(),
            ApiError::Internal(_) => {
                "an unexpected error occurred; quote the x-request-id header when reporting it"
                    .to_owned()
            }
            ApiError::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                format!("invalid field(s): {}", fields.join(", "))
            }
            // A detail may quote what was sent (a path, a field name): never all of it.
            other => domain::cut(other.to_string(), domain::MAX_MESSAGE_CHARS),
        };
        let errors = match self {
            ApiError::Validation(errors) | ApiError::BadRequest { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("urn:smartcare:problem:{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            // A path longer than any the API issues is left out rather than echoed whole.
            instance: instance.filter(|path| path.len() <= MAX_INSTANCE_BYTES),
            errors,
            case_id: match self {
                ApiError::CaseConflict(conflict) => conflict.case_id,
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) | ApiError::CaseConflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::AtCapacity(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        problem_response(self, None)
    }
}

/// Longest request path given back as a problem's `instance` (RFC 9457 §3.1.5, optional): the
/// API's own paths are far shorter; a longer one (20 KB of path id) is not echoed.
const MAX_INSTANCE_BYTES: usize = 2_048;

/// Renders `error` as problem+json, with `instance` when the request is at hand (and at most
/// [`MAX_INSTANCE_BYTES`] long).
pub fn problem_response(error: &ApiError, instance: Option<String>) -> HttpResponse {
    let mut response = HttpResponse::build(error.status_code());
    response.insert_header((
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    ));
    match error {
        ApiError::Unauthorized(_) => {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        ApiError::Unavailable(_) | ApiError::AtCapacity(_) => {
            response.insert_header((
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            ));
        }
        ApiError::TooManyRequests { retry_after_secs } => {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        _ => {}
    }
    response.json(error.to_problem(instance))
}

impl From<domain::discharge::CaseConflict> for ApiError {
    fn from(conflict: domain::discharge::CaseConflict) -> Self {
        ApiError::CaseConflict(conflict)
    }
}

impl From<PersistenceError> for ApiError {
    fn from(error: PersistenceError) -> Self {
        match error {
            PersistenceError::Unavailable(cause) => ApiError::Unavailable(cause),
            PersistenceError::UniqueViolation {
                column: Some(column),
                ..
            } => ApiError::Conflict(format!("another record already has this {column}")),
            PersistenceError::UniqueViolation { column: None, .. } => {
                ApiError::Conflict("another record already has one of these unique values".into())
            }
            PersistenceError::ForeignKeyViolation(_) => {
                ApiError::Conflict("a record this one refers to no longer exists".into())
            }
            PersistenceError::VersionMismatch => ApiError::PreconditionFailed(
                "the resource was changed by someone else; read it again".into(),
            ),
            PersistenceError::StateConflict => ApiError::Conflict(
                "the record is no longer in a state that allows this change; read it again".into(),
            ),
            PersistenceError::UnstorableText(_) => ApiError::bad_request(
                "a text value holds the NUL character (U+0000), which no text may hold; remove it",
            ),
            other @ (PersistenceError::Corrupt(_) | PersistenceError::Query(_)) => {
                ApiError::Internal(other.to_string())
            }
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        PersistenceError::from(error).into()
    }
}

impl From<domain::InvalidValue> for ApiError {
    fn from(invalid: domain::InvalidValue) -> Self {
        ApiError::invalid_field(invalid.field.unwrap_or("body"), invalid.message)
    }
}

impl From<domain::meeting::MeetingRuleError> for ApiError {
    fn from(error: domain::meeting::MeetingRuleError) -> Self {
        match error {
            domain::meeting::MeetingRuleError::Invalid(invalid) => invalid.into(),
            domain::meeting::MeetingRuleError::State(reason) => ApiError::Conflict(reason),
            domain::meeting::MeetingRuleError::NotAllowed(reason) => ApiError::Forbidden(reason),
        }
    }
}

impl From<domain::improvement::ImprovementRuleError> for ApiError {
    fn from(error: domain::improvement::ImprovementRuleError) -> Self {
        match error {
            domain::improvement::ImprovementRuleError::Invalid(invalid) => invalid.into(),
            domain::improvement::ImprovementRuleError::State(reason) => ApiError::Conflict(reason),
        }
    }
}

impl From<SendRefused> for ApiError {
    fn from(refused: SendRefused) -> Self {
        match refused {
            SendRefused::IllegalTransition(illegal) => ApiError::Conflict(illegal.to_string()),
            SendRefused::NotTheWard(refused) => refused.into(),
            fields => ApiError::Validation(
                fields
                    .field_errors()
                    .into_iter()
                    .map(|(field, message)| FieldError {
                        field: field.to_owned(),
                        message,
                    })
                    .collect(),
            ),
        }
    }
}

impl From<WardRefused> for ApiError {
    fn from(refused: WardRefused) -> Self {
        ApiError::Forbidden(refused.to_string())
    }
}

impl From<AnswerRefused> for ApiError {
    fn from(refused: AnswerRefused) -> Self {
        match refused {
            AnswerRefused::NotAddressed(_) => ApiError::NotFound(refused.to_string()),
            AnswerRefused::AlreadyAnswered | AnswerRefused::Retracted => {
                ApiError::Conflict(refused.to_string())
            }
        }
    }
}

impl From<RetractRefused> for ApiError {
    fn from(refused: RetractRefused) -> Self {
        match refused {
            RetractRefused::NotSent { .. } => ApiError::NotFound(refused.to_string()),
            RetractRefused::NotTheSender => ApiError::Forbidden(refused.to_string()),
            RetractRefused::AlreadyRetracted => ApiError::Conflict(refused.to_string()),
        }
    }
}

impl From<EmergencyAccessRefused> for ApiError {
    fn from(refused: EmergencyAccessRefused) -> Self {
        ApiError::Forbidden(refused.to_string())
    }
}

impl From<domain::identity::IdentityChangeRefused> for ApiError {
    fn from(refused: domain::identity::IdentityChangeRefused) -> Self {
        use domain::identity::IdentityChangeRefused as R;
        match refused {
            R::Unchanged => ApiError::invalid_field(
                "personal_number",
                "is already her number; nothing to change",
            ),
            // Her id is not named: the caller may have no access to her record, and the
            // refusal must not be a way to find it. Whoever may see her finds her by the
            // number (`POST /api/v1/persons/search`).
            R::BelongsToAnother { .. } => ApiError::Conflict(
                "the number belongs to another registered person; the two records are not \
                 merged (decision record 0019): find her by the number with \
                 POST /api/v1/persons/search if you may see her, and resolve it there first"
                    .into(),
            ),
        }
    }
}

impl From<WorklistRefused> for ApiError {
    fn from(refused: WorklistRefused) -> Self {
        ApiError::Forbidden(refused.to_string())
    }
}

impl From<ValidationFailed> for ApiError {
    fn from(failure: ValidationFailed) -> Self {
        ApiError::Validation(failure.errors)
    }
}

/// Maps actix's JSON body errors to problems: 415 wrong type, 413 too large, 400 unreadable.
pub fn json_error(
    error: actix_web::error::JsonPayloadError,
    request: &HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api_error = match &error {
        E::ContentType => ApiError::UnsupportedMediaType(
            "the body must be sent as Content-Type: application/json".into(),
        ),
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => {
            ApiError::PayloadTooLarge(format!("the body may be at most {limit} bytes"))
        }
        E::Deserialize(cause) => unreadable_json(cause),
        _ => ApiError::bad_request("the JSON body could not be read"),
    };
    instance_error(api_error, request)
}

/// A JSON body serde could not read as the operation's request, as a 400 whose `errors`
/// names a field missing or unknown, as the query's errors do.
pub fn unreadable_json(cause: &serde_json::Error) -> ApiError {
    let message = openapi::without_type_names(&cause.to_string());
    let named = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        Some(rest.split_once('`')?.0.to_owned())
    };
    let mut errors = openapi::FieldErrors::default();
    if let Some(field) = named("missing field `") {
        errors.push(&field, "is required");
    } else if let Some(field) = named("unknown field `") {
        errors.push(&field, "is not a field of this operation's body");
    }
    ApiError::BadRequest {
        detail: format!("the JSON body is not valid for this operation: {message}"),
        errors: if errors.is_empty() {
            Vec::new()
        } else {
            errors.into_failure().errors
        },
    }
}

/// Maps path parameter errors (an id that is not a UUID) to 400, naming each id of the path
/// that is not a UUID (every path parameter is a UUID but a municipality's `code` and an
/// indicator's `name`, which are text, and a minutes version's `number`).
pub fn path_error(error: actix_web::error::PathError, request: &HttpRequest) -> actix_web::Error {
    let mut errors = openapi::FieldErrors::default();
    for (name, value) in request.match_info().iter() {
        let mut shown: String = value.chars().take(40).collect();
        if shown.len() < value.len() {
            shown.push('…');
        }
        match name {
            "code" | "name" => {}
            // A minutes version's number.
            "number" if value.parse::<u32>().is_err() => {
                errors.push(name, format!("`{shown}` is not a whole number"));
            }
            "number" => {}
            _ if uuid::Uuid::parse_str(value).is_err() => {
                errors.push(name, format!("`{shown}` is not a UUID"));
            }
            _ => {}
        }
    }
    let error = if errors.is_empty() {
        ApiError::bad_request(format!("invalid path parameter: {error}"))
    } else {
        ApiError::BadRequest {
            detail: "invalid path parameters".into(),
            errors: errors.into_failure().errors,
        }
    };
    instance_error(error, request)
}

/// Middleware, innermost: gives the problem a handler answered its `instance`, the request
/// path (RFC 9457 §3.1.5), as the extractors' refusals ([`instance_error`]) and the unrouted
/// paths have it, so every problem the API answers names the request it is about. The error
/// stays attached to the response (the request-id middleware logs a 500's cause from it).
pub async fn problem_instance(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let response = next.call(request).await?.map_into_boxed_body();
    let problem = response
        .response()
        .error()
        .and_then(|error| error.as_error::<ApiError>())
        .map(|error| error.to_problem(Some(response.request().path().to_owned())));
    let Some(body) = problem.and_then(|problem| serde_json::to_vec(&problem).ok()) else {
        return Ok(response);
    };
    Ok(response.map_body(|head, _| {
        head.headers.remove(header::CONTENT_LENGTH);
        actix_web::body::BoxBody::new(body)
    }))
}

pub(crate) fn instance_error(error: ApiError, request: &HttpRequest) -> actix_web::Error {
    let response = problem_response(&error, Some(request.path().to_owned()));
    actix_web::error::InternalError::from_response(error, response).into()
}

/// Answers requests to paths no route serves.
pub async fn route_not_found(request: HttpRequest) -> HttpResponse {
    let error = ApiError::NotFound(format!("no resource at {}", request.path()));
    problem_response(&error, Some(request.path().to_owned()))
}

/// Answers methods a path does not support, naming the ones it does (`Allow`, RFC 9110;
/// `HEAD` wherever `GET` is).
pub async fn method_not_allowed(request: HttpRequest, allowed: &[&str]) -> HttpResponse {
    let mut allowed: Vec<String> = allowed.iter().map(|m| m.to_ascii_uppercase()).collect();
    if allowed.iter().any(|m| m == "GET") {
        allowed.push("HEAD".into());
    }
    let error = ApiError::MethodNotAllowed(format!(
        "{} is not supported on {}; use {}",
        request.method(),
        request.path(),
        allowed.join(", ")
    ));
    let mut response = problem_response(&error, Some(request.path().to_owned()));
    if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}
