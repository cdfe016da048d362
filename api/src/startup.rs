//! Start-up: connect, migrate, build the shared state, and serve.

use std::net::TcpListener;

use crate::conditional::answer_not_modified;
use crate::json_body::{BodyShapes, require_json_object};
use crate::query_params::{QueryFreeOperations, refuse_unexpected_query};
use actix_cors::{Cors, CorsError};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::middleware::{Condition, DefaultHeaders, Logger, from_fn};
use actix_web::{App, HttpServer, web};
use persistence::audit::AuditWriter;
use persistence::connection::{build_pool, run_migrations};
use persistence::{DbConnection, settings};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::TokenVerifier;
use crate::config::{Config, ConfigError};
use crate::error::{
    ApiError, json_error, path_error, problem_instance, problem_response, route_not_found,
};
use crate::pagination::{CURSOR_KEY_SETTING, CursorCodec, new_cursor_key};
use crate::request_id::assign_request_id;
use crate::routes;
use crate::state::AppState;

/// Largest accepted request body.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// Time in-flight requests get to finish on SIGTERM/SIGINT.
const SHUTDOWN_TIMEOUT_SECS: u64 = 10;
/// How long a client may take to send a request's head. A client that sends it slowly or never
/// (slowloris) is answered 408 and disconnected then, so idle sockets cannot pile up.
pub const CLIENT_REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why the service could not start; one line, naming what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("DATABASE_URL: {0}")]
    Database(String),
    #[error("SMARTCARE_BIND: {0}")]
    Bind(std::io::Error),
}

impl From<persistence::PersistenceError> for StartupError {
    fn from(error: persistence::PersistenceError) -> Self {
        StartupError::Database(error.to_string())
    }
}

/// Opens one connection to the configured database, reporting the driver's own error.
pub fn connect(config: &Config) -> Result<DbConnection, StartupError> {
    config
        .database_url
        .connect()
        .map_err(|e| StartupError::Database(format!("cannot connect: {e}")))
}

/// Connects, applies pending migrations, and builds the state every request shares.
pub fn prepare(config: &Config) -> Result<web::Data<AppState>, StartupError> {
    let mut connection = connect(config)?;
    let applied = run_migrations(&mut connection)?;
    if !applied.is_empty() {
        log::info!("applied migrations: {}", applied.join(", "));
    }
    let filled = persistence::persons::fill_name_sort_keys(&mut connection)?;
    if filled > 0 {
        log::info!("computed the name sort key of {filled} person(s)");
    }
    let cursor_key = settings::get_or_init(&mut connection, CURSOR_KEY_SETTING, new_cursor_key)?;
    let verifier = TokenVerifier::new(&config.jwt)?;
    let pool = build_pool(&config.database_url, config.pool);
    let audit = AuditWriter::start(config.database_url.clone())
        .map_err(|e| StartupError::Database(format!("cannot start the access-log writer: {e}")))?;
    Ok(web::Data::new(AppState {
        pool,
        audit,
        records: Default::default(),
        units: Default::default(),
        unit_sizes: Default::default(),
        cors_origins: config.cors_origins.clone(),
        admission: crate::db::Admission::for_pool(config.pool.max_size),
        limits: crate::rate_limit::CallerLimits::per_minute(config.requests_per_minute),
        imports: tokio::sync::Semaphore::new(routes::persons::import::MAX_CONCURRENT_IMPORTS),
        agreement: config.agreement.clone(),
        reserve_numbers: config.reserve_numbers.clone(),
        verifier,
        cursors: CursorCodec::new(cursor_key.as_bytes()),
    }))
}

/// The methods a browser page may use across origins.
const CORS_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// CORS for browser frontends at `origins` (RFC 6454 origins, `SMARTCARE_CORS_ORIGINS`):
/// preflights answered with the methods and request headers the API uses; `ETag`, `Location`,
/// `Retry-After` and `x-request-id` readable by the page. No cookies are used, so no
/// credentials are allowed.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(CORS_METHODS)
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(600)
}

/// Middleware outside [`cors`]: its refusals (an origin not configured, a method or request
/// header not allowed), which actix-cors answers as a plain-text 400, as problem+json like
/// every other error (RFC 9457), saying what was refused.
async fn cors_refusal_as_problem(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut response = next.call(request).await?.map_into_boxed_body();
    if response.response().error().is_none() {
        // A preflight actix-cors allowed is answered by it, not by the routes inside the
        // DefaultHeaders: give it their no-store and nosniff as well (the browser keeps a
        // preflight by `Access-Control-Max-Age`, which `Cache-Control` does not affect).
        let headers = response.headers_mut();
        for (name, value) in [
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ] {
            if !headers.contains_key(&name) {
                headers.insert(name, HeaderValue::from_static(value));
            }
        }
        return Ok(response);
    }
    let asked = |name: &str| {
        let value = response.request().headers().get(name);
        let value = value.and_then(|v| v.to_str().ok()).unwrap_or_default();
        domain::cut(value.to_owned(), 200)
    };
    let refusal = match response
        .response()
        .error()
        .and_then(|error| error.as_error::<CorsError>())
    {
        None => return Ok(response),
        Some(CorsError::OriginNotAllowed) => {
            format!(
                "CORS: {} (see SMARTCARE_CORS_ORIGINS)",
                CorsError::OriginNotAllowed
            )
        }
        Some(CorsError::MethodNotAllowed) => format!(
            "CORS: method `{}` is not allowed (allowed: {CORS_METHODS:?})",
            asked("access-control-request-method")
        ),
        Some(CorsError::HeadersNotAllowed) => format!(
            "CORS: request headers `{}` are not all allowed (allowed: authorization, \
             content-type, if-match, if-none-match)",
            asked("access-control-request-headers")
        ),
        Some(refusal) => format!("CORS: {refusal}"),
    };
    let (request, _) = response.into_parts();
    let mut problem = problem_response(&ApiError::bad_request(refusal), None);
    // As the inner DefaultHeaders would have added, had the refusal passed through them.
    let headers = problem.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(ServiceResponse::new(request, problem))
}

/// Binds the configured address.
pub fn bind(config: &Config) -> Result<TcpListener, StartupError> {
    TcpListener::bind(&config.bind).map_err(StartupError::Bind)
}

/// The HTTP server on `listener`; it shuts down gracefully on SIGTERM and SIGINT.
pub fn serve(
    state: web::Data<AppState>,
    listener: TcpListener,
    workers: usize,
) -> std::io::Result<Server> {
    let spec = crate::spec::openapi();
    let spec_json = serde_json::to_value(&spec).unwrap_or_default();
    let query_free = web::Data::new(QueryFreeOperations::from_spec(&spec_json));
    let body_shapes = web::Data::new(BodyShapes::from_spec(&spec_json));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(query_free.clone())
            .app_data(body_shapes.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(BODY_LIMIT_BYTES)
                    .error_handler(json_error),
            )
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(web::PayloadConfig::new(BODY_LIMIT_BYTES))
            .wrap(from_fn(problem_instance))
            .wrap(from_fn(answer_not_modified))
            .wrap(from_fn(require_json_object))
            .wrap(from_fn(refuse_unexpected_query))
            // Health data: no response is stored by a browser or a proxy (a resource that wants
            // caching, like a calendar feed, sets its own Cache-Control), and no response is
            // sniffed as another type than it says — the refusals of the middleware above
            // included.
            .wrap(
                DefaultHeaders::new()
                    .add((header::CACHE_CONTROL, "no-store"))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
            )
            .wrap(Condition::new(
                !state.cors_origins.is_empty(),
                cors(&state.cors_origins),
            ))
            .wrap(from_fn(cors_refusal_as_problem))
            .wrap(from_fn(assign_request_id))
            .wrap(
                Logger::new("%a \"%{request_line}xi\" %s %b %Dms request_id=%{x-request-id}o")
                    .custom_request_replace("request_line", |request| {
                        logged_request_line(
                            request.method().as_str(),
                            &request.uri().to_string(),
                            request.version(),
                        )
                    }),
            )
            .configure(routes::configure)
            .service(web::redirect("/docs", "/docs/"))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", spec.clone()))
            .default_service(web::to(route_not_found))
    })
    .workers(workers)
    .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
    .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The request line as the access log writes it (`%r`), with a calendar feed's secret left
/// out: the secret is the feed's only credential (stored hashed, decision record 0021), and a
/// log line must not be a way to subscribe to someone's calendar.
fn logged_request_line(method: &str, uri: &str, version: actix_web::http::Version) -> String {
    // However the path is spelled (`//feeds/…`, `/x/../feeds/…`, `/%66eeds/…`).
    let uri = if percent_decoded(uri)
        .to_ascii_lowercase()
        .contains("/feeds/")
    {
        "/feeds/<secret>.ics"
    } else {
        uri
    };
    format!("{method} {uri} {version:?}")
}

/// `text` with its `%XX` escapes decoded (bytes that are not UTF-8 become U+FFFD).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod log_tests {
    use actix_web::http::Version;

    use super::logged_request_line;

    #[test]
    fn a_feed_secret_never_reaches_the_log() {
        assert_eq!(
            logged_request_line("GET", "/feeds/UhDkpA_abcdefThA.ics", Version::HTTP_11),
            "GET /feeds/<secret>.ics HTTP/1.1"
        );
        for spelled in [
            "//feeds/s3cr3t.ics",
            "/api/v1/../feeds/s3cr3t.ics",
            "/%66eeds/s3cr3t.ics",
            "/%46EEDS/s3cr3t.ics",
        ] {
            let line = logged_request_line("GET", spelled, Version::HTTP_11);
            assert!(!line.contains("s3cr3t"), "{line}");
        }
        assert_eq!(
            logged_request_line("DELETE", "/api/v1/calendar-feeds/7", Version::HTTP_11),
            "DELETE /api/v1/calendar-feeds/7 HTTP/1.1"
        );
        assert_eq!(
            logged_request_line("GET", "/api/v1/meetings?limit=5", Version::HTTP_11),
            "GET /api/v1/meetings?limit=5 HTTP/1.1"
        );
    }
}
