//! The checked schemas as plain data, for programs that serve the API rather than call it.
//!
//! The emitters turn the IR into Rust; a server (or any other tool) needs the same facts as
//! values it can walk at run time: each entity's URL and operations, each field's type, presence
//! per write and rules, and the search filters and sort keys. [`model`] checks the schemas
//! exactly as [`generate`](crate::generate) does and answers those facts, serializable so that a
//! build script can embed them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "check")]
mod convert;
pub mod rules;

#[cfg(feature = "check")]
pub use convert::model;

/// Every entity of a schema folder, in the generator's order (by area, then module).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The properties every record carries whatever its entity (`Id`, `UniqueId`, `CreatedOn`,
    /// ...).
    pub base_fields: Vec<String>,
    /// The base fields a client writes too (`SystemId`, `LocalizationDetails`,
    /// `CustomFields`): a create or update may carry them, and an update replaces them like the
    /// entity's own fields. The server maintains the others; `Id` names the record.
    pub writable_base_fields: Vec<WritableBaseField>,
    /// The entities.
    pub entities: Vec<EntityModel>,
}

impl Model {
    /// Whether `name` is a base field (`UniqueId`, `CreatedOn`, ...), in any letter case.
    pub fn is_base_field(&self, name: &str) -> bool {
        self.base_fields
            .iter()
            .any(|base| base.eq_ignore_ascii_case(name))
    }

    /// The writable base field `name` spells in any letter case (`systemid` -> `SystemId`).
    pub fn writable_base_field(&self, name: &str) -> Option<&WritableBaseField> {
        self.writable_base_fields
            .iter()
            .find(|base| base.name.eq_ignore_ascii_case(name))
    }
}

/// A base field a client writes too, e.g. `SystemId`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WritableBaseField {
    /// Its wire name.
    pub name: String,
    /// The type its value has; `None` for any JSON value (`CustomFields`).
    pub ty: Option<Scalar>,
}

/// One entity: where it lives, what can be done with it, and its fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityModel {
    /// The Nexudus name, e.g. `EmailAccount`.
    pub name: String,
    /// The API area, e.g. `crm`.
    pub area: String,
    /// The collection URL path, e.g. `/api/crm/emailaccounts`.
    pub path: String,
    /// The operations it supports.
    pub operations: Vec<Operation>,
    /// Its own fields (not the base fields), in schema order; `Id` among them when a write
    /// carries it.
    pub fields: Vec<FieldModel>,
    /// The query parameters a search accepts as filters.
    pub filters: Vec<FilterModel>,
    /// The property names a search accepts as `orderBy`.
    pub sort_keys: Vec<String>,
    /// The webhook actions (`eWebhookAction` members) whose payload is a record of this entity.
    #[serde(default)]
    pub webhook_actions: Vec<WebhookActionModel>,
}

/// A webhook action whose payload is a record of the entity that lists it, e.g. `CoworkerCreate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookActionModel {
    /// Its `eWebhookAction` name, e.g. `CoworkerCreate`.
    pub name: String,
    /// Its value, the webhook's `Action`, e.g. `3`.
    pub value: i64,
    /// The write through the API that fires it ([`Operation::Create`], [`Operation::Update`] or
    /// [`Operation::Delete`], read from the end of its name); `None` for an action that follows
    /// another event (`CoworkerInvoicePaid`), which no plain write fires.
    pub fired_by: Option<Operation>,
}

impl EntityModel {
    /// Whether the entity supports `operation`.
    pub fn supports(&self, operation: Operation) -> bool {
        self.operations.contains(&operation)
    }

    /// The values of the webhook actions a `write` of a record of this entity fires
    /// ([`Operation::Create`], [`Operation::Update`] or [`Operation::Delete`]).
    pub fn fired_actions(&self, write: Operation) -> impl Iterator<Item = &WebhookActionModel> {
        self.webhook_actions
            .iter()
            .filter(move |action| action.fired_by == Some(write))
    }

    /// The field with this wire name.
    pub fn field(&self, name: &str) -> Option<&FieldModel> {
        self.fields.iter().find(|field| field.name == name)
    }
}

/// An operation of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// `GET {path}?...`: a page of records.
    Search,
    /// `GET {path}/{id}`.
    Get,
    /// `GET {path}/?id=[..]`.
    GetMany,
    /// `POST {path}`.
    Create,
    /// `PUT {path}` with `Id` in the body.
    Update,
    /// `DELETE {path}/{id}`.
    Delete,
    /// `GET {path}/commands` and `POST {path}/runcommand`.
    Commands,
}

/// One property of an entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldModel {
    /// The JSON property name, e.g. `IncomingServerSSL`.
    pub name: String,
    /// Its value type.
    pub ty: ValueType,
    /// Whether a create body carries it.
    pub create: Presence,
    /// Whether an update body carries it.
    pub update: Presence,
    /// Whether its value is secret (never logged, never shown).
    pub secret: bool,
    /// The value the SDK sends when the caller gives none, for a required field the server
    /// can do without.
    pub default: Option<i64>,
    /// The rules its schema declares.
    pub rules: Vec<Rule>,
    /// What a create checks of its value, in order: the SDK's `validate()` runs the same.
    pub create_checks: Vec<Check>,
    /// What an update checks of its value, in order.
    pub update_checks: Vec<Check>,
}

impl FieldModel {
    /// Its presence in the body of `write` ([`Operation::Create`] or [`Operation::Update`]);
    /// absent for any other operation.
    pub fn presence(&self, write: Operation) -> Presence {
        match write {
            Operation::Create => self.create,
            Operation::Update => self.update,
            _ => Presence::Absent,
        }
    }

    /// What the body of `write` ([`Operation::Create`] or [`Operation::Update`]) checks of the
    /// field's value; nothing for any other operation.
    pub fn checks(&self, write: Operation) -> &[Check] {
        match write {
            Operation::Create => &self.create_checks,
            Operation::Update => &self.update_checks,
            _ => &[],
        }
    }
}

/// The type of a field's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// One value.
    Scalar(Scalar),
    /// An integer; the named enum (e.g. `eEmailServerType`) lists the known values, and any
    /// other integer is accepted too.
    Enum(String),
    /// A JSON array of values.
    List(Scalar),
}

/// The scalar value types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scalar {
    /// A 32-bit integer.
    Int32,
    /// A 64-bit integer.
    Int64,
    /// A decimal number, sent as a JSON number.
    Decimal,
    /// `true` or `false`.
    Bool,
    /// Text.
    String,
    /// An ISO-8601 date-time.
    DateTime,
}

/// Whether a write body carries a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// It must be there (and not `null`).
    Required,
    /// It may be there.
    Optional,
    /// It is not part of the body.
    Absent,
}

/// A rule a field's value must satisfy, as the SDK's `validate()` checks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Text that is not empty or only spaces.
    NotBlank,
    /// A number within bounds, both included.
    Range {
        /// The lowest value allowed, if any.
        min: Option<i64>,
        /// The highest value allowed, if any.
        max: Option<i64>,
    },
    /// An e-mail address.
    Email,
}

/// One check of a field's value in a write, decided by the generator for the SDK and the server
/// alike; [`rules`] gives each its verdict and message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A required string: not blank ([`rules::required`]).
    Required,
    /// A `not_blank` rule ([`rules::not_blank`]).
    NotBlank,
    /// A `range` rule ([`rules::range`]).
    Range {
        /// The lowest value allowed, if any.
        min: Option<i64>,
        /// The highest value allowed, if any.
        max: Option<i64>,
    },
    /// An `email` rule ([`rules::email`]).
    Email,
}

/// One search filter: a query parameter and what it compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterModel {
    /// The query parameter, e.g. `EmailAccount_Business` or `from_EmailAccount_CreatedOn`.
    pub parameter: String,
    /// The property compared, e.g. `BusinessId` or `CreatedOn`.
    pub field: String,
    /// How it compares.
    pub bound: Bound,
}

/// How a filter compares a property with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Equal to it.
    Equal,
    /// At least it (`from_...`).
    From,
    /// At most it (`to_...`).
    To,
}
