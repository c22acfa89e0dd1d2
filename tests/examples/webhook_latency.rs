//! Webhook delivery latency under a burst of writes, and what webhooks cost the API calls that
//! fire them: `scripts/webhook-latency.sh` runs it (BENCHMARKS.md).
//!
//! A local server on a SQLite file, a receiver built with `nexudus::webhook` and axum, and the
//! SDK client, all in this process. Two bursts of `WRITES` Coworker creates, `CONCURRENCY` at a
//! time: the first with no webhook (the baseline), the second with a `CoworkerCreate` webhook.
//! Prints the API calls' latency in both, and for the second, from the start of each call, and
//! from its answer, until the receiver has verified and decoded the delivery.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use nexudus::spaces::coworker::{
    Attendance, CoworkerCreate, CoworkerCreateRequired, CoworkerRecordType, Gender, TaxRateType,
};
use nexudus::sys::web_hook::{WebHookCreate, WebHookCreateRequired, WebhookAction};
use nexudus::webhook::{Event, Receiver, SIGNATURE_HEADER};
use nexudus::{Client, RateLimit};
use nexudus_server::{Config, Database, User, Webhooks};

const SECRET: &str = "a benchmark's shared secret";

type Arrivals = Arc<Mutex<HashMap<i64, Instant>>>;

fn coworker(index: usize) -> CoworkerCreate {
    CoworkerCreate::new(CoworkerCreateRequired {
        coworker_type: CoworkerRecordType::Individual,
        full_name: format!("Member {index}"),
        gender: Gender::NotSet,
        email: format!("member{index}@example.com"),
        country_id: 1,
        simple_time_zone_id: 1,
        tax_rate_type: TaxRateType::Default,
        monday_attendance: Attendance::WorkingFromOffice,
        tuesday_attendance: Attendance::WorkingFromOffice,
        wednesday_attendance: Attendance::WorkingFromOffice,
        thursday_attendance: Attendance::WorkingFromOffice,
        friday_attendance: Attendance::WorkingFromOffice,
        saturday_attendance: Attendance::NotWorking,
        sunday_attendance: Attendance::NotWorking,
    })
}

/// Each create: (id, when the call started, when it was answered).
async fn burst(client: &Client, writes: usize, concurrency: usize) -> Vec<(i64, Instant, Instant)> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if index >= writes {
                    return done;
                }
                let started = Instant::now();
                let created = client
                    .coworkers()
                    .create(&coworker(index))
                    .await
                    .expect("created");
                done.push((created.id, started, Instant::now()));
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a writer"));
    }
    all
}

fn summary(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |quantile: f64| {
        let index = ((samples.len() as f64 - 1.0) * quantile).round() as usize;
        samples[index]
    };
    println!(
        "{what:<52} median {:>8.2} ms   p99 {:>8.2} ms   max {:>8.2} ms   ({} samples)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        samples.len()
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let writes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(500);
    let concurrency: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(8);

    let arrivals: Arrivals = Arc::default();
    let receiver = Arc::new(Receiver::new(SECRET));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!(
        "http://{}/hooks/CoworkerCreate",
        listener.local_addr().expect("bound")
    );
    let app = axum::Router::new().route(
        "/hooks/{action}",
        post({
            let arrivals = Arc::clone(&arrivals);
            move |axum::extract::Path(action): axum::extract::Path<String>,
                  headers: HeaderMap,
                  body: Bytes| async move {
                let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
                match receiver.receive(&action, &body, signature) {
                    Ok(Event::CoworkerCreate(coworker)) => {
                        arrivals
                            .lock()
                            .expect("not poisoned")
                            .insert(coworker.id, Instant::now());
                        StatusCode::OK
                    }
                    _ => StatusCode::UNAUTHORIZED,
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    let folder = tempfile::tempdir().expect("a temporary folder");
    let config = Config {
        database: Database::File(folder.path().join("latency.db")),
        users: vec![User::administrator("admin@example.com", "a password")],
        rate_limits: None,
        webhooks: Webhooks {
            secret: Some(SECRET.into()),
            ..Webhooks::default()
        },
        ..Config::default()
    };
    let server = nexudus_server::start(config).await.expect("starts");
    let client = Client::builder()
        .base_url(server.url())
        .basic("admin@example.com", "a password")
        .rate_limit(RateLimit::none())
        .build()
        .expect("a client");
    println!("{writes} Coworker creates, {concurrency} at a time, SQLite file, per burst");

    // Warm-up, then the baseline: no webhook.
    burst(&client, 50, concurrency).await;
    let baseline = burst(&client, writes, concurrency).await;
    summary(
        "API create, no webhook",
        baseline
            .iter()
            .map(|(_, start, end)| *end - *start)
            .collect(),
    );

    let webhook = WebHookCreate::new(WebHookCreateRequired {
        business_id: 1,
        name: "latency".into(),
        action: WebhookAction::CoworkerCreate,
        url,
    })
    .active(true);
    client
        .web_hooks()
        .create(&webhook)
        .await
        .expect("a webhook");
    let fired = burst(&client, writes, concurrency).await;
    summary(
        "API create, CoworkerCreate webhook",
        fired.iter().map(|(_, start, end)| *end - *start).collect(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while arrivals.lock().expect("not poisoned").len() < fired.len() {
        assert!(Instant::now() < deadline, "deliveries missing after 60 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let arrivals = arrivals.lock().expect("not poisoned").clone();
    summary(
        "delivery: call started -> receiver verified it",
        fired
            .iter()
            .map(|(id, start, _)| arrivals[id] - *start)
            .collect(),
    );
    summary(
        "delivery: call answered -> receiver verified it",
        fired
            .iter()
            .map(|(id, _, end)| arrivals[id].saturating_duration_since(*end))
            .collect(),
    );
    server.stop().await.expect("stops");
}
