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
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&headers("-3")), None);
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT")),
            Some(Duration::ZERO),
            "a date in the past"
        );
        let later = (Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        let wait = retry_after(&headers(&later)).expect("a date");
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
    }

    #[test]
    fn backoff_doubles_stays_in_its_band_and_is_capped() {
        let base = Duration::from_millis(200);
        // Without jitter: half of 200 ms, 400 ms, 800 ms.
        assert_eq!(backoff(base, 1, 0), Duration::from_millis(100));
        assert_eq!(backoff(base, 2, 0), Duration::from_millis(200));
        assert_eq!(backoff(base, 3, 0), Duration::from_millis(400));
        // With the largest jitter: the whole doubled delay.
        assert_eq!(backoff(base, 3, 400_000_000), Duration::from_millis(800));
        for _ in 0..100 {
            let delay = backoff(base, 2, random());
            assert!(
                delay >= Duration::from_millis(200) && delay <= Duration::from_millis(400),
                "{delay:?}"
            );
        }
        assert!(backoff(base, 40, u64::MAX) <= MAX_BACKOFF);
        assert_eq!(backoff(base, 40, 0), MAX_BACKOFF / 2);
        assert_eq!(backoff(Duration::ZERO, 1, random()), Duration::ZERO);
        let draws: std::collections::HashSet<u64> = (0..10).map(|_| random()).collect();
        assert!(draws.len() > 1, "the jitter varies");
    }
}
