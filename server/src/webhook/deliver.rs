//! The delivery task: posts each due delivery, several at a time, and records how it went.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

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
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!("webhooks are not delivered: no HTTP client: {error}");
            return;
        }
    };
    let task = Task {
        store,
        outbox: Arc::downgrade(outbox),
        notify: Arc::clone(&outbox.notify),
        client,
        config: Arc::new(config),
        in_flight: Arc::new(Mutex::new(HashSet::new())),
        permits: Arc::new(Semaphore::new(CONCURRENCY)),
    };
    runtime.spawn(task.run());
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
            let attempt = Attempt {
                store: self.store.clone(),
                client: self.client.clone(),
                config: Arc::clone(&self.config),
                in_flight: Arc::clone(&self.in_flight),
                notify: Arc::clone(&self.notify),
            };
            tokio::spawn(async move {
                attempt.run(delivery).await;
                drop(permit);
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

/// One attempt at one delivery.
struct Attempt {
    store: Store,
    client: reqwest::Client,
    config: Arc<Webhooks>,
    in_flight: Arc<Mutex<HashSet<i64>>>,
    notify: Arc<Notify>,
}

impl Attempt {
    async fn run(self, delivery: Delivery) {
        let outcome = self.post(&delivery).await;
        let store = self.store.clone();
        let config = Arc::clone(&self.config);
        let id = delivery.id;
        let recorded = blocking(move || {
            let policy = Policy {
                retry_delays: &config.retry_delays,
                disable_after: config.disable_after.max(1),
            };
            let now = chrono::Utc::now();
            store.transact(|connection| {
                queue::record(
                    connection,
                    &delivery,
                    &outcome,
                    now.timestamp_millis(),
                    &stored_date_time(now),
                    &policy,
                )
            })
        })
        .await;
        if let Err(error) = recorded {
            tracing::error!("webhook delivery {id}: {error}");
        }
        self.in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&id);
        // Room for another delivery, and perhaps a retry due sooner than the task expects.
        self.notify.notify_one();
    }

    async fn post(&self, delivery: &Delivery) -> Outcome {
        let store = self.store.clone();
        let webhook = delivery.webhook_id;
        let url = match blocking(move || store.transact(|c| queue::target(c, webhook))).await {
            Ok(Some(url)) => url,
            Ok(None) => return Outcome::Dropped,
            Err(error) => {
                return Outcome::Failed(format!("the webhook could not be read: {error}"));
            }
        };
        let mut request = self
            .client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(delivery.body.clone());
        if let Some(secret) = &self.config.secret {
            request = request.header(SIGNATURE_HEADER, super::sign(secret, &delivery.body));
        }
        match request.send().await {
            Ok(response) if response.status().is_success() => Outcome::Delivered,
            Ok(response) => Outcome::Failed(format!("HTTP {}", response.status())),
            // Without the URL, which reqwest's message repeats and the webhook already shows.
            Err(error) => Outcome::Failed(describe(&error.without_url())),
        }
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
