//! Client-side rate limits, so that a busy client stays within what Nexudus allows.

use std::num::NonZeroU32;
use std::ops::Add;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use reqwest::Method;
use tokio::time::Instant;

/// How fast a client sends requests; shared by all clones of the client.
///
/// Nexudus publishes these limits: writes (`POST`, `PUT`, `DELETE`) at most 60 per minute, and all
/// requests at most one per 100 ms. [`nexudus_default`](Self::nexudus_default), the default,
/// keeps to both: a request waits until it may go. [`none`](Self::none) switches client-side
/// limiting off. Either way, when Nexudus throttles a request the client waits as the server
/// asks (see `ClientBuilder::max_throttle_retries`).
///
/// To let short batches of up to 10 writes go at once, then one per second again:
/// `RateLimit::nexudus_default().write_burst(10)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    writes_per_minute: u32,
    write_burst: u32,
    min_interval: Duration,
}

impl RateLimit {
    /// Nexudus's published limits: 60 writes per minute, one at a time (so that no 60 seconds
    /// ever hold more than 60 writes), and at least 100 ms between any two requests.
    pub fn nexudus_default() -> Self {
        Self {
            writes_per_minute: 60,
            write_burst: 1,
            min_interval: Duration::from_millis(100),
        }
    }

    /// No client-side limits: requests go as fast as they are made.
    pub fn none() -> Self {
        Self {
            writes_per_minute: 0,
            write_burst: 1,
            min_interval: Duration::ZERO,
        }
    }

    /// How many writes (`POST`, `PUT`, `DELETE`) may be sent per minute, evenly spaced; `0`
    /// switches the write limit off.
    pub fn writes_per_minute(mut self, writes: u32) -> Self {
        self.writes_per_minute = writes;
        self
    }

    /// How many writes may go at once before the per-minute pace applies; default 1, values
    /// below 1 count as 1. A burst of `n` lets up to `n - 1` more writes than the per-minute
    /// number into some 60 seconds; Nexudus then throttles, and the client waits as told.
    pub fn write_burst(mut self, writes: u32) -> Self {
        self.write_burst = writes;
        self
    }

    /// The least time between the starts of any two requests, token requests included;
    /// `Duration::ZERO` switches this limit off.
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }
}

impl Default for RateLimit {
    /// [`RateLimit::nexudus_default`].
    fn default() -> Self {
        Self::nexudus_default()
    }
}

/// A point of tokio's clock, for governor.
///
/// governor's own clocks (quanta, or std's `Instant`) and its `until_ready` timer run on real
/// time, so they ignore `tokio::time::pause` and a limit could only be tested by waiting for
/// it. Reading tokio's clock and sleeping with tokio's timer makes the limiter follow a paused
/// clock like every other wait of the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TokioInstant(Instant);

impl Add<Nanos> for TokioInstant {
    type Output = Self;

    fn add(self, other: Nanos) -> Self {
        Self(self.0 + Duration::from(other))
    }
}

impl Reference for TokioInstant {
    fn duration_since(&self, earlier: Self) -> Nanos {
        self.0.saturating_duration_since(earlier.0).into()
    }

    fn saturating_sub(&self, duration: Nanos) -> Self {
        Self(self.0.checked_sub(duration.into()).unwrap_or(self.0))
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct TokioClock;

impl Clock for TokioClock {
    type Instant = TokioInstant;

    fn now(&self) -> TokioInstant {
        TokioInstant(Instant::now())
    }
}

type Gcra = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<TokioInstant>>;

/// The limiters of one client: one for writes, one for all requests.
#[derive(Clone)]
pub(crate) struct Limiter {
    writes: Option<Arc<Gcra>>,
    all: Option<Arc<Gcra>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let writes = NonZeroU32::new(limit.writes_per_minute).map(|per_minute| {
            let burst = NonZeroU32::new(limit.write_burst).unwrap_or(NonZeroU32::MIN);
            Quota::per_minute(per_minute).allow_burst(burst)
        });
        let all = Quota::with_period(limit.min_interval);
        let limiter = |quota: Quota| Arc::new(RateLimiter::direct_with_clock(quota, TokioClock));
        Self {
            writes: writes.map(limiter),
            all: all.map(limiter),
        }
    }

    /// Waits until a request with `method` may be sent.
    pub(crate) async fn acquire(&self, method: &Method) {
        let write = matches!(
            *method,
            Method::POST | Method::PUT | Method::DELETE | Method::PATCH
        );
        if write {
            if let Some(writes) = &self.writes {
                wait(writes).await;
            }
        }
        // After the write limit, so that a write that waited there does not crowd the requests
        // sent meanwhile.
        self.acquire_request().await;
    }

    /// Waits until any request, e.g. for a token, may be sent.
    pub(crate) async fn acquire_request(&self) {
        if let Some(all) = &self.all {
            wait(all).await;
        }
    }
}

async fn wait(limiter: &Gcra) {
    // Tasks that wait together race for the next cell; the losers wait again.
    while let Err(not_until) = limiter.check() {
        let wait = not_until.wait_time_from(TokioClock.now());
        tracing::debug!(
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "client-side rate limit reached; waiting"
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How long `count` requests with `method` take to be let through, one after the other.
    async fn time(limiter: &Limiter, method: Method, count: usize) -> Duration {
        let started = Instant::now();
        for _ in 0..count {
            limiter.acquire(&method).await;
        }
        started.elapsed()
    }

    /// `expected`, give or take the millisecond that tokio's timer rounds up to.
    fn assert_about(actual: Duration, expected: Duration) {
        assert!(
            actual >= expected && actual <= expected + Duration::from_millis(5),
            "{actual:?}, expected {expected:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn writes_keep_to_the_per_minute_pace_after_the_burst() {
        let limiter = Limiter::new(RateLimit::none().writes_per_minute(60).write_burst(3));
        // Three at once, then one per second.
        assert_about(
            time(&limiter, Method::POST, 5).await,
            Duration::from_secs(2),
        );
        // The limit is shared by every kind of write and has not recovered yet.
        assert_about(
            time(&limiter, Method::DELETE, 1).await,
            Duration::from_secs(1),
        );
        assert_about(time(&limiter, Method::PUT, 1).await, Duration::from_secs(1));
        // Reads are not writes.
        assert_eq!(time(&limiter, Method::GET, 50).await, Duration::ZERO);

        let limiter = Limiter::new(RateLimit::none().writes_per_minute(120).write_burst(0));
        assert_about(
            time(&limiter, Method::POST, 3).await,
            Duration::from_secs(1),
        );
    }

    #[tokio::test(start_paused = true)]
    async fn every_request_keeps_the_minimum_interval() {
        let limiter = Limiter::new(RateLimit::none().min_interval(Duration::from_millis(100)));
        assert_about(
            time(&limiter, Method::GET, 10).await,
            Duration::from_millis(900),
        );
        assert_about(
            time(&limiter, Method::POST, 2).await,
            Duration::from_millis(200),
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_nexudus_default_keeps_to_both_limits_and_none_to_neither() {
        let limiter = Limiter::new(RateLimit::default());
        assert_eq!(RateLimit::default(), RateLimit::nexudus_default());
        // One write per second; the reads in between only keep 100 ms apart.
        let started = Instant::now();
        limiter.acquire(&Method::POST).await;
        limiter.acquire(&Method::GET).await;
        limiter.acquire(&Method::GET).await;
        assert_about(started.elapsed(), Duration::from_millis(200));
        limiter.acquire(&Method::PUT).await;
        assert_about(started.elapsed(), Duration::from_secs(1));

        let limiter = Limiter::new(RateLimit::none());
        assert_eq!(time(&limiter, Method::POST, 1_000).await, Duration::ZERO);
        assert_eq!(time(&limiter, Method::GET, 1_000).await, Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_one_limit_across_tasks() {
        let limiter = Limiter::new(RateLimit::nexudus_default());
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let limiter = limiter.clone();
            tasks.spawn(async move {
                limiter.acquire(&Method::POST).await;
                Instant::now()
            });
        }
        let mut done: Vec<Duration> = tasks
            .join_all()
            .await
            .into_iter()
            .map(|at| at - started)
            .collect();
        done.sort();
        for (index, at) in done.into_iter().enumerate() {
            assert_about(at, Duration::from_secs(index as u64));
        }
    }
}
