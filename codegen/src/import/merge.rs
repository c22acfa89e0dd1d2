//! Merges what the sources say about one entity into a schema, recording provenance and conflicts.
//!
//! Precedence, for each fact: a documentation page of the operation (create or update) over the
//! vendor reference, which is generated and marks fields required by type rather than by rule;
//! the reference's precise number types (`int`, `long`) over a page's `integer`; and what a
//! reviewer already wrote in the schema (descriptions, rules, secrets, defaults, notes, refined
//! types) over nothing. A conflict between sources is kept in the schema's `notes`.

use std::collections::BTreeMap;

use heck::ToTitleCase;

use super::catalogue::{CatalogueEntry, Confidence};
use super::schema_doc::{EnumDoc, FieldDoc, SchemaDoc, ValueDoc};
use super::source::{DocType, EntityFacts, Operation, Param};

/// Merges `facts` (every source's facts about `entity`), its catalogue row and the schema already
/// written for it, if any, into the schema to write.
pub(crate) fn merge(
    entity: &str,
    facts: &[EntityFacts],
    catalogue: Option<&CatalogueEntry>,
    base: Option<&SchemaDoc>,
) -> SchemaDoc {
    let mut doc = base.cloned().unwrap_or_else(|| SchemaDoc {
        entity: entity.to_owned(),
        ..SchemaDoc::default()
    });
    let mut notes = Notes::from(doc.notes.take());

    // The path: a page that shows it, else the catalogue, else what the schema had.
    let page_path = facts.iter().find_map(|fact| fact.path.as_ref());
    match (page_path, catalogue) {
        (Some(page), Some(row)) if page.value != row.path => {
            notes.add(format!(
                "The documentation page shows {} while catalogue.md lists {}; the page is followed.",
                page.value, row.path
            ));
            doc.path.clone_from(&page.value);
        }
        (Some(page), _) => doc.path.clone_from(&page.value),
        (None, Some(row)) => doc.path.clone_from(&row.path),
        (None, None) => {}
    }
    if let Some(row) = catalogue {
        if row.confidence == Confidence::Inferred && page_path.is_none() {
            notes.add(format!(
                "The area of {} is inferred: no documentation page shows this URL (catalogue.md). \
                 Check it before relying on it.",
                row.path
            ));
        }
        add_source(
            &mut doc,
            format!("path: catalogue.md ({})", confidence_name(row.confidence)),
        );
    }

    if doc.description.is_empty() {
        doc.description = facts
            .iter()
            .find_map(|fact| fact.description.as_ref().map(|d| d.value.clone()))
            .unwrap_or_else(|| format!("The {entity} entity of the Nexudus API."));
    }

    // Operations: every one a source names, and those the schema had.
    let mut operations: Vec<Operation> = facts
        .iter()
        .flat_map(|fact| fact.operations.iter().map(|op| op.value))
        .chain(doc.operations.iter().filter_map(|name| {
            Operation::ALL
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, op)| *op)
        }))
        .collect();
    operations.sort();
    operations.dedup();
    doc.operations = operations
        .iter()
        .filter_map(|op| Operation::ALL.iter().find(|(_, known)| known == op))
        .map(|(name, _)| (*name).to_owned())
        .collect();

    for fact in facts {
        add_source(&mut doc, fact.source.clone());
        for remark in &fact.remarks {
            notes.add(remark.value.clone());
        }
    }

    merge_fields(&mut doc, facts, &mut notes);
    merge_enums(&mut doc, facts);
    doc.notes = notes.into_text();
    doc
}

fn confidence_name(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Documented => "documented",
        Confidence::ClientCode => "seen only in client code",
        Confidence::Inferred => "inferred",
    }
}

fn add_source(doc: &mut SchemaDoc, source: String) {
    if !doc.sources.contains(&source) {
        doc.sources.push(source);
    }
}

/// What one source says about one field for one operation.
struct Said<'a> {
    param: &'a Param,
    /// A page of the operation itself, rather than the generated reference.
    page: bool,
    /// From an update section that marks nothing required, which says nothing about it.
    unmarked: bool,
}

impl Said<'_> {
    /// How a note names the source.
    fn label(&self, verb: &str) -> String {
        if self.page {
            format!("the {verb} page")
        } else {
            "the vendor reference".to_owned()
        }
    }
}

fn merge_fields(doc: &mut SchemaDoc, facts: &[EntityFacts], notes: &mut Notes) {
    // Which sources document each write, and what each says per field.
    let mut documented = [false, false];
    let mut said: BTreeMap<String, [Vec<Said<'_>>; 2]> = BTreeMap::new();
    let mut order: Vec<String> = doc.fields.iter().map(|field| field.name.clone()).collect();
    for fact in facts {
        // A documentation page covers one operation; the reference covers them all.
        let page = fact.operations.len() == 1;
        for (index, params) in [&fact.create, &fact.update].into_iter().enumerate() {
            let Some(params) = params else { continue };
            documented[index] = true;
            let unmarked = index == 1 && params.iter().all(|param| !param.required);
            for param in params {
                if !order.contains(&param.wire_name) {
                    order.push(param.wire_name.clone());
                }
                said.entry(param.wire_name.clone()).or_default()[index].push(Said {
                    param,
                    page,
                    unmarked,
                });
            }
        }
    }
    // The reference marks nothing required on update when its tooling merges before the PUT;
    // only a page of the update can then say what the update requires.
    let update_statements = || said.values().flat_map(|statements| &statements[1]);
    let update_marks_nothing = update_statements().any(|said| said.unmarked)
        && !update_statements().any(|said| said.page && said.param.required);
    if update_marks_nothing {
        notes.add(
            "The reference marks no update option required (its tooling merges the record before \
             the PUT); a PUT replaces the whole record, so the update requires what create does.",
        );
    }

    let mut fields = Vec::new();
    for name in order {
        let base = doc.fields.iter().find(|field| field.name == name).cloned();
        let statements = said.remove(&name).unwrap_or_default();
        if statements.iter().all(Vec::is_empty) {
            // Kept from the schema; a write the sources document without it does not carry it.
            if let Some(mut base) = base {
                if base.name != "Id" {
                    if documented[0] {
                        base.create = "absent".to_owned();
                    }
                    if documented[1] {
                        base.update = "absent".to_owned();
                    }
                }
                fields.push(base);
            }
            continue;
        }
        let mut field = base.unwrap_or_else(|| FieldDoc {
            name: name.clone(),
            description: String::new(),
            create: "absent".to_owned(),
            update: "absent".to_owned(),
            secret: looks_secret(&name),
            ..FieldDoc::default()
        });
        let mut field_notes = Notes::from(field.notes.take());
        let all: Vec<&Said<'_>> = statements.iter().flatten().collect();

        // Type: the most precise statement; a reviewer's refinement of a vague one is kept.
        let doc_type = all
            .iter()
            .map(|said| &said.param.ty)
            .max_by_key(|ty| precision(ty))
            .cloned()
            .unwrap_or(DocType::String);
        let Some(documented_type) = schema_type(&name, &doc_type) else {
            notes.add(format!(
                "{name} (inline child records) is left out: the schema format has no type for it yet."
            ));
            continue;
        };
        if field.ty.is_empty() || !refines(&field.ty, &doc_type) {
            if !field.ty.is_empty() && field.ty != documented_type {
                field_notes.add(format!(
                    "The documentation types it {documented_type}; the schema said {}.",
                    field.ty
                ));
            }
            field.ty = documented_type;
        }

        if field.description.is_empty() {
            field.description = all
                .iter()
                .map(|said| said.param.description.trim())
                .find(|text| !text.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{}.", name.to_title_case()));
        }

        for (index, statements) in statements.iter().enumerate() {
            if !documented[index] {
                continue;
            }
            let presence = presence(statements, &mut field_notes, index);
            if index == 0 {
                field.create = presence;
            } else {
                field.update = presence;
            }
        }
        field.secret &= field.ty == "string";
        field.notes = field_notes.into_text();
        fields.push(field);
    }

    if doc.operations.iter().any(|op| op == "update") && !fields.iter().any(|f| f.name == "Id") {
        fields.insert(
            0,
            FieldDoc {
                name: "Id".to_owned(),
                ty: "int64".to_owned(),
                description: format!("The Id of the {} record to update.", doc.entity),
                create: "absent".to_owned(),
                update: "required".to_owned(),
                ..FieldDoc::default()
            },
        );
    }
    if update_marks_nothing {
        for field in &mut fields {
            if field.create == "required" && field.update == "optional" {
                field.update = "required".to_owned();
            }
        }
    }
    // A write whose body no source documents cannot be generated: leave it out, and say so.
    for (index, verb) in ["create", "update"].iter().enumerate() {
        let sends = fields.iter().any(|field| {
            let presence = if index == 0 {
                &field.create
            } else {
                &field.update
            };
            presence != "absent"
        });
        if documented[index] && !sends && doc.operations.iter().any(|op| op == verb) {
            doc.operations.retain(|op| op != verb);
            notes.add(format!(
                "The sources list {verb} but document no property of its body; {verb} is left out \
                 until they do."
            ));
        }
    }
    doc.fields = fields;
}

/// Whether a field is required, optional or absent for one write, from what the sources say:
/// a page of the operation wins over the reference, and a disagreement is noted.
fn presence(statements: &[Said<'_>], notes: &mut Notes, index: usize) -> String {
    if statements.is_empty() {
        return "absent".to_owned();
    }
    let verb = if index == 0 { "create" } else { "update" };
    let deciding = statements
        .iter()
        .find(|said| said.page)
        .unwrap_or(&statements[0]);
    let required = |said: &Said<'_>| said.param.required;
    let disagree: Vec<&Said<'_>> = statements
        .iter()
        .filter(|said| required(said) != required(deciding))
        .filter(|said| !said.unmarked)
        .collect();
    if !disagree.is_empty() {
        let word = |flag: bool| if flag { "required" } else { "optional" };
        let mut others: Vec<String> = disagree.iter().map(|said| said.label(verb)).collect();
        others.dedup();
        notes.add(format!(
            "On {verb}, {} makes it {}; {} makes it {}. The schema follows the first.",
            deciding.label(verb),
            word(required(deciding)),
            others.join(" and "),
            word(!required(deciding))
        ));
    }
    if required(deciding) {
        "required".to_owned()
    } else {
        "optional".to_owned()
    }
}

/// How much a documented type says: an unspecified number says least.
fn precision(ty: &DocType) -> u8 {
    match ty {
        DocType::Integer => 0,
        DocType::String => 1,
        DocType::Enum(None) => 2,
        _ => 3,
    }
}

/// The schema type for a documented one; `None` for what the format cannot express.
fn schema_type(name: &str, ty: &DocType) -> Option<String> {
    Some(match ty {
        DocType::Int32 => "int32".to_owned(),
        DocType::Int64 => "int64".to_owned(),
        // Pages say only `integer`: Ids are 64-bit, everything else a count or a port.
        DocType::Integer if name.ends_with("Id") => "int64".to_owned(),
        DocType::Integer => "int32".to_owned(),
        DocType::Decimal => "decimal".to_owned(),
        DocType::Bool => "bool".to_owned(),
        DocType::String => "string".to_owned(),
        DocType::DateTime => "datetime".to_owned(),
        DocType::Enum(Some(enum_name)) => format!("enum<{enum_name}>"),
        DocType::Enum(None) => format!("enum<e{name}>"),
        DocType::List(item) => format!("list<{}>", schema_type(name, item)?),
        DocType::Children => return None,
    })
}

/// Whether the schema's type is a reviewer's refinement of a vaguer documented one, to keep.
fn refines(schema: &str, documented: &DocType) -> bool {
    match documented {
        DocType::Integer => schema == "int32" || schema == "int64" || schema.starts_with("enum<"),
        DocType::String => schema == "string" || schema == "datetime",
        DocType::Enum(None) => schema.starts_with("enum<"),
        other => schema_type("", other).is_some_and(|ty| ty == schema),
    }
}

/// Names that hold credentials: marked secret so that they never reach logs.
fn looks_secret(name: &str) -> bool {
    ["Password", "Token", "Secret", "ApiKey", "APIKey"]
        .iter()
        .any(|word| name.contains(word))
}

/// Enums the fields use: every table a source lists, and a declaration with no values for an
/// enum a field names but no source lists.
fn merge_enums(doc: &mut SchemaDoc, facts: &[EntityFacts]) {
    for table in facts.iter().flat_map(|fact| &fact.enums) {
        // The reference names a table after its property (`eSize`); when a page gave the enum
        // its real name (`eLockerSize`), the values belong to that one.
        let field_enum = table.name.strip_prefix('e').and_then(|property| {
            let field = doc.fields.iter().find(|field| field.name == property)?;
            field
                .ty
                .strip_prefix("enum<")?
                .strip_suffix('>')
                .map(str::to_owned)
        });
        let name = field_enum.unwrap_or_else(|| table.name.clone());
        let schema_enum = enum_entry(doc, &name, true);
        for member in &table.values {
            if !schema_enum
                .values
                .iter()
                .any(|known| known.value == member.value)
            {
                schema_enum.values.push(ValueDoc {
                    value: member.value,
                    name: member.name.clone(),
                    description: member.description.clone(),
                    rust_name: None,
                });
            }
        }
        schema_enum.values.sort_by_key(|member| member.value);
    }
    let used: Vec<String> = doc
        .fields
        .iter()
        .filter_map(|field| {
            field
                .ty
                .strip_prefix("enum<")
                .and_then(|rest| rest.strip_suffix('>'))
                .map(str::to_owned)
        })
        .collect();
    for name in used {
        enum_entry(doc, &name, false);
    }
}

/// The schema's enum `name`, declared first if it is new; `listed` says whether a source lists
/// its values, which its description then says.
fn enum_entry<'a>(doc: &'a mut SchemaDoc, name: &str, listed: bool) -> &'a mut EnumDoc {
    if let Some(index) = doc.enums.iter().position(|known| known.name == name) {
        return &mut doc.enums[index];
    }
    let title = name.strip_prefix('e').unwrap_or(name).to_title_case();
    doc.enums.push(EnumDoc {
        name: name.to_owned(),
        description: if listed {
            format!("{title}, as the documentation lists its values.")
        } else {
            format!("{title}: the documentation does not list its values.")
        },
        values: Vec::new(),
    });
    let last = doc.enums.len() - 1;
    &mut doc.enums[last]
}

/// Notes text built from sentences, each added once, so that re-importing adds nothing twice.
struct Notes(Vec<String>);

impl Notes {
    fn from(text: Option<String>) -> Self {
        Self(text.into_iter().collect())
    }

    fn add(&mut self, sentence: impl Into<String>) {
        // Whole sentences, so that notes from several places read as one text.
        let mut sentence = sentence.into();
        if let Some(first) = sentence.chars().next() {
            let upper: String = first.to_uppercase().collect();
            sentence.replace_range(..first.len_utf8(), &upper);
        }
        if !sentence.ends_with(['.', '!', '?']) {
            sentence.push('.');
        }
        if !self.0.iter().any(|known| known.contains(&sentence)) {
            self.0.push(sentence);
        }
    }

    fn into_text(self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join(" "))
    }
}
