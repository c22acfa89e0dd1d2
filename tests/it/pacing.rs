//! The client's pace as a server that counts requests in a sliding window sees it: arrival times
//! at a loopback server, checked against the write limit per window and the least spacing.
//!
//! The limits are scaled down (a window of 600 ms instead of 60 s) so that the tests take about a
//! second; the default's own numbers are checked on a paused clock in the runtime's unit tests,
//! and end to end, briefly, here.

use std::time::Duration;

use nexudus::{Client, RateLimit, RateLimiter};

use crate::client::{valid_create, valid_update};
use crate::raw::{Arrival, RawServer, Reply, response};

const CREATED: &str = r#"{"Status": 200, "Value": {"Id": 87654321}, "WasSuccessful": true}"#;
const RECORD: &str = r#"{"Id": 87654321, "DisplayName": "Front desk"}"#;
const TOKEN: &str = r#"{"access_token": "pacing-access", "token_type": "bearer", "expires_in": 604799, "refresh_token": "pacing-refresh"}"#;

/// A server that answers every request as Nexudus does when all goes well.
async fn server() -> RawServer {
    RawServer::start(|_, arrival| {
        let body = match (arrival.method.as_str(), arrival.path.as_str()) {
            (_, "/api/token") => TOKEN,
            ("GET", _) => RECORD,
            _ => CREATED,
        };
        Reply::Send(response(200, "OK", body))
    })
    .await
}

fn is_write(arrival: &Arrival) -> bool {
    matches!(arrival.method.as_str(), "POST" | "PUT" | "DELETE") && arrival.path != "/api/token"
}

/// Asserts what a server counting arrivals would check: no `window` (its ends included) holds
/// more than `writes` writes, and no two requests of any kind arrived closer than `gap`.
fn assert_within(arrivals: &[Arrival], writes: usize, window: Duration, gap: Duration) {
    let times: Vec<Duration> = arrivals.iter().map(|arrival| arrival.at).collect();
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= gap,
            "requests {gap:?} apart at least: {times:?}"
        );
    }
    let write_times: Vec<Duration> = arrivals
        .iter()
        .filter(|arrival| is_write(arrival))
        .map(|arrival| arrival.at)
        .collect();
    for run in write_times.windows(writes + 1) {
        assert!(
            run[writes] - run[0] > window,
            "more than {writes} writes within {window:?}: {write_times:?}"
        );
    }
    // The figures of BENCHMARKS.md; shown with `--nocapture`.
    let closest = times.windows(2).map(|pair| pair[1] - pair[0]).min();
    let shortest = write_times
        .windows(writes + 1)
        .map(|run| run[writes] - run[0])
        .min();
    eprintln!(
        "pacing: closest requests {closest:?} apart (least {gap:?}); \
         shortest span of {} writes {shortest:?} (window {window:?})",
        writes + 1
    );
}

/// 3 writes per 600 ms and 20 ms between requests, each spacing 100 ms longer: writes 300 ms
/// apart, requests 120 ms apart. The margin is larger than the default's because a loaded test
/// machine delays arrivals more than a network does.
fn scaled_down() -> RateLimit {
    RateLimit::none()
        .writes_per(3, Duration::from_millis(600))
        .min_interval(Duration::from_millis(20))
        .margin(Duration::from_millis(100))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_writes_and_token_requests_keep_to_a_sliding_window() {
    let server = server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .password("desk@example.com", "pacing-password")
        .rate_limit(scaled_down())
        .build()
        .expect("client");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let client = client.clone();
        tasks.spawn(async move {
            let accounts = client.email_accounts();
            for _ in 0..2 {
                accounts.create(&valid_create()).await.expect("created");
                accounts.get(87_654_321).await.expect("read");
            }
            accounts.update(&valid_update()).await.expect("updated");
        });
    }
    tasks.join_all().await;

    let arrivals = server.arrivals();
    assert_eq!(
        arrivals.len(),
        1 + 2 * 5,
        "one token request and every call"
    );
    assert_eq!(arrivals[0].path, "/api/token");
    assert_eq!(arrivals.iter().filter(|a| is_write(a)).count(), 6);
    assert_within(
        &arrivals,
        3,
        Duration::from_millis(600),
        Duration::from_millis(20),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separately_built_clients_share_one_limiter() {
    let server = server().await;
    let limiter = RateLimiter::new(scaled_down());
    let first = Client::builder()
        .base_url(server.uri())
        .bearer_token("pacing-token")
        .rate_limiter(limiter.clone())
        .build()
        .expect("client");
    // Built apart, with settings of its own, but for the same account.
    let second = Client::builder()
        .base_url(server.uri())
        .basic("desk@example.com", "pacing-password")
        .timeout(Duration::from_secs(5))
        // Replaced by the shared limiter given after it.
        .rate_limit(RateLimit::none())
        .rate_limiter(limiter)
        .build()
        .expect("client");
    let mut tasks = tokio::task::JoinSet::new();
    for client in [first, second] {
        tasks.spawn(async move {
            for _ in 0..3 {
                client
                    .email_accounts()
                    .create(&valid_create())
                    .await
                    .expect("created");
            }
        });
    }
    tasks.join_all().await;

    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 6);
    assert_within(
        &arrivals,
        3,
        Duration::from_millis(600),
        Duration::from_millis(20),
    );
}

#[tokio::test]
async fn the_default_spaces_requests_by_more_than_the_published_limits() {
    let server = server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("pacing-token")
        .build()
        .expect("client");
    let accounts = client.email_accounts();
    accounts.create(&valid_create()).await.expect("created");
    for _ in 0..3 {
        accounts.get(87_654_321).await.expect("read");
    }
    accounts.create(&valid_create()).await.expect("created");

    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 5);
    // Any request at least 100 ms after the one before; the second write more than a second
    // after the first, so that 61 never fit into 60 s.
    assert_within(
        &arrivals,
        1,
        Duration::from_secs(1),
        Duration::from_millis(100),
    );
}
