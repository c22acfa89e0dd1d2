//! The checked, Rust-shaped model that emitters read: names resolved, types chosen, rules as data.
// The emitters read every fact of the IR; the model, which a build without `generate` makes,
// reads only some.
#![cfg_attr(not(feature = "generate"), allow(dead_code))]

use std::collections::BTreeSet;

use crate::diagnostics::Location;
use crate::naming;

/// Every entity of a schema folder, in a fixed order (by area, then module name).
pub(crate) struct Ir {
    pub(crate) entities: Vec<Entity>,
}

/// One Nexudus entity, e.g. `EmailAccount`.
pub(crate) struct Entity {
    /// Where the schema names the entity, for problems found across files.
    pub(crate) origin: Location,
    /// The schema file's name, for the preamble of the generated file.
    pub(crate) schema_file: String,
    /// The Nexudus name, also the Rust type prefix: `EmailAccount`.
    pub(crate) name: String,
    pub(crate) description: String,
    /// The collection URL: `/api/crm/emailaccounts`.
    pub(crate) path: String,
    pub(crate) area: Area,
    /// The module holding the entity's items: `email_account`.
    pub(crate) module: String,
    /// The `Client` method returning the entity's handle: `email_accounts`.
    pub(crate) accessor: String,
    pub(crate) operations: BTreeSet<Operation>,
    pub(crate) enums: Vec<Enum>,
    pub(crate) fields: Vec<Field>,
    /// The webhook actions whose payload is a record of this entity, in schema order.
    pub(crate) webhook_actions: Vec<WebhookAction>,
}

/// The enum that lists the actions a webhook can fire on (declared by the `WebHook` schema).
pub(crate) const WEBHOOK_ACTION_ENUM: &str = "eWebhookAction";

/// A member of `eWebhookAction` whose payload is a record of the entity that lists it.
pub(crate) struct WebhookAction {
    /// Its name, e.g. `CoworkerCreate`.
    pub(crate) name: String,
    /// Its value on the wire, e.g. `3`.
    pub(crate) value: i64,
    /// Its Rust variant name, as the enum's member has it.
    pub(crate) rust_name: String,
}

impl WebhookAction {
    /// The write through the API that fires it, read from the end of its name: `...Create` or
    /// `...Created` on a create, `...Update(d)` on an update, `...Delete(d)` on a delete. Other
    /// actions (`CoworkerInvoicePaid`, `VisitorCheckedin`) follow events no plain write is.
    pub(crate) fn fired_by(&self) -> Option<Operation> {
        [
            ("Create", Operation::Create),
            ("Update", Operation::Update),
            ("Delete", Operation::Delete),
        ]
        .into_iter()
        .find(|(verb, _)| {
            let name = self.name.strip_suffix('d').unwrap_or(&self.name);
            name.ends_with(verb)
        })
        .map(|(_, operation)| operation)
    }
}

/// The API areas Nexudus groups its URLs in (`/api/{area}/...`), with what each holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Area {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
}

pub(crate) const AREAS: &[Area] = &[
    Area {
        name: "apps",
        description: "Marketplace applications installed on a location.",
    },
    Area {
        name: "billing",
        description: "Invoices, payments, products, plans and everything else that is charged.",
    },
    Area {
        name: "collaboration",
        description: "Shared files, projects and tasks.",
    },
    Area {
        name: "community",
        description: "Discussion boards, groups and messages between members.",
    },
    Area {
        name: "content",
        description: "Website and portal content: pages, blog posts, files and media.",
    },
    Area {
        name: "crm",
        description: "Customer relationships: leads, contacts, mailboxes and messages.",
    },
    Area {
        name: "security",
        description: "Users, roles and access control.",
    },
    Area {
        name: "spaces",
        description: "Locations, resources, bookings, members and visitors.",
    },
    Area {
        name: "support",
        description: "Help-desk tickets and support requests.",
    },
    Area {
        name: "sys",
        description: "Location settings, automations, e-mail and system records.",
    },
];

impl Area {
    /// The area called `name` (`crm`), if Nexudus has one.
    pub(crate) fn named(name: &str) -> Option<Self> {
        AREAS.iter().copied().find(|area| area.name == name)
    }

    /// Every area's name, backticked, for a message that lists them: "`apps`, `billing`, ...".
    pub(crate) fn listed() -> String {
        let names: Vec<&str> = AREAS.iter().map(|area| area.name).collect();
        crate::load::backticked(&names)
    }
}

/// A property every Nexudus record carries, whatever its entity.
pub(crate) struct BaseField {
    pub(crate) wire_name: &'static str,
    pub(crate) ty: BaseType,
    /// Whether the server alone sets it, so an update never sends it back. `SystemId`,
    /// `LocalizationDetails` and `CustomFields` are data a client writes (the 2020 documentation
    /// offers `{Entity}_SystemId` as a search filter for the external system's id an
    /// integration stores there), so an update carries them over; `Id` names the record.
    pub(crate) kept_by_server: bool,
    pub(crate) description: &'static str,
}

/// The base fields a client writes too (`SystemId`, `LocalizationDetails`, `CustomFields`): an
/// update made from a fetched record carries them over, and the server stores them.
pub(crate) fn writable_base_fields() -> impl Iterator<Item = &'static BaseField> {
    BASE_FIELDS
        .iter()
        .filter(|base| !base.kept_by_server && base.wire_name != "Id")
}

/// The value types of base fields.
#[derive(Clone, Copy)]
pub(crate) enum BaseType {
    Id,
    Bool,
    String,
    DateTime,
    Json,
}

pub(crate) const BASE_FIELDS: &[BaseField] = &[
    BaseField {
        wire_name: "Id",
        ty: BaseType::Id,
        kept_by_server: false,
        description: "The record's Id.",
    },
    BaseField {
        wire_name: "UniqueId",
        ty: BaseType::String,
        kept_by_server: true,
        description: "The record's GUID.",
    },
    BaseField {
        wire_name: "CreatedOn",
        ty: BaseType::DateTime,
        kept_by_server: true,
        description: "When the record was created (UTC).",
    },
    BaseField {
        wire_name: "UpdatedOn",
        ty: BaseType::DateTime,
        kept_by_server: true,
        description: "When the record was last changed (UTC).",
    },
    BaseField {
        wire_name: "UpdatedBy",
        ty: BaseType::String,
        kept_by_server: true,
        description: "Who last changed the record.",
    },
    BaseField {
        wire_name: "IsNew",
        ty: BaseType::Bool,
        kept_by_server: true,
        description: "Whether the record has not been saved yet.",
    },
    BaseField {
        wire_name: "SystemId",
        ty: BaseType::String,
        kept_by_server: false,
        description: "An identifier the record has in an external system, if any.",
    },
    BaseField {
        wire_name: "ToStringText",
        ty: BaseType::String,
        kept_by_server: true,
        description: "The record's display text.",
    },
    BaseField {
        wire_name: "LocalizationDetails",
        ty: BaseType::Json,
        kept_by_server: false,
        description: "Translations of the record's texts, as the API sends them.",
    },
    BaseField {
        wire_name: "CustomFields",
        ty: BaseType::Json,
        kept_by_server: false,
        description: "The operator's custom fields, as the API sends them.",
    },
];

/// What the API lets a client do with an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Operation {
    Search,
    Get,
    GetMany,
    Create,
    Update,
    Delete,
    Commands,
}

impl Operation {
    pub(crate) const ALL: [(&'static str, Operation); 7] = [
        ("search", Operation::Search),
        ("get", Operation::Get),
        ("get_many", Operation::GetMany),
        ("create", Operation::Create),
        ("update", Operation::Update),
        ("delete", Operation::Delete),
        ("commands", Operation::Commands),
    ];
}

/// The two write operations whose request bodies are generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Write {
    Create,
    Update,
}

impl Write {
    pub(crate) fn operation(self) -> Operation {
        match self {
            Write::Create => Operation::Create,
            Write::Update => Operation::Update,
        }
    }

    /// The HTTP method that sends the body: `POST` creates, `PUT` replaces.
    pub(crate) fn http_method(self) -> &'static str {
        match self {
            Write::Create => "POST",
            Write::Update => "PUT",
        }
    }

    /// `Create` or `Update`, as used in type and constant names.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Write::Create => "Create",
            Write::Update => "Update",
        }
    }

    pub(crate) fn verb(self) -> &'static str {
        match self {
            Write::Create => "create",
            Write::Update => "update",
        }
    }
}

/// An enum declared by the schema; its integer values go over the wire.
pub(crate) struct Enum {
    /// The Nexudus name, e.g. `eEmailServerType`.
    pub(crate) wire_name: String,
    /// The Rust type name, e.g. `EmailServerType`.
    pub(crate) rust_name: String,
    pub(crate) description: String,
    pub(crate) values: Vec<EnumValue>,
}

/// One known member of an enum.
pub(crate) struct EnumValue {
    pub(crate) value: i64,
    pub(crate) wire_name: String,
    pub(crate) rust_name: String,
    pub(crate) description: Option<String>,
}

/// One property of the entity.
pub(crate) struct Field {
    /// The exact JSON property name, e.g. `IncomingServerSSL`.
    pub(crate) wire_name: String,
    /// The Rust field name, e.g. `incoming_server_ssl`.
    pub(crate) rust_name: String,
    pub(crate) ty: FieldType,
    pub(crate) description: String,
    pub(crate) create: Presence,
    pub(crate) update: Presence,
    pub(crate) secret: bool,
    /// A value the SDK sends when the caller sets none, for fields the documentation marks
    /// required although the server has a sensible value for them.
    pub(crate) default: Option<i64>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) notes: Option<String>,
}

impl Field {
    pub(crate) fn presence(&self, write: Write) -> Presence {
        match write {
            Write::Create => self.create,
            Write::Update => self.update,
        }
    }

    /// Whether a caller must give this field to build the request: required, with no default.
    pub(crate) fn demanded(&self, write: Write) -> bool {
        self.presence(write) == Presence::Required && self.default.is_none()
    }
}

/// A field's value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldType {
    Scalar(Scalar),
    /// Index into the entity's `enums`.
    Enum(usize),
    List(Scalar),
}

/// The value types a field can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar {
    Int32,
    Int64,
    Decimal,
    Bool,
    String,
    DateTime,
}

impl Scalar {
    pub(crate) const ALL: [(&'static str, Scalar); 6] = [
        ("int32", Scalar::Int32),
        ("int64", Scalar::Int64),
        ("decimal", Scalar::Decimal),
        ("bool", Scalar::Bool),
        ("string", Scalar::String),
        ("datetime", Scalar::DateTime),
    ];
}

/// Whether a write operation's body carries a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Presence {
    Required,
    Optional,
    Absent,
}

/// A value rule checked by the generated `validate()`, with the reason the schema gives.
pub(crate) enum Rule {
    NotBlank {
        reason: String,
    },
    Range {
        min: Option<i64>,
        max: Option<i64>,
        reason: String,
    },
    Email {
        reason: String,
    },
}

impl Entity {
    /// `EmailAccountCreate` / `EmailAccountUpdate`.
    pub(crate) fn request_type(&self, write: Write) -> String {
        naming::request_type(&self.name, write.title())
    }

    /// `EmailAccountCreateRequired`: the fields a caller must give.
    pub(crate) fn required_type(&self, write: Write) -> String {
        naming::required_type(&self.name, write.title())
    }

    /// `EmailAccounts`: the handle returned by `client.email_accounts()`.
    pub(crate) fn handle_type(&self) -> String {
        naming::handle_type(&self.accessor)
    }

    /// The write operations this entity declares, in a fixed order.
    pub(crate) fn writes(&self) -> impl Iterator<Item = Write> + '_ {
        [Write::Create, Write::Update]
            .into_iter()
            .filter(|write| self.operations.contains(&write.operation()))
    }

    /// The fields a write operation's body can carry, in schema order.
    pub(crate) fn fields_for(&self, write: Write) -> impl Iterator<Item = &Field> + '_ {
        self.fields
            .iter()
            .filter(move |field| field.presence(write) != Presence::Absent)
    }

    /// Every property of the record type: the base fields, then the entity's own (`Id` once).
    pub(crate) fn properties(&self) -> Vec<&str> {
        let own = self.fields.iter().map(|field| field.wire_name.as_str());
        let base = BASE_FIELDS.iter().map(|base| base.wire_name);
        base.chain(own.filter(|name| *name != "Id")).collect()
    }

    /// The properties an update made from a fetched record leaves out: the base fields the
    /// server keeps itself, and the entity's fields no update takes (read-only or create-only).
    pub(crate) fn not_updated(&self) -> Vec<&str> {
        let base = BASE_FIELDS
            .iter()
            .filter(|base| base.kept_by_server)
            .map(|base| base.wire_name);
        let own = self
            .fields
            .iter()
            .filter(|field| field.update == Presence::Absent)
            .map(|field| field.wire_name.as_str());
        base.chain(own).collect()
    }

    /// Wire names of secret fields, whose values must never be printed.
    pub(crate) fn secret_properties(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|field| field.secret)
            .map(|field| field.wire_name.as_str())
            .collect()
    }
}

/// One check that `validate()` runs on a field.
pub(crate) enum Check<'a> {
    /// A value the API requires: not blank, with the message Nexudus gives.
    Required,
    NotBlank {
        reason: &'a str,
    },
    Range {
        min: Option<i64>,
        max: Option<i64>,
        reason: &'a str,
    },
    Email {
        reason: &'a str,
    },
}

impl Check<'_> {
    /// What the check demands, for the rustdoc of the field it guards.
    pub(crate) fn describe(&self) -> String {
        match self {
            Check::Required => "not blank (the API requires a value)".to_owned(),
            Check::NotBlank { reason } => format!("not blank ({reason})"),
            Check::Email { reason } => format!("an e-mail address ({reason})"),
            Check::Range { min, max, reason } => {
                let bounds = match (min, max) {
                    (Some(min), Some(max)) => format!("from {min} to {max}"),
                    (Some(min), None) => format!("at least {min}"),
                    (None, Some(max)) => format!("at most {max}"),
                    (None, None) => "any value".to_owned(),
                };
                format!("{bounds} ({reason})")
            }
        }
    }
}

impl Field {
    /// The checks of the field in one write, decided here for the SDK's `validate()` and the
    /// server alike: a required string must not be blank (Nexudus answers "is a required field"
    /// for an empty one), then the rules the schema declares (`not_blank` only where the first
    /// does not already say it).
    pub(crate) fn checks(&self, write: Write) -> Vec<Check<'_>> {
        let field = self;
        let mut checks = Vec::new();
        let required_string = field.presence(write) == Presence::Required
            && field.ty == FieldType::Scalar(Scalar::String);
        if required_string {
            checks.push(Check::Required);
        }
        for rule in &field.rules {
            match rule {
                Rule::NotBlank { .. } if required_string => {}
                Rule::NotBlank { reason } => checks.push(Check::NotBlank { reason }),
                Rule::Email { reason } => checks.push(Check::Email { reason }),
                Rule::Range { min, max, reason } => checks.push(Check::Range {
                    min: *min,
                    max: *max,
                    reason,
                }),
            }
        }
        checks
    }
}

/// How a search filter compares a property with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bound {
    /// `{Entity}_{Property}`: equal.
    Equal,
    /// `from_{Entity}_{Property}`: at least.
    From,
    /// `to_{Entity}_{Property}`: at most.
    To,
}

/// A property a search can be ordered by: its wire name and what it is.
pub(crate) struct SortKey {
    pub(crate) wire_name: String,
    pub(crate) description: String,
}

/// The base fields every search can be ordered by, before the entity's own.
const BASE_SORT_KEYS: [(&str, &str); 3] = [
    ("Id", "The record's Id: the order when none is asked for."),
    ("CreatedOn", "When the record was created."),
    ("UpdatedOn", "When the record was last changed."),
];

/// One search filter: a query parameter, and the field of the generated filter struct setting it.
pub(crate) struct Filter {
    /// The Rust field name: `display_name`, `from_incoming_server_port`.
    pub(crate) rust_name: String,
    /// The query parameter: `EmailAccount_DisplayName`, `from_EmailAccount_IncomingServerPort`.
    pub(crate) wire_name: String,
    /// The property it compares: `DisplayName`, `IncomingServerPort`.
    pub(crate) field: String,
    /// How it compares: equal, at least (`from_`) or at most (`to_`).
    pub(crate) bound: Bound,
    /// A scalar or an enum; lists are never filters.
    pub(crate) ty: FieldType,
    pub(crate) description: String,
}

/// The range bounds Nexudus accepts on numbers and dates: `from_` (lower) and `to_` (upper),
/// each with its prefix and what it means.
const RANGE_BOUNDS: [(Bound, &str, &str); 2] = [
    (Bound::From, "from", "at least"),
    (Bound::To, "to", "at most"),
];

/// The base fields every search can bound by a date range.
const RANGED_BASE_FIELDS: [&str; 2] = ["CreatedOn", "UpdatedOn"];

impl Field {
    /// Whether the field is an `Id` pointing at another record (`BusinessId`): filtered on as
    /// `{Entity}_Business`, and never as a range.
    pub(crate) fn is_foreign_key(&self) -> bool {
        self.ty == FieldType::Scalar(Scalar::Int64)
            && self.wire_name.len() > 2
            && self.wire_name.ends_with("Id")
    }

    /// Whether searches can filter on the field. Secrets never go into a URL, where proxies and
    /// server logs keep them; lists are not part of search results; `Id` is what get-many is for.
    pub(crate) fn is_filterable(&self) -> bool {
        !self.secret && self.wire_name != "Id" && !matches!(self.ty, FieldType::List(_))
    }

    /// Whether searches can sort by the field.
    pub(crate) fn is_sortable(&self) -> bool {
        self.is_filterable()
    }

    /// The filters a search offers on the field: equality, then `from_`/`to_` for ranged types.
    pub(crate) fn filters(&self, entity: &str) -> Vec<Filter> {
        if !self.is_filterable() {
            return Vec::new();
        }
        let property = if self.is_foreign_key() {
            &self.wire_name[..self.wire_name.len() - 2]
        } else {
            &self.wire_name
        };
        let mut filters = vec![Filter {
            rust_name: self.rust_name.clone(),
            wire_name: format!("{entity}_{property}"),
            field: self.wire_name.clone(),
            bound: Bound::Equal,
            ty: self.ty,
            description: format!("Only records matching this `{}`.", self.wire_name),
        }];
        let ranged = match self.ty {
            FieldType::Scalar(Scalar::Int64) => !self.is_foreign_key(),
            FieldType::Scalar(Scalar::Int32 | Scalar::Decimal | Scalar::DateTime) => true,
            _ => false,
        };
        if ranged {
            filters.extend(range_filters(
                entity,
                &self.wire_name,
                &self.rust_name,
                self.ty,
            ));
        }
        filters
    }
}

fn range_filters(entity: &str, wire: &str, rust: &str, ty: FieldType) -> Vec<Filter> {
    RANGE_BOUNDS
        .iter()
        .map(|(bound, prefix, meaning)| Filter {
            rust_name: format!("{prefix}_{rust}"),
            wire_name: format!("{prefix}_{entity}_{wire}"),
            field: wire.to_owned(),
            bound: *bound,
            ty,
            description: format!("Only records whose `{wire}` is {meaning} this value."),
        })
        .collect()
}

impl Entity {
    /// Every filter a search of this entity offers, in schema order, then the date ranges on
    /// `CreatedOn` and `UpdatedOn` that every entity has.
    pub(crate) fn filters(&self) -> Vec<Filter> {
        let mut filters: Vec<Filter> = self
            .fields
            .iter()
            .flat_map(|field| field.filters(&self.name))
            .collect();
        filters.extend(base_range_filters(&self.name));
        filters
    }

    /// What `orderBy` accepts: the base fields `Id`, `CreatedOn` and `UpdatedOn`, then every
    /// sortable field in schema order.
    pub(crate) fn sort_keys(&self) -> Vec<SortKey> {
        let base = BASE_SORT_KEYS.iter().map(|(wire, description)| SortKey {
            wire_name: (*wire).to_owned(),
            description: (*description).to_owned(),
        });
        let own = self
            .fields
            .iter()
            .filter(|field| field.is_sortable())
            .map(|field| SortKey {
                wire_name: field.wire_name.clone(),
                description: field
                    .description
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            });
        base.chain(own).collect()
    }

    /// `EmailAccountFilter`: the search filters.
    pub(crate) fn filter_type(&self) -> String {
        naming::filter_type(&self.name)
    }

    /// `EmailAccountSort`: the properties a search can be ordered by.
    pub(crate) fn sort_type(&self) -> String {
        naming::sort_type(&self.name)
    }
}

/// The `from_`/`to_` filters on `CreatedOn` and `UpdatedOn`.
pub(crate) fn base_range_filters(entity: &str) -> Vec<Filter> {
    RANGED_BASE_FIELDS
        .iter()
        .flat_map(|wire| {
            let rust = naming::field_name(wire);
            range_filters(entity, wire, &rust, FieldType::Scalar(Scalar::DateTime))
        })
        .collect()
}
