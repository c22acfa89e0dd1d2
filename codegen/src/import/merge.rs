//! Merges what the sources say about one entity into a schema, recording provenance and conflicts.
//!
//! Precedence, for each fact: a documentation page of the operation (create or update) over the
//! vendor reference, which is generated and marks fields required by type rather than by rule;
//! the reference's precise number types (`int`, `long`) over a page's `integer`; and what a
//! reviewer already wrote in the schema (descriptions, rules, secrets, defaults, notes, refined
//! types) over nothing. A conflict between sources is kept in the schema's `notes`.
//!
//! Enums the reference lists only under a property get the name a page or a reviewer gave the
//! property's enum, else `e{Property}`; properties of one entity whose value tables are identical
//! share one enum named after the words their names end with. A note says which, once.

use std::collections::BTreeMap;

use heck::ToTitleCase;

use super::catalogue::{CatalogueEntry, Confidence};
use super::schema_doc::{EnumDoc, FieldDoc, SchemaDoc, ValueDoc};
use super::source::{DocType, EntityFacts, EnumTable, Operation, Param, SourceKind};
use super::wire::{self, Reconciled, Spelling};

/// Enum value tables that a source ties to a Nexudus enum name, by that name, across every
/// entity: the values of an enum documented once, for the entities that use it without a table.
pub(crate) type SharedTables = BTreeMap<String, (String, EnumTable)>;

/// Merges `facts` (every source's facts about `entity`), its catalogue row and the schema already
/// written for it, if any, into the schema to write.
pub(crate) fn merge(
    entity: &str,
    facts: &[EntityFacts],
    catalogue: Option<&CatalogueEntry>,
    base: Option<&SchemaDoc>,
    shared: &SharedTables,
) -> SchemaDoc {
    let mut doc = base.cloned().unwrap_or_else(|| SchemaDoc {
        entity: entity.to_owned(),
        ..SchemaDoc::default()
    });
    let mut notes = Notes::from(doc.notes.take());
    // Option names the REST sources spell otherwise take their spelling, here and in the schema.
    let mut facts = facts.to_vec();
    let reviewed: Vec<(String, Spelling)> = doc
        .fields
        .iter()
        .filter_map(|field| {
            let spelling = Spelling::parse(field.spelled_by.as_deref()?)?;
            spelling
                .is_reviewed()
                .then(|| (field.name.clone(), spelling))
        })
        .collect();
    let reconciled = wire::reconcile(&mut facts, &reviewed);
    for field in &mut doc.fields {
        if let Some(rename) = reconciled.renames.iter().find(|r| r.rebuilt == field.name) {
            field.name.clone_from(&rename.spelled);
        }
    }
    let facts = facts.as_slice();

    // The path: a page that shows it, else the catalogue, else what the schema had.
    let page_path = facts.iter().find_map(|fact| fact.path.as_ref());
    match (page_path, catalogue) {
        (Some(page), Some(row)) if page.value != row.path => {
            notes.add(format!(
                "The documentation page shows {} while {} lists {}; the page is followed.",
                page.value, row.catalogue, row.path
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
                "The area of {} is inferred: no documentation page shows this URL ({}). \
                 Check it before relying on it.",
                row.path, row.catalogue
            ));
        }
        add_source(
            &mut doc,
            format!(
                "path: {} ({})",
                row.catalogue,
                confidence_name(row.confidence)
            ),
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
    // How enums the reference lists without a name are named is said with the sources' remarks,
    // before the notes on fields, although the fields must be merged to settle it.
    let enum_notes_at = notes.len();

    merge_fields(&mut doc, facts, &mut notes);
    add_documented_2020(&mut doc, facts);
    add_read_only(&mut doc, facts);
    name_enums_2020(&mut doc, facts);
    merge_enums(&mut doc, facts, &mut notes, enum_notes_at);
    share_enum_values(&mut doc, facts, shared, &mut notes);
    record_spellings(&mut doc, &reconciled, &mut notes);
    doc.notes = notes.into_text();
    doc
}

/// The enum tables whose Nexudus enum name a source gives, across every entity's facts: a table
/// a page lists under a name, and a table the reference lists under a property whose enum the
/// 2020 documentation names. The first entity (by name) to list a name gives its values.
pub(crate) fn shared_tables<'a>(
    by_entity: impl IntoIterator<Item = (&'a String, &'a Vec<EntityFacts>)>,
) -> SharedTables {
    let mut shared = SharedTables::new();
    for (entity, facts) in by_entity {
        let names = names_2020(facts);
        for table in facts.iter().flat_map(|fact| &fact.enums) {
            let name = match &table.property {
                None => Some(table.name.as_str()),
                Some(property) => names
                    .iter()
                    .find(|(named, _)| named.eq_ignore_ascii_case(property))
                    .map(|(_, name)| *name),
            };
            if let Some(name) = name {
                if !table.values.is_empty() {
                    shared
                        .entry(name.to_owned())
                        .or_insert_with(|| (entity.clone(), table.clone()));
                }
            }
        }
    }
    shared
}

/// Whether `name` is a property every record has, which schemas do not list.
fn is_base(name: &str) -> bool {
    crate::ir::BASE_FIELDS
        .iter()
        .any(|base| base.wire_name.eq_ignore_ascii_case(name))
}

/// Whether the schema has a field named `name`, in any letter case.
fn has_field(doc: &SchemaDoc, name: &str) -> bool {
    doc.fields
        .iter()
        .any(|field| field.name.eq_ignore_ascii_case(name))
}

/// Properties only the 2020 documentation lists in a create or update body: optional in that
/// write, with a note, since the newer reference leaves them out (they may have been removed,
/// and Nexudus ignores a property it does not know).
fn add_documented_2020(doc: &mut SchemaDoc, facts: &[EntityFacts]) {
    for fact in facts.iter().filter(|f| f.kind == SourceKind::ApiDocs2020) {
        for (index, params) in [&fact.create, &fact.update].into_iter().enumerate() {
            let verb = ["create", "update"][index];
            if !doc.operations.iter().any(|op| op == verb) {
                continue;
            }
            for param in params.iter().flatten() {
                if is_base(&param.wire_name) {
                    continue;
                }
                let Some(ty) = schema_type(&param.wire_name, &param.ty) else {
                    continue;
                };
                let existing = doc
                    .fields
                    .iter()
                    .position(|field| field.name.eq_ignore_ascii_case(&param.wire_name));
                let at = match existing {
                    // Another source has it: the reference decides its presence.
                    Some(at) if !is_only_2020(&doc.fields[at]) => continue,
                    Some(at) => at,
                    None => {
                        doc.fields.push(FieldDoc {
                            name: param.wire_name.clone(),
                            ty,
                            description: format!("{}.", param.wire_name.to_title_case()),
                            create: "absent".to_owned(),
                            update: "absent".to_owned(),
                            secret: looks_secret(&param.wire_name) && param.ty == DocType::String,
                            notes: Some(format!(
                                "{ONLY_2020} ({}); the newer vendor reference does not, so it \
                                 may have been removed since. Optional here.",
                                fact.source
                            )),
                            ..FieldDoc::default()
                        });
                        doc.fields.len() - 1
                    }
                };
                let field = &mut doc.fields[at];
                field.read_only = false;
                if index == 0 {
                    field.create = "optional".to_owned();
                } else {
                    field.update = "optional".to_owned();
                }
            }
        }
    }
}

/// The start of the note on a property only the 2020 documentation writes.
const ONLY_2020: &str = "Only the 2020 API documentation lists it in a write body";

/// Whether an earlier import added `field` because only the 2020 documentation writes it.
fn is_only_2020(field: &FieldDoc) -> bool {
    field
        .notes
        .as_deref()
        .is_some_and(|notes| notes.starts_with(ONLY_2020))
}

/// Properties a record carries that no create or update takes: the 2020 GET examples and the
/// reference's list filters show them. They are read-only: in the record, never sent.
fn add_read_only(doc: &mut SchemaDoc, facts: &[EntityFacts]) {
    let rest = facts.iter().filter(|f| f.kind == SourceKind::ApiDocs2020);
    let reference = facts.iter().filter(|f| f.kind == SourceKind::Reference);
    let filters: Vec<&Param> = reference.clone().flat_map(|f| &f.record).collect();
    for param in rest.flat_map(|f| &f.record).chain(filters.iter().copied()) {
        if is_base(&param.wire_name) || has_field(doc, &param.wire_name) {
            continue;
        }
        // The reference's filter types are newer and tell `int` from `long`.
        let ty = filters
            .iter()
            .find(|filter| filter.wire_name == param.wire_name)
            .map_or(&param.ty, |filter| &filter.ty);
        let Some(ty) = schema_type(&param.wire_name, ty) else {
            continue;
        };
        let description = if param.description.trim().is_empty() {
            format!("{}.", param.wire_name.to_title_case())
        } else {
            param.description.trim().to_owned()
        };
        doc.fields.push(FieldDoc {
            name: param.wire_name.clone(),
            ty,
            description,
            create: "absent".to_owned(),
            update: "absent".to_owned(),
            read_only: true,
            ..FieldDoc::default()
        });
    }
}

/// The enum names the 2020 documentation gives properties (`eChargePeriod`), by property.
fn names_2020(facts: &[EntityFacts]) -> BTreeMap<&str, &str> {
    facts
        .iter()
        .filter(|f| f.kind == SourceKind::ApiDocs2020)
        .flat_map(EntityFacts::params)
        .filter_map(|param| match &param.ty {
            DocType::Enum(Some(name)) => Some((param.wire_name.as_str(), name.as_str())),
            _ => None,
        })
        .collect()
}

/// Types with its Nexudus enum each field whose enum the importer named after the property,
/// when the 2020 documentation names it: a page naming the enum decides.
fn name_enums_2020(doc: &mut SchemaDoc, facts: &[EntityFacts]) {
    let names = names_2020(facts);
    let mut retired = Vec::new();
    for field in &mut doc.fields {
        let Some(name) = names.get(field.name.as_str()) else {
            continue;
        };
        let own = format!("e{}", field.name);
        if enum_of(&field.ty) == Some(own.as_str()) && own != *name {
            field.ty = format!("enum<{name}>");
            retired.push(own);
        }
    }
    // The enum named after the property goes with its last field; its values follow the name.
    let used: Vec<String> = doc
        .fields
        .iter()
        .filter_map(|field| enum_of(&field.ty).map(str::to_owned))
        .collect();
    doc.enums.retain(|schema_enum| {
        !retired.contains(&schema_enum.name) || used.contains(&schema_enum.name)
    });
}

/// Gives an enum no source of this entity lists values for the values another entity's
/// reference lists for the same Nexudus enum. Only names a REST source gives are matched on both
/// sides, so two enums the importer merely named alike (`eStatus`) are never made equal.
fn share_enum_values(
    doc: &mut SchemaDoc,
    facts: &[EntityFacts],
    shared: &SharedTables,
    notes: &mut Notes,
) {
    let named: Vec<&str> = names_2020(facts).into_values().collect();
    for schema_enum in &mut doc.enums {
        if !named.contains(&schema_enum.name.as_str()) {
            continue;
        }
        let Some((entity, table)) = shared.get(&schema_enum.name) else {
            continue;
        };
        let property = table.property.as_deref().unwrap_or_default();
        let note = format!(
            "The values of `{}` are those {entity}'s reference lists for `{property}`, which \
             the 2020 documentation also types `{}`.",
            schema_enum.name, schema_enum.name
        );
        if schema_enum.values.is_empty() {
            schema_enum.values = table
                .values
                .iter()
                .map(|member| ValueDoc {
                    value: member.value,
                    name: member.name.clone(),
                    description: member.description.clone(),
                    rust_name: None,
                })
                .collect();
        } else if !notes.contains(&note) {
            // Listed by a source of this entity, or kept from an earlier import without its note.
            continue;
        }
        if let Some(title) = schema_enum
            .description
            .strip_suffix(": the documentation does not list its values.")
        {
            schema_enum.description = format!("{title}, as the documentation lists its values.");
        }
        notes.add(note);
    }
}

/// Writes on each field which source attests its wire name (a reviewer's word counted among
/// them), and the note of each option the REST sources spell otherwise.
fn record_spellings(doc: &mut SchemaDoc, reconciled: &Reconciled, notes: &mut Notes) {
    for field in &mut doc.fields {
        // The update's `Id` is the record's own, which the update page shows in its body; the
        // importer adds it to entities whose sources list no update body.
        let spelling = if field.name == "Id" {
            Spelling::Page
        } else {
            reconciled.spelling(&field.name)
        };
        field.spelled_by = Some(spelling.as_str().to_owned());
        if let Some(rename) = reconciled.renames.iter().find(|r| r.spelled == field.name) {
            let mut field_notes = Notes::from(field.notes.take());
            field_notes.add(rename.note());
            field.notes = field_notes.into_text();
        }
    }
    for (rebuilt, candidates) in &reconciled.ambiguous {
        let candidates: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
        notes.add(format!(
            "The reference's `{rebuilt}` could be any of {} as REST sources spell them; it is \
             kept as rebuilt.",
            candidates.join(", ")
        ));
    }
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
    for fact in facts.iter().filter(|f| f.kind != SourceKind::ApiDocs2020) {
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
///
/// A table the reference lists under its property alone goes to the enum [`name_derived`] settles
/// for that property, which notes how from `notes_at` on; a table a source names goes to that
/// name.
fn merge_enums(doc: &mut SchemaDoc, facts: &[EntityFacts], notes: &mut Notes, notes_at: usize) {
    let (by_property, retired) = name_derived(doc, facts, notes, notes_at);
    let mut listed: Vec<String> = Vec::new();
    for table in facts.iter().flat_map(|fact| &fact.enums) {
        let name = table
            .property
            .as_ref()
            .and_then(|property| by_property.get(property))
            .unwrap_or(&table.name)
            .clone();
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
        listed.push(name);
    }
    let used: Vec<String> = doc
        .fields
        .iter()
        .filter_map(|field| enum_of(&field.ty))
        .map(str::to_owned)
        .collect();
    for name in &used {
        enum_entry(doc, name, false);
    }
    // An enum a field was moved off (a schema written before its enum was shared) would be
    // generated for nothing: drop it, unless something still lists or uses it.
    doc.enums.retain(|schema_enum| {
        !retired.contains(&schema_enum.name)
            || used.contains(&schema_enum.name)
            || listed.contains(&schema_enum.name)
    });
}

/// The enum name of a field type that is exactly one enum, `enum<eSize>` -> `eSize`.
fn enum_of(ty: &str) -> Option<&str> {
    ty.strip_prefix("enum<")?.strip_suffix('>')
}

/// How a property whose enum table the reference lists without a Nexudus name is typed.
enum Derived {
    /// Its own enum, `e{Property}`, as the reader named the table.
    Own,
    /// An enum a documentation page or a reviewer named (`eLockerSize`): the table's values
    /// belong to it, and the derived name is no longer worth a note.
    Named(String),
    /// The enum it shares with the other properties of the group (`eAttendance`).
    Shared(usize),
}

/// Properties whose tables list the same values, sharing one enum.
struct Group {
    /// The properties, in the order the source lists their tables.
    properties: Vec<String>,
    /// The shared enum, `eAttendance`.
    name: String,
    /// The words the property names end with, `Attendance`, which the name is made of.
    suffix: String,
}

/// Settles the enum of each property whose table the reference lists only under the property,
/// retypes those fields, and notes how each enum got its name (from `notes_at` on). Returns the
/// enum name of each such property, and the enums that fields were moved off.
///
/// - A page that names the property's enum, or a reviewer who typed the field with another enum
///   than `e{Property}`, decides: the values go there, with no note.
/// - Properties of one entity whose tables are identical (same values, names and numbers) share
///   one enum named after the PascalCase words all their names end with (Coworker's
///   `MondayAttendance` ... `SundayAttendance` share `eAttendance`), when they have such words and
///   the name is no other enum's of the entity; one note names them all.
/// - Any other property keeps `e{Property}`, with a note that the name is derived.
///
/// The grouping depends only on the sources and on names the importer itself would give, so a
/// second import groups the same way and writes nothing new.
fn name_derived(
    doc: &mut SchemaDoc,
    facts: &[EntityFacts],
    notes: &mut Notes,
    mut notes_at: usize,
) -> (BTreeMap<String, String>, Vec<String>) {
    // One table per property, the first a source lists.
    let mut tables: Vec<(&str, &EnumTable)> = Vec::new();
    for table in facts.iter().flat_map(|fact| &fact.enums) {
        if let Some(property) = &table.property {
            if !tables.iter().any(|(known, _)| known == property) {
                tables.push((property, table));
            }
        }
    }
    let field_enum = |doc: &SchemaDoc, property: &str| -> Option<String> {
        let field = doc.fields.iter().find(|field| field.name == property)?;
        enum_of(&field.ty).map(str::to_owned)
    };
    let page_named = |property: &str| {
        facts
            .iter()
            .flat_map(EntityFacts::params)
            .any(|param| param.wire_name == property && matches!(param.ty, DocType::Enum(Some(_))))
    };
    // The properties that may share an enum: typed with one, and not one a page named.
    let candidates: Vec<(&str, &EnumTable, String)> = tables
        .iter()
        .filter(|(property, _)| !page_named(property))
        .filter_map(|(property, table)| Some((*property, *table, field_enum(doc, property)?)))
        .collect();
    let mut groups = group_identical(&candidates);
    // Names the entity has besides a group's own: named tables, fields outside the group (a
    // grouped field counted by its own `e{Property}`, as if it were not merged), tables with no
    // enum field, and the other groups' names. A group whose name is taken is not merged.
    let grouped = |property: &str, groups: &[Group]| {
        groups
            .iter()
            .position(|group| group.properties.iter().any(|known| known == property))
    };
    let mut taken: Vec<(Option<usize>, String)> = Vec::new();
    for table in facts.iter().flat_map(|fact| &fact.enums) {
        match &table.property {
            None => taken.push((None, table.name.clone())),
            Some(property) if field_enum(doc, property).is_none() => {
                taken.push((None, table.name.clone()));
            }
            Some(_) => {}
        }
    }
    for field in &doc.fields {
        let Some(name) = enum_of(&field.ty) else {
            continue;
        };
        match grouped(&field.name, &groups) {
            Some(index) => taken.push((Some(index), format!("e{}", field.name))),
            None => taken.push((None, name.to_owned())),
        }
    }
    taken.extend(
        groups
            .iter()
            .enumerate()
            .map(|(index, group)| (Some(index), group.name.clone())),
    );
    let clashes: Vec<bool> = groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            taken
                .iter()
                .any(|(owner, name)| *owner != Some(index) && *name == group.name)
        })
        .collect();
    let mut clashes = clashes.into_iter();
    groups.retain(|_| !clashes.next().unwrap_or(false));
    // A group an earlier import noted may have changed since (a page now names one of its
    // enums): its note goes, and the current one is written below.
    let current: Vec<String> = groups.iter().map(shared_note).collect();
    for written in notes.written(SHARED_NOTE_MIDDLE, SHARED_NOTE_END) {
        if !current.contains(&written) {
            notes.remove(&written);
        }
    }

    let mut by_property = BTreeMap::new();
    let mut retired = Vec::new();
    let mut noted: Vec<usize> = Vec::new();
    for (property, table) in &tables {
        let own = table.name.clone();
        let derived_note = format!(
            "The enum of `{property}` is named `{own}` after the property: the reference lists \
             its values but not its Nexudus name."
        );
        let current = field_enum(doc, property);
        let derived = match (&current, grouped(property, &groups)) {
            (Some(_), Some(index)) => Derived::Shared(index),
            // Any other name is a page's or a reviewer's: the importer gives only the two above.
            (Some(name), None) if page_named(property) || *name != own => {
                Derived::Named(name.clone())
            }
            _ => Derived::Own,
        };
        let name = match derived {
            Derived::Own => {
                notes_at = notes.insert(notes_at, derived_note);
                own
            }
            Derived::Named(name) => {
                // A schema written before a page named the enum still says it was derived.
                notes.remove(&derived_note);
                name
            }
            Derived::Shared(index) => {
                notes.remove(&derived_note);
                let group = &groups[index];
                if !noted.contains(&index) {
                    noted.push(index);
                    notes_at = notes.insert(notes_at, shared_note(group));
                }
                group.name.clone()
            }
        };
        if let Some(current) = current {
            if current != name {
                retired.push(current);
                if let Some(field) = doc.fields.iter_mut().find(|f| f.name == *property) {
                    field.ty = format!("enum<{name}>");
                }
            }
        }
        by_property.insert((*property).to_owned(), name);
    }
    (by_property, retired)
}

/// Groups of at least two `candidates` (each a property, its table, and the enum its field is
/// typed with) whose tables list the same values, each with the name its properties would share.
///
/// A field a reviewer typed with an enum other than its own `e{Property}` or the group's name
/// keeps that enum and leaves the group; what remains is named again, since fewer names may share
/// more words.
fn group_identical(candidates: &[(&str, &EnumTable, String)]) -> Vec<Group> {
    let mut alike: Vec<Vec<usize>> = Vec::new();
    for (index, (_, table, _)) in candidates.iter().enumerate() {
        let same = alike
            .iter_mut()
            .find(|members| same_values(candidates[members[0]].1, table));
        match same {
            Some(members) => members.push(index),
            None => alike.push(vec![index]),
        }
    }
    let group = |members: &[usize]| -> Option<Group> {
        if members.len() < 2 {
            return None;
        }
        let properties: Vec<String> = members
            .iter()
            .map(|&index| candidates[index].0.to_owned())
            .collect();
        let suffix = common_suffix(&properties)?;
        Some(Group {
            name: format!("e{suffix}"),
            suffix,
            properties,
        })
    };
    alike
        .into_iter()
        .filter_map(|members| {
            let name = group(&members)?.name;
            let kept: Vec<usize> = members
                .into_iter()
                .filter(|&index| {
                    let (_, table, current) = &candidates[index];
                    *current == table.name || *current == name
                })
                .collect();
            group(&kept)
        })
        .collect()
}

/// Whether two tables list the same members: the same values, with the same names and
/// descriptions, in any order.
fn same_values(a: &EnumTable, b: &EnumTable) -> bool {
    fn members(table: &EnumTable) -> Vec<(i64, &str, Option<&str>)> {
        let mut members: Vec<(i64, &str, Option<&str>)> = table
            .values
            .iter()
            .map(|member| {
                (
                    member.value,
                    member.name.as_str(),
                    member.description.as_deref(),
                )
            })
            .collect();
        members.sort_unstable();
        members
    }
    members(a) == members(b)
}

/// The PascalCase words every name ends with, joined: `MondayAttendance` and
/// `TuesdayAttendance` give `Attendance`; `None` when their last words differ.
fn common_suffix(names: &[String]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|name| words(name)).collect();
    let shortest = split.iter().map(Vec::len).min()?;
    let count = (1..=shortest)
        .take_while(|&from_end| {
            let word = split[0][split[0].len() - from_end];
            split
                .iter()
                .all(|words| words[words.len() - from_end] == word)
        })
        .count();
    (count > 0).then(|| split[0][split[0].len() - count..].concat())
}

/// The PascalCase words of a property name: a word starts at a capital after a lower-case letter
/// or a digit, and at the last capital of an acronym followed by lower case (`SSLPort` is `SSL`
/// and `Port`); digits stay with the word they follow (`Office365Token` is `Office365` and
/// `Token`).
fn words(name: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut starts = vec![0];
    for (index, window) in chars.windows(2).enumerate() {
        let [(_, before), (offset, c)] = window else {
            continue;
        };
        let after = chars.get(index + 2).map(|(_, after)| *after);
        let acronym_ends =
            before.is_ascii_uppercase() && after.is_some_and(|a| a.is_ascii_lowercase());
        if c.is_ascii_uppercase()
            && (before.is_ascii_lowercase() || before.is_ascii_digit() || acronym_ends)
        {
            starts.push(*offset);
        }
    }
    starts.push(name.len());
    starts
        .windows(2)
        .map(|bounds| &name[bounds[0]..bounds[1]])
        .filter(|word| !word.is_empty())
        .collect()
}

/// Words of every [`shared_note`], by which one an earlier import wrote is found again.
const SHARED_NOTE_MIDDLE: &str = " share the enum `";

/// The words every [`shared_note`] ends with.
const SHARED_NOTE_END: &str = "the words their names end with.";

/// The note of a shared enum: which properties share it, and where its name comes from.
fn shared_note(group: &Group) -> String {
    let quoted: Vec<String> = group
        .properties
        .iter()
        .map(|property| format!("`{property}`"))
        .collect();
    let (last, rest) = quoted
        .split_last()
        .expect("a group has two properties or more");
    format!(
        "{} and {last}{SHARED_NOTE_MIDDLE}{}`: the reference lists the same values for each but \
         not their Nexudus name, so the enum is named after `{}`, {SHARED_NOTE_END}",
        rest.join(", "),
        group.name,
        group.suffix
    )
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
        self.insert(self.0.len(), sentence);
    }

    /// Whether the notes already say `sentence`.
    fn contains(&self, sentence: &str) -> bool {
        self.0.iter().any(|known| known.contains(sentence))
    }

    /// The place of the next sentence [`add`](Self::add) would write, for [`insert`](Self::insert)
    /// to write there later.
    fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds `sentence` before the one at `index`, unless the notes say it already; returns where
    /// the sentence after it goes.
    fn insert(&mut self, index: usize, sentence: impl Into<String>) -> usize {
        // Whole sentences, so that notes from several places read as one text.
        let mut sentence = sentence.into();
        if let Some(first) = sentence.chars().next() {
            let upper: String = first.to_uppercase().collect();
            sentence.replace_range(..first.len_utf8(), &upper);
        }
        if !sentence.ends_with(['.', '!', '?']) {
            sentence.push('.');
        }
        if self.0.iter().any(|known| known.contains(&sentence)) {
            return index;
        }
        let index = index.min(self.0.len());
        self.0.insert(index, sentence);
        index + 1
    }

    /// The sentences of one shape the importer writes, found by words in their middle and their
    /// end: each runs from the end of the sentence before (`. `) through `end`. Only sentences
    /// that start with a code span (`` `Name` ``), as those the importer writes in this shape do,
    /// are returned, so a reviewer's sentence is never taken for one.
    fn written(&self, middle: &str, end: &str) -> Vec<String> {
        let mut found = Vec::new();
        for known in &self.0 {
            let mut rest = known.as_str();
            while let Some(at) = rest.find(middle) {
                let start = rest[..at].rfind(". ").map_or(0, |dot| dot + 2);
                let Some(length) = rest[at..].find(end) else {
                    break;
                };
                let stop = at + length + end.len();
                if rest[start..].starts_with('`') {
                    found.push(rest[start..stop].to_owned());
                }
                rest = &rest[stop..];
            }
        }
        found
    }

    /// Takes out a sentence the importer wrote earlier and that no longer holds. A schema's notes
    /// come back as one text, so the sentence goes with the space that joined it to the next; an
    /// emptied text stays in place (and is not written), so that indices kept for
    /// [`insert`](Self::insert) still hold.
    fn remove(&mut self, sentence: &str) {
        for known in &mut self.0 {
            let joined = [format!("{sentence} "), format!(" {sentence}")];
            let found = joined
                .iter()
                .map(String::as_str)
                .chain([sentence])
                .find(|pattern| known.contains(pattern));
            if let Some(pattern) = found {
                *known = known.replacen(pattern, "", 1);
            }
        }
    }

    fn into_text(self) -> Option<String> {
        let sentences: Vec<String> = self.0.into_iter().filter(|s| !s.is_empty()).collect();
        (!sentences.is_empty()).then(|| sentences.join(" "))
    }
}

#[cfg(test)]
mod tests;
