//! Tests of `Client` over loopback HTTP: what each operation sends and how its answer is read,
//! its errors and configuration, and how requests are sent again: throttling, retries, timeouts,
//! rate limits and traces.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once, PoisonError};
use std::time::Duration;

use serde_json::json;
use tokio::sync::mpsc;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::fixtures::CREATED;
use crate::fixtures::{EMAIL_ACCOUNTS, header, only_request, requests};
use crate::{RateLimit, ValidationOrigin};

const TOKEN: &str = "tok-7f3a9c-super-secret";

const CREATE: Endpoint = EMAIL_ACCOUNTS.create;
const UPDATE: Endpoint = EMAIL_ACCOUNTS.update;
const SEARCH: Endpoint = EMAIL_ACCOUNTS.search;
const GET: Endpoint = EMAIL_ACCOUNTS.get;
const GET_MANY: Endpoint = EMAIL_ACCOUNTS.get_many;
const COMMANDS: Endpoint = EMAIL_ACCOUNTS.commands;
const DELETE: Endpoint = EMAIL_ACCOUNTS.delete;
const RUN_COMMAND: Endpoint = EMAIL_ACCOUNTS.run_command;

/// The request body of the documented cURL example for create.
fn create_body() -> serde_json::Value {
    json!({
        "BusinessId": 0,
        "DisplayName": "",
        "EmailAddress": "",
        "IncomingServer": "",
        "IncomingServerPort": 0,
        "IncomingServerUsername": "",
        "OutgoingServer": "",
        "OutgoingServerPort": 0,
        "OutgoingServerUsername": "",
        "LastMessageId": 0,
        "ErrorCount": 0
    })
}

/// A client without client-side rate limits, which these tests are not about.
fn client_for(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .rate_limit(RateLimit::none())
        .build()
        .expect("valid test client")
}

async fn write_with(
    endpoint: &Endpoint,
    response: ResponseTemplate,
) -> (Result<WriteOutcome, Error>, MockServer) {
    let server = server_answering(vec![response]).await;
    let body = serde_json::to_vec(&create_body()).expect("body");
    let result = client_for(&server.uri()).write(endpoint, body).await;
    (result, server)
}

/// The body of a `GET` as [`Client::read_answer`] answers it, for the tests of the raw exchange.
async fn read(
    client: &Client,
    endpoint: &Endpoint,
    id: Option<i64>,
    query: &[(String, String)],
) -> Result<Vec<u8>, Error> {
    Ok(client.read_answer(endpoint, id, query).await?.body)
}

/// The documented answer to a create, as a mock server sends it.
fn created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(CREATED, "application/json")
}

fn throttled(seconds: u64) -> ResponseTemplate {
    ResponseTemplate::new(409).insert_header("Retry-After", seconds.to_string().as_str())
}

/// A server that gives each answer once, in order, and the last one from then on.
async fn server_answering(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let last = answers.len().saturating_sub(1);
    for (index, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(any()).respond_with(answer);
        let mock = if index == last {
            mock
        } else {
            mock.up_to_n_times(1)
        };
        mock.mount(&server).await;
    }
    server
}

/// A client for `server` with fast retries and no client-side rate limits.
fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_backoff(Duration::from_millis(1))
        .rate_limit(RateLimit::none())
}

fn build(builder: ClientBuilder) -> Client {
    builder.build().expect("valid test client")
}

/// Moves tokio's clock forward at once. The clock is paused only for the jump: a paused
/// runtime that waits for the loopback server skips ahead to the request timeout.
async fn jump(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// Lets the tasks woken by a jump run up to their next wait.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

/// The fields of one span or event, as text.
type Fields = BTreeMap<String, String>;

/// What a test saw of this crate's traces.
#[derive(Default)]
struct Seen {
    /// Name and fields of each span, by id.
    spans: BTreeMap<u64, (&'static str, Fields)>,
    events: Vec<Fields>,
}

/// Where the traces of the test running on this thread go.
struct Sink {
    seen: Mutex<Seen>,
    events: mpsc::UnboundedSender<Fields>,
}

thread_local! {
    static SINK: RefCell<Option<Arc<Sink>>> = const { RefCell::new(None) };
}

/// The global subscriber of the test binary: hands this crate's spans and events to the sink of
/// the thread they happen on, if any. One global subscriber, rather than one per test with
/// `set_default`, because tracing caches per call site whether anyone listens, and tests that
/// run in parallel without a subscriber would otherwise switch the call sites off.
struct Router;

static NEXT_SPAN: AtomicU64 = AtomicU64::new(1);

fn with_sink(f: impl FnOnce(&Sink)) {
    SINK.with(|sink| {
        if let Some(sink) = sink.borrow().as_ref() {
            f(sink);
        }
    });
}

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Sink {
    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Subscriber for Router {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("nexudus")
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = NEXT_SPAN.fetch_add(1, Ordering::Relaxed);
        with_sink(|sink| {
            let mut fields = Fields::new();
            span.record(&mut Visitor(&mut fields));
            sink.seen()
                .spans
                .insert(id, (span.metadata().name(), fields));
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        with_sink(|sink| {
            if let Some((_, fields)) = sink.seen().spans.get_mut(&span.into_u64()) {
                values.record(&mut Visitor(fields));
            }
        });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        with_sink(|sink| {
            let mut fields = Fields::new();
            event.record(&mut Visitor(&mut fields));
            sink.seen().events.push(fields.clone());
            let _ = sink.events.send(fields);
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// This crate's traces on this thread (where a current-thread test runs its tasks), until
/// dropped.
struct Traces {
    sink: Arc<Sink>,
    events: mpsc::UnboundedReceiver<Fields>,
}

impl Traces {
    fn start() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let _ = tracing::subscriber::set_global_default(Router);
        });
        // For a call site first reached by another test just as the router was installed.
        tracing::callsite::rebuild_interest_cache();
        let (sender, events) = mpsc::unbounded_channel();
        let sink = Arc::new(Sink {
            seen: Mutex::new(Seen::default()),
            events: sender,
        });
        SINK.with(|current| *current.borrow_mut() = Some(Arc::clone(&sink)));
        Self { sink, events }
    }

    /// Waits for the next event whose message starts with `message`, skipping others.
    async fn next(&mut self, message: &str) -> Fields {
        let wait = async {
            loop {
                let fields = self.events.recv().await.expect("the collector lives");
                if fields
                    .get("message")
                    .is_some_and(|text| text.starts_with(message))
                {
                    return fields;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .unwrap_or_else(|_| panic!("no event `{message}`"))
    }

    /// The fields of every `nexudus.request` span, in order.
    fn requests(&self) -> Vec<Fields> {
        self.sink
            .seen()
            .spans
            .values()
            .filter(|(name, _)| *name == "nexudus.request")
            .map(|(_, fields)| fields.clone())
            .collect()
    }

    /// The attempt the only request span is at.
    fn attempt(&self) -> String {
        let spans = self.requests();
        assert_eq!(spans.len(), 1, "{spans:?}");
        spans[0].get("attempt").cloned().unwrap_or_default()
    }

    /// How many events had a message starting with `message`.
    fn count(&self, message: &str) -> usize {
        self.sink
            .seen()
            .events
            .iter()
            .filter(|fields| {
                fields
                    .get("message")
                    .is_some_and(|text| text.starts_with(message))
            })
            .count()
    }

    /// Every field of every span and event, for checks of what must never appear.
    fn all_text(&self) -> String {
        let seen = self.sink.seen();
        format!("{:?} {:?}", seen.spans, seen.events)
    }
}

impl Drop for Traces {
    fn drop(&mut self) {
        SINK.with(|current| current.borrow_mut().take());
    }
}

#[tokio::test]
async fn create_sends_an_authenticated_json_post_and_returns_the_outcome() {
    let (result, server) = write_with(&CREATE, created()).await;

    let outcome = result.expect("documented success");
    assert_eq!(outcome.id, 87654321);
    assert_eq!(
        outcome.message.as_deref(),
        Some("EmailAccount was successfully created.")
    );
    assert_eq!(outcome.updated_by.as_deref(), Some("admin@example.com"));
    assert_eq!(
        outcome.updated_on.map(|t| t.to_rfc3339()),
        Some("2025-01-15T10:30:00+00:00".to_owned())
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/crm/emailaccounts");
    assert_eq!(request.url.query(), None);
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(header(&request, "authorization"), Some(bearer.as_str()));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(
        header(&request, "user-agent"),
        Some(concat!("nexudus-rs/", env!("CARGO_PKG_VERSION")))
    );
    let sent: serde_json::Value = request.body_json().expect("JSON body");
    assert_eq!(sent, create_body());
}

#[tokio::test]
async fn update_sends_a_put_below_a_path_prefix() {
    for suffix in ["/prefix", "/prefix/"] {
        let server = server_answering(vec![created()]).await;
        let client = client_for(&format!("{}{suffix}", server.uri()));
        client
            .write(&UPDATE, br#"{"Id":87654321}"#.to_vec())
            .await
            .expect("success");
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "PUT");
        assert_eq!(
            request.url.path(),
            "/prefix/api/crm/emailaccounts",
            "{suffix}"
        );
        assert_eq!(request.body, br#"{"Id":87654321}"#);
    }
}

#[tokio::test]
async fn base_url_with_trailing_slash_adds_no_double_slash() {
    let server = server_answering(vec![created()]).await;
    let client = client_for(&format!("{}/", server.uri()));
    client
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect("success");
    assert_eq!(
        only_request(&server).await.url.path(),
        "/api/crm/emailaccounts"
    );
}

#[tokio::test]
async fn a_400_with_two_errors_is_server_validation_with_both() {
    let body = json!({
        "Message": "DisplayName: is a required field\r\nIncomingServerPassword: is too short",
        "Value": null,
        "Errors": [
            {"AttemptedValue": null, "Message": "is a required field", "PropertyName": "DisplayName"},
            {"AttemptedValue": "hunter2", "Message": "is too short", "PropertyName": "IncomingServerPassword"}
        ],
        "WasSuccessful": false
    });
    let (result, _server) =
        write_with(&CREATE, ResponseTemplate::new(400).set_body_json(body)).await;
    let error = result.expect_err("400");
    let Error::Validation {
        entity,
        operation,
        origin,
        message,
        errors,
    } = &error
    else {
        panic!("expected Validation, got {error:?}");
    };
    assert_eq!(*entity, "EmailAccount");
    assert_eq!(*operation, Operation::Create);
    assert_eq!(*origin, ValidationOrigin::Server);
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.starts_with("DisplayName"))
    );
    let names: Vec<&str> = errors.iter().map(|e| e.property_name.as_str()).collect();
    assert_eq!(names, ["DisplayName", "IncomingServerPassword"]);
    assert_eq!(errors.as_slice()[1].attempted_value, json!(null));
    assert_eq!(
        error.to_string(),
        "EmailAccount create: rejected by server validation (2 errors): \
         DisplayName: is a required field; IncomingServerPassword: is too short"
    );
    assert!(!format!("{error:?}").contains("hunter2"));
}

#[tokio::test]
async fn a_200_that_was_not_successful_is_server_validation() {
    let (result, _server) = write_with(
        &UPDATE,
        ResponseTemplate::new(200).set_body_json(json!({
            "Status": 200,
            "Message": "You have reached the maximum number of mailboxes.",
            "Value": null,
            "Errors": null,
            "WasSuccessful": false
        })),
    )
    .await;
    let error = result.expect_err("WasSuccessful false");
    assert!(
        matches!(
            &error,
            Error::Validation {
                origin: ValidationOrigin::Server,
                operation: Operation::Update,
                message: Some(m),
                errors,
                ..
            } if m == "You have reached the maximum number of mailboxes." && errors.is_empty()
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_500_to_a_create_is_a_server_error_and_never_sent_again() {
    let (result, server) = write_with(
        &CREATE,
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
    )
    .await;
    let error = result.expect_err("500");
    assert!(
        matches!(&error, Error::ServerError { status: 500, body, .. } if body == "Internal Server Error"),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        error.to_string(),
        "EmailAccount create: server error (HTTP 500): Internal Server Error"
    );
    assert_eq!(only_request(&server).await.method.as_str(), "POST");
}

#[tokio::test]
async fn a_conflict_without_retry_after_and_redirects_are_status_errors() {
    let (result, server) = write_with(&CREATE, ResponseTemplate::new(409)).await;
    let error = result.expect_err("409");
    assert!(
        matches!(&error, Error::Status { status: 409, .. }),
        "{error:?}"
    );
    only_request(&server).await;

    let (result, server) = write_with(
        &CREATE,
        ResponseTemplate::new(302).insert_header("Location", "/elsewhere"),
    )
    .await;
    assert_eq!(result.expect_err("302").status(), Some(302));
    assert_eq!(only_request(&server).await.method.as_str(), "POST");
}

#[tokio::test]
async fn a_non_json_200_is_a_decode_error_with_an_excerpt() {
    let page = format!("<html><body>{}</body></html>", "maintenance ".repeat(100));
    let (result, _server) = write_with(
        &CREATE,
        ResponseTemplate::new(200).set_body_string(page.clone()),
    )
    .await;
    let error = result.expect_err("HTML");
    let Error::Decode {
        status, excerpt, ..
    } = &error
    else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert!(excerpt.starts_with("<html><body>maintenance"));
    assert!(excerpt.chars().count() <= 513, "{}", excerpt.len());
    assert!(page.len() > 1000);
}

#[tokio::test]
async fn unreachable_server_and_timeout_are_transport_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = client_for(&format!("http://{address}"));
    let error = client
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "EmailAccount create: could not connect to the server"
    );
    assert!(!format!("{error:?} {error}").contains(TOKEN));

    let server = server_answering(vec![created().set_delay(Duration::from_secs(5))]).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .rate_limit(RateLimit::none())
        .build()
        .expect("client");
    let error = client
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect_err("too slow");
    let Error::Transport { source, .. } = &error else {
        panic!("expected Transport, got {error:?}");
    };
    assert!(source.is_timeout(), "{source:?}");
    assert_eq!(
        error.to_string(),
        "EmailAccount create: the request timed out"
    );
}

#[test]
fn debug_shows_the_base_url_but_never_the_token() {
    let client = client_for("http://127.0.0.1:9/prefix");
    let debug = format!("{client:?}");
    assert!(debug.contains("http://127.0.0.1:9/prefix"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");

    let builder = Client::builder().bearer_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
}

#[test]
fn is_send_sync_and_writes_are_send() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    fn assert_send<T: Send>(_: T) {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
    let client = client_for("http://127.0.0.1:9");
    assert_send(client.write(&CREATE, Vec::new()));
}

#[test]
fn bad_configuration_is_a_config_error_without_the_token() {
    let cases = [
        (Client::builder(), "credentials are required"),
        (
            Client::builder()
                .bearer_token(TOKEN)
                .password("desk@example.com", TOKEN),
            "conflicting credentials: a bearer token (`bearer_token`) and \
             a password grant (`password`) were given; configure exactly one",
        ),
        (
            Client::builder()
                .password("desk@example.com", TOKEN)
                .basic("desk@example.com", TOKEN),
            "a password grant (`password`) and Basic credentials (`basic`) were given",
        ),
        (
            Client::builder().bearer_token(TOKEN).totp("123456"),
            "`totp` and `client_id` apply only to a password grant",
        ),
        (
            Client::builder()
                .basic("desk@example.com", TOKEN)
                .client_id("app"),
            "`totp` and `client_id` apply only to a password grant",
        ),
        (
            Client::builder().password("desk@example.com", ""),
            "the password is empty",
        ),
        (
            Client::builder().password(" ", TOKEN),
            "the password grant username is empty",
        ),
        (
            Client::builder()
                .password("desk@example.com", TOKEN)
                .totp(" "),
            "the TOTP code is empty",
        ),
        (
            Client::builder()
                .password("desk@example.com", TOKEN)
                .client_id(""),
            "the client id is empty",
        ),
        (
            Client::builder().basic("desk:front@example.com", TOKEN),
            "must not contain ':'",
        ),
        (
            Client::builder().basic("desk@example.com", ""),
            "the Basic password is empty",
        ),
        (
            Client::builder().bearer_token("  "),
            "bearer token is empty",
        ),
        (
            Client::builder().bearer_token(format!("{TOKEN}\n")),
            "cannot be sent in an HTTP header",
        ),
        (
            Client::builder().bearer_token(TOKEN).base_url("not a url"),
            "invalid base URL",
        ),
        (
            Client::builder()
                .bearer_token(TOKEN)
                .base_url("ftp://example.com"),
            "http or https",
        ),
        (
            Client::builder()
                .bearer_token(TOKEN)
                .base_url("https://me:pw@example.com"),
            "credentials",
        ),
        (
            Client::builder()
                .bearer_token(TOKEN)
                .base_url("https://example.com/?x=1"),
            "query or fragment",
        ),
        (
            Client::builder()
                .bearer_token(TOKEN)
                .user_agent("bad\nagent"),
            "could not set up the HTTP client",
        ),
    ];
    for (builder, expected) in cases {
        let error = builder.build().expect_err(expected);
        let text = error.to_string();
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains(TOKEN) && !format!("{error:?}").contains(TOKEN));
    }
}

#[tokio::test]
async fn a_throttled_create_waits_as_told_and_is_sent_again_unchanged() {
    let mut traces = Traces::start();
    let server = server_answering(vec![throttled(7), created()]).await;
    let client = build(builder_for(&server));
    let body = br#"{"DisplayName":"Front desk"}"#.to_vec();
    let task = tokio::spawn(async move { client.write(&CREATE, body).await });

    let waiting = traces.next("throttled by Nexudus; waiting").await;
    assert_eq!(
        waiting.get("retry_after_ms").map(String::as_str),
        Some("7000")
    );
    assert_eq!(traces.attempt(), "1");
    // Timers fire on whole milliseconds, hence the margins.
    jump(Duration::from_millis(6_900)).await;
    settle().await;
    assert_eq!(
        traces.attempt(),
        "1",
        "still waiting after 6.9 of 7 seconds"
    );
    jump(Duration::from_millis(200)).await;
    settle().await;
    assert_eq!(traces.attempt(), "2", "sent again after 7 seconds");

    let outcome = task.await.expect("task ran").expect("accepted");
    assert_eq!(outcome.id, 87654321);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), "/api/crm/emailaccounts");
        assert_eq!(request.body, br#"{"DisplayName":"Front desk"}"#);
    }
}

#[tokio::test]
async fn throttling_past_the_bound_is_a_throttled_error_with_the_asked_wait() {
    let mut traces = Traces::start();
    let server = server_answering(vec![throttled(3)]).await;
    let client = build(builder_for(&server).max_throttle_retries(2));
    let task = tokio::spawn(async move { client.write(&UPDATE, b"{}".to_vec()).await });
    for _ in 0..2 {
        traces.next("throttled by Nexudus; waiting").await;
        jump(Duration::from_secs(3)).await;
    }
    let error = task.await.expect("task ran").expect_err("still throttled");
    assert!(
        matches!(
            &error,
            Error::Throttled {
                entity: "EmailAccount",
                operation: Operation::Update,
                retry_after: Some(wait),
            } if *wait == Duration::from_secs(3)
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(409));
    assert_eq!(
        error.to_string(),
        "EmailAccount update: throttled by the server (HTTP 409); retry after 3 s"
    );
    assert_eq!(
        requests(&server).await.len(),
        3,
        "the first and two retries"
    );
    assert_eq!(traces.count("throttled by Nexudus; giving up"), 1);
}

#[tokio::test]
async fn a_wait_past_the_cap_or_with_retries_off_is_not_waited() {
    for (builder, seconds) in [
        (
            Client::builder().max_throttle_wait(Duration::from_secs(60)),
            61,
        ),
        (Client::builder().max_throttle_retries(0), 1),
    ] {
        let server = server_answering(vec![throttled(seconds), created()]).await;
        let client = build(builder.base_url(server.uri()).bearer_token(TOKEN));
        let error = client
            .write(&CREATE, b"{}".to_vec())
            .await
            .expect_err("not waited");
        assert!(
            matches!(&error, Error::Throttled { retry_after: Some(wait), .. }
                if *wait == Duration::from_secs(seconds)),
            "{error:?}"
        );
        assert_eq!(requests(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn server_errors_are_retried_for_an_update_but_never_for_a_create() {
    let traces = Traces::start();
    let server = server_answering(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(502),
        created(),
    ])
    .await;
    let client = build(builder_for(&server));
    let outcome = client
        .write(&UPDATE, br#"{"Id":87654321}"#.to_vec())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(outcome.id, 87654321);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.body == br#"{"Id":87654321}"#));
    assert_eq!(traces.count("server error; retrying"), 2);

    // The bound: the first attempt and two retries, then the last answer is the error.
    let server = server_answering(vec![
        ResponseTemplate::new(500),
        ResponseTemplate::new(500),
        ResponseTemplate::new(500).set_body_string("still down"),
        created(),
    ])
    .await;
    let error = build(builder_for(&server))
        .write(&UPDATE, b"{}".to_vec())
        .await
        .expect_err("three failures");
    assert!(
        matches!(&error, Error::ServerError { status: 500, body, operation: Operation::Update, .. }
            if body == "still down"),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 3);

    // The server may have created the record before failing: never sent twice.
    let server = server_answering(vec![ResponseTemplate::new(503), created()]).await;
    let error = build(builder_for(&server))
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect_err("not retried");
    assert!(
        matches!(&error, Error::ServerError { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);

    let server = server_answering(vec![ResponseTemplate::new(503), created()]).await;
    build(builder_for(&server).max_retries(0))
        .write(&UPDATE, b"{}".to_vec())
        .await
        .expect_err("retries off");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_create_is_retried_only_when_it_could_not_connect() {
    let traces = Traces::start();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = build(
        Client::builder()
            .base_url(format!("http://{address}"))
            .bearer_token(TOKEN)
            .retry_backoff(Duration::from_millis(1))
            .rate_limit(RateLimit::none()),
    );
    client
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect_err("nothing listens");
    assert_eq!(traces.count("request failed; retrying"), 2);
    assert_eq!(
        traces.requests()[0].get("attempt").map(String::as_str),
        Some("3")
    );

    // Timed out: the server may be creating the record right now.
    let server = server_answering(vec![created().set_delay(Duration::from_secs(5))]).await;
    let client = build(builder_for(&server).timeout(Duration::from_millis(100)));
    client
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect_err("too slow");
    assert_eq!(requests(&server).await.len(), 1);

    // An update may be sent again.
    let error = client
        .write(&UPDATE, b"{}".to_vec())
        .await
        .expect_err("too slow");
    let Error::Transport { source, .. } = &error else {
        panic!("expected Transport, got {error:?}");
    };
    assert!(source.is_timeout(), "{source:?}");
    assert_eq!(
        error.to_string(),
        "EmailAccount update: the request timed out"
    );
    assert_eq!(requests(&server).await.len(), 1 + 3);
}

#[tokio::test]
async fn requests_wait_for_the_rate_limit_and_token_requests_count_too() {
    let interval = Duration::from_millis(150);
    let limit = RateLimit::none().min_interval(interval);
    let traces = Traces::start();
    let server = server_answering(vec![created()]).await;
    let client = build(builder_for(&server).rate_limit(limit));
    let started = tokio::time::Instant::now();
    for _ in 0..3 {
        client
            .write(&UPDATE, b"{}".to_vec())
            .await
            .expect("accepted");
    }
    assert!(started.elapsed() >= interval * 2, "{:?}", started.elapsed());
    assert_eq!(traces.count("client-side rate limit reached"), 2);

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "access-1", "token_type": "bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(created())
        .mount(&server)
        .await;
    let client = build(
        Client::builder()
            .base_url(server.uri())
            .password("desk@example.com", "pa55word")
            .rate_limit(limit),
    );
    let started = tokio::time::Instant::now();
    client
        .write(&CREATE, b"{}".to_vec())
        .await
        .expect("accepted");
    assert!(started.elapsed() >= interval, "{:?}", started.elapsed());
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/api/token", "/api/crm/emailaccounts"]);
    assert_eq!(traces.count("client-side rate limit reached"), 3);
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// A read, and the path and raw query string it must be sent to.
struct ReadCase {
    endpoint: &'static Endpoint,
    id: Option<i64>,
    query: Vec<(String, String)>,
    path: &'static str,
    raw_query: Option<&'static str>,
}

#[tokio::test]
async fn reads_get_the_exact_url_and_answer_the_body() {
    let record = br#"{"Id":87654321,"DisplayName":"Front desk"}"#;
    let server = server_answering(vec![
        ResponseTemplate::new(200).set_body_raw(&record[..], "application/json"),
    ])
    .await;
    let client = build(builder_for(&server));
    let search = pairs(&[
        ("page", "1"),
        ("size", "25"),
        ("orderBy", "DisplayName"),
        ("dir", "1"),
        ("from_EmailAccount_CreatedOn", "2025-01-02T03:04"),
        ("EmailAccount_DisplayName", "Front desk & co+1"),
    ]);
    let cases = [
        ReadCase {
            endpoint: &SEARCH,
            id: None,
            query: search,
            path: "/api/crm/emailaccounts",
            raw_query: Some(
                "page=1&size=25&orderBy=DisplayName&dir=1\
                 &from_EmailAccount_CreatedOn=2025-01-02T03%3A04\
                 &EmailAccount_DisplayName=Front+desk+%26+co%2B1",
            ),
        },
        ReadCase {
            endpoint: &GET,
            id: Some(87654321),
            query: Vec::new(),
            path: "/api/crm/emailaccounts/87654321",
            raw_query: None,
        },
        ReadCase {
            endpoint: &GET_MANY,
            id: None,
            query: pairs(&[("id", "[1,2,3]")]),
            path: "/api/crm/emailaccounts/",
            raw_query: Some("id=%5B1%2C2%2C3%5D"),
        },
        ReadCase {
            endpoint: &COMMANDS,
            id: None,
            query: Vec::new(),
            path: "/api/crm/emailaccounts/commands",
            raw_query: None,
        },
        ReadCase {
            endpoint: &GET,
            id: Some(-1),
            query: Vec::new(),
            path: "/api/crm/emailaccounts/-1",
            raw_query: None,
        },
    ];
    for case in &cases {
        let body = read(&client, case.endpoint, case.id, &case.query)
            .await
            .expect("read");
        assert_eq!(body, record);
    }
    let sent = requests(&server).await;
    assert_eq!(sent.len(), cases.len());
    for (request, case) in sent.iter().zip(&cases) {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), case.path);
        assert_eq!(request.url.query(), case.raw_query, "{}", case.path);
        let decoded: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        assert_eq!(decoded, case.query);
        assert!(request.body.is_empty());
        assert_eq!(header(request, "content-type"), None);
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(header(request, "authorization"), Some(bearer.as_str()));
        assert_eq!(header(request, "accept"), Some("application/json"));
    }

    let server = server_answering(vec![ResponseTemplate::new(200)]).await;
    let client = build(builder_for(&server).base_url(format!("{}/prefix/", server.uri())));
    read(&client, &GET, Some(5), &[]).await.expect("read");
    assert_eq!(
        requests(&server).await[0].url.path(),
        "/prefix/api/crm/emailaccounts/5"
    );
}

#[tokio::test]
async fn read_failures_are_typed_and_decode_reports_an_excerpt() {
    let server = server_answering(vec![
        ResponseTemplate::new(404).set_body_string("No EmailAccount with Id 5"),
    ])
    .await;
    let client = build(builder_for(&server));
    let error = read(&client, &GET, Some(5), &[]).await.expect_err("404");
    assert!(
        matches!(&error, Error::NotFound { entity: "EmailAccount", operation: Operation::Get, body }
            if body == "No EmailAccount with Id 5"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "EmailAccount get: not found (HTTP 404): No EmailAccount with Id 5"
    );
    assert_eq!(requests(&server).await.len(), 1, "a 404 is not retried");

    let server = server_answering(vec![ResponseTemplate::new(403)]).await;
    let error = read(&build(builder_for(&server)), &SEARCH, None, &[])
        .await
        .expect_err("403");
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
    assert_eq!(error.status(), Some(403));

    // A non-JSON success is read as bytes; decoding it fails with the start of the body.
    let page = format!("<html>{}</html>", "maintenance ".repeat(100));
    let server = server_answering(vec![ResponseTemplate::new(200).set_body_string(page)]).await;
    let body = read(&build(builder_for(&server)), &SEARCH, None, &[])
        .await
        .expect("any 2xx body");
    let error = SEARCH
        .decode::<Page<serde_json::Value>>(200, &body)
        .expect_err("not JSON");
    let Error::Decode {
        entity,
        operation,
        status,
        excerpt,
        ..
    } = &error
    else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(
        (*entity, *operation, *status),
        ("EmailAccount", Operation::Search, 200)
    );
    assert!(excerpt.starts_with("<html>maintenance"), "{excerpt}");
    assert!(excerpt.chars().count() <= 513);
    let record: serde_json::Value = GET.decode(200, br#"{"Id": 5}"#).expect("JSON");
    assert_eq!(record, json!({"Id": 5}));
}

#[tokio::test]
async fn reads_are_retried_after_server_errors_and_time_out_as_transport_errors() {
    let server = server_answering(vec![
        ResponseTemplate::new(500),
        ResponseTemplate::new(200).set_body_string("{}"),
    ])
    .await;
    let body = read(&build(builder_for(&server)), &GET, Some(1), &[])
        .await
        .expect("the retry succeeds");
    assert_eq!(body, b"{}");
    assert_eq!(requests(&server).await.len(), 2);

    let server = server_answering(vec![
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    ])
    .await;
    let client = build(
        builder_for(&server)
            .timeout(Duration::from_millis(100))
            .max_retries(0),
    );
    let error = read(&client, &SEARCH, None, &[])
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "EmailAccount search: the request timed out"
    );
}

#[tokio::test]
async fn delete_sends_the_id_in_the_path_and_reads_the_write_envelope() {
    let server = server_answering(vec![
        ResponseTemplate::new(200).set_body_json(json!({
            "Status": 200, "Message": "EmailAccount was successfully deleted.",
            "Value": {"Id": 87654321}, "WasSuccessful": true
        })),
        ResponseTemplate::new(200).set_body_json(json!({"Value": null, "WasSuccessful": true})),
        ResponseTemplate::new(200).set_body_json(json!({
            "Message": "The record is in use.", "Value": null, "WasSuccessful": false
        })),
        ResponseTemplate::new(404),
    ])
    .await;
    let client = build(builder_for(&server));
    let outcome = client.delete(&DELETE, 87654321).await.expect("deleted");
    assert_eq!(outcome.id, 87654321);
    assert_eq!(
        outcome.message.as_deref(),
        Some("EmailAccount was successfully deleted.")
    );
    let outcome = client.delete(&DELETE, 42).await.expect("deleted");
    assert_eq!(outcome.id, 42, "the deleted id when the envelope has none");
    let error = client.delete(&DELETE, 7).await.expect_err("refused");
    assert!(
        matches!(&error, Error::Validation { operation: Operation::Delete, message: Some(m), .. }
            if m == "The record is in use."),
        "{error:?}"
    );
    let error = client.delete(&DELETE, 8).await.expect_err("gone");
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");

    let sent = requests(&server).await;
    let lines: Vec<String> = sent
        .iter()
        .map(|request| format!("{} {}", request.method, request.url.path()))
        .collect();
    assert_eq!(
        lines,
        [
            "DELETE /api/crm/emailaccounts/87654321",
            "DELETE /api/crm/emailaccounts/42",
            "DELETE /api/crm/emailaccounts/7",
            "DELETE /api/crm/emailaccounts/8",
        ]
    );
    assert!(sent.iter().all(|request| request.body.is_empty()));
}

#[tokio::test]
async fn each_request_is_one_span_with_the_call_and_never_a_secret() {
    const PASSWORD: &str = "pa55-never-traced";
    const FILTER: &str = "private.person@example.com";
    const SECRET_FIELD: &str = "hunter2-never-traced";
    let traces = Traces::start();
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 3600,
            "refresh_token": "refresh-never-traced"
        })))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/api/crm/emailaccounts/5"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(created())
        .mount(&server)
        .await;
    let client = build(
        Client::builder()
            .base_url(server.uri())
            .password("desk@example.com", PASSWORD)
            .rate_limit(RateLimit::none()),
    );
    read(
        &client,
        &SEARCH,
        None,
        &pairs(&[("EmailAccount_EmailAddress", FILTER)]),
    )
    .await
    .expect("search");
    client
        .write(
            &UPDATE,
            format!(r#"{{"Id":1,"IncomingServerPassword":"{SECRET_FIELD}"}}"#).into_bytes(),
        )
        .await
        .expect("update");
    read(&client, &GET, Some(5), &[])
        .await
        .expect_err("not found");

    let spans = traces.requests();
    let summary: Vec<Vec<Option<&str>>> = spans
        .iter()
        .map(|fields| {
            ["entity", "operation", "method", "path", "status", "attempt"]
                .iter()
                .map(|name| fields.get(*name).map(String::as_str))
                .collect()
        })
        .collect();
    let expected = [
        [
            "EmailAccount",
            "search",
            "GET",
            "/api/crm/emailaccounts",
            "200",
            "1",
        ],
        [
            "EmailAccount",
            "update",
            "PUT",
            "/api/crm/emailaccounts",
            "200",
            "1",
        ],
        [
            "EmailAccount",
            "get",
            "GET",
            "/api/crm/emailaccounts/5",
            "404",
            "1",
        ],
    ]
    .map(|row| row.map(Some).to_vec());
    assert_eq!(summary, expected);
    for fields in &spans {
        let elapsed = fields.get("elapsed_ms").expect("elapsed_ms is recorded");
        assert!(elapsed.parse::<u64>().is_ok(), "{elapsed}");
    }

    let everything = traces.all_text();
    for secret in [
        TOKEN,
        PASSWORD,
        "refresh-never-traced",
        FILTER,
        "private.person",
        SECRET_FIELD,
        "EmailAccount_EmailAddress",
    ] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}

#[test]
fn reads_deletes_and_commands_are_send() {
    fn assert_send<T: Send>(_: T) {}
    let client = build(
        Client::builder()
            .base_url("http://127.0.0.1:9")
            .bearer_token(TOKEN),
    );
    assert_send(client.read_answer(&SEARCH, None, &[]));
    assert_send(client.delete(&DELETE, 1));
    assert_send(client.commands(&COMMANDS));
    assert_send(client.run_command(&RUN_COMMAND, "KEY", &[], &[]));
}
