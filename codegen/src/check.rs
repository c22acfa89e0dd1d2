//! Resolves and validates the raw model into the IR, collecting every problem instead of stopping.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use marked_yaml::Spanned;

use crate::diagnostics::{Diagnostics, FileId, Location};
use crate::ir::{
    Area, BASE_FIELDS, Entity, Enum, EnumValue, Field, FieldType, Ir, Operation, Presence, Rule,
    Scalar, WEBHOOK_ACTION_ENUM, WebhookAction, Write,
};
use crate::load::{RawEntity, RawEnum, RawField, RawRule, backticked};
use crate::naming;

/// Loads the schemas in `input` (a schema file or a folder of them) and checks them: the one step
/// every product of the schemas starts from, the generated code as well as the model. With the
/// IR comes the `Diagnostics` that read the files, still empty of problems, through which later
/// steps name a schema's path or report a problem in it.
pub(crate) fn checked(input: &Path) -> Result<(Ir, Diagnostics), Diagnostics> {
    checked_as(input, Scope::Catalogue)
}

/// What a check sees of the catalogue, which decides what it can resolve across files.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every schema: webhook actions are resolved against the `WebHook` schema's enum.
    Catalogue,
    /// One API area's folder, for that area's code, which holds no webhook action: they are
    /// resolved when the whole catalogue is checked.
    #[cfg(feature = "generate")]
    Area,
}

/// [`checked`], for a folder that holds what `scope` says.
pub(crate) fn checked_as(input: &Path, scope: Scope) -> Result<(Ir, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let raw = crate::load::load(input, &mut diagnostics);
    match check(raw, scope, &mut diagnostics) {
        Some(ir) => Ok((ir, diagnostics)),
        None => Err(diagnostics),
    }
}

/// Checks every entity, then what must be unique across them; returns the IR only if all is well.
pub(crate) fn check(
    raw: Vec<RawEntity>,
    scope: Scope,
    diagnostics: &mut Diagnostics,
) -> Option<Ir> {
    let mut entities = Vec::new();
    for entity in &raw {
        let mut checker = Checker {
            file: entity.file,
            diagnostics: &mut *diagnostics,
        };
        if let Some(entity) = checker.entity(entity) {
            entities.push(entity);
        }
    }
    check_unique_across_files(&entities, diagnostics);
    if scope == Scope::Catalogue {
        check_webhook_actions(&raw, &mut entities, diagnostics);
    }
    if !diagnostics.is_empty() {
        return None;
    }
    entities.sort_by(|a, b| (a.area, &a.module).cmp(&(b.area, &b.module)));
    Some(Ir { entities })
}

fn check_unique_across_files(entities: &[Entity], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<(&str, String), Location> = BTreeMap::new();
    for entity in entities {
        for (what, name) in [
            ("entity", entity.name.clone()),
            ("module", format!("{}::{}", entity.area.name, entity.module)),
            ("client method", entity.accessor.clone()),
        ] {
            if let Some(first) = seen.insert((what, name.clone()), entity.origin) {
                diagnostics.error(
                    entity.origin,
                    format!("another schema already defines the {what} `{name}`"),
                    "each entity needs its own name and URL path; remove or rename one of the two",
                );
                diagnostics.also(first, "defined first here");
                // One clash says enough about this entity; the other names clash for the same reason.
                break;
            }
        }
    }
}

/// Resolves each entity's `webhook_actions` against the members of `eWebhookAction`, which
/// another schema (`WebHook`) declares: every action must be a member, and only one entity may
/// list it, since its payload is one record type.
fn check_webhook_actions(
    raw: &[RawEntity],
    entities: &mut [Entity],
    diagnostics: &mut Diagnostics,
) {
    let declared = entities.iter().find_map(|entity| {
        let actions = entity
            .enums
            .iter()
            .find(|known| known.wire_name == WEBHOOK_ACTION_ENUM)?;
        let members: Vec<(String, i64, String)> = actions
            .values
            .iter()
            .map(|member| {
                (
                    member.wire_name.clone(),
                    member.value,
                    member.rust_name.clone(),
                )
            })
            .collect();
        Some((entity.schema_file.clone(), members))
    });
    let mut listed: BTreeMap<String, Location> = BTreeMap::new();
    for raw_entity in raw {
        let mut resolved = Vec::new();
        for action in &raw_entity.webhook_actions {
            let at = Location::from_marker(raw_entity.file, action.span().start());
            let Some((schema_file, members)) = &declared else {
                diagnostics.error(
                    at,
                    format!(
                        "webhook action `{}` cannot be resolved: no schema declares the enum `{WEBHOOK_ACTION_ENUM}`",
                        action.as_str()
                    ),
                    format!(
                        "declare `{WEBHOOK_ACTION_ENUM}` with its members in the `WebHook` schema, or remove `webhook_actions`"
                    ),
                );
                continue;
            };
            let Some((member, value, rust_name)) =
                members.iter().find(|(member, _, _)| *member == **action)
            else {
                let close: Vec<&str> = members
                    .iter()
                    .map(|(member, _, _)| member.as_str())
                    .filter(|name| name.eq_ignore_ascii_case(action))
                    .collect();
                diagnostics.error(
                    at,
                    format!(
                        "unknown webhook action `{}`: it is not a member of `{WEBHOOK_ACTION_ENUM}`",
                        action.as_str()
                    ),
                    if close.is_empty() {
                        format!("list members of `{WEBHOOK_ACTION_ENUM}` as `{schema_file}` declares them, e.g. `CoworkerCreate`")
                    } else {
                        format!("the member is spelled {}", backticked(&close))
                    },
                );
                continue;
            };
            if rust_name == naming::OTHER_EVENT {
                diagnostics.error(
                    at,
                    format!(
                        "webhook action `{}` would be the variant `{}` of `Event`, which is kept for the actions no schema maps",
                        action.as_str(),
                        naming::OTHER_EVENT
                    ),
                    format!(
                        "give the member of `{WEBHOOK_ACTION_ENUM}` another `rust_name`, or leave the action unmapped"
                    ),
                );
                continue;
            }
            if let Some(first) = listed.insert(member.clone(), at) {
                diagnostics.error(
                    at,
                    format!(
                        "webhook action `{}` is listed more than once",
                        action.as_str()
                    ),
                    "an action's payload is one record type: list it under one entity, once",
                );
                diagnostics.also(first, "listed first here");
                continue;
            }
            resolved.push(WebhookAction {
                name: member.clone(),
                value: *value,
                rust_name: rust_name.clone(),
            });
        }
        let name = raw_entity.entity.as_ref().map(|name| name.as_str());
        if let Some(entity) = entities
            .iter_mut()
            .find(|entity| Some(entity.name.as_str()) == name)
        {
            entity.webhook_actions = resolved;
        }
    }
}

/// The help of a path whose collection name is not a plural the client can use.
fn plural_help(entity: &str) -> String {
    format!(
        "Nexudus names collections in the plural, e.g. `{}s`; check the path",
        entity.to_lowercase()
    )
}

fn spanned_location<T>(file: FileId, value: Option<&Spanned<T>>) -> Location {
    Location::from_marker(file, value.and_then(|value| value.span().start()))
}

struct Checker<'a> {
    file: FileId,
    diagnostics: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn at<T>(&self, value: &Spanned<T>) -> Location {
        Location::from_marker(self.file, value.span().start())
    }

    fn error<T>(
        &mut self,
        value: &Spanned<T>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let location = self.at(value);
        self.diagnostics.error(location, message, help);
    }

    fn entity(&mut self, raw: &RawEntity) -> Option<Entity> {
        let before = self.diagnostics.len();
        let name = raw.entity.as_ref().and_then(|name| self.entity_name(name));
        let description = raw
            .description
            .as_ref()
            .and_then(|text| self.text(text, "description"));
        let route = match (&raw.path, &name) {
            (Some(path), Some(name)) => self.path(path, name),
            _ => None,
        };
        let operations = self.operations(raw);
        let enums = self.enums(&raw.enums);
        let fields = self.fields(&raw.fields, &enums, operations.contains(&Operation::Search));
        // Rules about the whole entity would only echo a problem of a field that did not check.
        if let (Some(name), true) = (&raw.entity, fields.len() == raw.fields.len()) {
            self.entity_rules(name, &operations, &fields);
        }
        if let (Some(name), Some((_, _, accessor)), Some(path)) = (&name, &route, &raw.path) {
            self.type_names_unique(name, accessor, path, &raw.enums, &enums);
        }
        if self.diagnostics.len() > before {
            return None;
        }
        let (path, area, accessor) = route?;
        let schema_file = self
            .diagnostics
            .file_path(self.file)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name?;
        Some(Entity {
            origin: spanned_location(self.file, raw.entity.as_ref()),
            schema_file,
            module: naming::field_name(&name),
            name,
            description: description?,
            path,
            area,
            accessor,
            operations,
            enums,
            fields,
            // Resolved across files, by `check_webhook_actions`.
            webhook_actions: Vec::new(),
        })
    }

    fn entity_name(&mut self, name: &Spanned<String>) -> Option<String> {
        let valid = naming::is_identifier(name)
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && !name.contains('_');
        if valid && naming::NOT_TYPE_NAMES.contains(&name.as_str()) {
            self.error(
                name,
                format!("`{}` cannot name a Rust type", name.as_str()),
                "an entity's record type is named after it; check the entity name",
            );
            return None;
        }
        if !valid {
            self.error(
                name,
                format!(
                    "entity name `{}` is not an UpperCamelCase name",
                    name.as_str()
                ),
                "write the Nexudus entity name as it appears in the API, e.g. `EmailAccount`",
            );
            return None;
        }
        Some(name.to_string())
    }

    fn text(&mut self, text: &Spanned<String>, what: &str) -> Option<String> {
        if text.trim().is_empty() {
            self.error(
                text,
                format!("the {what} is empty"),
                "write a sentence: it becomes the rustdoc of the generated item",
            );
            return None;
        }
        Some(text.trim().to_owned())
    }

    /// Checks `/api/{area}/{plural}` and derives the client method name from it.
    fn path(
        &mut self,
        path: &Spanned<String>,
        entity: &str,
    ) -> Option<(String, crate::ir::Area, String)> {
        let segments: Vec<&str> = path.split('/').collect();
        let ["", "api", area, plural] = segments.as_slice() else {
            self.error(
                path,
                format!("path `{}` is not of the form `/api/{{area}}/{{plural}}`", path.as_str()),
                "write the collection URL without host, id or trailing slash, e.g. `/api/crm/emailaccounts`",
            );
            return None;
        };
        let Some(area) = Area::named(area) else {
            self.error(
                path,
                format!("unknown API area `{area}` in path `{}`", path.as_str()),
                format!("expected one of {}", Area::listed()),
            );
            return None;
        };
        let folder = self
            .diagnostics
            .file_path(self.file)
            .parent()
            .and_then(Path::file_name)
            .and_then(|name| name.to_str())
            .and_then(Area::named);
        if let Some(folder) = folder.filter(|folder| folder.name != area.name) {
            self.error(
                path,
                format!(
                    "the path `{}` is in the API area `{}`, but the file is in the folder of `{}`",
                    path.as_str(),
                    area.name,
                    folder.name
                ),
                format!(
                    "move the file into the folder `{}/` (each area's folder builds that area of the SDK), or correct the path",
                    area.name
                ),
            );
            return None;
        }
        let Some(accessor) = naming::accessor(entity, plural) else {
            self.error(
                path,
                format!("the last path segment `{plural}` is not the lower-case plural of `{entity}`"),
                format!(
                    "Nexudus names collections after the entity, e.g. `{}s`; check the entity name and the path",
                    entity.to_lowercase()
                ),
            );
            return None;
        };
        if naming::CLIENT_METHODS.contains(&accessor.as_str()) {
            self.error(
                path,
                format!(
                    "the client method `{accessor}` of path `{}` is a method `Client` already has",
                    path.as_str()
                ),
                plural_help(entity),
            );
            return None;
        }
        Some((path.to_string(), area, accessor))
    }

    fn operations(&mut self, raw: &RawEntity) -> BTreeSet<Operation> {
        let mut operations = BTreeSet::new();
        for name in &raw.operations {
            match Operation::ALL
                .iter()
                .find(|(known, _)| *known == name.as_str())
            {
                Some((_, operation)) => {
                    if !operations.insert(*operation) {
                        self.error(
                            name,
                            format!("operation `{}` is listed twice", name.as_str()),
                            "list each operation once",
                        );
                    }
                }
                None => {
                    let names: Vec<&str> = Operation::ALL.iter().map(|(name, _)| *name).collect();
                    self.error(
                        name,
                        format!("unknown operation `{}`", name.as_str()),
                        format!("expected one of {}", backticked(&names)),
                    );
                }
            }
        }
        if operations.is_empty() && raw.entity.is_some() {
            self.diagnostics.error(
                Location::file_start(self.file),
                "the schema lists no operations",
                "add `operations: [...]` with what the API supports for this entity",
            );
        }
        operations
    }

    fn enums(&mut self, raw: &[RawEnum]) -> Vec<Enum> {
        let mut seen: BTreeMap<String, Location> = BTreeMap::new();
        let mut enums = Vec::new();
        for raw_enum in raw {
            if let Some(first) = seen.insert(raw_enum.name.to_string(), self.at(&raw_enum.name)) {
                self.error(
                    &raw_enum.name,
                    format!("enum `{}` is declared twice", raw_enum.name.as_str()),
                    "merge the two declarations",
                );
                self.diagnostics.also(first, "declared first here");
                continue;
            }
            if !naming::is_identifier(&raw_enum.name) {
                self.error(
                    &raw_enum.name,
                    format!(
                        "enum name `{}` is not an identifier",
                        raw_enum.name.as_str()
                    ),
                    "use the Nexudus name, e.g. `eEmailServerType`",
                );
                continue;
            }
            // Kept even when a member has a problem, so fields that use it still resolve.
            let description = self.text(&raw_enum.description, "enum description");
            enums.push(Enum {
                wire_name: raw_enum.name.to_string(),
                rust_name: naming::enum_name(&raw_enum.name),
                description: description.unwrap_or_default(),
                values: self.enum_values(raw_enum),
            });
        }
        enums
    }

    fn enum_values(&mut self, raw: &RawEnum) -> Vec<EnumValue> {
        let mut by_value: BTreeMap<i64, Location> = BTreeMap::new();
        let mut by_name: BTreeMap<String, Location> = BTreeMap::new();
        let mut values = Vec::new();
        for member in &raw.values {
            if let Some(first) = by_value.insert(*member.value, self.at(&member.value)) {
                self.error(
                    &member.value,
                    format!(
                        "value {} appears twice in enum `{}`",
                        *member.value,
                        raw.name.as_str()
                    ),
                    "each integer value names one member",
                );
                self.diagnostics.also(first, "first used here");
            }
            let (rust_name, named_at) = match &member.rust_name {
                Some(rust_name) => (rust_name.to_string(), rust_name),
                None => (naming::variant_name(&member.name), &member.name),
            };
            if !naming::is_identifier(&rust_name) || rust_name == "Self" {
                self.error(
                    named_at,
                    format!("`{rust_name}` cannot be a Rust variant name"),
                    "give the member a `rust_name:` made of letters and digits",
                );
                continue;
            }
            if rust_name == "Unknown" {
                self.error(
                    named_at,
                    "the variant name `Unknown` is reserved for values the schema does not list",
                    "give this member another `rust_name:`, e.g. `NotKnown`",
                );
                continue;
            }
            if let Some(first) = by_name.insert(rust_name.clone(), self.at(named_at)) {
                self.error(
                    named_at,
                    format!(
                        "two members of enum `{}` become the variant `{rust_name}`",
                        raw.name.as_str()
                    ),
                    "give one of them a different `rust_name:`",
                );
                self.diagnostics.also(first, "first here");
            }
            values.push(EnumValue {
                value: *member.value,
                wire_name: member.name.to_string(),
                rust_name,
                description: member.description.clone(),
            });
        }
        values
    }

    /// The fields, checked one by one and for names that clash; the search filters they make are
    /// checked too when the entity is `searchable`.
    fn fields(&mut self, raw: &[RawField], enums: &[Enum], searchable: bool) -> Vec<Field> {
        let mut by_wire: BTreeMap<String, Location> = BTreeMap::new();
        let mut by_rust: BTreeMap<String, (Location, String)> = BTreeMap::new();
        // Search filters add `from_`/`to_` names, which can meet another field's name
        // (`Time` ranges to `from_time`, the name of a field `FromTime`).
        let mut by_filter: BTreeMap<String, Option<(Location, String)>> =
            crate::ir::base_range_filters("")
                .into_iter()
                .map(|filter| (filter.rust_name, None))
                .collect();
        let mut fields = Vec::new();
        for raw_field in raw {
            // Nexudus binds JSON properties case-insensitively, so `Name` and `name` clash.
            let key = raw_field.name.to_ascii_lowercase();
            if let Some(first) = by_wire.insert(key, self.at(&raw_field.name)) {
                self.error(
                    &raw_field.name,
                    format!("duplicate field `{}`", raw_field.name.as_str()),
                    "each wire name may appear once (Nexudus ignores case); remove or merge the two",
                );
                self.diagnostics.also(first, "first defined here");
                continue;
            }
            let Some(field) = self.field(raw_field, enums) else {
                continue;
            };
            let named_at = raw_field.rust_name.as_ref().unwrap_or(&raw_field.name);
            if let Some((first, other)) = by_rust.insert(
                field.rust_name.clone(),
                (self.at(named_at), field.wire_name.clone()),
            ) {
                self.error(
                    named_at,
                    format!(
                        "fields `{other}` and `{}` both become `{}` in Rust",
                        field.wire_name, field.rust_name
                    ),
                    "give one of them a `rust_name:`",
                );
                self.diagnostics.also(first, format!("`{other}` is here"));
                continue;
            }
            if searchable && !self.filters_unique(&field, named_at, &mut by_filter) {
                continue;
            }
            fields.push(field);
        }
        fields
    }

    /// Reports a search filter of `field` whose Rust name another filter already has.
    fn filters_unique(
        &mut self,
        field: &Field,
        named_at: &Spanned<String>,
        seen: &mut BTreeMap<String, Option<(Location, String)>>,
    ) -> bool {
        for filter in field.filters("") {
            let here = Some((self.at(named_at), field.wire_name.clone()));
            let Some(first) = seen.insert(filter.rust_name.clone(), here) else {
                continue;
            };
            let owner = match &first {
                Some((_, other)) => format!("a filter of field `{other}`"),
                None => "a date range every search has".to_owned(),
            };
            self.error(
                named_at,
                format!(
                    "the search filter `{}` of field `{}` has the name of {owner}",
                    filter.rust_name, field.wire_name
                ),
                "give one of the fields a `rust_name:`",
            );
            if let Some((location, other)) = first {
                self.diagnostics
                    .also(location, format!("`{other}` is here"));
            }
            return false;
        }
        true
    }

    fn field(&mut self, raw: &RawField, enums: &[Enum]) -> Option<Field> {
        let before = self.diagnostics.len();
        if !naming::is_identifier(&raw.name) {
            self.error(
                &raw.name,
                format!(
                    "field name `{}` is not a JSON property name",
                    raw.name.as_str()
                ),
                "write the exact wire name, e.g. `IncomingServerSSL`",
            );
        }
        let base = BASE_FIELDS
            .iter()
            .find(|base| base.wire_name != "Id" && base.wire_name.eq_ignore_ascii_case(&raw.name));
        if let Some(base) = base {
            self.error(
                &raw.name,
                format!("`{}` is a property every record has", base.wire_name),
                "remove the field: the record type always carries it",
            );
        }
        let rust_name = match &raw.rust_name {
            Some(rust_name) => {
                let valid = naming::is_identifier(rust_name)
                    && rust_name.chars().all(|c| !c.is_ascii_uppercase());
                if !valid {
                    self.error(
                        rust_name,
                        format!(
                            "`rust_name` `{}` is not a snake_case identifier",
                            rust_name.as_str()
                        ),
                        "use lower-case letters, digits and `_`",
                    );
                }
                rust_name.to_string()
            }
            None => naming::field_name(&raw.name),
        };
        if naming::REQUEST_METHODS.contains(&rust_name.as_str()) {
            self.error(
                raw.rust_name.as_ref().unwrap_or(&raw.name),
                format!("the Rust name `{rust_name}` clashes with a method of the request types"),
                format!(
                    "give the field a `rust_name:`; the request and filter types already have {}",
                    backticked(naming::REQUEST_METHODS)
                ),
            );
        }
        let ty = self.field_type(&raw.ty, enums);
        let description = self.text(&raw.description, "field description");
        let create = self.presence(&raw.create);
        let update = self.presence(&raw.update);
        let secret = raw.secret.as_ref().is_some_and(|flag| **flag);
        if let (Some(flag), Some(ty)) = (&raw.secret, ty) {
            if **flag && ty != FieldType::Scalar(Scalar::String) {
                self.error(
                    flag,
                    "only `string` fields can be secret",
                    "remove `secret: true`",
                );
            }
        }
        if let (Some(flag), Some(create), Some(update)) = (&raw.read_only, create, update) {
            if **flag && (create != Presence::Absent || update != Presence::Absent) {
                self.error(
                    flag,
                    format!("read-only field `{}` cannot be sent", raw.name.as_str()),
                    "set `create: absent` and `update: absent`, or remove `read_only: true`",
                );
            }
        }
        if let Some(spelled_by) = &raw.spelled_by {
            if crate::provenance::Spelling::parse(spelled_by.as_str()).is_none() {
                self.error(
                    spelled_by,
                    format!(
                        "unknown source `{}` for the wire name of `{}`",
                        spelled_by.as_str(),
                        raw.name.as_str()
                    ),
                    format!(
                        "`spelled_by` is one of {}",
                        crate::provenance::Spelling::ALL
                            .iter()
                            .map(|spelling| format!("`{}`", spelling.as_str()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        let default = match (&raw.default, ty, create, update) {
            (Some(default), Some(ty), Some(create), Some(update)) => {
                self.default(default, ty, create, update)
            }
            _ => None,
        };
        let rules = match ty {
            Some(ty) => raw
                .rules
                .iter()
                .filter_map(|rule| self.rule(rule, ty))
                .collect(),
            None => Vec::new(),
        };
        if self.diagnostics.len() > before {
            return None;
        }
        Some(Field {
            wire_name: raw.name.to_string(),
            rust_name,
            ty: ty?,
            description: description?,
            create: create?,
            update: update?,
            secret,
            default,
            rules,
            notes: raw.notes.as_ref().map(|notes| notes.trim().to_owned()),
        })
    }

    fn field_type(&mut self, ty: &Spanned<String>, enums: &[Enum]) -> Option<FieldType> {
        let text = ty.trim();
        let generic = |outer: &str| {
            text.strip_prefix(outer)
                .and_then(|rest| rest.strip_prefix('<'))
                .and_then(|rest| rest.strip_suffix('>'))
                .map(str::trim)
        };
        let scalar = |name: &str| {
            Scalar::ALL
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, scalar)| *scalar)
        };
        if let Some(scalar) = scalar(text) {
            return Some(FieldType::Scalar(scalar));
        }
        if let Some(name) = generic("enum") {
            if let Some(index) = enums.iter().position(|known| known.wire_name == name) {
                return Some(FieldType::Enum(index));
            }
            let declared: Vec<&str> = enums.iter().map(|known| known.wire_name.as_str()).collect();
            self.error(
                ty,
                format!("enum `{name}` is not declared in this schema"),
                if declared.is_empty() {
                    "declare it under `enums:`".to_owned()
                } else {
                    format!(
                        "declare it under `enums:` or use one of {}",
                        backticked(&declared)
                    )
                },
            );
            return None;
        }
        if let Some(item) = generic("list") {
            return match scalar(item) {
                Some(item @ (Scalar::Int32 | Scalar::Int64 | Scalar::String | Scalar::Bool)) => {
                    Some(FieldType::List(item))
                }
                _ => {
                    self.error(
                        ty,
                        format!("unsupported list item type `{item}`"),
                        "a list holds `int32`, `int64`, `string` or `bool` values, e.g. `list<int64>`",
                    );
                    None
                }
            };
        }
        let names: Vec<&str> = Scalar::ALL.iter().map(|(name, _)| *name).collect();
        self.error(
            ty,
            format!("unknown type `{text}`"),
            format!(
                "expected one of {}, `enum<Name>` or `list<item>`",
                backticked(&names)
            ),
        );
        None
    }

    fn presence(&mut self, value: &Spanned<String>) -> Option<Presence> {
        match value.as_str() {
            "required" => Some(Presence::Required),
            "optional" => Some(Presence::Optional),
            "absent" => Some(Presence::Absent),
            other => {
                self.error(
                    value,
                    format!("unknown presence `{other}`"),
                    "expected `required`, `optional` or `absent`",
                );
                None
            }
        }
    }

    fn default(
        &mut self,
        default: &Spanned<String>,
        ty: FieldType,
        create: Presence,
        update: Presence,
    ) -> Option<i64> {
        if create != Presence::Required && update != Presence::Required {
            self.error(
                default,
                "a default only applies to a field that an operation requires",
                "remove `default:`; optional fields are left out when not set",
            );
            return None;
        }
        let parsed = match ty {
            FieldType::Scalar(Scalar::Int32) => default.parse::<i32>().ok().map(i64::from),
            FieldType::Scalar(Scalar::Int64) | FieldType::Enum(_) => default.parse::<i64>().ok(),
            _ => {
                self.error(
                    default,
                    "defaults are supported on `int32`, `int64` and enum fields only",
                    "remove `default:` and let callers give the value",
                );
                return None;
            }
        };
        if parsed.is_none() {
            self.error(
                default,
                format!(
                    "default `{}` is not a whole number of the field's type",
                    default.as_str()
                ),
                "write a whole number that fits the type, e.g. `0`",
            );
        }
        parsed
    }

    fn rule(&mut self, rule: &RawRule, ty: FieldType) -> Option<Rule> {
        let reason = self.text(&rule.reason, "rule reason")?;
        let is_string = ty == FieldType::Scalar(Scalar::String);
        let is_integer = matches!(
            ty,
            FieldType::Scalar(Scalar::Int32) | FieldType::Scalar(Scalar::Int64)
        );
        let bounds = rule.min.as_ref().or(rule.max.as_ref());
        match rule.kind.as_str() {
            "not_blank" | "email" if !is_string => {
                self.error(
                    &rule.kind,
                    format!(
                        "rule `{}` applies to `string` fields only",
                        rule.kind.as_str()
                    ),
                    "remove the rule or fix the field's type",
                );
                None
            }
            "not_blank" | "email" if bounds.is_some() => {
                let bound = bounds?;
                self.error(
                    bound,
                    format!("rule `{}` takes no `min` or `max`", rule.kind.as_str()),
                    "remove `min`/`max`, or use `kind: range`",
                );
                None
            }
            "not_blank" => Some(Rule::NotBlank { reason }),
            "email" => Some(Rule::Email { reason }),
            "range" if !is_integer => {
                self.error(
                    &rule.kind,
                    "rule `range` applies to `int32` and `int64` fields only",
                    "remove the rule or fix the field's type",
                );
                None
            }
            "range" => {
                let min = rule.min.as_ref().map(|min| **min);
                let max = rule.max.as_ref().map(|max| **max);
                match (min, max) {
                    (None, None) => {
                        self.error(
                            &rule.kind,
                            "rule `range` needs `min`, `max` or both",
                            "add the bounds the value must stay within, e.g. `min: 1`",
                        );
                        None
                    }
                    (Some(low), Some(high)) if low > high => {
                        self.error(
                            &rule.kind,
                            format!("rule `range` has `min` {low} above `max` {high}"),
                            "swap the bounds",
                        );
                        None
                    }
                    _ => Some(Rule::Range { min, max, reason }),
                }
            }
            other => {
                self.error(
                    &rule.kind,
                    format!("unknown rule kind `{other}`"),
                    "expected `not_blank`, `range` or `email`",
                );
                None
            }
        }
    }

    /// Rules about the entity as a whole, checked once its fields are known.
    fn entity_rules(
        &mut self,
        name: &Spanned<String>,
        operations: &BTreeSet<Operation>,
        fields: &[Field],
    ) {
        if operations.contains(&Operation::Update) {
            let id = fields.iter().find(|field| field.wire_name == "Id");
            let valid = id.is_some_and(|id| {
                id.update == Presence::Required && id.ty == FieldType::Scalar(Scalar::Int64)
            });
            if !valid {
                self.error(
                    name,
                    format!("`{}` declares `update` but no `Id` field that update requires", name.as_str()),
                    "add a field `Id` of type `int64` with `update: required`: PUT carries the record's Id in the body",
                );
            }
        }
        for write in [Write::Create, Write::Update] {
            let declared = operations.contains(&write.operation());
            let sends = fields
                .iter()
                .any(|field| field.presence(write) != Presence::Absent);
            if declared && !sends {
                self.error(
                    name,
                    format!(
                        "`{}` declares `{}` but no field is sent by it",
                        name.as_str(),
                        write.verb()
                    ),
                    format!(
                        "mark the fields the body carries with `{}: required` or `optional`",
                        write.verb()
                    ),
                );
            }
        }
    }

    /// Enum names must not collide with each other or with the generated type names.
    fn type_names_unique(
        &mut self,
        entity: &str,
        accessor: &str,
        path: &Spanned<String>,
        raw: &[RawEnum],
        enums: &[Enum],
    ) {
        let handle = naming::handle_type(accessor);
        let generated = naming::entity_type_names(entity, accessor);
        if generated.iter().filter(|name| **name == handle).count() > 1 {
            self.error(
                path,
                format!(
                    "the client handle `{handle}` of path `{}` has the name of one of the entity's types",
                    path.as_str()
                ),
                plural_help(entity),
            );
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for known in enums {
            let Some(raw_enum) = raw
                .iter()
                .find(|raw_enum| *raw_enum.name == known.wire_name)
            else {
                continue;
            };
            if generated.contains(&known.rust_name) {
                self.error(
                    &raw_enum.name,
                    format!(
                        "enum `{}` becomes `{}`, a name the generator gives one of the entity's types",
                        known.wire_name, known.rust_name
                    ),
                    "rename the enum",
                );
            } else if let Some(other) = seen.insert(&known.rust_name, &known.wire_name) {
                self.error(
                    &raw_enum.name,
                    format!(
                        "enums `{other}` and `{}` both become `{}` in Rust",
                        known.wire_name, known.rust_name
                    ),
                    "rename one of them",
                );
            }
        }
    }
}
