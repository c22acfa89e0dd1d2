//! The delivery queue, a table beside the records, and the webhook's `LastTrigger`, `LastError`,
//! `ErrorCount` and `Active`, kept in the `WebHook` record itself.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::store::Stored;

/// One queued delivery.
#[derive(Debug)]
pub(super) struct Delivery {
    pub(super) id: i64,
    pub(super) webhook_id: i64,
    pub(super) body: Vec<u8>,
    /// The attempts made so far.
    pub(super) attempts: u32,
    /// Where to post it: the webhook's `URL`; `None` when the webhook is gone or inactive.
    pub(super) url: Option<String>,
}

/// How an attempt went.
#[derive(Debug)]
pub(super) enum Outcome {
    /// A 2xx answer.
    Delivered,
    /// Anything else: the answer's status, or why there was none.
    Failed(String),
    /// The webhook is gone or inactive: nothing was sent, and nothing will be.
    Dropped,
}

/// What becomes of a failed delivery.
pub(super) struct Policy<'a> {
    pub(super) retry_delays: &'a [std::time::Duration],
    pub(super) disable_after: u32,
}

pub(super) fn create_table(connection: &Connection) -> Result<(), rusqlite::Error> {
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS webhook_deliveries (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             webhook_id INTEGER NOT NULL,
             body BLOB NOT NULL,
             attempts INTEGER NOT NULL,
             due_at INTEGER NOT NULL
         );
         CREATE INDEX IF NOT EXISTS webhook_deliveries_by_due ON webhook_deliveries (due_at);",
    )
}

/// Milliseconds since the Unix epoch: when a delivery is due.
pub(super) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Queues `record` for every active webhook with one of `actions` (of the record's location,
/// when the record has a `BusinessId`); whether any was queued.
pub(super) fn enqueue(
    connection: &Connection,
    actions: &[i64],
    record: &Stored,
) -> Result<bool, rusqlite::Error> {
    let mut statement = connection.prepare_cached(
        "SELECT id, json_extract(fields, '$.BusinessId') FROM records
         WHERE entity = 'WebHook' AND json_extract(fields, '$.Active') = 1
           AND json_extract(fields, '$.Action') IN (SELECT value FROM json_each(?1))
         ORDER BY id",
    )?;
    let actions = Value::from(actions.to_vec()).to_string();
    let business = record.fields.get("BusinessId").and_then(Value::as_i64);
    let webhooks: Vec<i64> = statement
        .query_map(params![actions], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Option<i64>>(1)?))
        })?
        .filter_map(Result::ok)
        .filter(|(_, location)| business.is_none() || *location == business)
        .map(|(id, _)| id)
        .collect();
    if webhooks.is_empty() {
        return Ok(false);
    }
    // What Nexudus sends: `JsonConvert.SerializeObject(new[] { dto })`.
    let body = Value::Array(vec![record.to_json()]).to_string();
    let now = now_ms();
    let mut insert = connection.prepare_cached(
        "INSERT INTO webhook_deliveries (webhook_id, body, attempts, due_at) VALUES (?1, ?2, 0, ?3)",
    )?;
    for webhook in webhooks {
        insert.execute(params![webhook, body.as_bytes(), now])?;
    }
    Ok(true)
}

/// Up to `limit` deliveries due at `now`, the longest due first, leaving out `in_flight`, each
/// with its webhook's URL as it is now.
pub(super) fn due(
    connection: &Connection,
    now: i64,
    limit: usize,
    in_flight: &HashSet<i64>,
) -> Result<Vec<Delivery>, rusqlite::Error> {
    let mut statement = connection.prepare_cached(
        "SELECT delivery.id, delivery.webhook_id, delivery.body, delivery.attempts,
                json_extract(webhook.fields, '$.URL'), json_extract(webhook.fields, '$.Active')
         FROM webhook_deliveries AS delivery
         LEFT JOIN records AS webhook ON webhook.entity = 'WebHook' AND webhook.id = delivery.webhook_id
         WHERE delivery.due_at <= ?1 ORDER BY delivery.due_at, delivery.id LIMIT ?2",
    )?;
    let fetch = i64::try_from(limit + in_flight.len()).unwrap_or(i64::MAX);
    let rows = statement.query_map(params![now, fetch], |row| {
        let url: Option<String> = row.get(4)?;
        let active: Option<i64> = row.get(5)?;
        Ok(Delivery {
            id: row.get(0)?,
            webhook_id: row.get(1)?,
            body: row.get(2)?,
            attempts: row.get(3)?,
            url: url.filter(|_| active == Some(1)),
        })
    })?;
    let mut deliveries = Vec::new();
    for row in rows {
        let delivery = row?;
        if !in_flight.contains(&delivery.id) {
            deliveries.push(delivery);
        }
        if deliveries.len() == limit {
            break;
        }
    }
    Ok(deliveries)
}

/// When the next delivery not yet due is due, if any.
pub(super) fn next_due(connection: &Connection, now: i64) -> Result<Option<i64>, rusqlite::Error> {
    connection
        .prepare_cached("SELECT min(due_at) FROM webhook_deliveries WHERE due_at > ?1")?
        .query_row(params![now], |row| row.get(0))
}

/// Records how an attempt at `delivery` went, at `now` (`at` as the API writes date-times): the
/// delivery is done, retried later or given up, and the webhook's `LastTrigger`, `LastError`,
/// `ErrorCount` and `Active` say so.
pub(super) fn record(
    connection: &Connection,
    delivery: &Delivery,
    outcome: &Outcome,
    now: i64,
    at: &str,
    policy: &Policy<'_>,
) -> Result<(), rusqlite::Error> {
    let webhook = delivery.webhook_id;
    let done = |connection: &Connection| {
        connection.execute(
            "DELETE FROM webhook_deliveries WHERE id = ?1",
            params![delivery.id],
        )
    };
    match outcome {
        Outcome::Dropped => {
            done(connection)?;
        }
        Outcome::Delivered => {
            done(connection)?;
            connection.execute(
                "UPDATE records SET fields = jsonb_set(fields, '$.LastTrigger', ?1, '$.ErrorCount', 0)
                 WHERE entity = 'WebHook' AND id = ?2",
                params![at, webhook],
            )?;
        }
        Outcome::Failed(error) => {
            let errors: i64 = connection
                .prepare_cached(
                    "UPDATE records SET fields = jsonb_set(fields, '$.LastTrigger', ?1,
                         '$.LastError', ?2,
                         '$.ErrorCount', coalesce(json_extract(fields, '$.ErrorCount'), 0) + 1)
                     WHERE entity = 'WebHook' AND id = ?3
                     RETURNING json_extract(fields, '$.ErrorCount')",
                )?
                .query_row(params![at, error, webhook], |row| row.get(0))
                .optional()?
                .unwrap_or_default();
            let attempts = delivery.attempts + 1;
            let retry = usize::try_from(delivery.attempts)
                .ok()
                .and_then(|made| policy.retry_delays.get(made));
            if errors >= i64::from(policy.disable_after) {
                connection.execute(
                    "UPDATE records SET fields = jsonb_set(fields, '$.Active', json('false'))
                     WHERE entity = 'WebHook' AND id = ?1",
                    params![webhook],
                )?;
                connection.execute(
                    "DELETE FROM webhook_deliveries WHERE webhook_id = ?1",
                    params![webhook],
                )?;
            } else if let Some(delay) = retry {
                let delay = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
                connection.execute(
                    "UPDATE webhook_deliveries SET attempts = ?1, due_at = ?2 WHERE id = ?3",
                    params![attempts, now.saturating_add(delay), delivery.id],
                )?;
            } else {
                done(connection)?;
            }
        }
    }
    Ok(())
}
