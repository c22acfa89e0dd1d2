//! What one documentation source says about one entity, before the sources are merged.
//!
//! Every reader (`reference`, `seed`, `catalogue`) produces these; `merge` combines them into a
//! schema. Each fact keeps the line it was read from, so that a conflict can be reported with both
//! places and recorded in the schema for a reviewer.

use crate::diagnostics::Location;

/// The facts of one source file about one entity.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct EntityFacts {
    /// How the schema names the source, e.g. `nexudus-reference/entities/emailaccounts.md` or
    /// `seeds/000_33502500b8355710.txt (Update EmailAccount, MDX)`.
    pub(crate) source: String,
    /// The singular entity name: `EmailAccount`.
    pub(crate) entity: String,
    /// The collection path, when the source shows it: `/api/crm/emailaccounts`.
    pub(crate) path: Option<Sourced<String>>,
    /// The operations the source says the entity supports; empty when it does not say.
    pub(crate) operations: Vec<Sourced<Operation>>,
    /// A sentence describing the entity, when the source has one.
    pub(crate) description: Option<Sourced<String>>,
    /// The body of `POST` (create) as the source documents it; `None` when it does not.
    pub(crate) create: Option<Vec<Param>>,
    /// The body of `PUT` (update) as the source documents it; `None` when it does not.
    pub(crate) update: Option<Vec<Param>>,
    /// Enum value tables the source lists.
    pub(crate) enums: Vec<EnumTable>,
    /// Prose worth showing a reviewer (e.g. "read-only", "internal entity"), with where it is.
    pub(crate) remarks: Vec<Sourced<String>>,
    /// What kind of source this is, which decides how far its property names can be trusted.
    pub(crate) kind: SourceKind,
    /// Property names the source spells as the server does, beyond its create and update
    /// bodies: the names in a REST page's filters, bodies and JSON examples, or the backticked
    /// names of the reference's prose.
    pub(crate) spelled: Vec<Sourced<String>>,
    /// The properties a record carries as the source shows them (a GET example, or the
    /// reference's list filters), read-only ones included.
    pub(crate) record: Vec<Param>,
}

impl EntityFacts {
    /// Every property the source documents: its create and update bodies, then its record.
    pub(crate) fn params(&self) -> impl Iterator<Item = &Param> {
        self.create
            .iter()
            .chain(&self.update)
            .flatten()
            .chain(&self.record)
    }

    /// [`params`](Self::params), to rename them.
    pub(crate) fn params_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        self.create
            .iter_mut()
            .chain(self.update.iter_mut())
            .flatten()
            .chain(self.record.iter_mut())
    }
}

/// The kinds of source, from the one whose names are the server's own to the one whose are not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SourceKind {
    /// A documentation page of one create or update operation (the seed pages).
    #[default]
    Page,
    /// The vendor's API documentation of 2020: REST pages with the server's property names.
    ApiDocs2020,
    /// The vendor's entity reference, generated for its CLI: option names rebuilt into wire names.
    Reference,
}

impl SourceKind {
    /// Whether the source spells properties as the server reads and writes them.
    pub(crate) fn spells_wire_names(self) -> bool {
        self != Self::Reference
    }
}

/// A value and the place in the source it was read from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sourced<T> {
    pub(crate) value: T,
    pub(crate) at: Location,
}

/// An operation a source says an entity supports: the schema's own.
pub(crate) use crate::ir::Operation;

/// One documented body property of a create or update.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Param {
    /// The exact wire name: `IncomingServerSSL`.
    pub(crate) wire_name: String,
    pub(crate) ty: DocType,
    /// Whether the source marks it required.
    pub(crate) required: bool,
    /// The source's description, trimmed; empty when it has none.
    pub(crate) description: String,
    /// Where the property is documented.
    pub(crate) at: Location,
}

/// A type as documentation writes it, mapped to the schema's types where that is certain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DocType {
    Int32,
    Int64,
    Decimal,
    Bool,
    String,
    DateTime,
    /// An enum, with its Nexudus name when the source gives one (`See eEmailServerType enum`).
    Enum(Option<String>),
    /// A list of values of the inner type (`list, repeat flag` of ids: `List(Int64)`).
    List(Box<DocType>),
    /// Documented only as a number (`integer` on documentation pages): `int32` or `int64`, or an
    /// enum, which another source has to settle.
    Integer,
    /// Inline child records (`JSON array or @filepath`), which the schema format cannot express yet.
    Children,
}

/// An enum's value table as a source lists it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EnumTable {
    /// The Nexudus name, `eEmailServerType`; when the vendor reference names only the property,
    /// the reader derives `e{Property}` and sets [`property`](Self::property).
    pub(crate) name: String,
    /// The property the name was derived from, when the source gives no Nexudus name: the merge
    /// then settles the name (the enum a page gave the property, or one shared by properties
    /// with the same values) and writes the note that says how.
    pub(crate) property: Option<String>,
    pub(crate) values: Vec<EnumMember>,
    pub(crate) at: Location,
}

/// One listed enum member.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EnumMember {
    pub(crate) value: i64,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}
