//! The published rate limits, per user: a request over any of them gets 409 with `Retry-After`.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// How many requests a user may make: quotas on every request, and more on writes.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Quotas every request counts against.
    pub all: Vec<Quota>,
    /// Quotas writes (POST, PUT, DELETE) count against too.
    pub writes: Vec<Quota>,
}

impl Limits {
    /// Nexudus's published limits: at most one request per 100 ms, 120 per minute, 5,000 per
    /// hour and 200,000 per day; writes also 60 per minute and 5,000 per day.
    pub fn nexudus() -> Self {
        Self {
            all: vec![
                every(Duration::from_millis(100), 1),
                every(Duration::from_secs(60), 120),
                every(Duration::from_secs(3_600), 5_000),
                every(Duration::from_secs(86_400), 200_000),
            ],
            writes: vec![
                every(Duration::from_secs(60), 60),
                every(Duration::from_secs(86_400), 5_000),
            ],
        }
    }
}

/// `count` requests per `period`, all of them usable at once.
pub fn every(period: Duration, count: u32) -> Quota {
    let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period / count.get())
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
        .allow_burst(count)
}

/// The limiters of a server, one per quota, keyed by user.
pub(crate) struct Limiter {
    all: Vec<DefaultKeyedRateLimiter<String>>,
    writes: Vec<DefaultKeyedRateLimiter<String>>,
}

impl Limiter {
    pub(crate) fn new(limits: &Limits) -> Self {
        let keyed = |quotas: &[Quota]| {
            quotas
                .iter()
                .map(|quota| RateLimiter::keyed(*quota))
                .collect()
        };
        Self {
            all: keyed(&limits.all),
            writes: keyed(&limits.writes),
        }
    }

    /// Counts a request of `user`; when it is over a quota, how long until it would not be.
    ///
    /// The write quotas are checked first: a write refused by them does not use up room that
    /// the user's reads need. (A write refused by a quota on all requests has still used its
    /// write room: quotas cannot be checked without counting.)
    pub(crate) fn check(&self, user: &str, write: bool) -> Result<(), Duration> {
        let user = user.to_ascii_lowercase();
        let writes = if write { self.writes.as_slice() } else { &[] };
        for limiter in writes.iter().chain(&self.all) {
            if let Err(not_until) = limiter.check_key(&user) {
                return Err(not_until.wait_time_from(DefaultClock::default().now()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
