//! Records in SQLite: one table for every entity, each record's own fields as a JSON document
//! beside the base fields the server maintains in columns.
//!
//! One JSON column rather than a table per entity keeps ~200 entities' storage in one small
//! schema; SQLite's JSON functions do the filtering and ordering. The documents are stored as
//! JSONB, SQLite's binary JSON, which those functions read without parsing text: a search reads
//! a property of every record of its entity, so this makes searches 2-3 times faster. Each write is one transaction,
//! so a failure leaves nothing half-written, and with `synchronous = FULL` a committed write
//! survives a crash.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use nexudus_codegen::model::Operation;

use crate::validate::stored_date_time;
use crate::webhook::Outbox;

/// Where the records live.
#[derive(Clone, Debug)]
pub enum Database {
    /// A SQLite file, created when missing.
    File(std::path::PathBuf),
    /// Memory only: gone when the server stops.
    Memory,
}

/// A failure of the storage itself (not of a request).
#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(#[from] rusqlite::Error);

/// The record store, shared by every request.
#[derive(Clone)]
pub(crate) struct Store {
    connection: Arc<Mutex<Connection>>,
    /// Where a write queues the webhook deliveries it fires, in its own transaction.
    outbox: Option<Arc<Outbox>>,
}

/// One stored record: the base fields and the entity's own.
#[derive(Debug)]
pub(crate) struct Stored {
    pub(crate) id: i64,
    pub(crate) unique_id: String,
    pub(crate) created_on: String,
    pub(crate) updated_on: String,
    pub(crate) updated_by: String,
    pub(crate) fields: Map<String, Value>,
}

impl Stored {
    /// The record as the API answers it: base fields, then the entity's own.
    pub(crate) fn to_json(&self) -> Value {
        let mut record = Map::new();
        record.insert("Id".into(), self.id.into());
        record.insert("UniqueId".into(), self.unique_id.clone().into());
        record.insert("CreatedOn".into(), self.created_on.clone().into());
        record.insert("UpdatedOn".into(), self.updated_on.clone().into());
        record.insert("UpdatedBy".into(), self.updated_by.clone().into());
        record.insert("IsNew".into(), false.into());
        record.extend(self.fields.clone());
        Value::Object(record)
    }
}

/// A comparison a search applies: `column` (a base column, or a JSON path into the fields)
/// against a value.
#[derive(Debug)]
pub(crate) struct Condition {
    pub(crate) property: String,
    pub(crate) comparison: Comparison,
    pub(crate) value: rusqlite::types::Value,
    /// Compare date-times to the minute, as Nexudus's date filters do.
    pub(crate) to_the_minute: bool,
}

/// How a search condition compares.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Comparison {
    Equal,
    AtLeast,
    AtMost,
}

/// What a search asks for.
#[derive(Debug)]
pub(crate) struct Query {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) order_by: String,
    pub(crate) descending: bool,
    pub(crate) page: u64,
    pub(crate) size: u64,
}

/// The properties stored as columns; everything else is in the JSON document.
const BASE_COLUMNS: [(&str, &str); 5] = [
    ("Id", "id"),
    ("UniqueId", "unique_id"),
    ("CreatedOn", "created_on"),
    ("UpdatedOn", "updated_on"),
    ("UpdatedBy", "updated_by"),
];

impl Store {
    /// Opens (or creates) the database and its one table.
    pub(crate) fn open(database: &Database) -> Result<Self, StoreError> {
        let connection = match database {
            Database::File(path) => open_file(path)?,
            Database::Memory => Connection::open_in_memory()?,
        };
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS records (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 entity TEXT NOT NULL,
                 unique_id TEXT NOT NULL,
                 created_on TEXT NOT NULL,
                 updated_on TEXT NOT NULL,
                 updated_by TEXT NOT NULL,
                 fields BLOB NOT NULL
             );
             CREATE INDEX IF NOT EXISTS records_by_entity ON records (entity, id);",
        )?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
            outbox: None,
        })
    }

    /// The same records, whose writes queue webhook deliveries in `outbox`.
    pub(crate) fn with_outbox(&self, outbox: Arc<Outbox>) -> Self {
        Self {
            connection: Arc::clone(&self.connection),
            outbox: Some(outbox),
        }
    }

    /// Runs `work` in one transaction, committed if it succeeds.
    pub(crate) fn transact<T>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, rusqlite::Error>,
    ) -> Result<T, StoreError> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let result = work(&transaction)?;
        transaction.commit()?;
        Ok(result)
    }

    /// Queues the webhook deliveries a `write` of `record` fires, in the write's transaction;
    /// whether there were any (to wake the delivery task once it has committed).
    fn fire(
        &self,
        connection: &Connection,
        entity: &str,
        write: Operation,
        record: &Stored,
    ) -> Result<bool, rusqlite::Error> {
        match &self.outbox {
            Some(outbox) => outbox.enqueue(connection, entity, write, record),
            None => Ok(false),
        }
    }

    /// Wakes the delivery task after a write that queued deliveries has committed.
    fn fired(&self, queued: bool) {
        if let (true, Some(outbox)) = (queued, &self.outbox) {
            outbox.wake();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half-applied (SQLite rolls
        // it back), so a poisoned lock is still a usable connection.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores a new record and answers it.
    pub(crate) fn create(
        &self,
        entity: &str,
        fields: &Map<String, Value>,
        user: &str,
    ) -> Result<Stored, StoreError> {
        let now = stored_date_time(Utc::now());
        let unique_id = uuid::Uuid::new_v4().to_string();
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        transaction.execute(
            "INSERT INTO records (entity, unique_id, created_on, updated_on, updated_by, fields)
             VALUES (?1, ?2, ?3, ?3, ?4, jsonb(?5))",
            params![
                entity,
                unique_id,
                now,
                user,
                Value::Object(fields.clone()).to_string()
            ],
        )?;
        let stored = Stored {
            id: transaction.last_insert_rowid(),
            unique_id,
            created_on: now.clone(),
            updated_on: now,
            updated_by: user.to_owned(),
            fields: fields.clone(),
        };
        let queued = self.fire(&transaction, entity, Operation::Create, &stored)?;
        transaction.commit()?;
        self.fired(queued);
        Ok(stored)
    }

    /// Replaces the fields of the record `id` that an update takes (`updatable`), as a PUT
    /// does, and keeps the stored ones it does not take (create-only ones, such as a booking's
    /// `Repeats`); `None` when there is no such record.
    pub(crate) fn replace(
        &self,
        entity: &str,
        id: i64,
        fields: &Map<String, Value>,
        updatable: impl Fn(&str) -> bool,
        user: &str,
    ) -> Result<Option<Stored>, StoreError> {
        let now = stored_date_time(Utc::now());
        // The read and the write happen under one lock, so no other write comes between them.
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let Some(stored) = get_locked(&transaction, entity, id)? else {
            return Ok(None);
        };
        let mut replaced = fields.clone();
        for (name, value) in stored.fields {
            if !updatable(&name) {
                replaced.insert(name, value);
            }
        }
        transaction.execute(
            "UPDATE records SET fields = jsonb(?1), updated_on = ?2, updated_by = ?3
             WHERE entity = ?4 AND id = ?5",
            params![Value::Object(replaced).to_string(), now, user, entity, id],
        )?;
        let updated = get_locked(&transaction, entity, id)?;
        let queued = match &updated {
            Some(record) => self.fire(&transaction, entity, Operation::Update, record)?,
            None => false,
        };
        transaction.commit()?;
        self.fired(queued);
        Ok(updated)
    }

    /// Deletes the record `id`; whether there was one.
    pub(crate) fn delete(&self, entity: &str, id: i64) -> Result<bool, StoreError> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        // A delete's webhooks carry the record as it was.
        let fires = self
            .outbox
            .as_ref()
            .is_some_and(|outbox| outbox.fires(entity, Operation::Delete));
        let deleted = match fires {
            true => get_locked(&transaction, entity, id)?,
            false => None,
        };
        let changed = transaction.execute(
            "DELETE FROM records WHERE entity = ?1 AND id = ?2",
            params![entity, id],
        )?;
        let queued = match &deleted {
            Some(record) if changed > 0 => {
                self.fire(&transaction, entity, Operation::Delete, record)?
            }
            _ => false,
        };
        transaction.commit()?;
        self.fired(queued);
        Ok(changed > 0)
    }

    /// The record `id`, if there is one.
    pub(crate) fn get(&self, entity: &str, id: i64) -> Result<Option<Stored>, StoreError> {
        get_locked(&self.lock(), entity, id)
    }

    /// The records with these ids that exist, in id order.
    pub(crate) fn get_many(&self, entity: &str, ids: &[i64]) -> Result<Vec<Stored>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT id, unique_id, created_on, updated_on, updated_by, json(fields) FROM records
             WHERE entity = ?1 AND id IN (SELECT value FROM json_each(?2)) ORDER BY id",
        )?;
        let ids = Value::from(ids.to_vec()).to_string();
        let rows = statement.query_map(params![entity, ids], row_to_stored)?;
        rows.collect::<Result<_, _>>().map_err(StoreError::from)
    }

    /// One page of the records matching `query`, and how many match in all.
    pub(crate) fn search(
        &self,
        entity: &str,
        query: &Query,
    ) -> Result<(Vec<Stored>, u64), StoreError> {
        let mut sql_where = String::from("entity = ?");
        let mut values: Vec<rusqlite::types::Value> = vec![entity.to_owned().into()];
        for condition in &query.conditions {
            let mut column = column(&condition.property);
            if condition.to_the_minute {
                column = format!("substr({column}, 1, 16)");
            }
            let operator = match condition.comparison {
                Comparison::Equal => "=",
                Comparison::AtLeast => ">=",
                Comparison::AtMost => "<=",
            };
            sql_where.push_str(&format!(" AND {column} {operator} ?"));
            values.push(condition.value.clone());
        }
        let connection = self.lock();
        let total: i64 = connection
            .prepare_cached(&format!("SELECT count(*) FROM records WHERE {sql_where}"))?
            .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))?;
        let direction = if query.descending { "DESC" } else { "ASC" };
        let offset = (query.page - 1).saturating_mul(query.size);
        let sql = format!(
            "SELECT id, unique_id, created_on, updated_on, updated_by, json(fields) FROM records
             WHERE {sql_where} ORDER BY {} {direction}, id {direction} LIMIT {} OFFSET {offset}",
            column(&query.order_by),
            query.size,
        );
        let mut statement = connection.prepare_cached(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), row_to_stored)?;
        let records = rows.collect::<Result<_, _>>()?;
        Ok((records, u64::try_from(total).unwrap_or_default()))
    }
}

fn open_file(path: &Path) -> Result<Connection, rusqlite::Error> {
    let connection = Connection::open(path)?;
    // WAL lets reads go on during a write; FULL syncs every commit, so a write the server
    // acknowledged is on disk even if the process dies right after.
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    Ok(connection)
}

/// The SQL expression of a property: its column, or its value in the JSON document. Property
/// names come from the schema model (never from a request), and are quoted besides.
fn column(property: &str) -> String {
    match BASE_COLUMNS.iter().find(|(name, _)| *name == property) {
        Some((_, column)) => (*column).to_owned(),
        None => format!(
            "json_extract(fields, '$.\"{}\"')",
            property.replace(['\'', '"'], "")
        ),
    }
}

fn get_locked(
    connection: &Connection,
    entity: &str,
    id: i64,
) -> Result<Option<Stored>, StoreError> {
    connection
        .prepare_cached(
            "SELECT id, unique_id, created_on, updated_on, updated_by, json(fields) FROM records
             WHERE entity = ?1 AND id = ?2",
        )?
        .query_row(params![entity, id], row_to_stored)
        .optional()
        .map_err(StoreError::from)
}

fn row_to_stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    let fields: String = row.get(5)?;
    let fields = match serde_json::from_str(&fields) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    Ok(Stored {
        id: row.get(0)?,
        unique_id: row.get(1)?,
        created_on: row.get(2)?,
        updated_on: row.get(3)?,
        updated_by: row.get(4)?,
        fields,
    })
}
