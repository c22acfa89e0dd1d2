//! Client-side rate limits, so that a busy client stays within what Nexudus allows.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::Method;
use tokio::time::Instant;

/// How fast a client sends requests; shared by all clones of the client.
///
/// Nexudus publishes these limits: writes (`POST`, `PUT`, `DELETE`) at most 60 per minute, and all
/// requests at most one per 100 ms. [`nexudus_default`](Self::nexudus_default), the default,
/// keeps to both with a [`margin`](Self::margin): a request waits until it may go.
/// [`none`](Self::none) switches client-side limiting off. Either way, when Nexudus throttles a
/// request the client waits as the server asks (see `ClientBuilder::max_throttle_retries`).
///
/// The limits are per account, and a `RateLimit` given to `ClientBuilder::rate_limit` is kept by
/// that client and its clones only. Clients built separately for one account share a
/// [`RateLimiter`] instead (`ClientBuilder::rate_limiter`).
///
/// To let short batches of up to 10 writes go at once, then one per second again:
/// `RateLimit::nexudus_default().write_burst(10)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    writes: u32,
    write_window: Duration,
    write_burst: u32,
    min_interval: Duration,
    margin: Duration,
}

/// The time added to every spacing of [`RateLimit::nexudus_default`].
///
/// A server counts requests when they arrive, and requests sent exactly 100 ms apart have been
/// seen to arrive 92 to 99 ms apart; 61 writes sent one second apart arrived within 60 s. 20 ms
/// is more than twice the largest early arrival seen between two requests, and over 60 writes
/// it adds up to 1.2 s between the first and the 61st, far more than the travel times of two
/// writes differ. It costs little: 8.3 requests per second instead of 10, and 58.8 writes per
/// minute instead of 60.
const DEFAULT_MARGIN: Duration = Duration::from_millis(20);

const MINUTE: Duration = Duration::from_secs(60);

impl RateLimit {
    /// Nexudus's published limits with a margin of 20 ms: at most 60 writes in any 60 seconds,
    /// one at a time, 1.02 s apart (so that 61 of them span at least 61.2 s), and at least
    /// 120 ms between the starts of any two requests. The margin keeps the limits when some
    /// requests take a little longer than others to reach the server.
    pub fn nexudus_default() -> Self {
        Self {
            writes: 60,
            write_window: MINUTE,
            write_burst: 1,
            min_interval: Duration::from_millis(100),
            margin: DEFAULT_MARGIN,
        }
    }

    /// No client-side limits: requests go as fast as they are made. Limits set on it afterwards
    /// have no [`margin`](Self::margin) unless one is set too.
    pub fn none() -> Self {
        Self {
            writes: 0,
            write_window: MINUTE,
            write_burst: 1,
            min_interval: Duration::ZERO,
            margin: Duration::ZERO,
        }
    }

    /// How many writes (`POST`, `PUT`, `DELETE`) may be sent per minute, evenly spaced; `0`
    /// switches the write limit off. Short for [`writes_per`](Self::writes_per)`(writes, 60 s)`.
    pub fn writes_per_minute(self, writes: u32) -> Self {
        self.writes_per(writes, MINUTE)
    }

    /// At most `writes` writes (`POST`, `PUT`, `DELETE`) in any `window`, evenly spaced:
    /// `window / writes` apart, plus the [`margin`](Self::margin). `0` writes or a zero window
    /// switches the write limit off.
    pub fn writes_per(mut self, writes: u32, window: Duration) -> Self {
        self.writes = writes;
        self.write_window = window;
        self
    }

    /// How many writes may go at once before the per-minute pace applies; default 1, values
    /// below 1 count as 1. A burst of `n` lets up to `n - 1` more writes than the per-minute
    /// number into some 60 seconds; Nexudus then throttles, and the client waits as told.
    pub fn write_burst(mut self, writes: u32) -> Self {
        self.write_burst = writes;
        self
    }

    /// The least time between the starts of any two requests, token requests included, before
    /// the [`margin`](Self::margin) is added; `Duration::ZERO` switches this limit off.
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }

    /// Time added to each spacing the limiter keeps, so that requests that reach the server a
    /// little sooner after one another than they were sent still keep to its limits: any two
    /// requests start at least `min_interval + margin` apart, and writes `window / writes +
    /// margin` apart, so that `writes + 1` of them span at least `window + writes * margin`.
    /// Default 20 ms for [`nexudus_default`](Self::nexudus_default), zero for
    /// [`none`](Self::none).
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The time between two writes that are not part of a burst; `None` without a write limit.
    fn write_spacing(&self) -> Option<Duration> {
        let per_write = self.write_window.checked_div(self.writes)?;
        (!per_write.is_zero()).then(|| per_write.saturating_add(self.margin))
    }

    /// The least time between the starts of any two requests; `None` without that limit.
    fn request_spacing(&self) -> Option<Duration> {
        (!self.min_interval.is_zero()).then(|| self.min_interval.saturating_add(self.margin))
    }
}

impl Default for RateLimit {
    /// [`RateLimit::nexudus_default`].
    fn default() -> Self {
        Self::nexudus_default()
    }
}

/// The longest spacing the limiter keeps, so that adding it to an instant cannot overflow: a
/// year between requests is no limit anyone means to reach.
const LONGEST_SPACING: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// A client-side rate limiter that separately built clients can share.
///
/// Nexudus counts its limits per account. Every client keeps to its own [`RateLimit`], and
/// clones of a client share it; but two clients built separately for the same account (say,
/// one with a password grant for a background job and one with other timeouts, or one built
/// per task) would each send as much as the limits allow, together twice that, and Nexudus
/// would throttle them. Build one `RateLimiter` and give a clone of it to each builder with
/// `ClientBuilder::rate_limiter`: they then take turns under one limit.
///
/// It only reaches clients in the same process. Processes or machines that use one account
/// divide the limits between them instead, e.g. `RateLimit::nexudus_default().writes_per_minute(30)`
/// in each of two.
///
/// ```
/// use nexudus::{Client, RateLimit, RateLimiter};
///
/// let limiter = RateLimiter::new(RateLimit::nexudus_default());
/// let reports = Client::builder()
///     .bearer_token("token")
///     .rate_limiter(limiter.clone())
///     .build()?;
/// let imports = Client::builder()
///     .bearer_token("token")
///     .timeout(std::time::Duration::from_secs(120))
///     .rate_limiter(limiter)
///     .build()?;
/// # let _ = (reports, imports);
/// # Ok::<(), nexudus::Error>(())
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    /// The time between writes, when writes are limited.
    write_spacing: Option<Duration>,
    /// How far ahead of their even pace writes may go: `write_burst - 1` spacings.
    write_tolerance: Duration,
    /// The least time between any two requests, when requests are spaced.
    request_spacing: Option<Duration>,
    schedule: Arc<Mutex<Schedule>>,
}

/// The slots already given out, read and changed under one lock.
///
/// A request takes its slot among writes and its slot among all requests together, at one
/// instant, and then waits for it. Taken one after the other (as with two independent
/// limiters), a write could wait for the request slots of other tasks after its write slot
/// had come, and then go out closer to the next write than the write spacing: with many
/// concurrent reads, by more than the margin.
#[derive(Debug, Default)]
struct Schedule {
    /// The starts given out that can still be too close to a new one (none older than one
    /// request spacing), in order. Later ones are writes waiting for their turn: a read may go
    /// in a gap before them rather than wait behind them.
    starts: Vec<Instant>,
    /// When the next write would start were writes sent at their even pace (the theoretical
    /// arrival time of the generic cell rate algorithm); bursts may go ahead of it.
    next_write: Option<Instant>,
}

impl RateLimiter {
    /// A limiter that keeps to `limit`, for every client it is given to.
    pub fn new(limit: RateLimit) -> Self {
        let write_spacing = limit
            .write_spacing()
            .map(|spacing| spacing.min(LONGEST_SPACING));
        let write_tolerance = write_spacing
            .map(|spacing| {
                spacing
                    .saturating_mul(limit.write_burst.saturating_sub(1))
                    .min(LONGEST_SPACING)
            })
            .unwrap_or_default();
        Self {
            limit,
            write_spacing,
            write_tolerance,
            request_spacing: limit
                .request_spacing()
                .map(|spacing| spacing.min(LONGEST_SPACING)),
            schedule: Arc::default(),
        }
    }

    /// The limits it keeps to.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until a request with `method` may be sent.
    pub(crate) async fn acquire(&self, method: &Method) {
        let write = matches!(
            *method,
            Method::POST | Method::PUT | Method::DELETE | Method::PATCH
        );
        self.wait(write).await;
    }

    /// Waits until any request, e.g. for a token, may be sent.
    pub(crate) async fn acquire_request(&self) {
        self.wait(false).await;
    }

    async fn wait(&self, write: bool) {
        let at = self.reserve(write, Instant::now());
        let wait = at.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "client-side rate limit reached; waiting"
            );
            // A caller that gives up while it waits leaves its slot unused: later requests
            // wait a little longer than they had to, never less.
            tokio::time::sleep_until(at).await;
        }
    }

    /// Takes the earliest slot from `now` on that keeps to every limit, and answers when it is.
    fn reserve(&self, write: bool, now: Instant) -> Instant {
        // The schedule is consistent after every statement, so a panic elsewhere while it was
        // locked leaves nothing half done.
        let mut schedule = self.schedule.lock().unwrap_or_else(PoisonError::into_inner);
        let mut at = now;
        let write_spacing = self.write_spacing.filter(|_| write);
        if let (Some(_), Some(next)) = (write_spacing, schedule.next_write) {
            if let Some(earliest) = next.checked_sub(self.write_tolerance) {
                at = at.max(earliest);
            }
        }
        if let Some(spacing) = self.request_spacing {
            schedule.starts.retain(|start| *start + spacing > now);
            // The earliest start at least `spacing` away from every other: in the first gap
            // wide enough, or after the last.
            let mut index = 0;
            for start in &schedule.starts {
                if at + spacing <= *start {
                    break;
                }
                at = at.max(*start + spacing);
                index += 1;
            }
            schedule.starts.insert(index, at);
        }
        if let Some(spacing) = write_spacing {
            let pace = schedule.next_write.map_or(at, |next| next.max(at));
            schedule.next_write = Some(pace + spacing);
        }
        at
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
