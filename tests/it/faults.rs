//! The client against servers that fail on purpose: resets, silence, dripping, truncated and
//! enormous bodies, storms of 5xx, refused connections and unknown hosts. Every fault must end
//! in a typed error that names the entity and the operation, in bounded time, without a panic.
//!
//! Each test prints a row of the fault table of BENCHMARKS.md; to see them:
//! `cargo test -p nexudus-tests --test it faults -- --nocapture --test-threads=1`.

use std::time::{Duration, Instant};

use nexudus::crm::email_account::EmailAccountFilter;
use nexudus::{Client, ClientBuilder, Error, Operation, PageRequest, RateLimit};

use crate::client::valid_create;
use crate::raw::{RawServer, Reply, response};

const TOKEN: &str = "faults-token-2b7d41";

/// The per-attempt timeout of these tests: long enough for loopback on a loaded machine,
/// short enough to keep the suite fast.
const TIMEOUT: Duration = Duration::from_millis(400);

/// A generous bound on how long any fault may take to be reported: minutes would mean a hang.
const PROMPT: Duration = Duration::from_secs(10);

/// A client for `server` with short timeouts and backoffs, and no client-side rate limit.
fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .timeout(TIMEOUT)
        .retry_backoff(Duration::from_millis(10))
        .max_retries(2)
        .rate_limit(RateLimit::none())
}

fn client(base_url: &str) -> Client {
    builder(base_url).build().expect("a valid client")
}

/// Checks what every fault must give, prints the table row, and answers the error's text.
fn report(fault: &str, error: &Error, operation: Operation, elapsed: Duration) -> String {
    let text = error.to_string();
    assert_eq!(error.entity(), Some("EmailAccount"), "{fault}: {error:?}");
    assert_eq!(error.operation(), Some(operation), "{fault}: {error:?}");
    assert!(
        text.starts_with(&format!("EmailAccount {operation}: ")),
        "{fault}: {text}"
    );
    assert!(elapsed < PROMPT, "{fault} took {elapsed:?}");
    let shown = format!("{error:?} {text}");
    assert!(
        !shown.contains(TOKEN),
        "{fault}: the token shows in {shown}"
    );
    eprintln!("| {fault} | `{text}` | {} ms |", elapsed.as_millis());
    text
}

async fn timed<T>(call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let result = call.await;
    (result, started.elapsed())
}

async fn get(client: &Client) -> (Result<(), Error>, Duration) {
    timed(async { client.email_accounts().get(87_654_321).await.map(drop) }).await
}

async fn create(client: &Client) -> (Result<(), Error>, Duration) {
    timed(async {
        client
            .email_accounts()
            .create(&valid_create())
            .await
            .map(drop)
    })
    .await
}

async fn search(client: &Client) -> (Result<(), Error>, Duration) {
    timed(async {
        client
            .email_accounts()
            .search(&EmailAccountFilter::new(), &PageRequest::new())
            .await
            .map(drop)
    })
    .await
}

fn is_transport(error: &Error) -> bool {
    matches!(error, Error::Transport { .. })
}

/// A head that announces a 1,000-byte JSON body, and the first 100 bytes of it.
fn head_and_part_of_a_body() -> Vec<u8> {
    let mut bytes =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
            .to_vec();
    bytes.extend_from_slice(br#"{"Id": 87654321, "DisplayName": "Front desk", "#);
    bytes.resize(bytes.len() + 54, b' ');
    bytes
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error_retried_only_when_safe() {
    let server = RawServer::start(|_, _| Reply::SendAndReset(head_and_part_of_a_body())).await;
    let client = client(&server.uri());

    let (result, elapsed) = get(&client).await;
    let error = result.expect_err("reset");
    assert!(is_transport(&error), "{error:?}");
    let text = report(
        "connection reset mid-body (GET)",
        &error,
        Operation::Get,
        elapsed,
    );
    assert!(text.contains("before a complete response"), "{text}");
    assert_eq!(
        server.arrivals().len(),
        3,
        "a read is tried 1 + max_retries times"
    );

    // A create may have been carried out: it is never sent again once the server had it.
    let (result, elapsed) = create(&client).await;
    let error = result.expect_err("reset");
    report(
        "connection reset mid-body (POST)",
        &error,
        Operation::Create,
        elapsed,
    );
    assert_eq!(server.arrivals().len(), 4);
}

#[tokio::test]
async fn a_connection_never_answered_times_out_once_per_attempt() {
    let server = RawServer::start(|_, _| Reply::Silence).await;
    let client = builder(&server.uri())
        .max_retries(1)
        .build()
        .expect("client");

    let (result, elapsed) = get(&client).await;
    let error = result.expect_err("silence");
    let text = report("accepted, never answered", &error, Operation::Get, elapsed);
    assert_eq!(text, "EmailAccount get: the request timed out");
    assert_eq!(server.arrivals().len(), 2);
    assert!(
        elapsed >= TIMEOUT * 2,
        "two attempts, each given the whole timeout"
    );

    let (result, _) = create(&client).await;
    let error = result.expect_err("silence");
    assert_eq!(
        error.to_string(),
        "EmailAccount create: the request timed out"
    );
    assert_eq!(server.arrivals().len(), 3, "a create is not sent again");
}

#[tokio::test]
async fn the_timeout_bounds_a_body_that_drips_one_byte_a_second() {
    let body = br#"{"Id": 87654321, "DisplayName": "Front desk"}"#.to_vec();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let server = RawServer::start(move |_, _| Reply::Drip {
        head: head.clone().into_bytes(),
        body: body.clone(),
        every: Duration::from_secs(1),
    })
    .await;
    let client = builder(&server.uri())
        .max_retries(0)
        .build()
        .expect("client");

    let (result, elapsed) = get(&client).await;
    let error = result.expect_err("too slow");
    let text = report("body drips 1 byte/s", &error, Operation::Get, elapsed);
    assert_eq!(text, "EmailAccount get: the request timed out");
    // The headers came at once; only a deadline on the body ends this before the 45 s the
    // body takes.
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn truncated_bodies_are_transport_or_decode_errors() {
    // The connection closes before the announced length: the body is incomplete.
    let server = RawServer::start(|_, _| Reply::SendAndClose(head_and_part_of_a_body())).await;
    let (result, elapsed) = get(&client(&server.uri())).await;
    let error = result.expect_err("cut short");
    assert!(is_transport(&error), "{error:?}");
    let text = report(
        "body shorter than Content-Length",
        &error,
        Operation::Get,
        elapsed,
    );
    assert!(text.contains("before a complete response"), "{text}");

    // Complete as HTTP, cut short as JSON.
    let server = RawServer::start(|_, _| {
        Reply::Send(response(
            200,
            "OK",
            r#"{"Id": 87654321, "DisplayName": "Fr"#,
        ))
    })
    .await;
    let (result, elapsed) = get(&client(&server.uri())).await;
    let error = result.expect_err("truncated JSON");
    let text = report("truncated JSON", &error, Operation::Get, elapsed);
    assert!(
        matches!(&error, Error::Decode { status: 200, excerpt, .. } if excerpt.starts_with(r#"{"Id""#)),
        "{error:?}"
    );
    assert!(
        text.contains("could not decode the HTTP 200 response"),
        "{text}"
    );
    assert_eq!(
        server.arrivals().len(),
        1,
        "a body that is not understood is not retried"
    );
}

#[tokio::test]
async fn non_json_and_wrong_shape_bodies_are_decode_errors_with_an_excerpt() {
    let html = "<html><body><h1>Bad gateway</h1></body></html>";
    let cases: [(&str, &str, Operation); 4] = [
        ("HTML instead of JSON", html, Operation::Get),
        ("a list where a record belongs", "[1, 2, 3]", Operation::Get),
        (
            "a page whose records are a number",
            r#"{"Records": 5, "TotalItems": 1}"#,
            Operation::Search,
        ),
        (
            "a write envelope without WasSuccessful",
            r#"{"Status": 200, "Value": {"Id": 1}}"#,
            Operation::Create,
        ),
    ];
    for (fault, body, operation) in cases {
        let server = RawServer::start(move |_, _| Reply::Send(response(200, "OK", body))).await;
        let client = client(&server.uri());
        let (result, elapsed) = match operation {
            Operation::Search => search(&client).await,
            Operation::Create => create(&client).await,
            _ => get(&client).await,
        };
        let error = result.expect_err(fault);
        report(fault, &error, operation, elapsed);
        assert!(
            matches!(&error, Error::Decode { status: 200, excerpt, .. } if excerpt == body),
            "{fault}: {error:?}"
        );
    }
}

/// 100 MB: far beyond any real answer, and beyond what a test should hold in memory.
const HUNDRED_MB: u64 = 100_000_000;

#[tokio::test]
async fn a_100_mb_body_stops_at_the_size_limit() {
    let limit = 1024 * 1024;
    for (fault, chunked) in [
        ("100 MB body, Content-Length, 1 MiB limit", false),
        ("100 MB body, chunked, 1 MiB limit", true),
    ] {
        let server = RawServer::start(move |_, _| Reply::Stream {
            total: HUNDRED_MB,
            chunked,
        })
        .await;
        let client = builder(&server.uri())
            .max_response_size(limit)
            .build()
            .expect("client");
        let (result, elapsed) = get(&client).await;
        let error = result.expect_err(fault);
        let text = report(fault, &error, Operation::Get, elapsed);
        assert!(
            matches!(
                error,
                Error::ResponseTooLarge {
                    status: 200,
                    limit: 1_048_576,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(200));
        assert_eq!(
            text,
            "EmailAccount get: the HTTP 200 response is larger than the limit of 1048576 bytes"
        );
        assert_eq!(
            server.arrivals().len(),
            1,
            "a body too large is not asked for again"
        );
        // Reading stopped near the limit: what the server could write is that plus what the
        // sockets' buffers hold, nowhere near the whole body.
        let streamed = server.streamed();
        assert!(
            streamed < 32 * 1024 * 1024,
            "{fault}: {streamed} bytes sent"
        );
    }
}

#[tokio::test]
async fn the_default_size_limit_is_32_mib() {
    let server = RawServer::start(|_, _| Reply::Stream {
        total: HUNDRED_MB,
        chunked: true,
    })
    .await;
    let (result, elapsed) = get(&client(&server.uri())).await;
    let error = result.expect_err("too large");
    report(
        "100 MB body, chunked, default limit",
        &error,
        Operation::Get,
        elapsed,
    );
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit: 33_554_432,
                ..
            }
        ),
        "{error:?}"
    );
    // 32 MiB read, and what the sockets' buffers hold: well short of the whole body.
    assert!(
        server.streamed() < HUNDRED_MB * 3 / 4,
        "{}",
        server.streamed()
    );

    // Below the limit nothing changes: a body of some megabytes is read whole.
    let record = format!(
        r#"{{"Id": 87654321, "DisplayName": "{}"}}"#,
        "x".repeat(3 * 1024 * 1024)
    );
    let server = RawServer::start(move |_, _| Reply::Send(response(200, "OK", &record))).await;
    let found = client(&server.uri())
        .email_accounts()
        .get(87_654_321)
        .await
        .expect("a 3 MiB record is read");
    assert_eq!(
        found.display_name.as_deref().map(str::len),
        Some(3 * 1024 * 1024)
    );
}

#[tokio::test]
async fn a_storm_of_5xx_is_retried_a_bounded_number_of_times() {
    let server = RawServer::start(|_, _| {
        Reply::Send(response(503, "Service Unavailable", "Service Unavailable"))
    })
    .await;
    let client = builder(&server.uri())
        .max_retries(3)
        .build()
        .expect("client");
    let (result, elapsed) = get(&client).await;
    let error = result.expect_err("503");
    let text = report(
        "503 on every request (GET, 3 retries)",
        &error,
        Operation::Get,
        elapsed,
    );
    assert_eq!(
        text,
        "EmailAccount get: server error (HTTP 503): Service Unavailable"
    );
    assert_eq!(server.arrivals().len(), 4);

    // With the default retries and backoff: 3 requests, at most 250 + 500 ms of waiting.
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .rate_limit(RateLimit::none())
        .build()
        .expect("client");
    let (result, elapsed) = get(&client).await;
    let error = result.expect_err("503");
    report(
        "503 on every request (GET, defaults)",
        &error,
        Operation::Get,
        elapsed,
    );
    assert_eq!(server.arrivals().len(), 7);
    assert!(
        elapsed >= Duration::from_millis(375),
        "backoff was kept: {elapsed:?}"
    );

    // A create is never sent again after a 5xx: it may have been carried out.
    let (result, elapsed) = create(&client).await;
    let error = result.expect_err("503");
    report(
        "503 on every request (POST)",
        &error,
        Operation::Create,
        elapsed,
    );
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.arrivals().len(), 8);
}

#[tokio::test]
async fn a_refused_connection_and_an_unknown_host_cannot_connect() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    let (result, elapsed) = create(&client(&format!("http://{address}"))).await;
    let error = result.expect_err("nothing listens");
    let text = report(
        "connection refused (POST)",
        &error,
        Operation::Create,
        elapsed,
    );
    assert_eq!(text, "EmailAccount create: could not connect to the server");

    // `.invalid` never resolves (RFC 2606).
    let (result, elapsed) = get(&client("http://nexudus-faults.invalid")).await;
    let error = result.expect_err("no such host");
    let text = report(
        "host name does not resolve",
        &error,
        Operation::Get,
        elapsed,
    );
    assert!(is_transport(&error), "{error:?}");
    assert_eq!(text, "EmailAccount get: could not connect to the server");
}

/// The process's peak resident memory (`VmHWM`) in MiB.
fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib / 1024.0
}

/// Reads a chunked 100 MB body with `limit` and prints the peak memory before and after.
async fn peak_memory_of_a_100_mb_body(limit: Option<usize>) {
    let before = peak_memory_mib();
    let server = RawServer::start(|_, _| Reply::Stream {
        total: HUNDRED_MB,
        chunked: true,
    })
    .await;
    let mut builder = builder(&server.uri()).timeout(Duration::from_secs(60));
    if let Some(limit) = limit {
        builder = builder.max_response_size(limit);
    }
    let (result, elapsed) = get(&builder.build().expect("client")).await;
    let error = result.expect_err("too large or not JSON");
    eprintln!(
        "limit {limit:?}: peak RSS {before:.1} MiB before, {:.1} MiB after, {} ms: {error}",
        peak_memory_mib(),
        elapsed.as_millis()
    );
}

/// Run alone, so that no other test's memory counts:
/// `cargo test -p nexudus-tests --test it -- --ignored --exact --nocapture
/// faults::peak_memory_with_the_default_limit`.
#[tokio::test]
#[ignore = "a measurement, run on its own"]
async fn peak_memory_with_the_default_limit() {
    peak_memory_of_a_100_mb_body(None).await;
}

/// As [`peak_memory_with_the_default_limit`], with the limit switched off.
#[tokio::test]
#[ignore = "a measurement, run on its own"]
async fn peak_memory_without_a_limit() {
    peak_memory_of_a_100_mb_body(Some(usize::MAX)).await;
}
