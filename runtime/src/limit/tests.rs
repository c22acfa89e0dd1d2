//! Tests of the client-side rate limits: pace, interval, clones sharing one limit, odd settings.

use super::*;

/// How long `count` requests with `method` take to be let through, one after the other.
async fn time(limiter: &RateLimiter, method: Method, count: usize) -> Duration {
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
    let limiter = RateLimiter::new(RateLimit::none().writes_per_minute(60).write_burst(3));
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

    let limiter = RateLimiter::new(RateLimit::none().writes_per_minute(120).write_burst(0));
    assert_about(
        time(&limiter, Method::POST, 3).await,
        Duration::from_secs(1),
    );
}

#[tokio::test(start_paused = true)]
async fn every_request_keeps_the_minimum_interval() {
    let limiter = RateLimiter::new(RateLimit::none().min_interval(Duration::from_millis(100)));
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
    let limiter = RateLimiter::new(RateLimit::default());
    assert_eq!(RateLimit::default(), RateLimit::nexudus_default());
    assert_eq!(limiter.limit(), RateLimit::nexudus_default());
    // One write per 1.02 s; the reads in between only keep 120 ms apart.
    let started = Instant::now();
    limiter.acquire(&Method::POST).await;
    limiter.acquire(&Method::GET).await;
    limiter.acquire(&Method::GET).await;
    assert_about(started.elapsed(), Duration::from_millis(240));
    limiter.acquire(&Method::PUT).await;
    assert_about(started.elapsed(), Duration::from_millis(1_020));

    let limiter = RateLimiter::new(RateLimit::none());
    assert_eq!(time(&limiter, Method::POST, 1_000).await, Duration::ZERO);
    assert_eq!(time(&limiter, Method::GET, 1_000).await, Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn clones_share_one_limit_across_tasks() {
    let limiter = RateLimiter::new(RateLimit::nexudus_default());
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
        assert_about(at, Duration::from_millis(1_020) * index as u32);
    }
}

/// The arrival times of `count` requests with `method` let through one after the other,
/// from the first.
async fn schedule(limiter: &RateLimiter, method: Method, count: usize) -> Vec<Duration> {
    let started = Instant::now();
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        limiter.acquire(&method).await;
        times.push(started.elapsed());
    }
    times
}

#[tokio::test(start_paused = true)]
async fn the_default_leaves_a_margin_below_both_published_limits() {
    let limiter = RateLimiter::new(RateLimit::nexudus_default());
    // Sent exactly one second apart, 61 writes fall within 60 s, which a server counting
    // over a sliding minute refuses; with the margin they span 61.2 s.
    let writes = schedule(&limiter, Method::POST, 121).await;
    for window in writes.windows(61) {
        let span = window[60] - window[0];
        assert!(span >= Duration::from_millis(61_200), "{span:?}");
    }
    // Every request at least 120 ms after the one before: 20 ms to spare over 100 ms.
    let reads = schedule(&limiter, Method::GET, 50).await;
    for pair in reads.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(120), "{pair:?}");
    }
    // A margin of zero keeps exactly to the numbers given.
    let exact = RateLimiter::new(RateLimit::nexudus_default().margin(Duration::ZERO));
    assert_about(
        time(&exact, Method::POST, 61).await,
        Duration::from_secs(60),
    );
}

#[tokio::test(start_paused = true)]
async fn writes_per_sets_any_window_and_zero_switches_the_limit_off() {
    let limiter = RateLimiter::new(
        RateLimit::none()
            .writes_per(4, Duration::from_secs(2))
            .margin(Duration::from_millis(10)),
    );
    // 500 ms per write plus the margin.
    assert_about(
        time(&limiter, Method::PUT, 3).await,
        Duration::from_millis(1_020),
    );
    // The margin applies to the minimum interval too, and only where there is a limit.
    assert_eq!(time(&limiter, Method::GET, 100).await, Duration::ZERO);
    let spaced = RateLimiter::new(
        RateLimit::none()
            .min_interval(Duration::from_millis(50))
            .margin(Duration::from_millis(5)),
    );
    assert_about(
        time(&spaced, Method::GET, 3).await,
        Duration::from_millis(110),
    );
    for off in [
        RateLimit::none().writes_per(0, Duration::from_secs(60)),
        RateLimit::none().writes_per(60, Duration::ZERO),
    ] {
        let limiter = RateLimiter::new(off.margin(Duration::from_secs(1)));
        assert_eq!(time(&limiter, Method::POST, 100).await, Duration::ZERO);
    }
}

#[tokio::test(start_paused = true)]
async fn writes_keep_their_spacing_however_many_reads_compete() {
    let limiter = RateLimiter::new(RateLimit::nexudus_default());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    // Eight readers keep the request slots busy while two writers write.
    for task in 0..10 {
        let limiter = limiter.clone();
        let method = if task < 2 { Method::POST } else { Method::GET };
        tasks.spawn(async move {
            let mut times = Vec::new();
            for _ in 0..8 {
                limiter.acquire(&method).await;
                times.push((started.elapsed(), method == Method::POST));
            }
            times
        });
    }
    let mut times: Vec<(Duration, bool)> = tasks.join_all().await.concat();
    times.sort();
    for pair in times.windows(2) {
        assert!(
            pair[1].0 - pair[0].0 >= Duration::from_millis(120),
            "{pair:?}"
        );
    }
    let writes: Vec<Duration> = times
        .iter()
        .filter(|(_, write)| *write)
        .map(|(at, _)| *at)
        .collect();
    assert_eq!(writes.len(), 16);
    for pair in writes.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(1_020),
            "{writes:?}"
        );
    }
}

#[test]
fn reads_go_in_the_gaps_before_a_write_that_waits_for_its_turn() {
    let limiter = RateLimiter::new(RateLimit::nexudus_default());
    let now = Instant::now();
    let ms = |millis: u64| now + Duration::from_millis(millis);
    assert_eq!(limiter.reserve(true, now), now);
    assert_eq!(limiter.reserve(true, now), ms(1_020));
    // Reads made meanwhile need not wait behind the second write: 120 ms apart, they fill
    // the second before it, and the one that would come too close to it goes after it.
    for read in 1..=7 {
        assert_eq!(limiter.reserve(false, now), ms(120 * read));
    }
    assert_eq!(limiter.reserve(false, now), ms(1_140));
    assert_eq!(limiter.reserve(false, now), ms(1_260));
    // Writes keep their own pace among them.
    assert_eq!(limiter.reserve(true, now), ms(2_040));
    assert_eq!(limiter.reserve(false, now), ms(1_380));
    // Starts long past are forgotten; a later read is spaced from recent ones only.
    assert_eq!(limiter.reserve(false, ms(5_000)), ms(5_000));
    assert_eq!(limiter.reserve(false, ms(5_000)), ms(5_120));
}

#[test]
fn absurd_settings_neither_overflow_nor_panic() {
    let limiter = RateLimiter::new(
        RateLimit::none()
            .writes_per(1, Duration::MAX)
            .write_burst(u32::MAX)
            .min_interval(Duration::MAX)
            .margin(Duration::MAX),
    );
    let now = Instant::now();
    for write in [true, false, true, true] {
        let at = limiter.reserve(write, now);
        assert!(at >= now);
    }
}

#[test]
fn debug_shows_the_limit() {
    let debug = format!("{:?}", RateLimiter::new(RateLimit::nexudus_default()));
    assert!(
        debug.starts_with("RateLimiter { limit: RateLimit {"),
        "{debug}"
    );
    assert!(debug.contains("margin: 20ms"), "{debug}");
}
