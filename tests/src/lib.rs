//! Black-box test harness: starts the real SmartCare app on port 0 with a fresh database and
//! speaks HTTP to it.
//!
//! The backend follows `TEST_DATABASE_URL`: unset, every test gets a temporary SQLite file;
//! set to a PostgreSQL URL (an account that may create databases), every test gets a new
//! database there, dropped afterwards. An unreachable `TEST_DATABASE_URL` fails the tests.

// Test support: a failed set-up step should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Write;
use std::sync::Once;
use std::time::Duration;

use actix_web::http::Method;
use api::config::{Config, JwtConfig, JwtKeySource};
use api::startup;
use diesel::{Connection, RunQueryDsl, pg::PgConnection};
use persistence::{DatabaseUrl, PoolSettings};
use serde_json::{Value, json};

pub const ISSUER: &str = "https://idp.test.region";
pub const AUDIENCE: &str = "smartcare-api";
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";
/// The browser origin the test app allows (CORS).
pub const CORS_ORIGIN: &str = "https://vard.example.se";

static ANNOUNCE: Once = Once::new();

/// A database that exists for one test.
pub enum TestDatabase {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDatabase {
    pub fn create() -> Self {
        match std::env::var(TEST_DATABASE_URL)
            .ok()
            .filter(|v| !v.is_empty())
        {
            None => {
                announce("SQLite (TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped)");
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("smartcare.db").display());
                TestDatabase::Sqlite { _dir: dir, url }
            }
            Some(admin_url) => {
                announce("PostgreSQL (TEST_DATABASE_URL)");
                let name = format!("smartcare_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but unusable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let url = with_database(&admin_url, &name);
                TestDatabase::Postgres {
                    admin_url,
                    name,
                    url,
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } => url,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDatabase::Postgres { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres {
            admin_url, name, ..
        } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            // Best effort: a database left behind is harmless and named as a test's.
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

fn announce(backend: &str) {
    ANNOUNCE.call_once(|| {
        // Written past the test harness's capture so every run says which backend it covered.
        let _ = writeln!(
            std::io::stderr(),
            "smartcare tests: database backend = {backend}"
        );
    });
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL needs a /database part");
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Asserts the response is a problem+json error with `status` and returns its `type`.
    #[track_caller]
    pub fn assert_problem(&self, status: u16) -> String {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.body["status"], status);
        assert!(
            self.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "problem without detail: {}",
            self.text
        );
        let problem_type = self.body["type"].as_str().unwrap_or_default().to_owned();
        assert!(
            problem_type.starts_with("urn:smartcare:problem:"),
            "{}",
            self.text
        );
        problem_type
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Value {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        &self.body
    }
}

/// The running app and a client for it.
pub struct TestApp {
    pub base_url: String,
    pub secret: String,
    pub database: TestDatabase,
    client: awc::Client,
}

impl TestApp {
    /// Starts the app on a fresh database with HS256 tokens, issuer and audience checks on.
    pub async fn spawn() -> TestApp {
        Self::spawn_with_limit(api::config::DEFAULT_REQUESTS_PER_MINUTE).await
    }

    /// Starts the app allowing each token subject `requests_per_minute`.
    pub async fn spawn_with_limit(requests_per_minute: u32) -> TestApp {
        let secret = format!("test-secret-{}", uuid::Uuid::now_v7().simple());
        Self::start(
            requests_per_minute,
            JwtKeySource::Secret(secret.clone()),
            secret,
        )
        .await
    }

    /// Starts the app with these region agreement settings (HS256 tokens as in `spawn`).
    pub async fn spawn_with_agreement(agreement: domain::discharge::AgreementSettings) -> TestApp {
        let secret = format!("test-secret-{}", uuid::Uuid::now_v7().simple());
        Self::start_with(
            api::config::DEFAULT_REQUESTS_PER_MINUTE,
            JwtKeySource::Secret(secret.clone()),
            secret,
            agreement,
        )
        .await
    }

    /// The agreement the test apps run with unless a test says otherwise: the county's
    /// defaults with daily rates for 2026 and 2027.
    pub fn test_agreement() -> domain::discharge::AgreementSettings {
        domain::discharge::AgreementSettings {
            daily_rate_by_year: [(2026, 9_000), (2027, 9_400)].into(),
            ..Default::default()
        }
    }

    /// Starts the app verifying tokens with the RS256 or ES256 public key in `path`, as in
    /// production; [`TestApp::sign`] then makes tokens it refuses.
    pub async fn spawn_with_public_key(path: &std::path::Path) -> TestApp {
        Self::start(
            api::config::DEFAULT_REQUESTS_PER_MINUTE,
            JwtKeySource::PublicKeyFile(path.to_owned()),
            String::new(),
        )
        .await
    }

    async fn start(requests_per_minute: u32, key: JwtKeySource, secret: String) -> TestApp {
        Self::start_with(requests_per_minute, key, secret, Self::test_agreement()).await
    }

    async fn start_with(
        requests_per_minute: u32,
        key: JwtKeySource,
        secret: String,
        agreement: domain::discharge::AgreementSettings,
    ) -> TestApp {
        let database = TestDatabase::create();
        let config = Config {
            database_url: DatabaseUrl::parse(database.url()).expect("test database url"),
            bind: "127.0.0.1:0".into(),
            jwt: JwtConfig {
                key,
                issuer: Some(ISSUER.into()),
                audience: Some(AUDIENCE.into()),
                leeway: Duration::from_secs(api::config::DEFAULT_JWT_LEEWAY_SECS),
                hsa_id_claim: api::config::DEFAULT_HSA_ID_CLAIM.into(),
            },
            pool: PoolSettings {
                max_size: 4,
                acquire_timeout: Duration::from_secs(3),
            },
            workers: 1,
            agreement,
            requests_per_minute: std::num::NonZeroU32::new(requests_per_minute)
                .expect("a positive limit"),
            cors_origins: vec![CORS_ORIGIN.into()],
            reserve_numbers: Default::default(),
        };
        let state = startup::prepare(&config).expect("prepare app");
        let listener = startup::bind(&config).expect("bind");
        let port = listener.local_addr().expect("address").port();
        let server = startup::serve(state, listener, 1).expect("serve");
        actix_web::rt::spawn(server);
        let client = awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .disable_redirects()
            .finish();
        TestApp {
            base_url: format!("http://127.0.0.1:{port}"),
            secret,
            database,
            client,
        }
    }

    /// The number `query` (one `SELECT count(*) …` in SQL both backends speak) counts in the
    /// app's database: for what the API never shows, such as a value that must be erased.
    pub fn count(&self, query: &str) -> i64 {
        use diesel::RunQueryDsl;
        let mut connection = DatabaseUrl::parse(self.database.url())
            .expect("url")
            .connect()
            .expect("connect");
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "({query})"
        )))
        .get_result(&mut connection)
        .expect("count")
    }

    /// Starts the app with the demo directory loaded.
    pub async fn spawn_with_demo() -> TestApp {
        let app = Self::spawn().await;
        let mut connection = DatabaseUrl::parse(app.database.url())
            .expect("url")
            .connect()
            .expect("connect");
        assert!(
            api::demo::load_if_empty(&mut connection, &Self::test_agreement()).expect("demo data")
        );
        app
    }

    /// A connection that makes writes wait until it runs `COMMIT;`: on SQLite it holds the
    /// write lock, on PostgreSQL an exclusive lock on `table`.
    pub fn hold_writes_to(&self, table: &str) -> persistence::DbConnection {
        use diesel::connection::SimpleConnection;
        let mut holder = DatabaseUrl::parse(self.database.url())
            .expect("url")
            .connect()
            .expect("connect");
        let lock = if self.database.is_postgres() {
            format!("BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;")
        } else {
            "BEGIN EXCLUSIVE;".to_owned()
        };
        holder.batch_execute(&lock).expect("lock");
        holder
    }

    /// Signs `claims` with the app's secret (HS256).
    pub fn sign(&self, claims: &Value) -> String {
        let key = jsonwebtoken::EncodingKey::from_secret(self.secret.as_bytes());
        jsonwebtoken::encode(&jsonwebtoken::Header::default(), claims, &key).expect("sign")
    }

    /// Valid claims for `role`, to adjust in auth tests.
    pub fn claims(&self, role: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({ "sub": format!("test-{role}"), "roles": [role], "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600 })
    }

    /// A valid token for `role`.
    pub fn token(&self, role: &str) -> String {
        self.sign(&self.claims(role))
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> TestResponse {
        let raw = body.map(|b| b.to_string());
        let content_type = raw.as_ref().map(|_| ("content-type", "application/json"));
        self.send(
            method,
            path,
            token,
            &[headers, content_type.as_slice()].concat(),
            raw.map(String::into_bytes),
        )
        .await
    }

    /// Sends raw bytes with exactly the given headers.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> TestResponse {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base_url));
        if let Some(token) = token {
            request = request.insert_header(("authorization", format!("Bearer {token}")));
        }
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let mut response = match body {
            Some(body) => request.send_body(body).await,
            None => request.send().await,
        }
        .expect("request sent");
        let bytes = response
            .body()
            .limit(16 * 1024 * 1024)
            .await
            .expect("response body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        TestResponse {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.request(Method::GET, path, Some(token), &[], None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.request(Method::POST, path, Some(token), &[], Some(body))
            .await
    }

    pub async fn patch(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> TestResponse {
        let headers: Vec<(&str, &str)> =
            if_match.map(|tag| ("if-match", tag)).into_iter().collect();
        self.request(Method::PATCH, path, Some(token), &headers, Some(body))
            .await
    }

    /// A token for `role` working at `unit` (a care unit as returned by the API).
    pub fn staff_token(&self, role: &str, unit: &Value) -> String {
        let mut claims = self.claims(role);
        claims["sub"] = json!(format!(
            "{role}@{}",
            unit["name"].as_str().unwrap_or("unit")
        ));
        claims["unit"] = unit["id"].clone();
        claims["org"] = unit["organization_id"].clone();
        self.sign(&claims)
    }

    /// A token for Esther herself.
    pub fn person_token(&self, person_id: &str) -> String {
        let mut claims = self.claims("person");
        claims["sub"] = json!(format!("person-{person_id}"));
        claims["person"] = json!(person_id);
        self.sign(&claims)
    }

    /// Creates an organization as admin and returns it.
    pub async fn create_organization(
        &self,
        name: &str,
        kind: &str,
        hsa_id: &str,
        municipality: Option<&str>,
    ) -> Value {
        let body =
            json!({ "name": name, "kind": kind, "hsa_id": hsa_id, "municipality": municipality });
        self.post("/api/v1/organizations", &self.token("admin"), &body)
            .await
            .assert_status(201)
            .clone()
    }

    /// Creates a care unit as admin and returns it.
    pub async fn create_care_unit(
        &self,
        organization: &Value,
        name: &str,
        kind: &str,
        municipality: &str,
        hsa_id: &str,
    ) -> Value {
        let body = json!({ "name": name, "kind": kind, "organization_id": organization["id"], "municipality": municipality, "hsa_id": hsa_id });
        self.post("/api/v1/care-units", &self.token("admin"), &body)
            .await
            .assert_status(201)
            .clone()
    }
}

/// Today as the server dates things: the business calendar's date (Europe/Stockholm), which is
/// a day ahead of UTC's for an hour or two after Swedish midnight. A test that names "this
/// month" or "this year" takes it from here (the fresh-clone CI of 2026-11-30 ran at 00:10 in
/// Stockholm and, reading UTC's month, looked for December's figures in November).
pub fn today() -> chrono::NaiveDate {
    domain::discharge::stockholm_date(chrono::Utc::now())
}

/// A valid personnummer `YYYYMMDD-NNNC` for a birth date and serial: the check digit is
/// computed (Luhn over `YYMMDDNNN`).
pub fn personnummer(birth_date: &str, serial: &str) -> String {
    let nine = format!("{}{serial}", &birth_date[2..]);
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("{birth_date}-{serial}{}", (10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    #[test]
    fn personnummer_has_the_check_digit() {
        assert_eq!(super::personnummer("19121212", "121"), "19121212-1212");
    }

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
