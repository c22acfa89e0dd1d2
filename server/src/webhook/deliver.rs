//! The delivery task: posts each due delivery, several at a time, and records how it went.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, mpsc};

use super::queue::{self, Delivery, Outcome, Policy};
use super::{Outbox, SIGNATURE_HEADER, Webhooks};
use crate::store::{Store, StoreError};
use crate::validate::stored_date_time;

/// How many deliveries are in flight at once.
const CONCURRENCY: usize = 16;

/// The longest the task sleeps without looking at the queue: a safety net, since a queued
/// delivery wakes it at once.
const IDLE: Duration = Duration::from_secs(5);

/// Starts the delivery task on the current tokio runtime, if there is one. It ends once
/// `outbox` (which the server's state holds) is dropped.
pub(crate) fn spawn(store: Store, outbox: &Arc<Outbox>, config: Webhooks) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no tokio runtime: webhooks are queued but not delivered");
        return;
    };
    let client = match tls().map_err(|error| error.to_string()).and_then(|tls| {
        reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .build()
            .map_err(|error| error.to_string())
    }) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!("webhooks are not delivered: no HTTP client: {error}");
            return;
        }
    };
    let in_flight = Arc::new(Mutex::new(HashSet::new()));
    let notify = Arc::clone(&outbox.notify);
    let config = Arc::new(config);
    let (outcomes, recorded) = mpsc::unbounded_channel();
    let recorder = Recorder {
        store: store.clone(),
        config: Arc::clone(&config),
        in_flight: Arc::clone(&in_flight),
        notify: Arc::clone(&notify),
    };
    runtime.spawn(recorder.run(recorded));
    let task = Task {
        store,
        outbox: Arc::downgrade(outbox),
        notify,
        client,
        config,
        in_flight,
        permits: Arc::new(Semaphore::new(CONCURRENCY)),
        outcomes,
    };
    runtime.spawn(task.run());
}

/// TLS for deliveries to `https` endpoints: rustls on ring, certificates checked by the operating
/// system's verifier, HTTP/1.1 (the only version this client speaks).
fn tls() -> Result<rustls::ClientConfig, rustls::Error> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

struct Task {
    store: Store,
    outbox: Weak<Outbox>,
    notify: Arc<Notify>,
    client: reqwest::Client,
    config: Arc<Webhooks>,
    /// The deliveries being attempted, which the queue still holds.
    in_flight: Arc<Mutex<HashSet<i64>>>,
    permits: Arc<Semaphore>,
    /// Where attempts report how they went, for the [`Recorder`].
    outcomes: mpsc::UnboundedSender<(Delivery, Outcome)>,
}

impl Task {
    async fn run(self) {
        loop {
            if self.outbox.strong_count() == 0 {
                return;
            }
            let wait = match self.start_due().await {
                Ok(wait) => wait,
                Err(error) => {
                    tracing::error!("webhook queue: {error}");
                    IDLE
                }
            };
            let _ = tokio::time::timeout(wait, self.notify.notified()).await;
        }
    }

    /// Starts an attempt at every due delivery there is room for; how long until the next one
    /// is due.
    async fn start_due(&self) -> Result<Duration, StoreError> {
        let room = self.permits.available_permits();
        let in_flight = self.lock_in_flight().clone();
        let store = self.store.clone();
        let (due, next) = blocking(move || {
            store.transact(|connection| {
                let now = queue::now_ms();
                let due = queue::due(connection, now, room, &in_flight)?;
                let next = queue::next_due(connection, now)?.map(|at| at - now);
                Ok((due, next))
            })
        })
        .await?;
        for delivery in due {
            let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
                break;
            };
            self.lock_in_flight().insert(delivery.id);
            let client = self.client.clone();
            let secret = self.config.secret.clone();
            let outcomes = self.outcomes.clone();
            tokio::spawn(async move {
                let outcome = post(&client, secret.as_deref(), &delivery).await;
                drop(permit);
                // The recorder ends only after every sender, this one too.
                let _ = outcomes.send((delivery, outcome));
            });
        }
        let next = next.map_or(IDLE, |millis| {
            Duration::from_millis(u64::try_from(millis).unwrap_or_default())
        });
        Ok(next.min(IDLE))
    }

    fn lock_in_flight(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Records how attempts went: whatever outcomes have arrived, in one transaction (one sync to
/// disk for a burst of deliveries rather than one each), so that delivering holds the database
/// as little as it can from the API's writes.
struct Recorder {
    store: Store,
    config: Arc<Webhooks>,
    in_flight: Arc<Mutex<HashSet<i64>>>,
    notify: Arc<Notify>,
}

/// The most outcomes recorded in one transaction.
const BATCH: usize = 256;

impl Recorder {
    async fn run(self, mut outcomes: mpsc::UnboundedReceiver<(Delivery, Outcome)>) {
        while let Some(first) = outcomes.recv().await {
            let mut batch = vec![first];
            while batch.len() < BATCH {
                match outcomes.try_recv() {
                    Ok(more) => batch.push(more),
                    Err(_) => break,
                }
            }
            let ids: Vec<i64> = batch.iter().map(|(delivery, _)| delivery.id).collect();
            let store = self.store.clone();
            let config = Arc::clone(&self.config);
            let recorded = blocking(move || {
                let policy = Policy {
                    retry_delays: &config.retry_delays,
                    disable_after: config.disable_after.max(1),
                };
                let now = chrono::Utc::now();
                let at = stored_date_time(now);
                store.transact(|connection| {
                    for (delivery, outcome) in &batch {
                        queue::record(
                            connection,
                            delivery,
                            outcome,
                            now.timestamp_millis(),
                            &at,
                            &policy,
                        )?;
                    }
                    Ok(())
                })
            })
            .await;
            if let Err(error) = recorded {
                tracing::error!("webhook deliveries {ids:?}: {error}");
            }
            let mut in_flight = self
                .in_flight
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for id in ids {
                in_flight.remove(&id);
            }
            drop(in_flight);
            // Room for more deliveries, and perhaps a retry due sooner than the task expects.
            self.notify.notify_one();
        }
    }
}

/// One attempt at `delivery`: a 2xx answer delivers it.
async fn post(client: &reqwest::Client, secret: Option<&str>, delivery: &Delivery) -> Outcome {
    let Some(url) = &delivery.url else {
        return Outcome::Dropped;
    };
    let mut request = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(delivery.body.clone());
    if let Some(secret) = secret {
        request = request.header(SIGNATURE_HEADER, super::sign(secret, &delivery.body));
    }
    match request.send().await {
        Ok(response) if response.status().is_success() => Outcome::Delivered,
        Ok(response) => Outcome::Failed(format!("HTTP {}", response.status())),
        // Without the URL, which reqwest's message repeats and the webhook already shows.
        Err(error) => Outcome::Failed(describe(&error.without_url())),
    }
}

/// A transport error and its causes, in one line.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Runs SQLite work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(error) => Err(StoreError::from(rusqlite::Error::ToSqlConversionFailure(
            Box::new(std::io::Error::other(format!(
                "storage task failed: {error}"
            ))),
        ))),
    }
}
