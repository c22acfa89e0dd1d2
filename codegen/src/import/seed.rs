//! Reads the documentation page of one create or update, as MDX source or rendered text, into facts.
//!
//! The two forms say the same things differently:
//!
//! - MDX source: `# Create EmailAccount`, `### Required Fields`, one
//!   `<ParamField body="Name" type="string" required>description</ParamField>` per property, and
//!   code examples in fences;
//! - rendered text: `POST` then the path one segment a line (`/`, `api`, `/`, `crm`, ...), then per
//!   property its name, its type and an optional `required` line, each on a line of its own, and
//!   the description on the lines after.
//!
//! Both name the role an administrator needs (`EmailAccount-Create`), and newer pages list enum
//! values before the body (`eBookingRepeatCycle — Repeats values` and a `| Value | Name |` table,
//! or, once rendered, `ValueName` and one `1Daily` line per value with the title lost).
//!
//! Page types map to [`DocType`] as follows: `integer` is [`DocType::Integer`] (a page never says
//! whether it is 32 or 64 bits, not even for ids; the merge settles it from the vendor reference),
//! `number` is `Decimal`, `string` is `String` (dates too: pages type `LastCheckTime` as a string),
//! `boolean` is `Bool`, `T[]` is a `List` of `T` (`integer[]` is how pages type id lists such as
//! `Businesses`), `object[]` is `Children`, and a bare `array`, seen only on response fields, is
//! read as `List(Integer)` with a remark, since Nexudus bodies carry no other kind of list. An
//! `integer` whose description says `See eXxx enum above.` is `Enum(Some("eXxx"))`, and that
//! sentence is left out of the description. Any other type word is a problem at its position.
//!
//! This module holds the page model and what both forms share (which entity and operation, the
//! path from a code example, the introduction, checking each property, naming the enum tables);
//! `mdx.rs` and `rendered.rs` read what each form writes its own way.

mod mdx;
mod rendered;

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostics, FileId, Location};
use crate::import::source::{
    DocType, EntityFacts, EnumMember, EnumTable, Operation, Param, Sourced,
};
use rendered::{RENDERED_INTRO_END, is_method};

/// Where every documented request goes; the code examples' URLs start with it.
const HOST: &str = "https://spaces.nexudus.com";

/// The type words pages use, for the help of an unknown-type problem.
const TYPE_WORDS: &str = "`integer`, `number`, `string`, `boolean`, `integer[]`, `number[]`, \
                          `string[]`, `boolean[]`, `object[]` or `array`";

/// Lines the documentation site adds to every page, which say nothing about the entity.
const BOILERPLATE: &[&str] = &[
    "Skip to main content",
    "Documentation Index",
    "Fetch the complete documentation index",
    "Use this file to discover all available pages",
];

/// Reads one documentation page of a create (`POST`) or an update (`PUT`) of an entity.
///
/// The page is MDX source when it has a `<ParamField` tag and rendered text otherwise; `source` is
/// how the schema names it, kept in [`EntityFacts::source`]. The facts hold the page's own
/// operation only, and its body in `create` or `update`. Every problem goes to `diagnostics` at its
/// line and column, and the rest of the page is still read; the answer is `None` only when the page
/// does not say which entity and which operation it documents, or documents another operation.
pub(crate) fn read_page(
    file: FileId,
    source: &str,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<EntityFacts> {
    let form = if text.contains("<ParamField") {
        Form::Mdx
    } else {
        Form::Rendered
    };
    let mut page = Page::new(file, form, text, diagnostics);
    let (operation, entity) = page.identify()?;
    let path = page.path();
    let description = page.introduction(&entity);
    let mut body = match form {
        Form::Mdx => page.mdx_body(),
        Form::Rendered => page.rendered_body(),
    };
    let tables = page.enum_tables();
    let enums = page.name_tables(tables, body.as_mut());
    let params = body.map(|body| body.params);
    // Remarks come from several passes; a reviewer reads them in page order.
    page.remarks.sort_by_key(|remark| remark.at);
    let (create, update) = if operation.value == Operation::Create {
        (params, None)
    } else {
        (None, params)
    };
    Some(EntityFacts {
        source: source.to_owned(),
        entity,
        path,
        operations: vec![operation],
        description,
        create,
        update,
        enums,
        remarks: page.remarks,
        ..EntityFacts::default()
    })
}

/// The two forms a page comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// The MDX source, with `<ParamField>` tags.
    Mdx,
    /// The text of the rendered page, one name, type or marker a line.
    Rendered,
}

/// The list of the body a property is documented in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    /// Under no "Required Fields" or "Optional Fields" heading: the marker alone decides.
    Unlisted,
    /// Under "Required Fields".
    Required,
    /// Under "Optional Fields".
    Optional,
}

/// One page being read: its lines, where its code blocks are, and what it has said so far.
struct Page<'a> {
    /// The page's file, for locations.
    file: FileId,
    form: Form,
    /// The page's lines, without their line breaks.
    lines: Vec<&'a str>,
    /// Whether each line belongs to a fenced code block (always false in rendered text).
    fenced: Vec<bool>,
    /// Where problems go.
    diagnostics: &'a mut Diagnostics,
    /// Prose and reading decisions for a reviewer, in page order.
    remarks: Vec<Sourced<String>>,
}

/// A place where the page says which operation or entity it documents.
struct Clue {
    /// The operation the place names, if it names one.
    operation: Option<Operation>,
    /// The entity the place names, if it names one.
    entity: Option<String>,
    /// Where the place is.
    at: Location,
    /// What the place is, for a conflict's message: "title", "method", "role".
    what: &'static str,
}

/// The request body as read, with what the enum tables are named from.
#[derive(Default)]
struct Body {
    /// The properties, in page order.
    params: Vec<Param>,
    /// The enum every `See eXxx enum` names, in page order, repeats included.
    references: Vec<String>,
    /// Every `Defaults to eXxx.Member` of a description: (enum, member).
    defaults: Vec<(String, String)>,
}

/// A property as the page writes it, before its type is mapped.
struct RawParam {
    /// The wire name, and where it is.
    name: String,
    name_at: Location,
    /// The type as written (`integer`), and where it is.
    type_word: String,
    type_at: Location,
    /// Whether the property itself is marked `required`.
    marker: bool,
    /// The list the property is under.
    section: Section,
    /// The description, enum reference included.
    description: String,
}

/// An enum value table as the page lists it, before its name is settled.
struct RawTable {
    /// The enum's name when its title gives one (`eBookingRepeatCycle — Repeats values`).
    name: Option<String>,
    /// The property the title names (`Repeats`), if any.
    property: Option<String>,
    /// The rows, in page order.
    values: Vec<EnumMember>,
    /// The title, or the header when there is no title.
    at: Location,
}

impl<'a> Page<'a> {
    /// Splits `text` into lines and marks which belong to code blocks.
    fn new(file: FileId, form: Form, text: &'a str, diagnostics: &'a mut Diagnostics) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut fenced = Vec::with_capacity(lines.len());
        let mut inside = false;
        for line in &lines {
            let fence = form == Form::Mdx && line.trim_start().starts_with("```");
            fenced.push(inside || fence);
            inside ^= fence;
        }
        Self {
            file,
            form,
            lines,
            fenced,
            diagnostics,
            remarks: Vec::new(),
        }
    }

    /// The location of byte `byte` of line `line` (both 0-based), as 1-based line and column.
    fn at(&self, line: usize, byte: usize) -> Location {
        let text = self.lines.get(line).copied().unwrap_or_default();
        let column = text
            .get(..byte)
            .map_or(text.len(), |before| before.chars().count());
        Location {
            file: self.file,
            line: line + 1,
            column: column + 1,
        }
    }

    /// The location of the first non-blank character of line `line`.
    fn line_at(&self, line: usize) -> Location {
        self.at(
            line,
            indent(self.lines.get(line).copied().unwrap_or_default()),
        )
    }

    /// Keeps prose or a reading decision for a reviewer.
    fn remark(&mut self, at: Location, value: String) {
        self.remarks.push(Sourced { value, at });
    }

    /// Which operation of which entity the page documents, from its title, its method line and
    /// the role it asks for; every place that disagrees with the first is a problem.
    fn identify(&mut self) -> Option<(Sourced<Operation>, String)> {
        let body_start = self
            .lines
            .iter()
            .position(|line| is_body_heading(line))
            .unwrap_or(self.lines.len());
        let mut clues = Vec::new();
        for index in 0..self.lines.len() {
            let line = self.lines[index];
            if self.fenced[index] {
                continue;
            }
            let trimmed = line.trim();
            // `# Create EmailAccount` in MDX, `Create EmailAccount` once rendered.
            let byte = line.len() - line.trim_start().trim_start_matches('#').trim_start().len();
            let title = (index < body_start)
                .then(|| title_words(line[byte..].trim_end()))
                .flatten();
            if let Some((operation, entity)) = title {
                clues.push(Clue {
                    operation: Some(operation),
                    entity: Some(entity.to_owned()),
                    at: self.at(index, byte),
                    what: "title",
                });
            }
            let next = self.lines.get(index + 1).map(|next| next.trim());
            if self.form == Form::Rendered && is_method(trimmed) && next == Some("/") {
                let operation = match trimmed {
                    "POST" => Operation::Create,
                    "PUT" => Operation::Update,
                    other => return self.not_a_write(index, indent(line), other),
                };
                clues.push(Clue {
                    operation: Some(operation),
                    entity: None,
                    at: self.line_at(index),
                    what: "method",
                });
            }
            if let Some((entity, suffix, byte)) = role(line) {
                let operation = match suffix {
                    "Create" => Operation::Create,
                    "Edit" | "Update" => Operation::Update,
                    "List" | "Read" | "Delete" => {
                        return self.not_a_write(index, byte, &format!("{entity}-{suffix}"));
                    }
                    _ => continue,
                };
                clues.push(Clue {
                    operation: Some(operation),
                    entity: Some(entity.to_owned()),
                    at: self.at(index, byte),
                    what: "role",
                });
            }
        }
        self.settle(&clues)
    }

    /// Reports a page of another operation; there is nothing to read from it.
    fn not_a_write<T>(&mut self, line: usize, byte: usize, what: &str) -> Option<T> {
        let at = self.at(line, byte);
        self.diagnostics.error(
            at,
            format!("this page documents `{what}`, not a create or an update"),
            "only the page of a create (`POST`) or an update (`PUT`) describes a request body",
        );
        None
    }

    /// The operation and entity the first clues give, after reporting every clue that disagrees.
    fn settle(&mut self, clues: &[Clue]) -> Option<(Sourced<Operation>, String)> {
        let help = "a page names its operation and entity in its title (`# Create EmailAccount`), \
                    its method line (`POST`) and the role it needs (`EmailAccount-Create`)";
        let operation = clues.iter().find_map(|clue| Some((clue.operation?, clue)));
        let entity = clues
            .iter()
            .find_map(|clue| Some((clue.entity.as_deref()?, clue)));
        let (Some((operation, first_op)), Some((entity, first_entity))) = (operation, entity)
        else {
            self.diagnostics.error(
                Location::file_start(self.file),
                "the page does not say which create or update it documents",
                help,
            );
            return None;
        };
        for clue in clues {
            if let Some(other) = clue.operation.filter(|other| *other != operation) {
                self.diagnostics.error(
                    clue.at,
                    format!(
                        "the page's {} makes it {}, but its {} makes it {}",
                        clue.what,
                        describe(other),
                        first_op.what,
                        describe(operation)
                    ),
                    help,
                );
                self.diagnostics
                    .also(first_op.at, format!("the {}", first_op.what));
            }
            if let Some(other) = clue.entity.as_deref().filter(|other| *other != entity) {
                self.diagnostics.error(
                    clue.at,
                    format!(
                        "the page's {} names the entity `{other}`, but its {} names `{entity}`",
                        clue.what, first_entity.what
                    ),
                    help,
                );
                self.diagnostics
                    .also(first_entity.at, format!("the {}", first_entity.what));
            }
        }
        let at = first_op.at;
        Some((
            Sourced {
                value: operation,
                at,
            },
            entity.to_owned(),
        ))
    }

    /// The collection path: the rendered path lines, else the code example's URL; a problem when
    /// both are there and differ.
    fn path(&mut self) -> Option<Sourced<String>> {
        let from_lines = match self.form {
            Form::Mdx => None,
            Form::Rendered => self.method_path(),
        };
        let from_url = self.example_path();
        if let (Some(lines), Some(url)) = (&from_lines, &from_url) {
            if lines.value != url.value {
                self.diagnostics.error(
                    url.at,
                    format!(
                        "the code example sends to `{}`, but the page's path is `{}`",
                        url.value, lines.value
                    ),
                    "one of the two is a documentation mistake; check which the API answers on",
                );
                self.diagnostics.also(lines.at, "the page's path");
            }
        }
        from_lines.or(from_url)
    }

    /// The path of the first `https://spaces.nexudus.com/api/...` URL, which the code examples use.
    fn example_path(&self) -> Option<Sourced<String>> {
        self.lines.iter().enumerate().find_map(|(index, line)| {
            let start = line.find(HOST)?;
            let rest = &line[start + HOST.len()..];
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | '`' | ')'))
                .unwrap_or(rest.len());
            let url = &rest[..end];
            let path = url.split('?').next().unwrap_or(url).trim_end_matches('/');
            path.starts_with("/api/").then(|| Sourced {
                value: path.to_owned(),
                at: self.at(index, start),
            })
        })
    }

    /// The entity's description: the first paragraph of the introduction that starts "A {entity}"
    /// or "An {entity}". The paragraphs after it become remarks; those before it are about the
    /// operation ("Updates an existing EmailAccount record.") and are left out.
    fn introduction(&mut self, entity: &str) -> Option<Sourced<String>> {
        let mut paragraphs: Vec<(usize, Vec<&str>)> = Vec::new();
        let mut open = false;
        for index in 0..self.lines.len() {
            let trimmed = self.lines[index].trim();
            let ends = match self.form {
                Form::Mdx => trimmed.starts_with("## ") && !self.fenced[index],
                Form::Rendered => RENDERED_INTRO_END.contains(&trimmed),
            };
            if ends {
                break;
            }
            let skipped = self.fenced[index]
                || trimmed.is_empty()
                || trimmed.starts_with(['>', '#', '<'])
                || BOILERPLATE.iter().any(|words| trimmed.starts_with(words));
            if skipped {
                open = false;
                continue;
            }
            // Rendered text puts a paragraph on one line, glued to the lines around it.
            match paragraphs.last_mut() {
                Some((_, lines)) if open && self.form == Form::Mdx => lines.push(trimmed),
                _ => paragraphs.push((index, vec![trimmed])),
            }
            open = true;
        }
        let starts = [format!("A {entity} "), format!("An {entity} ")];
        let first = paragraphs.iter().position(|(_, lines)| {
            starts
                .iter()
                .any(|start| lines.first().is_some_and(|line| line.starts_with(start)))
        })?;
        let mut texts = paragraphs
            .drain(first..)
            .map(|(index, lines)| (self.line_at(index), lines.join(" ")));
        let description = texts.next().map(|(at, value)| Sourced { value, at });
        let rest: Vec<_> = texts.collect();
        for (at, value) in rest {
            self.remark(at, value);
        }
        description
    }

    /// Reports a page without a request body; `expected` says where the body should be.
    fn no_body(&mut self, expected: &str) {
        self.diagnostics.error(
            Location::file_start(self.file),
            "the page documents no request body",
            format!("a create or update page lists its body under {expected}"),
        );
    }

    /// Maps a property's type, takes its enum reference out of its description, checks its
    /// `required` marker against its section and its name against the others, and keeps it.
    fn add_param(&mut self, body: &mut Body, raw: RawParam) {
        let Some((mut ty, assumed)) = doc_type(&raw.type_word) else {
            self.diagnostics.error(
                raw.type_at,
                format!("unknown type `{}` for `{}`", raw.type_word, raw.name),
                format!("expected one of {TYPE_WORDS}"),
            );
            return;
        };
        if assumed {
            let remark = format!(
                "`{}` is typed `array` without its items; read as a list of integers.",
                raw.name
            );
            self.remark(raw.type_at, remark);
        }
        let mut description = raw.description;
        if let Some((rest, name, nullable)) = enum_reference(&description) {
            description = rest;
            ty = match with_enum(ty, &name) {
                Ok(ty) => ty,
                Err(ty) => {
                    let remark = format!(
                        "`{}` is typed `{}` but refers to enum `{name}`; kept as typed.",
                        raw.name, raw.type_word
                    );
                    self.remark(raw.name_at, remark);
                    ty
                }
            };
            if nullable {
                let remark = format!(
                    "`{}` refers to `{name}?`, a nullable enum: it may be null.",
                    raw.name
                );
                self.remark(raw.name_at, remark);
            }
            body.references.push(name);
        }
        if let Some(default) = enum_default(&description) {
            body.defaults.push(default);
        }
        let listed = match raw.section {
            Section::Required if !raw.marker => Some("listed under Required Fields but not marked"),
            Section::Optional if raw.marker => Some("listed under Optional Fields but marked"),
            _ => None,
        };
        if let Some(listed) = listed {
            self.diagnostics.error(
                raw.name_at,
                format!("`{}` is {listed} `required`", raw.name),
                "the page contradicts itself; its `required` marker is kept: check which the API \
                 enforces",
            );
        }
        if let Some(first) = body
            .params
            .iter()
            .find(|param| param.wire_name.eq_ignore_ascii_case(&raw.name))
        {
            let first_at = first.at;
            self.diagnostics.error(
                raw.name_at,
                format!("`{}` is documented twice", raw.name),
                "Nexudus binds names ignoring case, so the body has one such property; \
                 the first is kept",
            );
            self.diagnostics.also(first_at, "documented first here");
            return;
        }
        body.params.push(Param {
            wire_name: raw.name,
            ty,
            required: raw.marker,
            description,
            at: raw.name_at,
        });
    }

    /// Every enum value table of the page, with the title before it when there is one.
    fn enum_tables(&mut self) -> Vec<RawTable> {
        let mut tables = Vec::new();
        let mut title: Option<(Option<String>, Option<String>, Location)> = None;
        let mut index = 0;
        while index < self.lines.len() {
            let line = self.lines[index];
            let trimmed = line.trim();
            if self.fenced[index] || trimmed.is_empty() {
                index += 1;
                continue;
            }
            if let Some((name, property)) = enum_title(trimmed) {
                title = Some((name, property, self.line_at(index)));
                index += 1;
                continue;
            }
            if let Some((values, next)) = self.value_table(index) {
                let (name, property, at) = title
                    .take()
                    .unwrap_or_else(|| (None, None, self.line_at(index)));
                tables.push(RawTable {
                    name,
                    property,
                    values,
                    at,
                });
                index = next;
                continue;
            }
            if !trimmed.starts_with('<') {
                title = None;
            }
            index += 1;
        }
        tables
    }

    /// The value table whose header is line `index`, and the line after it: a Markdown table
    /// `| Value | Name | Description |` (MDX source), or `ValueName` lines (`1Daily`) or one
    /// flattened line `Value Name 1 Daily 2 Weekly` (rendered text). Both are tried whatever the
    /// page's form, since the header alone says which table it is.
    fn value_table(&mut self, index: usize) -> Option<(Vec<EnumMember>, usize)> {
        self.markdown_value_table(index)
            .or_else(|| self.rendered_value_table(index))
    }

    /// Settles each table's name and types the properties the tables' titles name.
    ///
    /// A table titled `eXxx — Prop values` is `eXxx`, and `Prop`, if it is only an `integer`, becomes
    /// that enum. A title naming only the property gets the enum `Prop` refers to, else `eProp`
    /// with a remark. Tables without a title (the rendered form loses them) are named after the
    /// enums the properties refer to (`See eXxx enum above`) that no table is named after, in
    /// order, when there are as many of each and every `Defaults to eXxx.Member` agrees; otherwise
    /// each is a problem.
    fn name_tables(&mut self, tables: Vec<RawTable>, body: Option<&mut Body>) -> Vec<EnumTable> {
        let mut empty = Body::default();
        let body = body.unwrap_or(&mut empty);
        let mut named: Vec<(Option<String>, RawTable)> = Vec::new();
        for table in tables {
            let name = match (&table.name, &table.property) {
                (Some(name), _) => Some(name.clone()),
                (None, Some(property)) => Some(self.derived_name(property, &table, body)),
                (None, None) => None,
            };
            if let (Some(name), Some(property)) = (&name, &table.property) {
                self.type_from_title(name, property, &table, body);
            }
            named.push((name, table));
        }
        self.pair_unnamed(&mut named, body);
        let mut enums: Vec<EnumTable> = Vec::new();
        for (name, table) in named {
            let Some(name) = name else { continue };
            if let Some(first) = enums.iter().find(|other| other.name == name) {
                if first.values != table.values {
                    let first_at = first.at;
                    self.diagnostics.error(
                        table.at,
                        format!("enum `{name}` is listed twice, with different values"),
                        "keep the list the API answers with",
                    );
                    self.diagnostics.also(first_at, "listed first here");
                }
                continue;
            }
            // The page settled the name (its title, the enum a property refers to, or
            // `e{Property}` with its own remark) and typed the property with it, so the merge
            // takes it as given: no `property` for it to rename.
            enums.push(EnumTable {
                name,
                property: None,
                values: table.values,
                at: table.at,
            });
        }
        enums
    }

    /// The name of a table whose title names only its property: the enum the property refers to,
    /// else `e{Property}`, which a remark points out.
    fn derived_name(&mut self, property: &str, table: &RawTable, body: &Body) -> String {
        let referred = body
            .params
            .iter()
            .find(|param| param.wire_name == property)
            .and_then(|param| enum_of(&param.ty));
        if let Some(name) = referred {
            return name.to_owned();
        }
        let name = format!("e{property}");
        let remark = format!(
            "The values of `{property}` are listed without the enum's name; named `{name}` here."
        );
        self.remark(table.at, remark);
        name
    }

    /// Makes the property a table's title names that enum, or reports that it refers to another.
    fn type_from_title(&mut self, name: &str, property: &str, table: &RawTable, body: &mut Body) {
        let Some(param) = body
            .params
            .iter_mut()
            .find(|param| param.wire_name == property)
        else {
            return;
        };
        if let Some(other) = enum_of(&param.ty).filter(|other| *other != name) {
            let message = format!(
                "`{property}` refers to enum `{other}`, but the table of its values is `{name}`"
            );
            let param_at = param.at;
            self.diagnostics.error(
                table.at,
                message,
                "one of the two names is a documentation mistake; use the API's",
            );
            self.diagnostics.also(param_at, "the property");
            return;
        }
        let ty = std::mem::replace(&mut param.ty, DocType::Integer);
        param.ty = with_enum(ty, name).unwrap_or_else(|ty| ty);
    }

    /// Names the tables without a title after the enums referred to but not listed, in order.
    fn pair_unnamed(&mut self, tables: &mut [(Option<String>, RawTable)], body: &Body) {
        let unnamed: Vec<usize> = (0..tables.len())
            .filter(|&index| tables[index].0.is_none())
            .collect();
        if unnamed.is_empty() {
            return;
        }
        let listed: BTreeSet<&str> = tables
            .iter()
            .filter_map(|(name, _)| name.as_deref())
            .collect();
        let mut wanted: Vec<String> = Vec::new();
        for name in &body.references {
            if !listed.contains(name.as_str()) && !wanted.contains(name) {
                wanted.push(name.clone());
            }
        }
        let agrees = wanted.len() == unnamed.len()
            && body.defaults.iter().all(|(name, member)| {
                wanted.iter().zip(&unnamed).all(|(wanted, &index)| {
                    wanted != name || tables[index].1.values.iter().any(|m| m.name == *member)
                })
            });
        if !agrees {
            for &index in &unnamed {
                self.diagnostics.error(
                    tables[index].1.at,
                    "an enum value table without the enum's name",
                    "title it as the documentation does, e.g. `eBookingRepeatCycle — Repeats \
                     values`, on the line before its header",
                );
            }
            return;
        }
        let at = tables[unnamed[0]].1.at;
        self.remark(
            at,
            format!(
                "The page's enum tables carry no names; named {} in the order the properties \
                 refer to them.",
                wanted
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        for (name, index) in wanted.into_iter().zip(unnamed) {
            tables[index].0 = Some(name);
        }
    }
}

/// Maps a page's type word; `true` beside it when the mapping is an assumption (`array`).
fn doc_type(word: &str) -> Option<(DocType, bool)> {
    if word == "array" {
        return Some((DocType::List(Box::new(DocType::Integer)), true));
    }
    if word == "object[]" {
        return Some((DocType::Children, false));
    }
    let scalar = |word: &str| match word {
        "integer" => Some(DocType::Integer),
        "number" => Some(DocType::Decimal),
        "string" => Some(DocType::String),
        "boolean" => Some(DocType::Bool),
        _ => None,
    };
    let ty = match word.strip_suffix("[]") {
        Some(item) => DocType::List(Box::new(scalar(item)?)),
        None => scalar(word)?,
    };
    Some((ty, false))
}

/// The enum type `ty` becomes when its description names enum `name`; `ty` itself when it is
/// not a number, which a name cannot turn into an enum.
fn with_enum(ty: DocType, name: &str) -> Result<DocType, DocType> {
    match ty {
        DocType::Integer | DocType::Enum(None) => Ok(DocType::Enum(Some(name.to_owned()))),
        DocType::List(item) if matches!(*item, DocType::Integer | DocType::Enum(None)) => Ok(
            DocType::List(Box::new(DocType::Enum(Some(name.to_owned())))),
        ),
        other => Err(other),
    }
}

/// The enum a type names, directly or as a list's items.
fn enum_of(ty: &DocType) -> Option<&str> {
    match ty {
        DocType::Enum(name) => name.as_deref(),
        DocType::List(item) => enum_of(item),
        _ => None,
    }
}

/// Takes `See eXxx enum above.` out of a description: the rest, the enum's name, and whether it
/// is written nullable (`eXxx?`).
fn enum_reference(description: &str) -> Option<(String, String, bool)> {
    description.match_indices("See ").find_map(|(start, _)| {
        let rest = &description[start + "See ".len()..];
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '?'))
            .unwrap_or(rest.len());
        let token = &rest[..length];
        let after = rest[length..].strip_prefix(" enum")?;
        let after = after.strip_prefix(" above").unwrap_or(after);
        let after = after.strip_prefix('.').unwrap_or(after);
        let (name, nullable) = token
            .strip_suffix('?')
            .map_or((token, false), |name| (name, true));
        if !is_enum_name(name) {
            return None;
        }
        let kept = join_words(&[description[..start].trim(), after.trim()]);
        Some((kept, name.to_owned(), nullable))
    })
}

/// The `(enum, member)` of `Defaults to eXxx.Member` in a description.
fn enum_default(description: &str) -> Option<(String, String)> {
    let start = description.find("Defaults to ")?;
    let rest = &description[start + "Defaults to ".len()..];
    let length = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    let (name, member) = rest[..length].trim_end_matches('.').split_once('.')?;
    (is_enum_name(name) && is_identifier(member)).then(|| (name.to_owned(), member.to_owned()))
}

/// The enum name and property of an enum table's title, if `line` is one: `eXxx — Prop values`,
/// `Prop values` or a bare `eXxx`, possibly as a heading, in bold or as an `<Accordion title="...">`.
fn enum_title(line: &str) -> Option<(Option<String>, Option<String>)> {
    let line = line.trim_start_matches('#').trim();
    let line = ["<Accordion title=", "<Tab title="]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .map_or(line, |inner| inner.trim_end_matches(['>', '/', ' ']));
    let line = line.trim_matches(['"', '\'', '*', '`', ':', ' ']);
    let Some(title) = line.strip_suffix(" values") else {
        return is_enum_name(line).then(|| (Some(line.to_owned()), None));
    };
    let (name, property) = match title.split_once(' ') {
        Some((name, rest)) => (Some(name), rest.trim_start_matches(['—', '–', '-', ' '])),
        None => (None, title),
    };
    if !is_identifier(property) || name.is_some_and(|name| !is_enum_name(name)) {
        return None;
    }
    Some((name.map(str::to_owned), Some(property.to_owned())))
}

/// `Create EmailAccount` or `Update EmailAccount`: the operation and the entity.
fn title_words(title: &str) -> Option<(Operation, &str)> {
    let (verb, entity) = title.split_once(' ')?;
    let operation = match verb {
        "Create" => Operation::Create,
        "Update" => Operation::Update,
        _ => return None,
    };
    (is_identifier(entity) && entity.starts_with(|c: char| c.is_ascii_uppercase()))
        .then_some((operation, entity))
}

/// The role a page asks for (`have the **`EmailAccount-Edit`** role`): the entity, the role's
/// suffix, and the byte the role starts at.
fn role(line: &str) -> Option<(&str, &str, usize)> {
    let start = line.find("have the ")? + "have the ".len();
    let rest = &line[start..];
    let words = &rest[..rest.find(" role")?];
    let role = words.trim_matches(['*', '`', ' ']);
    let offset = words.find(role)?;
    let (entity, suffix) = role.rsplit_once('-')?;
    is_identifier(entity).then_some((entity, suffix, start + offset))
}

/// `a create (`POST`)` or `an update (`PUT`)`, for messages.
fn describe(operation: Operation) -> &'static str {
    match operation {
        Operation::Create => "a create (`POST`)",
        _ => "an update (`PUT`)",
    }
}

/// Whether `line` is the request body's heading, in either form.
fn is_body_heading(line: &str) -> bool {
    line.trim().trim_start_matches('#').trim() == "Request Body"
}

/// Whether `name` is a property or member name: letters, digits and `_`, not starting with a digit.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `name` is a Nexudus enum name: `e` and an upper-case letter (`eEmailServerType`).
fn is_enum_name(name: &str) -> bool {
    is_identifier(name)
        && name.starts_with('e')
        && name[1..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// The byte length of a line's leading whitespace.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Joins the non-empty parts with single spaces, collapsing runs of whitespace.
fn join_words(parts: &[&str]) -> String {
    parts
        .iter()
        .flat_map(|part| part.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
