//! What one SDK request costs on top of a bare `reqwest` call, against one loopback server.
//!
//! Two operations, each a criterion group with a baseline and the SDK side by side:
//!
//! - `get_one`: a bare `reqwest::Client` GET of `/api/crm/emailaccounts/42` whose body is parsed
//!   into a `serde_json::Value` (so the baseline parses JSON too), against
//!   `client.email_accounts().get(42)`, which answers the typed `EmailAccount`.
//! - `create`: a bare POST of the JSON document the SDK sends (serialized from a
//!   `serde_json::Value` on every call) whose write envelope is parsed into a `Value`, against
//!   `client.email_accounts().create(&request)`.
//!
//! The server is a hyper 1 HTTP/1.1 server on 127.0.0.1 that reads the request body and answers
//! fixed bytes, on the same runtime as the clients, so its cost is the same for both sides. Both
//! clients keep their connection alive, send the same `Authorization`, `Accept` and
//! `Content-Type` headers, and have the same timeout and redirect policy; the SDK's rate limiter
//! is off. The calls run one after another in one task on a tokio multi-thread runtime with the
//! default number of workers (one per core); the `_1worker` groups repeat both operations on a
//! multi-thread runtime with one worker, where no call waits for another thread to wake up. The
//! `cpu` group times the JSON and validation work of each side without the network.
//!
//! Run with `cargo bench -p nexudus-tests --bench overhead`.

use std::convert::Infallible;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use nexudus::crm::email_account::{
    EmailAccount, EmailAccountCreate, EmailAccountCreateRequired, MessageDeletionPolicy,
};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

const TOKEN: &str = "bench-token-3c81d0";
const COLLECTION: &str = "/api/crm/emailaccounts";
const RECORD_ID: i64 = 42;
const CREATED_ID: i64 = 87_654_321;
/// The SDK's default timeout, given to the baseline client too.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The documented success envelope of a create.
const CREATED: &[u8] = br#"{"Status":200,"Message":"EmailAccount was successfully created.","Value":{"Id":87654321},"OpenInDialog":false,"OpenInWindow":false,"RedirectURL":null,"JavaScript":null,"UpdatedOn":"2025-01-15T10:30:00Z","UpdatedBy":"admin@example.com","Errors":null,"WasSuccessful":true}"#;

/// A get-one answer with every property of an EmailAccount record, as Nexudus sends it.
fn record() -> Vec<u8> {
    let record = json!({
        "Id": RECORD_ID, "UniqueId": "9b1d3c1e-7d1a-4a43-9a4e-1f0c2b7d6e11",
        "CreatedOn": "2025-01-15T10:30:00Z", "UpdatedOn": "2025-01-16T08:00:00",
        "UpdatedBy": "admin@example.com", "IsNew": false, "SystemId": null,
        "ToStringText": "Front desk", "LocalizationDetails": null, "CustomFields": null,
        "BusinessId": 1001, "DisplayName": "Front desk", "EmailAddress": "desk@example.com",
        "Active": true, "SendNotificationOnNewMessages": true,
        "NotificationEmailAddress": "manager@example.com",
        "IncomingServer": "imap.example.com", "IncomingServerType": 1, "IncomingServerPort": 993,
        "IncomingServerSSL": true, "IncomingServerUsername": "desk", "DeleteMessageSettings": 1,
        "OutgoingServer": "smtp.example.com", "OutgoingServerPort": 587, "OutgoingServerSSL": true,
        "OutgoingServerUsername": "desk", "ReplyToEmail": "replies@example.com",
        "LastCheckTime": "2025-01-16T07:59:30", "LastMessageId": 4711, "ErrorCount": 0,
        "GoogleAccessToken": null, "Office365AccessToken": null
    });
    serde_json::to_vec(&record).expect("a JSON value serializes")
}

/// The create request of both sides: every required field and a few optional ones.
fn create_request() -> EmailAccountCreate {
    EmailAccountCreate::new(EmailAccountCreateRequired {
        business_id: 1_001,
        display_name: "Front desk".into(),
        email_address: "desk@example.com".into(),
        incoming_server: "imap.example.com".into(),
        incoming_server_port: 993,
        incoming_server_username: "desk".into(),
        outgoing_server: "smtp.example.com".into(),
        outgoing_server_port: 587,
        outgoing_server_username: "desk".into(),
    })
    .active(true)
    .incoming_server_ssl(true)
    .outgoing_server_ssl(true)
    .reply_to_email("replies@example.com")
    .delete_message_settings(MessageDeletionPolicy::DontDelete)
}

/// The fixed answers of the server, and how many connections it accepted.
struct Server {
    record: Bytes,
    created: Bytes,
    connections: AtomicUsize,
}

impl Server {
    /// Reads the whole request, then answers by method and path: no matching beyond that.
    async fn answer(
        &self,
        request: Request<Incoming>,
    ) -> Result<Response<Full<Bytes>>, Infallible> {
        let (parts, body) = request.into_parts();
        // Read what the client sent, as a real server does; a body left unread can cost the
        // connection its keep-alive.
        let _sent = body.collect().await.map(|body| body.to_bytes());
        let path = parts.uri.path();
        let answer = match parts.method {
            Method::GET
                if path
                    .strip_prefix(COLLECTION)
                    .is_some_and(|id| id.starts_with('/')) =>
            {
                Some(self.record.clone())
            }
            Method::POST if path == COLLECTION => Some(self.created.clone()),
            _ => None,
        };
        let mut response = match answer {
            Some(bytes) => Response::new(Full::new(bytes)),
            None => {
                let mut response = Response::new(Full::new(Bytes::new()));
                *response.status_mut() = StatusCode::NOT_FOUND;
                response
            }
        };
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        Ok(response)
    }
}

/// Starts the server on 127.0.0.1 with an OS-chosen port, on the runtime it is called on.
async fn start(server: Arc<Server>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            server.connections.fetch_add(1, Ordering::Relaxed);
            let server = Arc::clone(&server);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let server = Arc::clone(&server);
                    async move { server.answer(request).await }
                });
                // HTTP/1.1 with keep-alive, hyper's default.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    address
}

/// The baseline: a bare reqwest client, set up as the SDK sets up its own (timeout, no
/// redirects), with the same headers on each request.
struct Baseline {
    http: reqwest::Client,
    authorization: HeaderValue,
    record_url: String,
    collection_url: String,
}

impl Baseline {
    fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        Self {
            http,
            authorization: HeaderValue::from_str(&format!("Bearer {TOKEN}"))
                .expect("a valid header value"),
            record_url: format!("{base}{COLLECTION}/{RECORD_ID}"),
            collection_url: format!("{base}{COLLECTION}"),
        }
    }

    /// GET, read the body, parse it as JSON; answers the record's `Id`.
    async fn get(&self) -> i64 {
        let response = self
            .http
            .get(&self.record_url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .send()
            .await
            .expect("the GET is answered");
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.expect("the body is read");
        let value: Value = serde_json::from_slice(&body).expect("a JSON record");
        value["Id"].as_i64().expect("an Id")
    }

    /// POST the body serialized from `body`, parse the envelope as JSON; answers `Value.Id`.
    async fn create(&self, body: &Value) -> i64 {
        let body = serde_json::to_vec(body).expect("a JSON value serializes");
        let response = self
            .http
            .post(&self.collection_url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .expect("the POST is answered");
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.expect("the body is read");
        let value: Value = serde_json::from_slice(&body).expect("a JSON envelope");
        value["Value"]["Id"].as_i64().expect("Value.Id")
    }
}

async fn sdk_get(client: &nexudus::Client) -> i64 {
    let record: nexudus::Full<EmailAccount> = client
        .email_accounts()
        .get(RECORD_ID)
        .await
        .expect("the record");
    record.id
}

async fn sdk_create(client: &nexudus::Client, request: &EmailAccountCreate) -> i64 {
    client
        .email_accounts()
        .create(request)
        .await
        .expect("created")
        .id
}

/// A loopback server and the two clients that call it, on one runtime.
struct Setup {
    runtime: Runtime,
    server: Arc<Server>,
    baseline: Baseline,
    sdk: nexudus::Client,
}

impl Setup {
    /// Starts the server on `runtime`, and checks that every call of both clients succeeds and
    /// answers the expected id before anything is timed.
    fn new(runtime: Runtime, request: &EmailAccountCreate, create_body: &Value) -> Self {
        let server = Arc::new(Server {
            record: Bytes::from(record()),
            created: Bytes::from_static(CREATED),
            connections: AtomicUsize::new(0),
        });
        let address = runtime.block_on(start(Arc::clone(&server)));
        let base = format!("http://{address}");
        let baseline = Baseline::new(&base);
        let sdk = nexudus::Client::builder()
            .base_url(&base)
            .bearer_token(TOKEN)
            .rate_limit(nexudus::RateLimit::none())
            .build()
            .expect("an SDK client");
        runtime.block_on(async {
            assert_eq!(baseline.get().await, RECORD_ID);
            assert_eq!(sdk_get(&sdk).await, RECORD_ID);
            assert_eq!(baseline.create(create_body).await, CREATED_ID);
            assert_eq!(sdk_create(&sdk, request).await, CREATED_ID);
        });
        Self {
            runtime,
            server,
            baseline,
            sdk,
        }
    }

    /// Runs `iters` calls one after another in one task on a runtime worker, as an application's
    /// task would, and answers the time they took together.
    fn timed<Fut>(&self, iters: u64, call: impl Fn() -> Fut + Send + 'static) -> Duration
    where
        Fut: Future<Output = i64> + Send,
    {
        self.runtime
            .block_on(self.runtime.spawn(async move {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(call().await);
                }
                started.elapsed()
            }))
            .expect("the timed task completes")
    }

    /// Both operations, each a group of baseline and SDK, with `suffix` after the group names.
    fn bench(
        &'static self,
        criterion: &mut Criterion,
        suffix: &str,
        request: &'static EmailAccountCreate,
        create_body: &'static Value,
    ) {
        let mut group = criterion.benchmark_group(format!("get_one{suffix}"));
        group.bench_function("baseline", |b| {
            b.iter_custom(|iters| self.timed(iters, || self.baseline.get()));
        });
        group.bench_function("sdk", |b| {
            b.iter_custom(|iters| self.timed(iters, || sdk_get(&self.sdk)));
        });
        group.finish();

        let mut group = criterion.benchmark_group(format!("create{suffix}"));
        group.bench_function("baseline", |b| {
            b.iter_custom(|iters| self.timed(iters, || self.baseline.create(create_body)));
        });
        group.bench_function("sdk", |b| {
            b.iter_custom(|iters| self.timed(iters, || sdk_create(&self.sdk, request)));
        });
        group.finish();

        // One connection per client, kept alive: not one per request.
        let connections = self.server.connections.load(Ordering::Relaxed);
        println!("connections accepted by the loopback server{suffix}: {connections}");
        assert!(
            connections <= 4,
            "keep-alive is not working: {connections} connections"
        );
    }
}

/// The JSON and validation work of each side, without the network, to tell where a difference
/// comes from.
fn bench_cpu(criterion: &mut Criterion, request: &EmailAccountCreate, create_body: &Value) {
    let record_bytes = record();
    let mut group = criterion.benchmark_group("cpu");
    group.measurement_time(Duration::from_secs(1));
    group.bench_function("decode_record/Value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&record_bytes)).expect("JSON"));
    });
    group.bench_function("decode_record/EmailAccount", |b| {
        b.iter(|| {
            serde_json::from_slice::<EmailAccount>(black_box(&record_bytes)).expect("a record")
        });
    });
    // What `get` decodes: the JSON object, kept, and the typed record read from it.
    group.bench_function("decode_record/Full<EmailAccount>", |b| {
        b.iter(|| {
            serde_json::from_slice::<nexudus::Full<EmailAccount>>(black_box(&record_bytes))
                .expect("a record")
        });
    });
    group.bench_function("encode_create/Value", |b| {
        b.iter(|| serde_json::to_vec(black_box(create_body)).expect("JSON"));
    });
    group.bench_function("encode_create/EmailAccountCreate", |b| {
        b.iter(|| serde_json::to_vec(black_box(request)).expect("JSON"));
    });
    group.bench_function("validate/EmailAccountCreate", |b| {
        b.iter(|| black_box(request).validate().expect("valid"));
    });
    group.finish();
}

fn main() {
    // Leaked so that the timed tasks, which must be 'static, can borrow them.
    let request: &'static EmailAccountCreate = Box::leak(Box::new(create_request()));
    // The baseline sends the same JSON document as the SDK, serialized from a `Value`.
    let create_body: &'static Value = Box::leak(Box::new(
        serde_json::to_value(request).expect("the request serializes"),
    ));
    let runtime = |workers: Option<usize>| {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        if let Some(workers) = workers {
            builder.worker_threads(workers);
        }
        let runtime = builder
            .enable_all()
            .build()
            .expect("a multi-thread tokio runtime");
        let setup: &'static Setup = Box::leak(Box::new(Setup::new(runtime, request, create_body)));
        setup
    };
    let default_workers = runtime(None);
    let one_worker = runtime(Some(1));

    let mut criterion = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .without_plots()
        .configure_from_args();
    default_workers.bench(&mut criterion, "", request, create_body);
    one_worker.bench(&mut criterion, "_1worker", request, create_body);
    bench_cpu(&mut criterion, request, create_body);
    criterion.final_summary();
}
