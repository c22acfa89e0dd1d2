//! Webhooks end to end over real HTTP: webhooks created through the SDK client, writes through
//! the client, the local server delivering them, and a receiver built with `nexudus::webhook`
//! that verifies and decodes them; refusals, retries, disabling, and a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use nexudus::spaces::booking::{
    BookingCreate, BookingCreateRequired, BookingRepeatCycle, RepeatedBookingUpdateAction,
};
use nexudus::spaces::coworker::{
    Attendance, CoworkerCreate, CoworkerCreateRequired, CoworkerRecordType, Gender, TaxRateType,
};
use nexudus::sys::web_hook::{WebHookCreate, WebHookCreateRequired, WebhookAction};
use nexudus::webhook::{Event, Receiver, SIGNATURE_HEADER, WebhookError};
use nexudus::{Client, Secret};
use nexudus_server::{Config, Database, Webhooks};
use tokio::sync::{Notify, mpsc};

use crate::server::{ADMIN, PASSWORD, client_as, config, start};

const SECRET: &str = "the account's shared secret";

/// What the receiver saw of one request.
#[derive(Debug)]
struct Received {
    action: String,
    body: Vec<u8>,
    signature: Option<Vec<u8>>,
    /// The decoded event, or why the receiver refused it.
    result: Result<Event, String>,
    at: Instant,
}

/// How the test receiver answers.
#[derive(Clone)]
struct Behaviour {
    receiver: Arc<Receiver>,
    /// Answer 500 to everything, after recording it.
    fail: bool,
    /// Hold each request until released, after recording it.
    hold: Option<Arc<Notify>>,
}

/// A webhook receiver on a port of its own: `POST /hooks/{action}`, as an application would
/// write one with the SDK and axum. Every request is reported on the channel.
async fn receiver(
    behaviour: Behaviour,
    listener: Option<tokio::net::TcpListener>,
) -> (String, mpsc::UnboundedReceiver<Received>) {
    let (sender, received) = mpsc::unbounded_channel();
    let listener = match listener {
        Some(listener) => listener,
        None => tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port"),
    };
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let state = (behaviour, sender);
    let app = axum::Router::new()
        .route(
            "/hooks/{action}",
            post(
                |State((behaviour, sender)): State<(
                    Behaviour,
                    mpsc::UnboundedSender<Received>,
                )>,
                 Path(action): Path<String>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
                    let result = behaviour
                        .receiver
                        .receive(&action, &body, signature)
                        .map_err(|error| error.to_string());
                    let status = match (&result, behaviour.fail) {
                        (_, true) => StatusCode::INTERNAL_SERVER_ERROR,
                        (Ok(_), false) => StatusCode::OK,
                        (Err(_), false) => StatusCode::UNAUTHORIZED,
                    };
                    let _ = sender.send(Received {
                        action,
                        body: body.to_vec(),
                        signature: signature.map(<[u8]>::to_vec),
                        result,
                        at: Instant::now(),
                    });
                    if let Some(hold) = &behaviour.hold {
                        hold.notified().await;
                    }
                    status
                },
            ),
        )
        .with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, received)
}

fn signed_by(secret: &str) -> Behaviour {
    Behaviour {
        receiver: Arc::new(Receiver::new(secret)),
        fail: false,
        hold: None,
    }
}

/// A server whose deliveries are signed with [`SECRET`] and retried quickly.
fn webhook_config(retry_delays: &[u64], disable_after: u32) -> Config {
    Config {
        webhooks: Webhooks {
            secret: Some(SECRET.into()),
            retry_delays: retry_delays
                .iter()
                .copied()
                .map(Duration::from_millis)
                .collect(),
            disable_after,
            timeout: Duration::from_secs(5),
        },
        ..config()
    }
}

/// Creates an active webhook for `action` that posts to `{url}/hooks/{action}`.
async fn subscribe(client: &Client, action: WebhookAction, name: &str, url: &str) -> i64 {
    let request = WebHookCreate::new(WebHookCreateRequired {
        business_id: 1_001,
        name: format!("{name} to the test receiver"),
        action,
        url: format!("{url}/hooks/{name}"),
    })
    .active(true);
    client
        .web_hooks()
        .create(&request)
        .await
        .expect("the webhook is created")
        .id
}

fn coworker(name: &str) -> CoworkerCreate {
    CoworkerCreate::new(CoworkerCreateRequired {
        coworker_type: CoworkerRecordType::Individual,
        full_name: name.into(),
        gender: Gender::RatherNotSay,
        email: "member@example.com".into(),
        country_id: 1,
        simple_time_zone_id: 1,
        tax_rate_type: TaxRateType::Default,
        monday_attendance: Attendance::WorkingFromOffice,
        tuesday_attendance: Attendance::WorkingFromOffice,
        wednesday_attendance: Attendance::WorkingFromHome,
        thursday_attendance: Attendance::WorkingFromOffice,
        friday_attendance: Attendance::NotWorking,
        saturday_attendance: Attendance::NotWorking,
        sunday_attendance: Attendance::NotWorking,
    })
}

fn booking() -> BookingCreate {
    let from = chrono::DateTime::parse_from_rfc3339("2030-01-02T09:00:00Z")
        .expect("a date")
        .to_utc();
    BookingCreate::new(BookingCreateRequired {
        resource_id: 7,
        from_time: from,
        to_time: from + chrono::Duration::hours(1),
        repeats: BookingRepeatCycle::Weekly,
        which_bookings_to_update: RepeatedBookingUpdateAction::UpdateThisBookingOnly,
    })
}

async fn next(received: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .expect("a delivery within 20 s")
        .expect("the receiver is running")
}

/// Nothing more arrives within `wait`.
async fn nothing_more(received: &mut mpsc::UnboundedReceiver<Received>, wait: Duration) {
    if let Ok(Some(extra)) = tokio::time::timeout(wait, received.recv()).await {
        panic!(
            "an unexpected delivery: {} {:?}",
            extra.action, extra.result
        );
    }
}

#[tokio::test]
async fn a_created_coworker_and_an_updated_booking_arrive_verified_and_decoded() {
    let (server, client) = start(webhook_config(&[100], 10)).await;
    let (url, mut received) = receiver(signed_by(SECRET), None).await;
    let coworker_hook = subscribe(
        &client,
        WebhookAction::CoworkerCreate,
        "CoworkerCreate",
        &url,
    )
    .await;
    subscribe(&client, WebhookAction::BookingUpdate, "BookingUpdate", &url).await;

    // Outside ASCII, which Nexudus signs as `?`.
    let member = client
        .coworkers()
        .create(&coworker("José Núñez"))
        .await
        .expect("created");
    let delivered = next(&mut received).await;
    assert_eq!(delivered.action, "CoworkerCreate");
    let Ok(Event::CoworkerCreate(decoded)) = delivered.result else {
        panic!("a verified Coworker: {:?}", delivered.result);
    };
    let stored = client.coworkers().get(member.id).await.expect("fetched");
    assert_eq!(*decoded, *stored, "the record as the API answers it");
    assert_eq!(decoded.full_name.as_deref(), Some("José Núñez"));

    // A booking created fires BookingCreate, which nobody subscribed to; its update arrives.
    let bookings = client.bookings();
    let created = bookings.create(&booking()).await.expect("created");
    bookings
        .update_with(created.id, |update| update.notes("Projector, please"))
        .await
        .expect("updated");
    let delivered = next(&mut received).await;
    assert_eq!(delivered.action, "BookingUpdate");
    let Ok(Event::BookingUpdate(decoded)) = delivered.result else {
        panic!("a verified Booking: {:?}", delivered.result);
    };
    let stored = bookings.get(created.id).await.expect("fetched");
    assert_eq!(*decoded, *stored);
    assert_eq!(decoded.notes.as_deref(), Some("Projector, please"));
    nothing_more(&mut received, Duration::from_millis(300)).await;

    // The webhook says it fired, and that nothing failed.
    let hook = client
        .web_hooks()
        .get(coworker_hook)
        .await
        .expect("fetched");
    assert!(hook.last_trigger.is_some(), "{hook:?}");
    assert_eq!(hook.error_count, Some(0));
    assert_eq!(hook.active, Some(true));
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_tampered_body_and_a_wrong_secret_are_refused() {
    let (server, client) = start(webhook_config(&[], 10)).await;
    let (url, mut received) = receiver(signed_by(SECRET), None).await;
    let (wrong_url, mut wrongly_received) = receiver(signed_by("wr0ng-k3y"), None).await;
    subscribe(
        &client,
        WebhookAction::CoworkerCreate,
        "CoworkerCreate",
        &url,
    )
    .await;
    let wrong = subscribe(
        &client,
        WebhookAction::CoworkerCreate,
        "CoworkerCreate",
        &wrong_url,
    )
    .await;

    client
        .coworkers()
        .create(&coworker("Ada Lovelace"))
        .await
        .expect("created");
    let good = next(&mut received).await;
    assert!(good.result.is_ok(), "{:?}", good.result);

    // The receiver with another secret refuses the same delivery, and the server records it.
    let refused = next(&mut wrongly_received).await;
    let error = refused.result.expect_err("another secret");
    assert!(error.contains("does not match the body"), "{error}");
    assert!(
        !error.contains(SECRET) && !error.contains("wr0ng-k3y"),
        "{error}"
    );
    let hook = wait_for(&client, wrong, |hook| hook.error_count == Some(1)).await;
    assert_eq!(hook.last_error.as_deref(), Some("HTTP 401 Unauthorized"));

    // The delivered body, changed by one character and sent again with its signature.
    let signature = good.signature.expect("signed");
    let tampered = String::from_utf8(good.body.clone())
        .expect("UTF-8")
        .replace("Ada Lovelace", "Ada Lovelacf");
    let replay = |body: Vec<u8>, signature: Option<Vec<u8>>| {
        let mut request = reqwest::Client::new()
            .post(format!("{url}/hooks/CoworkerCreate"))
            .body(body);
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        request.send()
    };
    let status = replay(tampered.into_bytes(), Some(signature.clone()))
        .await
        .expect("answered")
        .status();
    assert_eq!(status, 401);
    let refusal = next(&mut received).await.result.expect_err("tampered");
    assert!(refusal.contains("does not match the body"), "{refusal}");
    // The body as delivered passes; without its header, it does not.
    let status = replay(good.body.clone(), Some(signature))
        .await
        .expect("answered")
        .status();
    assert_eq!(status, 200);
    assert!(next(&mut received).await.result.is_ok());
    let status = replay(good.body, None).await.expect("answered").status();
    assert_eq!(status, 401);
    let refusal = next(&mut received).await.result.expect_err("unsigned");
    assert!(
        refusal.contains("has no X-Nexudus-Hook-Signature header"),
        "{refusal}"
    );
    server.stop().await.expect("stops");
}

/// The webhook `id` once `done` holds of it (within 20 s).
async fn wait_for(
    client: &Client,
    id: i64,
    done: impl Fn(&nexudus::sys::web_hook::WebHook) -> bool,
) -> nexudus::Full<nexudus::sys::web_hook::WebHook> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let hook = client.web_hooks().get(id).await.expect("fetched");
        if done(&hook) {
            return hook;
        }
        assert!(Instant::now() < deadline, "never came to pass: {hook:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_gets_the_retries_then_the_webhook_is_disabled() {
    let delays = [50, 100, 200];
    // One try and three retries: the fourth failure in a row disables the webhook.
    let (server, client) = start(webhook_config(&delays, 4)).await;
    let failing = Behaviour {
        fail: true,
        ..signed_by(SECRET)
    };
    let (url, mut received) = receiver(failing, None).await;
    let hook = subscribe(
        &client,
        WebhookAction::CoworkerCreate,
        "CoworkerCreate",
        &url,
    )
    .await;

    client
        .coworkers()
        .create(&coworker("Grace Hopper"))
        .await
        .expect("created");
    let mut attempts = Vec::new();
    for _ in 0..4 {
        let attempt = next(&mut received).await;
        assert!(attempt.result.is_ok(), "each attempt is the signed record");
        attempts.push(attempt);
    }
    // The same body every time, each retry no sooner than its delay after the one before.
    assert!(
        attempts
            .iter()
            .all(|attempt| attempt.body == attempts[0].body)
    );
    for (pair, delay) in attempts.windows(2).zip(delays) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(delay), "{gap:?} < {delay} ms");
    }

    let disabled = wait_for(&client, hook, |hook| hook.active == Some(false)).await;
    assert_eq!(disabled.error_count, Some(4));
    assert_eq!(
        disabled.last_error.as_deref(),
        Some("HTTP 500 Internal Server Error")
    );
    assert!(disabled.last_trigger.is_some());
    // Disabled: the next coworker is not sent, and no retry comes either.
    client
        .coworkers()
        .create(&coworker("Katherine Johnson"))
        .await
        .expect("created");
    nothing_more(&mut received, Duration::from_millis(600)).await;
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_delivery_never_holds_up_the_api() {
    let (server, client) = start(webhook_config(&[], 10)).await;
    let hold = Arc::new(Notify::new());
    let holding = Behaviour {
        hold: Some(Arc::clone(&hold)),
        ..signed_by(SECRET)
    };
    let (url, mut received) = receiver(holding, None).await;
    subscribe(
        &client,
        WebhookAction::CoworkerCreate,
        "CoworkerCreate",
        &url,
    )
    .await;
    let mut ids = vec![
        client
            .coworkers()
            .create(&coworker("First"))
            .await
            .expect("created")
            .id,
    ];
    // The receiver holds the first delivery: writes and reads go on meanwhile, each answered.
    let first = next(&mut received).await;
    assert!(first.result.is_ok());
    for name in ["Second", "Third"] {
        let created = client.coworkers().create(&coworker(name)).await;
        ids.push(created.expect("created").id);
    }
    assert_eq!(
        client.coworkers().get_many(&ids).await.expect("read").len(),
        3
    );
    // The others were delivered alongside, while the first is still held.
    let mut names = Vec::new();
    for _ in 0..2 {
        match next(&mut received).await.result {
            Ok(Event::CoworkerCreate(member)) => names.push(member.full_name.clone()),
            other => panic!("{other:?}"),
        }
    }
    names.sort();
    assert_eq!(names, [Some("Second".to_owned()), Some("Third".to_owned())]);
    hold.notify_waiters();
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn deliveries_due_when_the_server_stops_are_sent_after_a_restart() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let database = Database::File(folder.path().join("webhooks.db"));
    // A port nobody listens on yet: the first attempt finds no receiver.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    let url = format!("http://{address}");

    let first = Config {
        database: database.clone(),
        ..webhook_config(&[1_500], 10)
    };
    let (server, client) = start(first).await;
    let hook = subscribe(
        &client,
        WebhookAction::CoworkerCreate,
        "CoworkerCreate",
        &url,
    )
    .await;
    let member = client
        .coworkers()
        .create(&coworker("Hedy Lamarr"))
        .await
        .expect("created")
        .id;
    let failed = wait_for(&client, hook, |hook| hook.error_count == Some(1)).await;
    let error = failed.last_error.clone().unwrap_or_default();
    assert!(!error.is_empty() && !error.contains(&url), "{error}");
    server.stop().await.expect("stops");

    // The receiver comes up, then the server again on the same database: the retry is sent.
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .expect("the port again");
    let (_, mut received) = receiver(signed_by(SECRET), Some(listener)).await;
    let again = Config {
        database,
        ..webhook_config(&[1_500], 10)
    };
    let server = nexudus_server::start(again).await.expect("restarts");
    let delivered = next(&mut received).await;
    match delivered.result {
        Ok(Event::CoworkerCreate(coworker)) => assert_eq!(coworker.id, member),
        other => panic!("{other:?}"),
    }
    let client = client_as(&server, ADMIN, PASSWORD);
    let hook = wait_for(&client, hook, |hook| hook.error_count == Some(0)).await;
    assert_eq!(hook.active, Some(true));
    server.stop().await.expect("stops");
}

#[test]
fn the_sdk_and_the_server_sign_alike() {
    // The receiver checks what the local server signs; `sign` is the SDK's own statement of it.
    let body = r#"[{"Id":1,"FullName":"José"}]"#.as_bytes();
    let signature = nexudus::webhook::sign(&Secret::new(SECRET), body);
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    );
    Receiver::new(SECRET)
        .verify(body, Some(signature.as_bytes()))
        .expect("verified");
    let error: WebhookError = Receiver::new(SECRET)
        .verify(body, Some(b"00"))
        .expect_err("malformed");
    assert!(matches!(error, WebhookError::MalformedSignature { .. }));
}
