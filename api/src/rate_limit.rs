//! Requests per caller: each token subject may make `SMARTCARE_RATE_LIMIT_PER_MINUTE` requests
//! a minute, in bursts up to the same number; beyond that the API answers 429 with
//! `Retry-After`. Keyed by subject, not address, so it holds behind a load balancer. Each
//! process counts its own requests (with N replicas a subject gets up to N times the limit);
//! name search has its own, stricter limit shared through the database.
//!
//! `governor` (GCRA) does the counting: one atomic compare-and-swap per request and no lock.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Subjects idle long enough to be back at a full burst are forgotten every this many checks,
/// so the limiter's memory follows the active callers.
const FORGET_EVERY: u64 = 4_096;

pub struct CallerLimits {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    checks: AtomicU64,
}

impl CallerLimits {
    pub fn per_minute(requests: NonZeroU32) -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(requests)),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts a request of `subject`; 429 when it is over its limit.
    pub fn admit(&self, subject: &str) -> Result<(), ApiError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&subject.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                ApiError::TooManyRequests {
                    retry_after_secs: wait.as_secs() + 1,
                }
            })
    }
}
