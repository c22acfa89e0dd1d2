//! `Endpoint` (one operation of one entity) and how a write response becomes a result.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::command::CommandOutcome;
use super::error::{Error, ValidationOrigin};
use super::properties::{PropertyWriter, WriteProperties};
use super::validation::{ValidationErrors, Violations, redact_secrets};

/// The kind of call that failed or succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Create a record (`POST`).
    Create,
    /// Replace an existing record (`PUT`, with the `Id` in the body).
    Update,
    /// List records, one page at a time, with filters and sorting (`GET`).
    Search,
    /// Read one record by its `Id` (`GET .../{id}`).
    Get,
    /// Read several records by their `Id`s (`GET .../?id=[..]`).
    GetMany,
    /// Delete one record by its `Id` (`DELETE .../{id}`).
    Delete,
    /// List the commands an entity offers (`GET .../commands`).
    Commands,
    /// Run a command on records (`POST .../runcommand`).
    RunCommand,
}

impl Operation {
    pub(crate) fn method(self) -> reqwest::Method {
        match self {
            Self::Create | Self::RunCommand => reqwest::Method::POST,
            Self::Update => reqwest::Method::PUT,
            Self::Delete => reqwest::Method::DELETE,
            Self::Search | Self::Get | Self::GetMany | Self::Commands => reqwest::Method::GET,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Search => "search",
            Self::Get => "get",
            Self::GetMany => "get many",
            Self::Delete => "delete",
            Self::Commands => "commands",
            Self::RunCommand => "run command",
        })
    }
}

/// What a successful create or update returns.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WriteOutcome {
    /// The `Id` of the created or updated record.
    pub id: i64,
    /// The server's message, e.g. `EmailAccount was successfully created.`
    pub message: Option<String>,
    /// When the record was last changed, as reported by the server.
    pub updated_on: Option<DateTime<Utc>>,
    /// Who last changed the record, as reported by the server.
    pub updated_by: Option<String>,
}

/// One operation of one entity, as described by generated code.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    /// The entity name, e.g. `EmailAccount`.
    pub(crate) entity: &'static str,
    pub(crate) operation: Operation,
    /// The path below the base URL, e.g. `/api/crm/emailaccounts`.
    pub(crate) path: &'static str,
    /// Wire names of properties whose values must never be shown.
    pub(crate) secret_properties: &'static [&'static str],
}

/// Every operation of one entity: generated code writes the entity's name, path and secret
/// properties once, in one `const ENDPOINTS` per entity, and passes `&ENDPOINTS.get` and the
/// like (each a `'static` reference to a constant) to the client.
#[derive(Clone, Copy, Debug)]
pub struct Endpoints {
    /// [`Operation::Search`] of the entity.
    pub search: Endpoint,
    /// [`Operation::Get`] of the entity.
    pub get: Endpoint,
    /// [`Operation::GetMany`] of the entity.
    pub get_many: Endpoint,
    /// [`Operation::Create`] of the entity.
    pub create: Endpoint,
    /// [`Operation::Update`] of the entity.
    pub update: Endpoint,
    /// [`Operation::Delete`] of the entity.
    pub delete: Endpoint,
    /// [`Operation::Commands`] of the entity.
    pub commands: Endpoint,
    /// [`Operation::RunCommand`] of the entity.
    pub run_command: Endpoint,
}

impl Endpoints {
    /// The operations of the entity `entity` at `path` (e.g. `/api/crm/emailaccounts`).
    pub const fn new(
        entity: &'static str,
        path: &'static str,
        secret_properties: &'static [&'static str],
    ) -> Self {
        let at = Endpoint {
            entity,
            operation: Operation::Search,
            path,
            secret_properties,
        };
        Self {
            search: at,
            get: at.with(Operation::Get),
            get_many: at.with(Operation::GetMany),
            create: at.with(Operation::Create),
            update: at.with(Operation::Update),
            delete: at.with(Operation::Delete),
            commands: at.with(Operation::Commands),
            run_command: at.with(Operation::RunCommand),
        }
    }

    /// An empty collection of the entity's broken rules, which never keeps a secret's value.
    pub fn violations(&self) -> Violations {
        // Every endpoint of the entity carries the same secrets.
        Violations::new(self.search.secret_properties)
    }
}

/// The largest number of characters of a response body kept in an error.
const EXCERPT_CHARS: usize = 512;

impl Endpoint {
    /// The same entity's endpoint for `operation`.
    const fn with(self, operation: Operation) -> Self {
        Self { operation, ..self }
    }

    /// The error for a request that failed client-side validation; nothing is sent.
    pub fn rejected(&self, mut errors: ValidationErrors) -> Error {
        redact_secrets(&mut errors, self.secret_properties);
        Error::Validation {
            entity: self.entity,
            operation: self.operation,
            origin: ValidationOrigin::Client,
            message: None,
            errors,
        }
    }

    /// Serializes a request body.
    pub(crate) fn encode<T: serde::Serialize + ?Sized>(&self, body: &T) -> Result<Vec<u8>, Error> {
        serde_json::to_vec(body).map_err(|source| self.encode_error(source))
    }

    /// The JSON body of a generated request: [`encode`](Self::encode) of the properties it
    /// writes, compiled once for every request type.
    pub fn encode_request(&self, request: &dyn WriteProperties) -> Result<Vec<u8>, Error> {
        let properties = PropertyWriter::of(request).map_err(|source| self.encode_error(source))?;
        self.encode(&properties)
    }

    // Kept out of `encode` so that the per-type copies stay small.
    pub(crate) fn encode_error(&self, source: serde_json::Error) -> Error {
        Error::Encode {
            entity: self.entity,
            operation: self.operation,
            source,
        }
    }

    pub(crate) fn transport_error(&self, source: reqwest::Error) -> Error {
        Error::Transport {
            entity: self.entity,
            operation: self.operation,
            source,
        }
    }

    /// Parses a JSON response body, e.g. one that [`Client::read`](super::Client::read)
    /// answered with, into `T`; [`Error::Decode`] with the start of the body if it does not fit.
    pub(crate) fn decode<T: serde::de::DeserializeOwned>(
        &self,
        status: u16,
        body: &[u8],
    ) -> Result<T, Error> {
        serde_json::from_slice(body).map_err(|source| self.decode_error(status, body, source))
    }

    /// Turns the status and body of a create/update response into its result.
    pub(crate) fn write_result(&self, status: u16, body: &[u8]) -> Result<WriteOutcome, Error> {
        self.outcome(status, body, None)
    }

    /// Turns the status and body of a write response into its result; `known_id` stands in
    /// for a missing `Value.Id` (a delete knows which record it deleted).
    pub(crate) fn outcome(
        &self,
        status: u16,
        body: &[u8],
        known_id: Option<i64>,
    ) -> Result<WriteOutcome, Error> {
        let envelope = self.successful_envelope(status, body)?;
        let Some(id) = envelope.id().or(known_id) else {
            let source = serde::de::Error::custom("the response has no `Value.Id`");
            return Err(self.decode_error(status, body, source));
        };
        Ok(WriteOutcome {
            id,
            updated_on: envelope.updated_on(),
            message: envelope.message,
            updated_by: envelope.updated_by,
        })
    }

    /// Turns the status and body of a `runcommand` response into its result. Unlike a write,
    /// success needs no `Value.Id`: commands answer `"Value": {}` as often as `{"Id": n}`.
    pub(crate) fn command_outcome(
        &self,
        status: u16,
        body: &[u8],
    ) -> Result<CommandOutcome, Error> {
        let envelope = self.successful_envelope(status, body)?;
        Ok(CommandOutcome {
            updated_on: envelope.updated_on(),
            message: envelope.message,
            value: envelope.value,
            updated_by: envelope.updated_by,
        })
    }

    /// The envelope of a write or command response that succeeded. `WasSuccessful: false`, and
    /// a 400 that carries a message or errors, are [`Error::Validation`] from the server; a
    /// success status without `WasSuccessful` is [`Error::Decode`]; any other status is
    /// [`status_error`](Self::status_error).
    fn successful_envelope(&self, status: u16, body: &[u8]) -> Result<WriteEnvelope, Error> {
        if (200..300).contains(&status) {
            let envelope: WriteEnvelope = serde_json::from_slice(body)
                .map_err(|source| self.decode_error(status, body, source))?;
            return match envelope.was_successful {
                Some(true) => Ok(envelope),
                Some(false) => Err(self.server_rejected(envelope)),
                None => {
                    let source = serde::de::Error::missing_field("WasSuccessful");
                    Err(self.decode_error(status, body, source))
                }
            };
        }
        if status == 400 {
            if let Ok(envelope) = serde_json::from_slice::<WriteEnvelope>(body) {
                if envelope.message.is_some() || envelope.errors.is_some() {
                    return Err(self.server_rejected(envelope));
                }
            }
        }
        Err(self.status_error(status, body))
    }

    /// The error for a response whose status is not a result: 401, 403, 404 and 5xx have their
    /// own variants, anything else is [`Error::Status`].
    pub(crate) fn status_error(&self, status: u16, body: &[u8]) -> Error {
        let (entity, operation, body) = (self.entity, self.operation, excerpt(body));
        match status {
            401 => Error::Unauthorized {
                entity,
                operation,
                body,
            },
            403 => Error::Forbidden {
                entity,
                operation,
                body,
            },
            404 => Error::NotFound {
                entity,
                operation,
                body,
            },
            500..=599 => Error::ServerError {
                entity,
                operation,
                status,
                body,
            },
            _ => Error::Status {
                entity,
                operation,
                status,
                body,
            },
        }
    }

    /// The error for a response whose body passed the client's size limit.
    pub(crate) fn too_large(&self, status: u16, limit: usize) -> Error {
        Error::ResponseTooLarge {
            entity: self.entity,
            operation: self.operation,
            status,
            limit,
        }
    }

    /// The error for a request that stayed throttled.
    pub(crate) fn throttled(&self, retry_after: Option<Duration>) -> Error {
        Error::Throttled {
            entity: self.entity,
            operation: self.operation,
            retry_after,
        }
    }

    fn server_rejected(&self, envelope: WriteEnvelope) -> Error {
        let mut errors = envelope.errors.unwrap_or_default();
        redact_secrets(&mut errors, self.secret_properties);
        Error::Validation {
            entity: self.entity,
            operation: self.operation,
            origin: ValidationOrigin::Server,
            message: envelope.message,
            errors,
        }
    }

    pub(crate) fn decode_error(
        &self,
        status: u16,
        body: &[u8],
        source: serde_json::Error,
    ) -> Error {
        Error::Decode {
            entity: self.entity,
            operation: self.operation,
            status,
            excerpt: excerpt(body),
            source,
        }
    }
}

/// The answer to create, update, delete and runcommand. Only `WasSuccessful` decides the outcome;
/// everything else is optional and unknown fields are ignored.
#[derive(Deserialize)]
struct WriteEnvelope {
    #[serde(rename = "Message", default)]
    message: Option<String>,
    #[serde(rename = "Value", default)]
    value: Option<serde_json::Value>,
    // Read as text so that an odd date cannot turn a completed write into an error.
    #[serde(rename = "UpdatedOn", default)]
    updated_on: Option<String>,
    #[serde(rename = "UpdatedBy", default)]
    updated_by: Option<String>,
    #[serde(rename = "Errors", default)]
    errors: Option<ValidationErrors>,
    #[serde(rename = "WasSuccessful", default)]
    was_successful: Option<bool>,
}

impl WriteEnvelope {
    fn id(&self) -> Option<i64> {
        match self.value.as_ref()?.get("Id")? {
            serde_json::Value::Number(number) => number.as_i64(),
            serde_json::Value::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// `UpdatedOn` as a date-time; `None` when missing or unreadable.
    fn updated_on(&self) -> Option<DateTime<Utc>> {
        self.updated_on.as_deref().and_then(super::datetime::parse)
    }
}

/// The start of a response body, cut on a character boundary, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut chars = text.char_indices();
    match chars.nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests;
