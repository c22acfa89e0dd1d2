//! The checked schemas as plain data, for programs that serve the API rather than call it.
//!
//! The emitters turn the IR into Rust; a server (or any other tool) needs the same facts as
//! values it can walk at run time: each entity's URL and operations, each field's type, presence
//! per write and rules, and the search filters and sort keys. [`model`] checks the schemas
//! exactly as [`generate`](crate::generate) does and answers those facts, serializable so that a
//! build script can embed them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Diagnostics;
use crate::ir::{self, FieldType};

/// Every entity of a schema folder, in the generator's order (by area, then module).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The properties every record carries whatever its entity (`Id`, `UniqueId`, `CreatedOn`,
    /// ...).
    pub base_fields: Vec<String>,
    /// The base fields a client writes too (`SystemId`, `LocalizationDetails`,
    /// `CustomFields`): a create or update may carry them, and an update replaces them like the
    /// entity's own fields. The server maintains the others; `Id` names the record.
    pub writable_base_fields: Vec<String>,
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
    pub fn writable_base_field(&self, name: &str) -> Option<&str> {
        self.writable_base_fields
            .iter()
            .find(|base| base.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }
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
}

impl EntityModel {
    /// Whether the entity supports `operation`.
    pub fn supports(&self, operation: Operation) -> bool {
        self.operations.contains(&operation)
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
    /// The rules its value must satisfy.
    pub rules: Vec<Rule>,
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

/// Checks the schemas in `input` (a schema file or a folder of them) and answers them as a
/// [`Model`]; on failure, every problem found, as [`generate`](crate::generate) reports them.
pub fn model(input: &Path) -> Result<Model, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let raw = crate::load::load(input, &mut diagnostics);
    let Some(ir) = crate::check::check(raw, &mut diagnostics) else {
        return Err(diagnostics);
    };
    Ok(Model {
        base_fields: ir::BASE_FIELDS
            .iter()
            .map(|base| base.wire_name.to_owned())
            .collect(),
        writable_base_fields: ir::BASE_FIELDS
            .iter()
            .filter(|base| !base.kept_by_server && base.wire_name != "Id")
            .map(|base| base.wire_name.to_owned())
            .collect(),
        entities: ir.entities.iter().map(entity).collect(),
    })
}

fn entity(entity: &ir::Entity) -> EntityModel {
    let fields: Vec<FieldModel> = entity
        .fields
        .iter()
        .map(|field| FieldModel {
            name: field.wire_name.clone(),
            ty: value_type(entity, field.ty),
            create: presence(field.create),
            update: presence(field.update),
            secret: field.secret,
            default: field.default,
            rules: field.rules.iter().map(rule).collect(),
        })
        .collect();
    let filters = entity
        .filters()
        .into_iter()
        .map(|filter| FilterModel {
            bound: filter.bound,
            parameter: filter.wire_name,
            field: filter.field,
        })
        .collect();
    let sort_keys = ["Id", "CreatedOn", "UpdatedOn"]
        .into_iter()
        .map(str::to_owned)
        .chain(
            entity
                .fields
                .iter()
                .filter(|field| field.is_sortable())
                .map(|field| field.wire_name.clone()),
        )
        .collect();
    EntityModel {
        name: entity.name.clone(),
        area: entity.area.name.to_owned(),
        path: entity.path.clone(),
        operations: entity.operations.iter().map(|op| operation(*op)).collect(),
        fields,
        filters,
        sort_keys,
    }
}

fn value_type(entity: &ir::Entity, ty: FieldType) -> ValueType {
    match ty {
        FieldType::Scalar(scalar_type) => ValueType::Scalar(scalar(scalar_type)),
        FieldType::Enum(index) => ValueType::Enum(
            entity
                .enums
                .get(index)
                .map(|schema_enum| schema_enum.wire_name.clone())
                .unwrap_or_default(),
        ),
        FieldType::List(scalar_type) => ValueType::List(scalar(scalar_type)),
    }
}

fn scalar(scalar: ir::Scalar) -> Scalar {
    match scalar {
        ir::Scalar::Int32 => Scalar::Int32,
        ir::Scalar::Int64 => Scalar::Int64,
        ir::Scalar::Decimal => Scalar::Decimal,
        ir::Scalar::Bool => Scalar::Bool,
        ir::Scalar::String => Scalar::String,
        ir::Scalar::DateTime => Scalar::DateTime,
    }
}

fn presence(presence: ir::Presence) -> Presence {
    match presence {
        ir::Presence::Required => Presence::Required,
        ir::Presence::Optional => Presence::Optional,
        ir::Presence::Absent => Presence::Absent,
    }
}

fn rule(rule: &ir::Rule) -> Rule {
    match rule {
        ir::Rule::NotBlank { .. } => Rule::NotBlank,
        ir::Rule::Range { min, max, .. } => Rule::Range {
            min: *min,
            max: *max,
        },
        ir::Rule::Email { .. } => Rule::Email,
    }
}

fn operation(operation: ir::Operation) -> Operation {
    match operation {
        ir::Operation::Search => Operation::Search,
        ir::Operation::Get => Operation::Get,
        ir::Operation::GetMany => Operation::GetMany,
        ir::Operation::Create => Operation::Create,
        ir::Operation::Update => Operation::Update,
        ir::Operation::Delete => Operation::Delete,
        ir::Operation::Commands => Operation::Commands,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email_account() -> EntityModel {
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/EmailAccount.yaml");
        let model = model(&schema).unwrap_or_else(|problems| panic!("{problems}"));
        assert!(model.base_fields.iter().any(|name| name == "UpdatedBy"));
        model.entities.into_iter().next().expect("one entity")
    }

    #[test]
    fn the_model_has_the_schemas_facts() {
        let entity = email_account();
        assert_eq!(
            (
                entity.name.as_str(),
                entity.area.as_str(),
                entity.path.as_str()
            ),
            ("EmailAccount", "crm", "/api/crm/emailaccounts")
        );
        assert!(entity.supports(Operation::GetMany) && !entity.supports(Operation::Commands));
        let port = entity.field("IncomingServerPort").expect("a field");
        assert_eq!(port.ty, ValueType::Scalar(Scalar::Int32));
        assert_eq!(port.presence(Operation::Create), Presence::Required);
        assert_eq!(
            port.rules,
            [Rule::Range {
                min: Some(1),
                max: Some(65535)
            }]
        );
        let kind = entity.field("IncomingServerType").expect("a field");
        assert_eq!(kind.ty, ValueType::Enum("eEmailServerType".into()));
        assert_eq!(
            (kind.create, kind.update),
            (Presence::Optional, Presence::Required)
        );
        assert!(
            entity
                .field("GoogleAccessToken")
                .is_some_and(|field| field.secret)
        );
        assert_eq!(
            entity.field("Id").map(|id| (id.create, id.update)),
            Some((Presence::Absent, Presence::Required))
        );
    }

    #[test]
    fn filters_name_the_property_they_compare_and_how() {
        let entity = email_account();
        let find = |parameter: &str| {
            entity
                .filters
                .iter()
                .find(|filter| filter.parameter == parameter)
                .map(|filter| (filter.field.as_str(), filter.bound))
        };
        assert_eq!(
            find("EmailAccount_Business"),
            Some(("BusinessId", Bound::Equal))
        );
        assert_eq!(
            find("to_EmailAccount_IncomingServerPort"),
            Some(("IncomingServerPort", Bound::To))
        );
        assert_eq!(
            find("from_EmailAccount_CreatedOn"),
            Some(("CreatedOn", Bound::From))
        );
        assert_eq!(
            find("EmailAccount_GoogleAccessToken"),
            None,
            "secrets are never filters"
        );
        assert_eq!(entity.sort_keys[..3], ["Id", "CreatedOn", "UpdatedOn"]);
        assert!(entity.sort_keys.iter().any(|key| key == "DisplayName"));
    }
}
