//! When a request is sent again: throttling answers, failed connections and server errors.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How often a throttled request is sent again, unless configured otherwise.
pub(crate) const DEFAULT_MAX_THROTTLE_RETRIES: u32 = 3;
/// The longest wait a throttling answer is obeyed for, unless configured otherwise.
pub(crate) const DEFAULT_MAX_THROTTLE_WAIT: Duration = Duration::from_secs(60);
/// How often an idempotent request is sent again after a connection error or a 5xx.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
/// The delay before the first such retry; it doubles for each further one.
pub(crate) const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_millis(250);
/// No backoff delay is longer than this, however many retries are configured.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// When and how often requests are sent again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RetryPolicy {
    pub(crate) max_throttle_retries: u32,
    pub(crate) max_throttle_wait: Duration,
    pub(crate) max_retries: u32,
    pub(crate) backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_throttle_retries: DEFAULT_MAX_THROTTLE_RETRIES,
            max_throttle_wait: DEFAULT_MAX_THROTTLE_WAIT,
            max_retries: DEFAULT_MAX_RETRIES,
            backoff: DEFAULT_RETRY_BACKOFF,
        }
    }
}

/// The wait that a throttling answer asks for: `Retry-After` in seconds (what Nexudus sends) or
/// as an HTTP date. `None` when the header is missing or unreadable: such an answer is not
/// throttling.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    // A date in the past asks for no wait.
    Some(
        (date.with_timezone(&Utc) - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// The delay before retry number `retry` (from 1): `base` doubled for each earlier retry, capped,
/// with "equal jitter" (half of it fixed, half drawn from `random`) so that clients that failed
/// together do not come back together.
pub(crate) fn backoff(base: Duration, retry: u32, random: u64) -> Duration {
    let factor = 1_u32
        .checked_shl(retry.saturating_sub(1))
        .unwrap_or(u32::MAX);
    let full = base.saturating_mul(factor).min(MAX_BACKOFF);
    let half = full / 2;
    let spread = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
    let jitter = random.checked_rem(spread.saturating_add(1)).unwrap_or(0);
    half + Duration::from_nanos(jitter)
}

/// A random number for the jitter; `RandomState` is seeded anew for every call.
pub(crate) fn random() -> u64 {
    RandomState::new().hash_one(0_u8)
}

#[cfg(test)]
mod tests;
