//! Webhooks: a write through the API queues a delivery for every active `WebHook` whose action
//! it fires, in the same transaction as the write; a background task posts each one, signed,
//! and retries it with backoff.
//!
//! Which actions a write fires comes from the schemas (each entity's `webhook_actions`, and the
//! end of each action's name): `...Create` on a create, `...Update` on an update, `...Delete` on
//! a delete. Other actions (`CoworkerInvoicePaid`, `VisitorCheckedin`) follow events a plain
//! write is not, and are never sent. The body is what Nexudus sends, a JSON array holding the
//! record (as `GET` answers it; on a delete, as it was), signed in `X-Nexudus-Hook-Signature`
//! when a secret is set.
//!
//! The queue is a table of the server's database, so deliveries that were due when the server
//! stopped are sent when it starts again. The API call that caused a delivery only adds its row:
//! it never waits for the receiver.

mod deliver;
mod queue;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use nexudus_codegen::model::{Model, Operation};
use rusqlite::Connection;
use tokio::sync::Notify;

use crate::store::{Store, StoreError, Stored};

pub(crate) use deliver::spawn;

/// The header that carries a delivery's signature.
pub const SIGNATURE_HEADER: &str = "X-Nexudus-Hook-Signature";

/// How webhooks are delivered.
#[derive(Clone)]
pub struct Webhooks {
    /// The account's shared secret: each delivery is signed with it (HMAC-SHA256 of the body,
    /// uppercase hexadecimal, in `X-Nexudus-Hook-Signature`). `None`: deliveries are not signed,
    /// as Nexudus sends them when no secret is set. `Debug` never shows it.
    pub secret: Option<String>,
    /// The waits before each retry of a failed delivery: a delivery is tried once, then once
    /// after each of these, then given up.
    pub retry_delays: Vec<Duration>,
    /// How many failed attempts in a row (the webhook's `ErrorCount`) disable a webhook: it is
    /// then `Active: false`, and its queued deliveries are dropped. A success sets the count back
    /// to 0. At least 1.
    pub disable_after: u32,
    /// How long one attempt may take, from connecting to the end of the answer's head.
    pub timeout: Duration,
}

impl Webhooks {
    /// The retries when none are configured: after 10 s, 1 min, 5 min, 30 min and 2 h, so that a
    /// delivery is tried 6 times over about 2 h 36 min.
    pub fn default_retry_delays() -> Vec<Duration> {
        [10, 60, 300, 1_800, 7_200]
            .into_iter()
            .map(Duration::from_secs)
            .collect()
    }
}

impl Default for Webhooks {
    /// No secret, [`Webhooks::default_retry_delays`], disabled after 10 failed attempts in a
    /// row, 10 s per attempt.
    fn default() -> Self {
        Self {
            secret: None,
            retry_delays: Self::default_retry_delays(),
            disable_after: 10,
            timeout: Duration::from_secs(10),
        }
    }
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks")
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("retry_delays", &self.retry_delays)
            .field("disable_after", &self.disable_after)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What the store needs to queue deliveries as it writes: the action values each entity's
/// writes fire, and a way to wake the delivery task.
pub(crate) struct Outbox {
    /// `(entity, write)` -> the values of the actions it fires.
    fired: HashMap<(String, Operation), Vec<i64>>,
    /// Wakes the delivery task: a delivery was queued, or the outbox is gone.
    notify: Arc<Notify>,
}

impl Outbox {
    /// The outbox of `catalogue`'s entities; creates the queue's table.
    pub(crate) fn new(catalogue: &Model, store: &Store) -> Result<Self, StoreError> {
        store.transact(queue::create_table)?;
        let mut fired: HashMap<(String, Operation), Vec<i64>> = HashMap::new();
        for entity in &catalogue.entities {
            for write in [Operation::Create, Operation::Update, Operation::Delete] {
                let values: Vec<i64> = entity
                    .fired_actions(write)
                    .map(|action| action.value)
                    .collect();
                if !values.is_empty() {
                    fired.insert((entity.name.clone(), write), values);
                }
            }
        }
        Ok(Self {
            fired,
            notify: Arc::new(Notify::new()),
        })
    }

    /// Whether a `write` of an `entity` record fires any action.
    pub(crate) fn fires(&self, entity: &str, write: Operation) -> bool {
        self.fired.contains_key(&(entity.to_owned(), write))
    }

    /// Queues, within the write's transaction, a delivery of `record` to every active webhook
    /// whose action this `write` of an `entity` record fires; whether any was queued.
    pub(crate) fn enqueue(
        &self,
        connection: &Connection,
        entity: &str,
        write: Operation,
        record: &Stored,
    ) -> Result<bool, rusqlite::Error> {
        let Some(actions) = self.fired.get(&(entity.to_owned(), write)) else {
            return Ok(false);
        };
        queue::enqueue(connection, actions, record)
    }

    /// Wakes the delivery task, after a transaction that queued deliveries committed.
    pub(crate) fn wake(&self) {
        self.notify.notify_one();
    }
}

impl Drop for Outbox {
    /// The server is gone: the delivery task wakes to find it so, and ends.
    fn drop(&mut self) {
        self.notify.notify_one();
    }
}

/// The signature of `body` with `secret`, as Nexudus computes it: HMAC-SHA256 over the ASCII
/// form of both (each character outside ASCII as `?`, as .NET's `ASCIIEncoding` makes it), in
/// uppercase hexadecimal.
pub(crate) fn sign(secret: &str, body: &[u8]) -> String {
    use hmac::{KeyInit, Mac};
    let ascii = |bytes: &[u8]| -> Vec<u8> {
        String::from_utf8_lossy(bytes)
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect()
    };
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&ascii(secret.as_bytes()))
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(&ascii(body));
    hex::encode_upper(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests;
