//! Configuration from environment variables, each with a documented default (README).
//!
//! A bad value stops start-up with one line naming the variable.

use std::path::PathBuf;
use std::time::Duration;

use domain::CareUnitKind;
use domain::discharge::{AgreementSettings, CountingConvention, NoticeClockStart};
use domain::personal_number::ReserveNumberPattern;
use persistence::{DatabaseUrl, PoolSettings};

/// Default database: an SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://smartcare.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Requests a minute per token subject by default: 50 a second sustained, and a minute's
/// worth at once.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 3_000;
pub const DEFAULT_DEV_KEY_FILE: &str = "smartcare-dev.key";
/// HS256 secrets shorter than this are refused (RFC 7518 §3.2: at least the hash size).
const MIN_SECRET_BYTES: usize = 32;

/// A configuration value that cannot be used; the message starts with the variable's name.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    pub fn new(variable: &'static str, problem: impl Into<String>) -> Self {
        Self {
            variable,
            problem: problem.into(),
        }
    }
}

/// Where the token verification key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtKeySource {
    /// `SMARTCARE_JWT_SECRET`: a shared HS256 secret (development, tests, simple set-ups).
    Secret(String),
    /// `SMARTCARE_JWT_PUBLIC_KEY_FILE`: an RS256 or ES256 public key in PEM (production).
    PublicKeyFile(PathBuf),
    /// Neither set: a random HS256 key in this file, created on first use (development only).
    DevKeyFile(PathBuf),
}

/// How access tokens are verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtConfig {
    pub key: JwtKeySource,
    /// Required `iss` when set.
    pub issuer: Option<String>,
    /// Required `aud` when set.
    pub audience: Option<String>,
    /// Clock skew tolerated on `exp`, `nbf` and `iat` alike (`SMARTCARE_JWT_LEEWAY_SECS`,
    /// default 60 s, at most 300 s).
    pub leeway: Duration,
    /// The claim carrying the caller's HSA-id (`SMARTCARE_JWT_HSA_ID_CLAIM`, default
    /// `hsa_id`): a staff member answers her own meeting invitations by it.
    pub hsa_id_claim: String,
}

/// Everything the service is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub bind: String,
    pub jwt: JwtConfig,
    pub pool: PoolSettings,
    /// HTTP worker threads.
    pub workers: usize,
    /// The region agreement's discharge rules (Lag 2017:612).
    pub agreement: AgreementSettings,
    /// Requests a minute per token subject (and the largest burst).
    pub requests_per_minute: std::num::NonZeroU32,
    /// Browser origins allowed to call the API (CORS), e.g. `https://vard.example.se`; none
    /// by default (`SMARTCARE_CORS_ORIGINS`, comma-separated).
    pub cors_origins: Vec<String>,
    /// The region's reservnummer pattern (`SMARTCARE_RESERVE_NUMBER_PATTERN`, a regular
    /// expression matched against the whole compact number; default
    /// [`domain::personal_number::ReserveNumberPattern::DEFAULT`]).
    pub reserve_numbers: ReserveNumberPattern,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url =
            lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let database_url =
            DatabaseUrl::parse(&database_url).map_err(|e| ConfigError::new("DATABASE_URL", e))?;
        let pool_size = parse_number(&lookup, "SMARTCARE_DB_POOL_SIZE", 10, 1..=200)?;
        let workers = parse_number(&lookup, "SMARTCARE_WORKERS", default_workers(), 1..=64)?;
        let requests_per_minute = parse_number(
            &lookup,
            "SMARTCARE_RATE_LIMIT_PER_MINUTE",
            DEFAULT_REQUESTS_PER_MINUTE,
            1..=u32::MAX,
        )?;
        Ok(Self {
            database_url,
            bind: lookup("SMARTCARE_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned()),
            jwt: jwt_from_lookup(&lookup)?,
            pool: PoolSettings {
                max_size: pool_size,
                acquire_timeout: Duration::from_secs(3),
            },
            workers: usize::try_from(workers).unwrap_or(1),
            agreement: agreement_from_lookup(&lookup)?,
            requests_per_minute: std::num::NonZeroU32::new(requests_per_minute)
                .unwrap_or(std::num::NonZeroU32::MIN),
            cors_origins: cors_origins(lookup("SMARTCARE_CORS_ORIGINS").as_deref())?,
            reserve_numbers: reserve_numbers(
                lookup("SMARTCARE_RESERVE_NUMBER_PATTERN").as_deref(),
            )?,
        })
    }
}

/// `SMARTCARE_RESERVE_NUMBER_PATTERN`, or the default pattern when unset.
fn reserve_numbers(value: Option<&str>) -> Result<ReserveNumberPattern, ConfigError> {
    ReserveNumberPattern::new(value.unwrap_or(ReserveNumberPattern::DEFAULT))
        .map_err(|e| ConfigError::new("SMARTCARE_RESERVE_NUMBER_PATTERN", e.message))
}

/// The origins of `SMARTCARE_CORS_ORIGINS`: comma-separated `http(s)://host[:port]`, each
/// exactly as a browser sends it in `Origin` (no path, no trailing slash, no wildcard).
fn cors_origins(value: Option<&str>) -> Result<Vec<String>, ConfigError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            match host {
                Some(host)
                    if !host.is_empty()
                        && host
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) =>
                {
                    Ok(origin.to_owned())
                }
                _ => Err(ConfigError::new(
                    "SMARTCARE_CORS_ORIGINS",
                    format!(
                        "`{origin}` is not an origin: write `https://host` or `https://host:port`, comma-separated, no path or wildcard"
                    ),
                )),
            }
        })
        .collect()
}

/// Clock skew tolerated on a token's time claims unless `SMARTCARE_JWT_LEEWAY_SECS` says.
pub const DEFAULT_JWT_LEEWAY_SECS: u64 = 60;
/// The largest leeway accepted.
const MAX_JWT_LEEWAY_SECS: u64 = 300;
/// The claim carrying the caller's HSA-id unless `SMARTCARE_JWT_HSA_ID_CLAIM` says.
pub const DEFAULT_HSA_ID_CLAIM: &str = "hsa_id";
/// Claims with a meaning of their own, which cannot carry the HSA-id.
const RESERVED_CLAIMS: &[&str] = &[
    "sub", "roles", "org", "unit", "person", "iss", "aud", "exp", "nbf", "iat", "jti",
];

/// The token settings alone: `smartcare token` needs them without a database.
pub fn jwt_from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<JwtConfig, ConfigError> {
    let secret = lookup("SMARTCARE_JWT_SECRET");
    let public_key = lookup("SMARTCARE_JWT_PUBLIC_KEY_FILE");
    let key = match (secret, public_key) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::new(
                "SMARTCARE_JWT_SECRET",
                "set either SMARTCARE_JWT_SECRET or SMARTCARE_JWT_PUBLIC_KEY_FILE, not both",
            ));
        }
        (Some(secret), None) if secret.len() < MIN_SECRET_BYTES => {
            return Err(ConfigError::new(
                "SMARTCARE_JWT_SECRET",
                format!("must be at least {MIN_SECRET_BYTES} bytes"),
            ));
        }
        (Some(secret), None) => JwtKeySource::Secret(secret),
        (None, Some(file)) => JwtKeySource::PublicKeyFile(PathBuf::from(file)),
        (None, None) => JwtKeySource::DevKeyFile(PathBuf::from(
            lookup("SMARTCARE_DEV_KEY_FILE").unwrap_or_else(|| DEFAULT_DEV_KEY_FILE.to_owned()),
        )),
    };
    let leeway = match lookup("SMARTCARE_JWT_LEEWAY_SECS") {
        None => DEFAULT_JWT_LEEWAY_SECS,
        Some(text) => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|secs| *secs <= MAX_JWT_LEEWAY_SECS)
            .ok_or_else(|| {
                ConfigError::new(
                    "SMARTCARE_JWT_LEEWAY_SECS",
                    format!("must be a whole number of seconds from 0 to {MAX_JWT_LEEWAY_SECS}"),
                )
            })?,
    };
    let hsa_id_claim = match lookup("SMARTCARE_JWT_HSA_ID_CLAIM") {
        None => DEFAULT_HSA_ID_CLAIM.to_owned(),
        Some(name) => {
            let name = name.trim().to_owned();
            if name.is_empty() || name.len() > 100 || RESERVED_CLAIMS.contains(&name.as_str()) {
                return Err(ConfigError::new(
                    "SMARTCARE_JWT_HSA_ID_CLAIM",
                    format!(
                        "must be a claim name of 1 to 100 characters other than {}",
                        RESERVED_CLAIMS.join(", ")
                    ),
                ));
            }
            name
        }
    };
    Ok(JwtConfig {
        key,
        issuer: lookup("SMARTCARE_JWT_ISSUER"),
        audience: lookup("SMARTCARE_JWT_AUDIENCE"),
        leeway: Duration::from_secs(leeway),
        hsa_id_claim,
    })
}

/// The region agreement's settings; the county's defaults when unset.
fn agreement_from_lookup(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<AgreementSettings, ConfigError> {
    let defaults = AgreementSettings::default();
    let notice_clock_start = match lookup("SMARTCARE_NOTICE_CLOCK_START").as_deref() {
        None | Some("admission") => NoticeClockStart::Admission,
        Some("assessment") => NoticeClockStart::PhysicianAssessment,
        Some(other) => {
            return Err(ConfigError::new(
                "SMARTCARE_NOTICE_CLOCK_START",
                format!("`{other}` is not `admission` or `assessment`"),
            ));
        }
    };
    let hours = |variable, default| parse_number(lookup, variable, default, 1..=168).map(i64::from);
    let days = |variable, default| parse_number(lookup, variable, default, 0..=365);
    let daily_rate_by_year = match lookup("SMARTCARE_LIABILITY_DAILY_RATES") {
        None => defaults.daily_rate_by_year,
        Some(text) => parse_rates(&text).ok_or_else(|| {
            ConfigError::new(
                "SMARTCARE_LIABILITY_DAILY_RATES",
                format!("`{text}` is not a list like `2026=9000,2027=9400` (year=SEK per day)"),
            )
        })?,
    };
    Ok(AgreementSettings {
        notice_clock_start,
        notice_hours: hours("SMARTCARE_NOTICE_HOURS", 24)?,
        liability_grace_days_somatic: days(
            "SMARTCARE_LIABILITY_GRACE_DAYS",
            defaults.liability_grace_days_somatic,
        )?,
        liability_grace_days_psychiatric: days(
            "SMARTCARE_LIABILITY_GRACE_DAYS_PSYCHIATRIC",
            defaults.liability_grace_days_psychiatric,
        )?,
        daily_rate_by_year,
        counting: match lookup("SMARTCARE_LIABILITY_COUNTING") {
            None => defaults.counting,
            Some(text) => CountingConvention::parse(text.trim())
                .map_err(|e| ConfigError::new("SMARTCARE_LIABILITY_COUNTING", e.message))?,
        },
        receipt_cutoff_hour: match lookup("SMARTCARE_LIABILITY_CUTOFF_HOUR").as_deref() {
            None | Some("none") => defaults.receipt_cutoff_hour,
            Some(_) => Some(parse_number(
                lookup,
                "SMARTCARE_LIABILITY_CUTOFF_HOUR",
                0,
                0..=23,
            )?),
        },
        inpatient_unit_kinds: unit_kinds(
            lookup,
            "SMARTCARE_INPATIENT_UNIT_KINDS",
            defaults.inpatient_unit_kinds,
        )?,
        fast_vardkontakt_kinds_somatic: unit_kinds(
            lookup,
            "SMARTCARE_FAST_VARDKONTAKT_UNIT_KINDS",
            defaults.fast_vardkontakt_kinds_somatic,
        )?,
        fast_vardkontakt_kinds_psychiatric: unit_kinds(
            lookup,
            "SMARTCARE_FAST_VARDKONTAKT_UNIT_KINDS_PSYCHIATRIC",
            defaults.fast_vardkontakt_kinds_psychiatric,
        )?,
    })
}

/// A comma-separated list of care unit kinds, e.g. `primary_care_centre,psychiatry`; at least
/// one.
fn unit_kinds(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: Vec<CareUnitKind>,
) -> Result<Vec<CareUnitKind>, ConfigError> {
    let Some(text) = lookup(variable) else {
        return Ok(default);
    };
    let kinds = text
        .split(',')
        .map(|kind| CareUnitKind::parse(kind.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::new(variable, e.message))?;
    if kinds.is_empty() {
        return Err(ConfigError::new(variable, "name at least one unit kind"));
    }
    Ok(kinds)
}

/// `2026=9000,2027=9400` → {2026: 9000, 2027: 9400}.
fn parse_rates(text: &str) -> Option<std::collections::BTreeMap<i32, u32>> {
    text.split(',')
        .map(|pair| {
            let (year, rate) = pair.trim().split_once('=')?;
            Some((year.trim().parse().ok()?, rate.trim().parse().ok()?))
        })
        .collect()
}

fn parse_number(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    let Some(text) = lookup(variable) else {
        return Ok(default);
    };
    text.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            ConfigError::new(
                variable,
                format!(
                    "`{text}` is not a number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
}

/// One worker per core, at most 8: on the two-core reference machine two workers served more
/// than eight (docs/BENCHMARKS.md).
fn default_workers() -> u32 {
    std::thread::available_parallelism()
        .map_or(2, |n| u32::try_from(n.get()).unwrap_or(2))
        .clamp(1, 8)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn cors_origins_are_exact_origins() {
        assert_eq!(cors_origins(None).ok(), Some(Vec::new()));
        assert_eq!(
            cors_origins(Some(" https://vard.example.se, http://localhost:5173 ,")).ok(),
            Some(vec![
                "https://vard.example.se".to_owned(),
                "http://localhost:5173".to_owned()
            ])
        );
        for bad in [
            "*",
            "vard.example.se",
            "https://vard.example.se/",
            "https://",
            "ftp://x",
        ] {
            assert!(cors_origins(Some(bad)).is_err(), "{bad}");
        }
    }

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_reserve_number_pattern_is_a_regular_expression() {
        let pattern = |vars: &[(&str, &str)]| {
            self::config(vars).map(|c| c.reserve_numbers.as_str().to_owned())
        };
        assert_eq!(
            pattern(&[]).ok().as_deref(),
            Some(ReserveNumberPattern::DEFAULT)
        );
        assert_eq!(
            pattern(&[("SMARTCARE_RESERVE_NUMBER_PATTERN", "99[0-9]{10}")])
                .ok()
                .as_deref(),
            Some("99[0-9]{10}")
        );
        assert!(
            pattern(&[("SMARTCARE_RESERVE_NUMBER_PATTERN", "([")]).is_err_and(|e| e
                .to_string()
                .starts_with("SMARTCARE_RESERVE_NUMBER_PATTERN"))
        );
    }

    #[test]
    fn defaults_need_no_configuration() {
        let config = config(&[]).map_err(|e| e.to_string());
        assert!(
            config.as_ref().is_ok_and(|c| c.bind == DEFAULT_BIND
                && c.database_url.backend() == persistence::Backend::Sqlite)
        );
        assert!(
            config
                .is_ok_and(|c| c.jwt.key == JwtKeySource::DevKeyFile(DEFAULT_DEV_KEY_FILE.into()))
        );
        let hsa = |vars: &[(&str, &str)]| self::config(vars).map(|c| c.jwt.hsa_id_claim).ok();
        assert_eq!(hsa(&[]).as_deref(), Some("hsa_id"));
        assert_eq!(
            hsa(&[("SMARTCARE_JWT_HSA_ID_CLAIM", "employeeHsaId")]).as_deref(),
            Some("employeeHsaId")
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        let variable = |vars: &[(&str, &str)]| config(vars).err().map(|e| e.variable);
        assert_eq!(
            variable(&[("DATABASE_URL", "mysql://x")]),
            Some("DATABASE_URL")
        );
        assert_eq!(
            variable(&[("SMARTCARE_JWT_SECRET", "short")]),
            Some("SMARTCARE_JWT_SECRET")
        );
        assert_eq!(
            variable(&[("SMARTCARE_DB_POOL_SIZE", "0")]),
            Some("SMARTCARE_DB_POOL_SIZE")
        );
        for claim in ["", "sub", "roles"] {
            assert_eq!(
                variable(&[("SMARTCARE_JWT_HSA_ID_CLAIM", claim)]),
                Some("SMARTCARE_JWT_HSA_ID_CLAIM"),
                "{claim}"
            );
        }
        assert_eq!(
            variable(&[("SMARTCARE_NOTICE_CLOCK_START", "noon")]),
            Some("SMARTCARE_NOTICE_CLOCK_START")
        );
        assert_eq!(
            variable(&[("SMARTCARE_LIABILITY_DAILY_RATES", "2026:9000")]),
            Some("SMARTCARE_LIABILITY_DAILY_RATES")
        );
        let rates = config(&[("SMARTCARE_LIABILITY_DAILY_RATES", "2026=9000, 2027=9400")])
            .map(|c| c.agreement.daily_rate_by_year);
        assert_eq!(
            rates.ok().map(|r| r.into_iter().collect::<Vec<_>>()),
            Some(vec![(2026, 9000), (2027, 9400)])
        );
        for name in [
            "SMARTCARE_LIABILITY_COUNTING",
            "SMARTCARE_LIABILITY_CUTOFF_HOUR",
            "SMARTCARE_INPATIENT_UNIT_KINDS",
            "SMARTCARE_FAST_VARDKONTAKT_UNIT_KINDS",
            "SMARTCARE_FAST_VARDKONTAKT_UNIT_KINDS_PSYCHIATRIC",
        ] {
            assert_eq!(variable(&[(name, "25")]), Some(name));
        }
        let agreement = config(&[
            ("SMARTCARE_LIABILITY_COUNTING", "whole_days_after"),
            ("SMARTCARE_LIABILITY_CUTOFF_HOUR", "16"),
            (
                "SMARTCARE_INPATIENT_UNIT_KINDS",
                "hospital_ward, psychiatry",
            ),
        ])
        .map(|c| c.agreement);
        assert_eq!(
            agreement
                .ok()
                .map(|a| (a.counting, a.receipt_cutoff_hour, a.inpatient_unit_kinds)),
            Some((
                CountingConvention::WholeDaysAfter,
                Some(16),
                vec![CareUnitKind::HospitalWard, CareUnitKind::Psychiatry]
            ))
        );
        let both = [
            ("SMARTCARE_JWT_SECRET", "x".repeat(40)),
            ("SMARTCARE_JWT_PUBLIC_KEY_FILE", "k.pem".into()),
        ];
        let both: Vec<(&str, &str)> = both.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(variable(&both), Some("SMARTCARE_JWT_SECRET"));
    }
}
