//! Bearer-token authentication: the API is a resource server that verifies JWTs issued
//! elsewhere. The algorithm comes from configuration, never from the token's header.
//!
//! Handlers take [`Caller`] (any authenticated role) or [`Authorized<P>`] (roles allowed by
//! policy `P`) as an argument, so no handler can forget to authenticate.

use std::collections::HashSet;
use std::future::{Ready, ready};
use std::io::Write;
use std::marker::PhantomData;
use std::path::Path;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use domain::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{ConfigError, JwtConfig, JwtKeySource};
use crate::error::ApiError;
use crate::state::AppState;

/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECS: u64 = 30;

/// The claims SmartCare reads and `smartcare token` writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// One audience or several (RFC 7519 §4.1.3); checked by the verifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
}

/// The `aud` claim: a string or an array of strings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Who is calling, as proven by a verified token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub subject: String,
    pub roles: Vec<Role>,
    pub organization: Option<Uuid>,
    pub unit: Option<Uuid>,
    pub person: Option<Uuid>,
}

impl Caller {
    pub fn has_any(&self, allowed: &[Role]) -> bool {
        self.roles.iter().any(|role| allowed.contains(role))
    }
}

/// Verifies tokens with the configured key and claim rules.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    pub fn new(config: &JwtConfig) -> Result<Self, ConfigError> {
        let (key, algorithm) = match &config.key {
            JwtKeySource::Secret(secret) => (
                DecodingKey::from_secret(secret.as_bytes()),
                Algorithm::HS256,
            ),
            JwtKeySource::DevKeyFile(path) => (
                DecodingKey::from_secret(&load_or_create_dev_key(path)?),
                Algorithm::HS256,
            ),
            JwtKeySource::PublicKeyFile(path) => public_key(path)?,
        };
        let mut validation = Validation::new(algorithm);
        validation.algorithms = vec![algorithm];
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        let mut required: HashSet<String> = HashSet::from(["exp".to_owned()]);
        match &config.issuer {
            Some(issuer) => {
                validation.set_issuer(&[issuer]);
                required.insert("iss".to_owned());
            }
            None => validation.iss = None,
        }
        match &config.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.insert("aud".to_owned());
            }
            None => validation.validate_aud = false,
        }
        validation.required_spec_claims = required;
        Ok(Self { key, validation })
    }

    /// The caller a token proves, or why it proves nothing.
    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        use jsonwebtoken::errors::ErrorKind;
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation).map_err(|e| {
                let reason = match e.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired".to_owned(),
                    ErrorKind::ImmatureSignature => "the token is not valid yet".to_owned(),
                    ErrorKind::InvalidIssuer => "the token's issuer is not accepted".to_owned(),
                    ErrorKind::InvalidAudience => "the token's audience is not this API".to_owned(),
                    ErrorKind::InvalidAlgorithm => {
                        "the token's algorithm is not accepted".to_owned()
                    }
                    ErrorKind::InvalidSignature => "the token's signature is invalid".to_owned(),
                    ErrorKind::MissingRequiredClaim(claim) => {
                        format!("the token lacks the `{claim}` claim")
                    }
                    _ => "the token is malformed or not verifiable".to_owned(),
                };
                ApiError::Unauthorized(reason)
            })?;
        caller_from_claims(data.claims)
    }
}

fn caller_from_claims(claims: Claims) -> Result<Caller, ApiError> {
    let id_claim = |name: &str, value: Option<String>| {
        value
            .map(|text| {
                Uuid::parse_str(&text).map_err(|_| {
                    ApiError::Unauthorized(format!("the token's `{name}` claim is not a UUID"))
                })
            })
            .transpose()
    };
    if claims.sub.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "the token's `sub` claim is empty".into(),
        ));
    }
    // Roles this API does not know are ignored: identity providers add their own.
    let roles = claims
        .roles
        .iter()
        .filter_map(|role| Role::parse(role).ok())
        .collect();
    Ok(Caller {
        subject: claims.sub,
        roles,
        organization: id_claim("org", claims.org)?,
        unit: id_claim("unit", claims.unit)?,
        person: id_claim("person", claims.person)?,
    })
}

/// Reads an RS256 or ES256 public key; the algorithm follows the key type.
fn public_key(path: &Path) -> Result<(DecodingKey, Algorithm), ConfigError> {
    let variable = "SMARTCARE_JWT_PUBLIC_KEY_FILE";
    let pem = std::fs::read(path)
        .map_err(|e| ConfigError::new(variable, format!("cannot read {}: {e}", path.display())))?;
    if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
        return Ok((key, Algorithm::RS256));
    }
    if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
        return Ok((key, Algorithm::ES256));
    }
    Err(ConfigError::new(
        variable,
        format!(
            "{} is not an RSA or P-256 public key in PEM",
            path.display()
        ),
    ))
}

/// Length of the generated development key.
const DEV_KEY_BYTES: usize = 32;

/// Reads the development key file, creating it with a random key (mode 0600) on first use.
pub fn load_or_create_dev_key(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let variable = "SMARTCARE_DEV_KEY_FILE";
    let error = |what: &str, e: std::io::Error| {
        ConfigError::new(variable, format!("{what} {}: {e}", path.display()))
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            let mut key = [0u8; DEV_KEY_BYTES];
            getrandom::fill(&mut key)
                .map_err(|e| ConfigError::new(variable, format!("no randomness: {e}")))?;
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            file.write_all(hex.as_bytes())
                .map_err(|e| error("cannot write", e))?;
            log::warn!(
                "development setup: created a random token key in {}; set SMARTCARE_JWT_SECRET or SMARTCARE_JWT_PUBLIC_KEY_FILE in production",
                path.display()
            );
            Ok(hex.into_bytes())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let key = std::fs::read_to_string(path).map_err(|e| error("cannot read", e))?;
            let key = key.trim();
            if key.len() < DEV_KEY_BYTES {
                return Err(ConfigError::new(
                    variable,
                    format!(
                        "{} holds no usable key; delete it to get a new one",
                        path.display()
                    ),
                ));
            }
            Ok(key.as_bytes().to_vec())
        }
        Err(e) => Err(error("cannot create", e)),
    }
}

/// What `smartcare token` puts in a token.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub subject: String,
    pub roles: Vec<Role>,
    pub organization: Option<Uuid>,
    pub unit: Option<Uuid>,
    pub person: Option<Uuid>,
    pub ttl: Duration,
}

/// Signs a token the server configured with `config` accepts (HS256 set-ups only: with a
/// public key, tokens come from the identity provider that holds the private key).
pub fn sign_token(config: &JwtConfig, request: &TokenRequest) -> Result<String, ConfigError> {
    let secret = match &config.key {
        JwtKeySource::Secret(secret) => secret.as_bytes().to_vec(),
        JwtKeySource::DevKeyFile(path) => load_or_create_dev_key(path)?,
        JwtKeySource::PublicKeyFile(_) => {
            return Err(ConfigError::new(
                "SMARTCARE_JWT_PUBLIC_KEY_FILE",
                "the server verifies tokens with a public key, so only the identity provider holding the private key can sign them",
            ));
        }
    };
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(request.ttl.as_secs()).unwrap_or(i64::MAX / 2);
    let claims = Claims {
        sub: request.subject.clone(),
        roles: request
            .roles
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        org: request.organization.map(|id| id.to_string()),
        unit: request.unit.map(|id| id.to_string()),
        person: request.person.map(|id| id.to_string()),
        iss: config.issuer.clone(),
        aud: config.audience.clone().map(Audience::One),
        exp: now.saturating_add(ttl),
        iat: Some(now),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&secret),
    )
    .map_err(|e| ConfigError::new("SMARTCARE_JWT_SECRET", format!("cannot sign: {e}")))
}

fn authenticate(request: &HttpRequest) -> Result<Caller, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state is not configured".into()))?;
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("send Authorization: Bearer <token>".into()))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
        })?;
    let caller = state.verifier.verify(token)?;
    state.limits.admit(&caller.subject)?;
    Ok(caller)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(request))
    }
}

/// A rule naming the roles allowed to do something.
pub trait Policy {
    const ALLOWED: &'static [Role];
    /// What the caller is refused, for the 403 message.
    const ACTION: &'static str;
}

/// Writes to the care network's directory.
pub struct ManageDirectory;

impl Policy for ManageDirectory {
    const ALLOWED: &'static [Role] = &[Role::Admin];
    const ACTION: &'static str = "change the directory";
}

/// Reads and writes of a person's record (further limited per record by `domain::access`).
pub struct PersonalData;

impl Policy for PersonalData {
    const ALLOWED: &'static [Role] = domain::access::PERSONAL_DATA_ROLES;
    const ACTION: &'static str = "access personal data";
}

/// Registering a person at the caller's unit.
pub struct RegisterPersons;

impl Policy for RegisterPersons {
    const ALLOWED: &'static [Role] = &[Role::Clinician, Role::Coordinator];
    const ACTION: &'static str = "register persons";
}

/// Opening a record in an emergency.
pub struct EmergencyAccess;

impl Policy for EmergencyAccess {
    const ALLOWED: &'static [Role] = domain::access::EMERGENCY_ACCESS_ROLES;
    const ACTION: &'static str = "open records in an emergency";
}

/// Reviewing the access log of the whole service.
pub struct ReviewAccessLog;

impl Policy for ReviewAccessLog {
    const ALLOWED: &'static [Role] = &[Role::Admin];
    const ACTION: &'static str = "review the access log";
}

/// An authenticated caller holding a role that policy `P` allows.
pub struct Authorized<P: Policy> {
    pub caller: Caller,
    policy: PhantomData<P>,
}

impl<P: Policy> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(request).and_then(|caller| {
            if caller.has_any(P::ALLOWED) {
                Ok(Self {
                    caller,
                    policy: PhantomData,
                })
            } else {
                let allowed: Vec<&str> = P::ALLOWED.iter().map(|r| r.as_str()).collect();
                Err(ApiError::Forbidden(format!(
                    "only the role(s) {} may {}",
                    allowed.join(", "),
                    P::ACTION
                )))
            }
        }))
    }
}
