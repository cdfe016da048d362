//! Bearer-token authentication: the API is a resource server that verifies JWTs issued
//! elsewhere. The algorithm comes from configuration, never from the token's header.
//!
//! Handlers take [`Caller`] (any authenticated role) or [`Authorized<P>`] (roles allowed by
//! policy `P`) as an argument, so no handler can forget to authenticate.

use std::collections::HashSet;
use std::future::Future;
use std::io::Write;
use std::marker::PhantomData;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use domain::{HsaId, Role};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{ConfigError, JwtConfig, JwtKeySource};
use crate::error::ApiError;
use crate::state::AppState;
use crate::unit_directory::UnitOrganizations;
use domain::access::check_token_unit;

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
    /// The caller's HSA-id. Its claim name is configured (`SMARTCARE_JWT_HSA_ID_CLAIM`,
    /// default `hsa_id`), so it is read and written by [`Claims::from_token`] and
    /// [`Claims::into_token`], not by serde under a fixed name.
    #[serde(skip)]
    pub hsa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// One audience or several (RFC 7519 §4.1.3); checked by the verifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    /// Expiry, a NumericDate (RFC 7519 §2: seconds since the epoch, fractions allowed); kept
    /// as JSON so that a claim of the wrong type is refused by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<serde_json::Value>,
    /// Not before, a NumericDate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<serde_json::Value>,
    /// Issued at, a NumericDate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<serde_json::Value>,
}

impl Claims {
    /// The claims of a decoded token, the HSA-id read from the claim named `hsa_id_claim`.
    pub fn from_token(
        mut claims: serde_json::Map<String, serde_json::Value>,
        hsa_id_claim: &str,
    ) -> Result<Self, String> {
        let hsa_id = match claims.remove(hsa_id_claim) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(text)) => Some(text),
            Some(_) => {
                return Err(format!(
                    "the token's `{hsa_id_claim}` claim is not a string"
                ));
            }
        };
        let mut claims: Claims =
            serde_path_to_error::deserialize(serde_json::Value::Object(claims))
                .map_err(|e| claim_refusal(&e))?;
        claims.hsa_id = hsa_id;
        Ok(claims)
    }

    /// The claims as a token's JSON object, the HSA-id under the claim named `hsa_id_claim`.
    pub fn into_token(
        self,
        hsa_id_claim: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, String> {
        let hsa_id = self.hsa_id.clone();
        let serde_json::Value::Object(mut claims) =
            serde_json::to_value(self).map_err(|e| e.to_string())?
        else {
            return Err("claims are not a JSON object".into());
        };
        if let Some(hsa_id) = hsa_id {
            claims.insert(hsa_id_claim.to_owned(), hsa_id.into());
        }
        Ok(claims)
    }
}

/// Why a token's claims do not fit [`Claims`], naming the claim: a missing `sub`, or a claim of
/// the wrong JSON type (`sub` a number, `roles` a string instead of an array of strings, …).
/// Never a Rust type name.
fn claim_refusal(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let claim = error.path().iter().find_map(|segment| match segment {
        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
        _ => None,
    });
    match claim {
        Some(claim) => {
            let expected = match claim.as_str() {
                "roles" => "an array of strings",
                "aud" => "a string or an array of strings",
                _ => "a string",
            };
            format!("the token's `{claim}` claim must be {expected}")
        }
        None if error.inner().to_string().contains("`sub`") => {
            "the token lacks the `sub` claim".to_owned()
        }
        None => "the token is malformed or not verifiable".to_owned(),
    }
}

/// Whether the token's JOSE header has a `crit` member: this API understands no extension, so
/// such a token must be refused (RFC 7515 §4.1.11). jsonwebtoken does not look at `crit`.
fn names_critical_extensions(token: &str) -> bool {
    use base64::Engine;
    let Some(header) = token.split('.').next() else {
        return false;
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|header| header.get("crit").is_some())
}

/// Checks the time claims of a token at `now` (seconds since the epoch) with one clock-skew
/// `leeway` (seconds) for all three, RFC 7519 §4.1.4–4.1.6: `exp` is required and must not be
/// more than `leeway` in the past; `nbf` and `iat`, when present, must not be more than
/// `leeway` in the future. All three are NumericDate values, which may have fractions. The
/// error names the claim.
pub fn check_time_claims(claims: &Claims, now: f64, leeway: f64) -> Result<(), String> {
    let numeric_date = |name: &str, value: &Option<serde_json::Value>| match value {
        None => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "the token's `{name}` claim is not a NumericDate (seconds since 1970-01-01 UTC)"
                )
            }),
    };
    let exp = numeric_date("exp", &claims.exp)?
        .ok_or_else(|| "the token lacks the `exp` claim".to_owned())?;
    if exp + leeway < now {
        return Err("the token has expired (`exp` is in the past)".into());
    }
    if numeric_date("nbf", &claims.nbf)?.is_some_and(|nbf| nbf > now + leeway) {
        return Err("the token is not valid yet (`nbf` is in the future)".into());
    }
    if numeric_date("iat", &claims.iat)?.is_some_and(|iat| iat > now + leeway) {
        return Err("the token was issued in the future (`iat` is later than now)".into());
    }
    Ok(())
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
    /// The caller's HSA-id (the configured HSA-id claim), which links her to her staff record.
    pub hsa_id: Option<HsaId>,
}

impl Caller {
    pub fn has_any(&self, allowed: &[Role]) -> bool {
        self.roles.iter().any(|role| allowed.contains(role))
    }

    /// The caller as the one who starts or ends a care relationship: the token's `sub` and
    /// the unit it acts for.
    pub fn actor(&self) -> domain::record::Actor<'_> {
        domain::record::Actor {
            subject: &self.subject,
            unit: self.unit,
        }
    }
}

/// Verifies tokens with the configured key and claim rules.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
    leeway: f64,
    /// The claim carrying the caller's HSA-id.
    hsa_id_claim: String,
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
        // The time claims are checked by `check_time_claims`, the same way for all three.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let mut required: HashSet<String> = HashSet::new();
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
        Ok(Self {
            key,
            validation,
            leeway: config.leeway.as_secs_f64(),
            hsa_id_claim: config.hsa_id_claim.clone(),
        })
    }

    /// The caller a token proves, or why it proves nothing.
    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        use jsonwebtoken::errors::ErrorKind;
        if names_critical_extensions(token) {
            return Err(ApiError::Unauthorized(
                "the token's header names critical extensions (`crit`) this API does not understand".into(),
            ));
        }
        let data = jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(
            token,
            &self.key,
            &self.validation,
        )
        .map_err(|e| {
            let reason = match e.kind() {
                ErrorKind::ExpiredSignature => "the token has expired".to_owned(),
                ErrorKind::ImmatureSignature => "the token is not valid yet".to_owned(),
                ErrorKind::InvalidIssuer => "the token's issuer is not accepted".to_owned(),
                ErrorKind::InvalidAudience => "the token's audience is not this API".to_owned(),
                ErrorKind::InvalidAlgorithm => "the token's algorithm is not accepted".to_owned(),
                ErrorKind::InvalidSignature => "the token's signature is invalid".to_owned(),
                ErrorKind::MissingRequiredClaim(claim) => {
                    format!("the token lacks the `{claim}` claim")
                }
                _ => "the token is malformed or not verifiable".to_owned(),
            };
            ApiError::Unauthorized(reason)
        })?;
        let claims =
            Claims::from_token(data.claims, &self.hsa_id_claim).map_err(ApiError::Unauthorized)?;
        let now = chrono::Utc::now().timestamp_micros() as f64 / 1e6;
        check_time_claims(&claims, now, self.leeway).map_err(ApiError::Unauthorized)?;
        caller_from_claims(claims, &self.hsa_id_claim)
    }
}

fn caller_from_claims(claims: Claims, hsa_id_claim: &str) -> Result<Caller, ApiError> {
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
    let roles: Vec<Role> = claims
        .roles
        .iter()
        .filter_map(|role| Role::parse(role).ok())
        .collect();
    domain::role::check_token_roles(&roles, claims.person.is_some())
        .map_err(|problem| ApiError::Unauthorized(format!("the token is refused: {problem}")))?;
    Ok(Caller {
        subject: claims.sub,
        roles,
        organization: id_claim("org", claims.org)?,
        unit: id_claim("unit", claims.unit)?,
        person: id_claim("person", claims.person)?,
        hsa_id: claims
            .hsa_id
            .map(|text| {
                HsaId::parse(&text).map_err(|_| {
                    ApiError::Unauthorized(format!(
                        "the token's `{hsa_id_claim}` claim is not an HSA-id"
                    ))
                })
            })
            .transpose()?,
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
    /// Written under the configured HSA-id claim.
    pub hsa_id: Option<HsaId>,
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
    // A token the server would refuse is not printed (a review minted `--role person --role
    // admin` and `--role clinician --person X`, and got 401 for them).
    domain::role::check_token_roles(&request.roles, request.person.is_some()).map_err(
        |problem| {
            ConfigError::new(
                "--role",
                format!("the server would refuse this token: {problem}"),
            )
        },
    )?;
    if request.subject.trim().is_empty() {
        return Err(ConfigError::new(
            "--sub",
            "the server would refuse this token: its `sub` claim would be empty",
        ));
    }
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
        hsa_id: request.hsa_id.as_ref().map(|id| id.as_str().to_owned()),
        iss: config.issuer.clone(),
        aud: config.audience.clone().map(Audience::One),
        exp: Some(now.saturating_add(ttl).into()),
        nbf: None,
        iat: Some(now.into()),
    };
    let claims = claims
        .into_token(&config.hsa_id_claim)
        .map_err(|e| ConfigError::new("SMARTCARE_JWT_HSA_ID_CLAIM", format!("cannot sign: {e}")))?;
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&secret),
    )
    .map_err(|e| ConfigError::new("SMARTCARE_JWT_SECRET", format!("cannot sign: {e}")))
}

/// The caller the request's token proves: verified, within its request budget, and with a
/// `unit` that belongs to its `org` in the directory.
fn authenticate(request: &HttpRequest) -> LocalBoxFuture<Result<Caller, ApiError>> {
    let verified = verify_request(request);
    Box::pin(async move {
        let (caller, state) = verified?;
        if let (Some(unit), Some(_)) = (caller.unit, caller.organization) {
            let organization = UnitOrganizations::organization_of(&state, unit).await?;
            check_token_unit(organization, caller.organization)
                .map_err(|mismatch| ApiError::Unauthorized(mismatch.to_string()))?;
        }
        Ok(caller)
    })
}

/// A boxed future run on the request's own worker.
type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// The checks that need nothing but the request: one `Authorization` header, a verified
/// token, the caller's request budget.
fn verify_request(request: &HttpRequest) -> Result<(Caller, web::Data<AppState>), ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("application state is not configured".into()))?;
    let mut values = request.headers().get_all(header::AUTHORIZATION);
    let value = values
        .next()
        .ok_or_else(|| ApiError::Unauthorized("send Authorization: Bearer <token>".into()))?;
    if values.next().is_some() {
        return Err(ApiError::BadRequest {
            detail: "send exactly one Authorization header".into(),
            errors: Vec::new(),
        });
    }
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
    Ok((caller, state))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        authenticate(request)
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

/// Changing a person's identity number (reservnummer → personnummer, a number replaced).
pub struct ChangeIdentity;

impl Policy for ChangeIdentity {
    const ALLOWED: &'static [Role] = domain::identity::IDENTITY_CHANGERS;
    const ACTION: &'static str = "change identity numbers";
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

/// Reading the network's meetings.
pub struct ReadMeetings;

impl Policy for ReadMeetings {
    const ALLOWED: &'static [Role] = domain::meeting::MEETING_READERS;
    const ACTION: &'static str = "read the network's meetings";
}

/// Reading the meetings one may see: the readers, and a person's own token for the case
/// conferences she is invited to.
pub struct AttendMeetings;

impl Policy for AttendMeetings {
    const ALLOWED: &'static [Role] = domain::meeting::MEETING_ATTENDEES;
    const ACTION: &'static str = "read meetings";
}

/// Scheduling, changing and cancelling the network's meetings.
pub struct OrganizeMeetings;

impl Policy for OrganizeMeetings {
    const ALLOWED: &'static [Role] = domain::meeting::MEETING_ORGANIZERS;
    const ACTION: &'static str = "schedule or change meetings";
}

/// Reading the network's indicators (aggregates only).
pub struct ReadIndicators;

impl Policy for ReadIndicators {
    const ALLOWED: &'static [Role] = domain::indicator::INDICATOR_READERS;
    const ACTION: &'static str = "read the network's indicators";
}

/// Reading improvement projects, PDSA cycles, coaches and training cohorts.
pub struct ReadImprovement;

impl Policy for ReadImprovement {
    const ALLOWED: &'static [Role] = domain::improvement::IMPROVEMENT_READERS;
    const ACTION: &'static str = "read the network's improvement work";
}

/// Writing improvement work: projects, cycles, measures, data points, coaches, cohorts.
pub struct WriteImprovement;

impl Policy for WriteImprovement {
    const ALLOWED: &'static [Role] = domain::improvement::IMPROVEMENT_WRITERS;
    const ACTION: &'static str = "change the network's improvement work";
}

/// Reading measures, their data points and charts (aggregates; analysts too).
pub struct ReadMeasures;

impl Policy for ReadMeasures {
    const ALLOWED: &'static [Role] = domain::improvement::AGGREGATE_READERS;
    const ACTION: &'static str = "read improvement measures";
}

/// An authenticated caller holding a role that policy `P` allows.
pub struct Authorized<P: Policy> {
    pub caller: Caller,
    policy: PhantomData<P>,
}

impl<P: Policy> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authenticated = authenticate(request);
        Box::pin(async move {
            let caller = authenticated.await?;
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
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: f64 = 1_800_000_000.0;
    const LEEWAY: f64 = 60.0;

    fn claims(
        exp: Option<serde_json::Value>,
        nbf: Option<serde_json::Value>,
        iat: Option<serde_json::Value>,
    ) -> Claims {
        Claims {
            sub: "s".into(),
            roles: Vec::new(),
            org: None,
            unit: None,
            person: None,
            hsa_id: None,
            iss: None,
            aud: None,
            exp,
            nbf,
            iat,
        }
    }

    fn check(
        exp: Option<serde_json::Value>,
        nbf: Option<serde_json::Value>,
        iat: Option<serde_json::Value>,
    ) -> Result<(), String> {
        check_time_claims(&claims(exp, nbf, iat), NOW, LEEWAY)
    }

    #[test]
    fn a_token_the_server_would_refuse_is_not_signed() {
        let secret = "s".repeat(48);
        let lookup = |name: &str| (name == "SMARTCARE_JWT_SECRET").then(|| secret.clone());
        let Ok(config) = crate::config::jwt_from_lookup(&lookup) else {
            panic!("a secret of 48 characters configures HS256");
        };
        let request = |roles: Vec<Role>, person: Option<Uuid>| TokenRequest {
            subject: "dev".into(),
            roles,
            organization: None,
            unit: None,
            person,
            hsa_id: None,
            ttl: Duration::from_secs(60),
        };
        let her = Some(Uuid::from_u128(1));
        assert!(sign_token(&config, &request(vec![Role::Person], her)).is_ok());
        assert!(sign_token(&config, &request(vec![Role::Clinician, Role::Admin], None)).is_ok());
        let mut nobody = request(vec![Role::Clinician], None);
        nobody.subject = " ".into();
        for refused in [
            request(vec![Role::Person, Role::Admin], her),
            request(vec![Role::Clinician], her),
            nobody,
        ] {
            let error = sign_token(&config, &refused).err().map(|e| e.to_string());
            assert!(
                error.as_deref().is_some_and(|e| e.contains("would refuse")),
                "{error:?}"
            );
        }
    }

    #[test]
    fn a_header_naming_critical_extensions_is_refused() {
        use base64::Engine;
        let encode = |header: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(header.as_bytes())
        };
        let with_crit = format!(
            "{}.e30.sig",
            encode(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#)
        );
        let plain = format!("{}.e30.sig", encode(r#"{"alg":"HS256","typ":"JWT"}"#));
        assert!(names_critical_extensions(&with_crit));
        assert!(!names_critical_extensions(&plain));
        assert!(!names_critical_extensions("not a token"));
    }

    #[test]
    fn fractional_numeric_dates_are_accepted_for_all_three_claims() {
        assert_eq!(
            check(
                Some(json!(NOW + 600.5)),
                Some(json!(NOW - 0.25)),
                Some(json!(NOW - 1.5))
            ),
            Ok(())
        );
    }

    #[test]
    fn one_leeway_applies_to_exp_nbf_and_iat_alike() {
        // Exactly at the leeway: accepted; a millisecond beyond: refused, naming the claim.
        assert_eq!(check(Some(json!(NOW - LEEWAY)), None, None), Ok(()));
        assert!(
            check(Some(json!(NOW - LEEWAY - 0.001)), None, None)
                .is_err_and(|e| e.contains("`exp`"))
        );
        assert_eq!(
            check(Some(json!(NOW + 600.0)), Some(json!(NOW + LEEWAY)), None),
            Ok(())
        );
        assert!(
            check(
                Some(json!(NOW + 600.0)),
                Some(json!(NOW + LEEWAY + 0.001)),
                None
            )
            .is_err_and(|e| e.contains("`nbf`"))
        );
        assert_eq!(
            check(Some(json!(NOW + 600.0)), None, Some(json!(NOW + LEEWAY))),
            Ok(())
        );
        assert!(
            check(
                Some(json!(NOW + 600.0)),
                None,
                Some(json!(NOW + LEEWAY + 0.001))
            )
            .is_err_and(|e| e.contains("`iat`"))
        );
    }

    #[test]
    fn the_hsa_id_claim_has_its_configured_name_both_ways() {
        let mut claims = claims(Some(json!(NOW)), None, None);
        claims.hsa_id = Some("SE2321000057-1003".into());
        let token = claims.into_token("employeeHsaId").unwrap_or_default();
        assert_eq!(
            token.get("employeeHsaId"),
            Some(&json!("SE2321000057-1003"))
        );
        assert!(!token.contains_key("hsa_id"));
        let read = Claims::from_token(token.clone(), "employeeHsaId").map(|c| c.hsa_id);
        assert_eq!(read, Ok(Some("SE2321000057-1003".into())));
        let other_name = Claims::from_token(token, "hsa_id").map(|c| c.hsa_id);
        assert_eq!(other_name, Ok(None));
        let mut not_text = serde_json::Map::new();
        not_text.insert("sub".into(), json!("s"));
        not_text.insert("hsa_id".into(), json!(42));
        assert!(Claims::from_token(not_text, "hsa_id").is_err_and(|e| e.contains("`hsa_id`")));
    }

    #[test]
    fn a_missing_exp_or_a_claim_that_is_no_number_is_named() {
        assert!(check(None, None, None).is_err_and(|e| e.contains("`exp`")));
        assert!(check(Some(json!("tomorrow")), None, None).is_err_and(|e| e.contains("`exp`")));
        assert!(
            check(Some(json!(NOW + 600.0)), Some(json!(true)), None)
                .is_err_and(|e| e.contains("`nbf`"))
        );
        assert!(
            check(Some(json!(NOW + 600.0)), None, Some(json!(null)))
                .is_err_and(|e| e.contains("`iat`"))
        );
    }
}
