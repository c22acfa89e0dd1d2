//! Reads one entity page of the vendor's 2020 API documentation (`rest-api/{area}/{entity}.md`).
//!
//! The pages are GitBook markdown: one `{% api-method method=".." path=".." %}` block per
//! operation, each with its parameters as `{% api-method-parameter name=".." type=".." %}` tags,
//! then JSON examples in `javascript` fences, then an `## Enumerated values` section
//! (`##### ChargePeriod:` and `> GET /api/utils/enums?name=eChargePeriod`).
//!
//! What they are good for is the server's own spelling of every property: the search filters are
//! the query strings the server reads (`?ExtraService\_IsDefaultPrice=...`), the bodies and
//! examples are its JSON, and the "One by Id" example shows every property a record carries,
//! read-only ones included. Their required marks and operations are six years older than the
//! vendor reference's, so the merge takes names, read-only properties and enum names from them,
//! and little else. The examples are not valid JSON (`"CreditPrice": ,`, .NET enum names,
//! trailing commas), so they are read a property a line.
//!
//! Types: `int` is an `Int32` on a body and an `Int64` on a record (a wider integer reads every
//! value a narrower one does), `integer` and `int[]` are ids, `Guid` is a string, a trailing `?`
//! (nullable) is dropped, and a type named after an entity (`Business`) is the navigation
//! property whose id the record carries (`BusinessId`).

use std::collections::BTreeMap;

use crate::diagnostics::{FileId, Location};
use crate::import::source::{DocType, EntityFacts, Param, SourceKind, Sourced};

/// The operation blocks this reader uses, by their summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    /// `Find`: the search filters, with their query strings.
    Find,
    /// `One by Id`: the GET example, every property of a record.
    One,
    Create,
    Update,
    /// Any other block, or none.
    Other,
}

/// One `{% api-method-parameter %}` tag: name, type, required mark, and where it is.
struct Tag {
    name: String,
    ty: String,
    required: bool,
    at: Location,
}

/// Reads a page into facts; `None` for a page that documents no entity (an area's README).
pub(crate) fn read_page(file: FileId, source: &str, text: &str) -> Option<EntityFacts> {
    let mut reader = Reader::default();
    for (index, line) in text.lines().enumerate() {
        let at = |column: usize| Location {
            file,
            line: index + 1,
            column,
        };
        reader.line(line, &at);
    }
    reader.finish(source)
}

#[derive(Default)]
struct Reader {
    /// The entity the filters' query strings name: `ExtraService` in `?ExtraService\_Name=`.
    entity: Option<String>,
    block: Option<Block>,
    /// The last summary line seen, which names the block it is in.
    in_summary: bool,
    in_body_parameters: bool,
    in_query_parameters: bool,
    in_code: bool,
    /// The tag whose query string the next line may show.
    pending_filter: Option<Tag>,
    filters: Vec<Tag>,
    create: Vec<Tag>,
    update: Vec<Tag>,
    /// The properties of the "One by Id" example, with their example value.
    record: Vec<(String, String, Location)>,
    /// Properties of the examples after a create or update block (lists are shown only there).
    examples: Vec<(Block, String, String, Location)>,
    /// The block the current example follows.
    last_write: Option<Block>,
    /// `##### ChargePeriod:` waiting for its `name=eChargePeriod` line.
    pending_enum: Option<String>,
    enum_names: BTreeMap<String, String>,
    /// Every name the page spells, in page order.
    spelled: Vec<Sourced<String>>,
}

impl Reader {
    fn line(&mut self, line: &str, at: &dyn Fn(usize) -> Location) {
        let trimmed = line.trim().trim_start_matches('\u{feff}');
        if trimmed.starts_with("```") {
            self.in_code = !self.in_code;
            return;
        }
        if self.in_code {
            if let Some((name, value, column)) = example_property(line) {
                // The "One by Id" example is the bare record, so every name in it is a property,
                // `Status` or `Value` too; elsewhere such a name may be the answer's envelope.
                if self.block != Some(Block::One) && is_envelope(&name) {
                    return;
                }
                let location = at(column);
                match self.block {
                    Some(Block::One) => self.record.push((name.clone(), value.clone(), location)),
                    None | Some(Block::Other) => {
                        if let Some(write) = self.last_write {
                            self.examples
                                .push((write, name.clone(), value.clone(), location));
                        }
                    }
                    _ => {}
                }
                self.spell(&name, location);
            }
            return;
        }
        if trimmed.starts_with("{% api-method method=") {
            self.block = Some(Block::Other);
            return;
        }
        if trimmed == "{% endapi-method %}" {
            if matches!(self.block, Some(Block::Create | Block::Update)) {
                self.last_write = self.block;
            } else {
                self.last_write = None;
            }
            self.block = None;
            return;
        }
        if trimmed == "{% api-method-summary %}" {
            self.in_summary = true;
            return;
        }
        if self.in_summary {
            self.in_summary = false;
            if self.block.is_some() {
                self.block = Some(match trimmed {
                    "Find" => Block::Find,
                    "One by Id" => Block::One,
                    "Create" => Block::Create,
                    "Update" => Block::Update,
                    _ => Block::Other,
                });
            }
            return;
        }
        match trimmed {
            "{% api-method-body-parameters %}" => self.in_body_parameters = true,
            "{% endapi-method-body-parameters %}" => self.in_body_parameters = false,
            "{% api-method-query-parameters %}" => self.in_query_parameters = true,
            "{% endapi-method-query-parameters %}" => self.in_query_parameters = false,
            _ => {}
        }
        if let Some(tag) = parameter_tag(line, at) {
            match self.block {
                Some(Block::Find) if self.in_query_parameters => self.pending_filter = Some(tag),
                Some(Block::Create) if self.in_body_parameters => self.body(tag, Block::Create),
                Some(Block::Update) if self.in_body_parameters => self.body(tag, Block::Update),
                _ => {}
            }
            return;
        }
        if let Some(tag) = self.pending_filter.take() {
            // `?ExtraService\_Name=...`: the entity, and the filter's property as the server reads it.
            let query = trimmed.replace("\\_", "_");
            if let Some((entity, property)) = query
                .strip_prefix('?')
                .and_then(|query| query.split('=').next())
                .and_then(|key| key.split_once('_'))
            {
                if self.entity.is_none() {
                    self.entity = Some(entity.to_owned());
                }
                // The query string names the entity, so this is one of its properties whatever
                // its name (`?CrmOpportunity\_Status=`).
                if is_pascal_case(property) && property == tag.name {
                    self.spell(&tag.name, tag.at);
                    self.filters.push(tag);
                }
            }
            return;
        }
        if let Some(property) = trimmed
            .strip_prefix("##### ")
            .and_then(|rest| rest.strip_suffix(':'))
        {
            self.pending_enum = Some(property.trim().to_owned());
            return;
        }
        if let Some(name) = trimmed.split("enums?name=").nth(1) {
            if let Some(property) = self.pending_enum.take() {
                self.enum_names.insert(property, name.trim().to_owned());
            }
        }
    }

    /// A body parameter: a property of the entity, whatever its name (`Value`).
    fn body(&mut self, tag: Tag, block: Block) {
        if !is_pascal_case(&tag.name) {
            return;
        }
        self.spell(&tag.name, tag.at);
        match block {
            Block::Create => self.create.push(tag),
            _ => self.update.push(tag),
        }
    }

    /// Records a name the page spells as a property; the caller has told it from an envelope's.
    fn spell(&mut self, name: &str, at: Location) {
        if !self.spelled.iter().any(|known| known.value == name) {
            self.spelled.push(Sourced {
                value: name.to_owned(),
                at,
            });
        }
    }

    fn finish(self, source: &str) -> Option<EntityFacts> {
        let entity = self.entity.clone()?;
        let filter_types: BTreeMap<&str, &str> = self
            .filters
            .iter()
            .map(|tag| (tag.name.as_str(), tag.ty.as_str()))
            .collect();
        // Enum names: the enumerated values section, else a .NET name in an example value.
        let mut enum_names = self.enum_names.clone();
        for (name, value, _) in &self.record {
            if let Some(enum_name) = dotnet_enum(value) {
                enum_names
                    .entry(name.clone())
                    .or_insert_with(|| enum_name.to_owned());
            }
        }
        let body = |tags: &[Tag], examples: Block| -> Option<Vec<Param>> {
            if tags.is_empty() {
                return None;
            }
            let mut params: Vec<Param> = tags
                .iter()
                .filter_map(|tag| {
                    let ty = doc_type(&tag.name, &tag.ty, &enum_names, false)?;
                    Some(Param {
                        wire_name: tag.name.clone(),
                        ty,
                        required: tag.required,
                        description: String::new(),
                        at: tag.at,
                    })
                })
                .collect();
            for (write, name, value, at) in &self.examples {
                let is_list = value.starts_with('[');
                if *write == examples && is_list && !params.iter().any(|p| &p.wire_name == name) {
                    params.push(Param {
                        wire_name: name.clone(),
                        ty: DocType::List(Box::new(DocType::Int64)),
                        required: false,
                        description: String::new(),
                        at: *at,
                    });
                }
            }
            Some(params)
        };
        let create = body(&self.create, Block::Create);
        let update = body(&self.update, Block::Update);
        let mut record = Vec::new();
        for (name, value, at) in &self.record {
            let declared = filter_types.get(name.as_str()).copied();
            let ty = match declared {
                Some(declared) => doc_type(name, declared, &enum_names, true),
                None => value_type(value, enum_names.get(name)),
            };
            let Some(ty) = ty else { continue };
            // A navigation property (`"Business": null`, typed `Business`) is carried as its id.
            let wire_name = match declared {
                Some(declared) if is_navigation(declared, name, &enum_names) => format!("{name}Id"),
                _ => name.clone(),
            };
            if record
                .iter()
                .any(|param: &Param| param.wire_name == wire_name)
            {
                continue;
            }
            record.push(Param {
                wire_name,
                ty,
                required: false,
                description: String::new(),
                at: *at,
            });
        }
        Some(EntityFacts {
            source: source.to_owned(),
            entity,
            create,
            update,
            kind: SourceKind::ApiDocs2020,
            spelled: self.spelled,
            record,
            ..EntityFacts::default()
        })
    }
}

/// `{% api-method-parameter name="Name" type="string" required=true %}` as a tag.
fn parameter_tag(line: &str, at: &dyn Fn(usize) -> Location) -> Option<Tag> {
    let start = line.find("{% api-method-parameter ")?;
    let attribute = |key: &str| -> Option<(String, usize)> {
        let pattern = format!("{key}=\"");
        let offset = line[start..].find(&pattern)? + start + pattern.len();
        let end = line[offset..].find('"')? + offset;
        Some((line[offset..end].replace("\\_", "_"), offset))
    };
    let (name, offset) = attribute("name")?;
    let (ty, _) = attribute("type").unwrap_or_default();
    let required = line[start..].contains("required=true");
    Some(Tag {
        name,
        ty,
        required,
        at: at(line[..offset].chars().count() + 1),
    })
}

/// A property line of a JSON example: `"Name": value,` with its name, value and column.
fn example_property(line: &str) -> Option<(String, String, usize)> {
    let trimmed = line.trim_start();
    let rest = trimmed.strip_prefix('"')?;
    let (name, rest) = rest.split_once('"')?;
    let value = rest.trim_start().strip_prefix(':')?.trim();
    if !is_pascal_case(name) {
        return None;
    }
    let value = value.strip_suffix(',').unwrap_or(value).trim();
    let column = line.len() - trimmed.len() + 2;
    Some((name.to_owned(), value.to_owned(), column))
}

/// A name of the envelopes the examples show around records and write results (`Records`,
/// `CurrentPage`, `Status`, `Value`, `Errors`), or of a request header. Outside a record's own
/// example, a filter and a body, such a name is not a property.
fn is_envelope(name: &str) -> bool {
    const ENVELOPE: &[&str] = &[
        "Records",
        "CurrentPageSize",
        "CurrentPage",
        "CurrentOrderField",
        "CurrentSortDirection",
        "FirstItem",
        "HasNextPage",
        "HasPreviousPage",
        "LastItem",
        "PageNumber",
        "PageSize",
        "TotalItems",
        "TotalPages",
        "Status",
        "WasSuccessful",
        "Message",
        "Value",
        "Errors",
        "AttemptedValue",
        "PropertyName",
        "OpenInDialog",
        "OpenInWindow",
        "RedirectURL",
        "JavaScript",
        "Authorization",
        "Content",
    ];
    ENVELOPE.contains(&name)
}

/// A PascalCase name, as every property is written.
fn is_pascal_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `Nexudus.Coworking.Core.Enums.eChargePeriod.Minutes` -> `eChargePeriod`.
fn dotnet_enum(value: &str) -> Option<&str> {
    let rest = value.split(".Enums.").nth(1)?;
    let name = rest.split('.').next()?;
    name.starts_with('e').then_some(name)
}

/// The primitive type words of the pages.
fn primitive(ty: &str) -> Option<DocType> {
    Some(match ty.trim_end_matches('?') {
        "string" | "Guid" => DocType::String,
        "int" => DocType::Int32,
        "integer" => DocType::Int64,
        "long" => DocType::Int64,
        "bool" | "boolean" => DocType::Bool,
        "decimal" => DocType::Decimal,
        "datetime" | "DateTime" => DocType::DateTime,
        "int[]" | "array" => DocType::List(Box::new(DocType::Int64)),
        _ => return None,
    })
}

/// Whether a declared type names a related entity rather than a value.
fn is_navigation(ty: &str, name: &str, enums: &BTreeMap<String, String>) -> bool {
    ty != "enum"
        && ty != "object"
        && primitive(ty).is_none()
        && !enums.contains_key(name)
        && ty.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The type of a property declared `ty`; `record` widens `int` to 64 bits.
fn doc_type(
    name: &str,
    ty: &str,
    enums: &BTreeMap<String, String>,
    record: bool,
) -> Option<DocType> {
    if let Some(enum_name) = enums.get(name) {
        return Some(DocType::Enum(Some(enum_name.clone())));
    }
    if ty == "enum" {
        return Some(DocType::Enum(None));
    }
    if is_navigation(ty, name, enums) {
        return Some(DocType::Int64);
    }
    match primitive(ty)? {
        DocType::Int32 if record || name.ends_with("Id") => Some(DocType::Int64),
        other => Some(other),
    }
}

/// The type an example value shows, when no filter declares one; `None` when it shows none.
fn value_type(value: &str, enum_name: Option<&String>) -> Option<DocType> {
    if let Some(name) = enum_name {
        return Some(DocType::Enum(Some(name.clone())));
    }
    let value = value.trim();
    if value == "true" || value == "false" {
        return Some(DocType::Bool);
    }
    if value.starts_with('"') && value != "\"null\"" {
        return Some(DocType::String);
    }
    if value.starts_with('[') {
        return Some(DocType::List(Box::new(DocType::Int64)));
    }
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Some(DocType::Int64);
    }
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
    {
        return Some(DocType::Decimal);
    }
    None
}

#[cfg(test)]
mod tests;
