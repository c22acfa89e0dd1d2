//! Reads one page of the vendor's generated entity reference (`entities/*.md`) into [`EntityFacts`].
//!
//! A page is machine-written markdown: a `# {Entities}` title, then between
//! `<!-- BEGIN:GENERATED ... -->` and `<!-- END:GENERATED ... -->` some prose, the sentence
//! `{Entities} support Search, Get, ...`, a table of CLI commands, and `#### {Entity} ...` sections
//! whose tables list the list filters, the create and update options (`| `--kebab-name` | type |
//! description |`) and, on some pages, the values of enum options. Only the generated block is
//! read. Every fact keeps its line and column so that a conflict can point at it.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, FileId, Location};
use crate::import::source::{
    DocType, EntityFacts, EnumMember, EnumTable, Operation, Param, SourceKind, Sourced,
};

/// The types the reference writes in its option tables, for the help of an unknown-type problem.
const KNOWN_TYPES: &str = "long, int, decimal, bool, string, DateTime, enum, `list, repeat flag` \
    and `JSON array or @filepath`, each optionally followed by `, required`";

/// Lower-case phrases of intro prose that say the entity is read-only or written by the system.
/// They are checked against the operations sentence, since a few pages claim both.
const READ_ONLY_PHRASES: &[&str] = &[
    "read-only entity",
    "read-only snapshot",
    "read-only reference record",
    "is read-only",
    "are read-only",
    "cannot be created",
    "cannot be modified",
    "cannot be updated",
    "cannot be deleted",
    "not created or modified",
    "system-managed",
];

/// Lower-case phrases of intro prose that say the entity is not meant for clients.
const INTERNAL_PHRASES: &[&str] = &[
    "internal entity",
    "internal record",
    "not intended for direct use",
    "deprecated",
];

/// Reads the reference page `text` (registered as `file`) about one entity; `source` is how the
/// schema will name the page, e.g. `nexudus-reference/entities/emailaccounts.md`.
///
/// Problems (an unknown type, a malformed row, an unclosed generated block) are recorded in
/// `diagnostics` and the offending row is skipped; the rest of the page is still read. Returns
/// `None` only when the page names no entity at all.
#[allow(
    dead_code,
    reason = "the import command that calls the readers is being written alongside"
)]
pub(crate) fn read_reference(
    file: FileId,
    source: &str,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<EntityFacts> {
    let lines: Vec<&str> = text.lines().collect();
    let mut page = Page {
        file,
        diagnostics,
        facts: EntityFacts {
            source: source.to_owned(),
            kind: SourceKind::Reference,
            ..EntityFacts::default()
        },
        entity: None,
        section: Section::Intro,
        table: Table::default(),
        prose: Vec::new(),
        enum_options: BTreeMap::new(),
        spelled: BTreeMap::new(),
    };
    let block = page.generated_block(&lines);
    let mut in_code = false;
    for (index, line) in lines.iter().enumerate().take(block.end).skip(block.start) {
        let number = index + 1;
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if trimmed.starts_with('#') {
            page.heading(number, line);
        } else if trimmed.starts_with('|') {
            page.table_row(number, line);
        } else if !trimmed.is_empty() {
            page.prose_line(number, line);
        }
    }
    page.finish(&lines)
}

/// Rebuilds a wire name from a reference option name: `--incoming-server-s-s-l` is
/// `IncomingServerSSL`.
///
/// The vendor's CLI makes option names by putting a hyphen before every capital letter of the
/// wire name and lower-casing the result, so each segment is one capital letter followed by
/// lower-case letters and digits. Capitalising the first character of every segment and joining
/// them undoes that: single-letter segments are the letters of an acronym (`--u-r-l` is `URL`,
/// `--a-p-i-access` is `APIAccess`), or a lone letter (`--position-z` is `PositionZ`); digits
/// belong to the segment they follow (`--office365-access-token` is `Office365AccessToken`,
/// `--salto-v2-access-token` is `SaltoV2AccessToken`); and a capital right after a digit still
/// starts a segment (`--images2-d` is `Images2D`, not `Images2d`). The vendor's spelling is kept,
/// typos included. The leading `--` is optional.
///
/// A few options lost their acronym upstream (`DomainURL` is `--domain-url`, not
/// `--domain-u-r-l`); no rule can see that, so [`read_reference`] lets the page's own spelling of
/// a property (its key fields) settle the case.
pub(crate) fn wire_name(kebab: &str) -> String {
    let kebab = kebab.strip_prefix("--").unwrap_or(kebab);
    kebab
        .split('-')
        .flat_map(|segment| {
            let mut chars = segment.chars();
            let first = chars.next().map(|first| first.to_ascii_uppercase());
            first.into_iter().chain(chars)
        })
        .collect()
}

/// One cell of a markdown table row: its text, trimmed and with `\|` unescaped, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) text: String,
    /// The 1-based column (in characters) of the text's first character; for an empty cell, the
    /// column just after its opening `|`.
    pub(crate) column: usize,
}

/// Splits a markdown table row into its cells, or `None` when `line` is not a row (does not start
/// with `|`). As in GitHub's markdown, an unescaped `|` always separates cells, even inside a code
/// span, and `\|` is a literal `|`.
pub(crate) fn table_cells(line: &str) -> Option<Vec<Cell>> {
    let indent = line.len() - line.trim_start().len();
    let rest = line[indent..].strip_prefix('|')?;
    // The column of `rest`'s first character: the indent, the opening pipe, then 1-based.
    let first_column = line[..indent].chars().count() + 2;
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut piece_column = first_column;
    let mut escaped = false;
    for (column, (offset, c)) in (first_column..).zip(rest.char_indices()) {
        if c == '|' && !escaped {
            pieces.push((&rest[piece_start..offset], piece_column));
            piece_start = offset + 1;
            piece_column = column + 1;
        }
        escaped = c == '\\' && !escaped;
    }
    let last = &rest[piece_start..];
    if !last.trim().is_empty() {
        // A row without a closing pipe still ends with a cell.
        pieces.push((last, piece_column));
    }
    Some(
        pieces
            .into_iter()
            .map(|(raw, column)| {
                let text = raw.trim();
                let leading = if text.is_empty() {
                    0
                } else {
                    raw[..raw.len() - raw.trim_start().len()].chars().count()
                };
                Cell {
                    text: text.replace("\\|", "|"),
                    column: column + leading,
                }
            })
            .collect(),
    )
}

/// Whether `cells` are a header's separator row (`| --- | :---: |`).
pub(crate) fn is_separator(cells: &[Cell]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|cell| {
            cell.text.contains('-') && cell.text.chars().all(|c| matches!(c, '-' | ':'))
        })
}

/// The 1-based column of `inner` in `line`; `inner` must be a slice of `line`.
pub(crate) fn column_of(line: &str, inner: &str) -> usize {
    line.get(..byte_offset(line, inner))
        .map_or(1, |before| before.chars().count() + 1)
}

/// The byte offset of `inner` in `line`; `inner` must be a slice of `line`.
fn byte_offset(line: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize)
        .saturating_sub(line.as_ptr() as usize)
        .min(line.len())
}

/// The part of the page being read: the heading most recently seen decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    /// Before the first heading: the prose, the operations sentence and the commands table.
    Intro,
    /// `#### {Entity} create options`.
    Create,
    /// `#### {Entity} update options`.
    Update,
    /// `#### {Entity} enum values`.
    EnumValues,
    /// `### {Entity} (key fields)`: property names as the API spells them.
    KeyFields,
    /// `#### {Entity} list filter options`: the properties a search filters on, which include
    /// read-only ones that no create or update option shows.
    Filters,
    /// Anything else (PII fields, sorting, inline children): not read.
    Other,
}

/// How far the table of the current section has been read.
#[derive(Default)]
struct Table {
    header_seen: bool,
    separator_seen: bool,
    /// Set when the header is not the expected one: the rows cannot be trusted.
    skip: bool,
}

/// The lines of the page to read: the generated block when its markers exist.
struct Block {
    start: usize,
    end: usize,
}

/// A sentence of intro prose that says the entity is read-only or internal.
struct ProseRemark {
    sentence: String,
    at: Location,
    /// Whether it says the entity cannot be written, which the operations sentence may contradict.
    denies_writes: bool,
}

/// The reading state of one page.
struct Page<'a> {
    file: FileId,
    diagnostics: &'a mut Diagnostics,
    facts: EntityFacts,
    /// The singular name from the first `#### {Entity} ...` heading, and where it is.
    entity: Option<Sourced<String>>,
    section: Section,
    table: Table,
    prose: Vec<ProseRemark>,
    /// The options with an enum value table, by property: the option and the table's row.
    enum_options: BTreeMap<String, (String, Location)>,
    /// Property names the page spells out (key fields, list properties), by lower-case name.
    spelled: BTreeMap<String, String>,
}

impl Page<'_> {
    /// A location in this page.
    fn at(&self, line: usize, column: usize) -> Location {
        Location {
            file: self.file,
            line,
            column,
        }
    }

    /// Finds the generated block; notes hand-written text after it, and reports broken markers.
    fn generated_block(&mut self, lines: &[&str]) -> Block {
        let is_marker = |line: &&str, kind: &str| {
            line.trim_start()
                .strip_prefix("<!--")
                .is_some_and(|rest| rest.trim_start().starts_with(kind))
        };
        let begin = lines
            .iter()
            .position(|line| is_marker(line, "BEGIN:GENERATED"));
        let after_begin = begin.map_or(0, |begin| begin + 1);
        let end = lines
            .iter()
            .skip(after_begin)
            .position(|line| is_marker(line, "END:GENERATED"))
            .map(|position| position + after_begin);
        match (begin, end) {
            (None, None) => Block {
                start: 0,
                end: lines.len(),
            },
            (Some(begin), None) => {
                let at = self.at(begin + 1, column_of_text(lines[begin]));
                self.diagnostics.error(
                    at,
                    "the generated block is not closed",
                    "add the `<!-- END:GENERATED ... -->` marker after the generated text, or \
                     check that the file is complete",
                );
                Block {
                    start: begin + 1,
                    end: lines.len(),
                }
            }
            (None, Some(end)) => {
                let at = self.at(end + 1, column_of_text(lines[end]));
                self.diagnostics.error(
                    at,
                    "the generated block ends here but never begins",
                    "add the `<!-- BEGIN:GENERATED ... -->` marker before the generated text",
                );
                Block { start: 0, end }
            }
            (Some(begin), Some(end)) => {
                let hand_written = lines
                    .iter()
                    .enumerate()
                    .skip(end + 1)
                    .find(|(_, line)| !line.trim().is_empty());
                if let Some((index, line)) = hand_written {
                    let at = self.at(index + 1, column_of_text(line));
                    self.facts.remarks.push(Sourced {
                        value: "hand-written text follows the generated block; it is not read"
                            .to_owned(),
                        at,
                    });
                }
                Block {
                    start: begin + 1,
                    end,
                }
            }
        }
    }

    /// A heading starts a section; `#### {Entity} {kind}` headings also name the entity.
    fn heading(&mut self, number: usize, line: &str) {
        self.section = Section::Other;
        self.table = Table::default();
        if line.trim_start().starts_with("### ") && line.trim_end().ends_with(" (key fields)") {
            self.section = Section::KeyFields;
            return;
        }
        let Some(title) = line.trim_start().strip_prefix("#### ") else {
            return;
        };
        let title = title.trim();
        let Some((name, kind)) = title.split_once(' ') else {
            return;
        };
        let section = match kind.trim() {
            "create options" => Section::Create,
            "update options" => Section::Update,
            "enum values" => Section::EnumValues,
            "list filter options" => Section::Filters,
            _ => return,
        };
        self.section = section;
        match section {
            Section::Create => {
                self.facts.create.get_or_insert_with(Vec::new);
            }
            Section::Update => {
                self.facts.update.get_or_insert_with(Vec::new);
            }
            _ => {}
        }
        let at = self.at(number, column_of(line, name));
        match &self.entity {
            None => {
                self.entity = Some(Sourced {
                    value: name.to_owned(),
                    at,
                });
            }
            Some(first) if first.value != name => {
                let first_at = first.at;
                let first_name = first.value.clone();
                self.diagnostics
                    .error(
                        at,
                        format!("this section is about `{name}`, not `{first_name}`"),
                        "a reference page describes one entity; check the page's headings",
                    )
                    .also(first_at, format!("`{first_name}` is named here first"));
            }
            Some(_) => {}
        }
    }

    /// A table row: the commands table gives operations; option and enum tables give facts.
    fn table_row(&mut self, number: usize, line: &str) {
        match self.section {
            Section::Create | Section::Update | Section::EnumValues | Section::Filters => {
                self.section_row(number, line);
            }
            // The commands table usually follows the intro, but `businesssettings` puts a
            // hand-written settings reference with its own headings before it.
            Section::Intro | Section::KeyFields | Section::Other => {
                self.command_row(number, line);
            }
        }
    }

    /// A row of the commands table (`` `nexudus {entities} ...` ``): get many, and entity
    /// commands, are only shown there.
    fn command_row(&mut self, number: usize, line: &str) {
        let is_command = table_cells(line)
            .and_then(|cells| cells.into_iter().next())
            .is_some_and(|cell| cell.text.starts_with("`nexudus "));
        if !is_command {
            return;
        }
        if let Some(offset) = line.find("--id <id1> --id <id2>") {
            let at = self.at(number, column_of(line, &line[offset..]));
            self.operation(Operation::GetMany, at);
        }
        if let Some(offset) = line.find(" run-command ") {
            let at = self.at(number, column_of(line, &line[offset + 1..]));
            self.operation(Operation::Commands, at);
        }
    }

    /// Records an operation once, where the page first shows it.
    fn operation(&mut self, operation: Operation, at: Location) {
        if !self
            .facts
            .operations
            .iter()
            .any(|known| known.value == operation)
        {
            self.facts.operations.push(Sourced {
                value: operation,
                at,
            });
        }
    }

    /// A row of a create, update or enum values table, after its header and separator.
    fn section_row(&mut self, number: usize, line: &str) {
        let Some(cells) = table_cells(line) else {
            return;
        };
        let row_at = self.at(number, column_of_text(line));
        let expected: &[&str] = if self.section == Section::EnumValues {
            &["Option", "Valid values"]
        } else {
            &["Option", "Type", "Description"]
        };
        if !self.table.header_seen {
            self.table.header_seen = true;
            let names: Vec<&str> = cells.iter().map(|cell| cell.text.as_str()).collect();
            if names != expected {
                self.table.skip = true;
                self.diagnostics.error(
                    row_at,
                    format!("unexpected table header `{}`", names.join(" | ")),
                    format!(
                        "the reader expects `| {} |`; the rows of this table are not read",
                        expected.join(" | ")
                    ),
                );
            }
            return;
        }
        if !self.table.separator_seen {
            self.table.separator_seen = true;
            if is_separator(&cells) {
                return;
            }
            self.diagnostics.error(
                row_at,
                "the table header is not followed by a separator row",
                "add `| --- | --- |` with one `---` per column under the header",
            );
        }
        if self.table.skip {
            return;
        }
        if cells.len() < expected.len() {
            self.diagnostics.error(
                row_at,
                format!(
                    "this row has {} cell{}, not {}",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    expected.len()
                ),
                if self.section == Section::EnumValues {
                    "write `| `--option` | `1` Name, `2` Other |`"
                } else {
                    "write `| `--option-name` | type | description |`; the row is skipped"
                },
            );
            return;
        }
        // Surplus cells are an unescaped `|` inside the last, free-text column (a few
        // descriptions write `resource ID|duration`): rejoin them rather than lose the row.
        let last = cells[expected.len() - 1..]
            .iter()
            .map(|cell| cell.text.as_str())
            .collect::<Vec<_>>()
            .join("|");
        let Some(kebab) = self.option_name(number, &cells[0]) else {
            return;
        };
        if self.section == Section::Filters {
            self.filter_row(number, &cells[0], kebab, &cells[1], last);
        } else if self.section == Section::EnumValues {
            let values = Cell {
                text: last,
                column: cells[1].column,
            };
            self.enum_row(number, &cells[0], kebab, &values);
        } else {
            self.option_row(number, &cells[0], kebab, &cells[1], last);
        }
    }

    /// The kebab-case name of an option cell, `` `--display-name` `` -> `display-name`.
    fn option_name<'c>(&mut self, number: usize, cell: &'c Cell) -> Option<&'c str> {
        let name = cell
            .text
            .strip_prefix('`')
            .and_then(|text| text.strip_suffix('`'))
            .and_then(|text| text.strip_prefix("--"));
        let valid = name.is_some_and(|name| {
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.split('-').all(|segment| {
                    !segment.is_empty()
                        && segment
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
        });
        if !valid {
            let at = self.at(number, cell.column);
            self.diagnostics.error(
                at,
                format!("`{}` is not an option name", cell.text),
                "an option cell is a kebab-case code span such as `--display-name`; the row is \
                 skipped",
            );
            return None;
        }
        name
    }

    /// A list filter: a property of the record, unless it is a range bound (typed `range`). Its
    /// type is read as an option's; a row with any other type the options never use is skipped,
    /// since the filter tables only add read-only properties (base ones are left to the merge).
    fn filter_row(
        &mut self,
        number: usize,
        option: &Cell,
        kebab: &str,
        ty: &Cell,
        description: String,
    ) {
        self.backticked_names(number, &description);
        let Some((doc_type, _)) = option_type(&ty.text) else {
            return;
        };
        let wire_name = wire_name(kebab);
        if self
            .facts
            .record
            .iter()
            .any(|param| param.wire_name == wire_name)
        {
            return;
        }
        let at = self.at(number, option.column);
        self.facts.record.push(Param {
            wire_name,
            ty: doc_type,
            required: false,
            description,
            at,
        });
    }

    /// A create or update option: its wire name, type, required mark and description.
    fn option_row(
        &mut self,
        number: usize,
        option: &Cell,
        kebab: &str,
        ty: &Cell,
        description: String,
    ) {
        let Some((doc_type, required)) = option_type(&ty.text) else {
            let at = self.at(number, ty.column);
            self.diagnostics.error(
                at,
                format!("unknown type `{}` for `--{kebab}`", ty.text),
                format!("the reference's types are {KNOWN_TYPES}; the row is skipped"),
            );
            return;
        };
        self.backticked_names(number, &description);
        let at = self.at(number, option.column);
        let wire_name = wire_name(kebab);
        let params = match self.section {
            Section::Create => self.facts.create.get_or_insert_with(Vec::new),
            _ => self.facts.update.get_or_insert_with(Vec::new),
        };
        if let Some(first) = params.iter().find(|param| param.wire_name == wire_name) {
            let first_at = first.at;
            self.diagnostics
                .error(
                    at,
                    format!("`--{kebab}` is listed twice in this table"),
                    "remove one of the rows; the second is skipped",
                )
                .also(first_at, "first listed here");
            return;
        }
        params.push(Param {
            wire_name,
            ty: doc_type,
            required,
            description,
            at,
        });
    }

    /// A row of an enum values table. The reference ties it to an option, never to a Nexudus
    /// enum name, so the name is derived as `e{Property}` and the table keeps the property: the
    /// merge settles the name against the other sources and notes how it did.
    fn enum_row(&mut self, number: usize, option: &Cell, kebab: &str, values: &Cell) {
        let values = match enum_values(&values.text) {
            Ok(members) => members,
            Err(problem) => {
                let at = self.at(number, values.column);
                self.diagnostics.error(
                    at,
                    format!("cannot read the values of `--{kebab}`: {problem}"),
                    "write the values as `` `1` Name, `2` Other ``; the row is skipped",
                );
                return;
            }
        };
        let at = self.at(number, option.column);
        let property = wire_name(kebab);
        let name = format!("e{property}");
        if let Some((_, first_at)) = self.enum_options.get(&property) {
            let first_at = *first_at;
            self.diagnostics
                .error(
                    at,
                    format!("the values of `--{kebab}` are listed twice"),
                    "remove one of the rows; the second is skipped",
                )
                .also(first_at, "first listed here");
            return;
        }
        self.enum_options
            .insert(property.clone(), (format!("--{kebab}"), at));
        self.facts.enums.push(EnumTable {
            name,
            property: Some(property),
            values,
            at,
        });
    }

    /// A line of prose: the operations sentence anywhere; the description and remarks in the intro.
    fn prose_line(&mut self, number: usize, line: &str) {
        if self.section == Section::KeyFields || line.starts_with("**List properties") {
            self.spelled_names(number, line);
            return;
        }
        if self.operations_sentence(number, line) {
            return;
        }
        if let Some(offset) = line.find("also support entity commands") {
            let at = self.at(number, column_of(line, &line[offset..]));
            self.operation(Operation::Commands, at);
        }
        self.backticked_names(number, line);
        if self.section != Section::Intro {
            return;
        }
        for sentence in sentences(line) {
            let lower = sentence.to_lowercase();
            let denies_writes = READ_ONLY_PHRASES
                .iter()
                .any(|phrase| lower.contains(phrase));
            if denies_writes || INTERNAL_PHRASES.iter().any(|phrase| lower.contains(phrase)) {
                let at = self.at(number, column_of(line, sentence));
                // A bare `Deprecated.` says little without what follows it on the line.
                let sentence = if sentence.split_whitespace().count() < 3 {
                    line[byte_offset(line, sentence)..].trim_end()
                } else {
                    sentence
                };
                self.prose.push(ProseRemark {
                    sentence: sentence.replace("**", ""),
                    at,
                    denies_writes,
                });
            }
        }
        if self.facts.description.is_none() {
            self.description(number, line);
        }
    }

    /// Collects the backticked property names of a key fields or list properties line. The API
    /// spells these as they are, while an option name can lose an acronym (`DomainURL` is
    /// `--domain-url`, not `--domain-u-r-l`), so they settle the case of a rebuilt wire name.
    fn spelled_names(&mut self, number: usize, line: &str) {
        for word in property_names(line) {
            self.spelled
                .insert(word.to_ascii_lowercase(), word.to_owned());
        }
        self.backticked_names(number, line);
    }

    /// Records the property names a line of prose or a description spells in backticks
    /// (`IsPrintingCredit`): the prose quotes the API, so these are wire names, while the
    /// options beside them are the CLI's. Which property each names is left to the merge.
    fn backticked_names(&mut self, number: usize, line: &str) {
        for word in property_names(line) {
            if self.facts.spelled.iter().any(|known| known.value == word) {
                continue;
            }
            let at = self.at(number, column_of(line, word));
            self.facts.spelled.push(Sourced {
                value: word.to_owned(),
                at,
            });
        }
    }

    /// `{Entities} support Search, Get, Create, Update, Delete.`, possibly with a parenthesis
    /// (`Search, Get (no Create or Delete via API).`); true when `line` is that sentence.
    fn operations_sentence(&mut self, number: usize, line: &str) -> bool {
        let trimmed = line.trim();
        let Some((subject, list)) = trimmed.split_once(" support ") else {
            return false;
        };
        let starts_with_operation = list
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .and_then(operation_word)
            .is_some();
        if subject.contains(' ') || !starts_with_operation || self.has_sentence() {
            return false;
        }
        let list = list.split(['(', '.']).next().unwrap_or_default();
        for word in list.split(',') {
            let word = word.trim();
            let word = word.strip_prefix("and ").unwrap_or(word).trim();
            let at = self.at(number, column_of(line, word));
            match operation_word(word) {
                Some(operation) => self.operation(operation, at),
                None => {
                    self.diagnostics.error(
                        at,
                        format!("unknown operation `{word}`"),
                        "the operations sentence lists Search (or List), Get, Create, Update \
                         and Delete",
                    );
                }
            }
        }
        true
    }

    /// Whether the operations sentence has been read: it gives Search or Get, the rest do not.
    fn has_sentence(&self) -> bool {
        self.facts
            .operations
            .iter()
            .any(|operation| !matches!(operation.value, Operation::GetMany | Operation::Commands))
    }

    /// The first sentence of an intro paragraph that opens `A **{Entity}** ...`.
    fn description(&mut self, number: usize, line: &str) {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed
            .strip_prefix("A **")
            .or_else(|| trimmed.strip_prefix("An **"))
        else {
            return;
        };
        let is_entity = rest.split_once("**").is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if !is_entity {
            return;
        }
        if let Some(first) = sentences(line).first() {
            let at = self.at(number, column_of(line, first));
            self.facts.description = Some(Sourced {
                value: first.replace("**", ""),
                at,
            });
        }
    }

    /// Settles what needs the whole page: the entity, prose remarks against the operations, and
    /// enum tables against the options they describe.
    fn finish(mut self, lines: &[&str]) -> Option<EntityFacts> {
        match self.entity.take() {
            Some(entity) => self.facts.entity = entity.value,
            None => {
                let title = lines.iter().enumerate().find_map(|(index, line)| {
                    line.strip_prefix("# ")
                        .map(|title| (index + 1, column_of(line, title.trim()), title.trim()))
                });
                match title {
                    Some((line, column, title)) if !title.is_empty() && !title.contains(' ') => {
                        self.facts.entity = singular(title);
                        let at = self.at(line, column);
                        self.facts.remarks.push(Sourced {
                            value: format!(
                                "the entity name `{}` is derived from the title `{title}`: the \
                                 page has no `#### {{Entity}} ... options` heading",
                                self.facts.entity
                            ),
                            at,
                        });
                    }
                    _ => {
                        let at = Location::file_start(self.file);
                        self.diagnostics.error(
                            at,
                            "the page names no entity",
                            "a reference page has a `# {Entities}` title and \
                             `#### {Entity} create options` style headings",
                        );
                        return None;
                    }
                }
            }
        }
        let writes: Vec<&str> = self
            .facts
            .operations
            .iter()
            .filter_map(|operation| match operation.value {
                Operation::Create => Some("Create"),
                Operation::Update => Some("Update"),
                Operation::Delete => Some("Delete"),
                _ => None,
            })
            .collect();
        for remark in std::mem::take(&mut self.prose) {
            let value = if remark.denies_writes && !writes.is_empty() {
                format!(
                    "the reference's prose says \"{}\", yet its operations sentence lists {}",
                    remark.sentence,
                    writes.join(", ")
                )
            } else {
                format!("the reference's prose says \"{}\"", remark.sentence)
            };
            self.facts.remarks.push(Sourced {
                value,
                at: remark.at,
            });
        }
        self.respell();
        for (property, (option, at)) in &self.enum_options {
            let is_enum_option = self
                .facts
                .create
                .iter()
                .chain(&self.facts.update)
                .flatten()
                .any(|param| &param.wire_name == property && matches!(param.ty, DocType::Enum(_)));
            if !is_enum_option {
                self.facts.remarks.push(Sourced {
                    value: format!(
                        "the enum values of `{option}` belong to no enum option of create or update"
                    ),
                    at: *at,
                });
            }
        }
        self.facts
            .operations
            .sort_by_key(|operation| operation.value);
        self.facts.remarks.sort_by_key(|remark| remark.at);
        Some(self.facts)
    }

    /// Gives rebuilt wire names the case the page spells them in (`DomainUrl` -> `DomainURL`),
    /// with a remark for each, and renames the enum tables named after them.
    fn respell(&mut self) {
        let mut respelled: BTreeMap<String, String> = BTreeMap::new();
        let params = self
            .facts
            .create
            .iter_mut()
            .chain(self.facts.update.iter_mut())
            .flatten();
        for param in params {
            let Some(spelled) = self.spelled.get(&param.wire_name.to_ascii_lowercase()) else {
                continue;
            };
            if *spelled == param.wire_name {
                continue;
            }
            if !respelled.contains_key(&param.wire_name) {
                self.facts.remarks.push(Sourced {
                    value: format!(
                        "the option rebuilds as `{}`, but the page spells the property `{spelled}`; \
                         the page's spelling is used",
                        param.wire_name
                    ),
                    at: param.at,
                });
            }
            respelled.insert(param.wire_name.clone(), spelled.clone());
            param.wire_name.clone_from(spelled);
        }
        for (rebuilt, spelled) in &respelled {
            if let Some(option) = self.enum_options.remove(rebuilt) {
                self.enum_options.insert(spelled.clone(), option);
            }
            for table in &mut self.facts.enums {
                if table.property.as_ref() == Some(rebuilt) {
                    table.name = format!("e{spelled}");
                    table.property = Some(spelled.clone());
                }
            }
        }
    }
}

/// The backticked words of `line` that look like property names: PascalCase letters and digits
/// (`IsPrintingCredit`), not options, values or sentences.
fn property_names(line: &str) -> impl Iterator<Item = &str> {
    line.split('`').skip(1).step_by(2).filter(|word| {
        word.len() > 1
            && word.starts_with(|c: char| c.is_ascii_uppercase())
            && word.chars().all(|c| c.is_ascii_alphanumeric())
            && word.chars().any(|c| c.is_ascii_lowercase())
    })
}

/// The type of an option cell (`long, required`): the documented type and the required mark.
///
/// `list, repeat flag` is always a list of ids: every such option in the reference is the
/// many-to-many collection of a related entity (`Tariffs`, `AddedTariffs`, `RemovedTariffs`), and
/// each description that says what it holds says ids. None is named `...-ids`.
fn option_type(text: &str) -> Option<(DocType, bool)> {
    let (base, required) = match text.strip_suffix(", required") {
        Some(base) => (base.trim_end(), true),
        None => (text, false),
    };
    let ty = match base {
        "long" => DocType::Int64,
        "int" => DocType::Int32,
        "decimal" => DocType::Decimal,
        "bool" => DocType::Bool,
        "string" => DocType::String,
        "DateTime" => DocType::DateTime,
        "enum" => DocType::Enum(None),
        "list, repeat flag" => DocType::List(Box::new(DocType::Int64)),
        "JSON array or @filepath" => DocType::Children,
        _ => return None,
    };
    Some((ty, required))
}

/// The members of an enum values cell: `` `1` Daily, `2` Weekly ``.
fn enum_values(text: &str) -> Result<Vec<EnumMember>, String> {
    let mut members: Vec<EnumMember> = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some((number, after)) = rest
            .strip_prefix('`')
            .and_then(|after| after.split_once('`'))
        else {
            return Err(format!("expected a value in backticks at `{rest}`"));
        };
        let value: i64 = number
            .trim()
            .parse()
            .map_err(|_| format!("`{number}` is not an integer"))?;
        // `next` keeps the opening backtick of the next member.
        let (name, next) = match after.find(", `") {
            Some(index) => (&after[..index], &after[index + 2..]),
            None => (after, ""),
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{name}` is not a member name (value {value})"));
        }
        if members.iter().any(|member| member.value == value) {
            return Err(format!("the value {value} is listed twice"));
        }
        members.push(EnumMember {
            value,
            name: name.to_owned(),
            description: None,
        });
        rest = next.trim();
    }
    if members.is_empty() {
        return Err("no values are listed".to_owned());
    }
    Ok(members)
}

/// The operation a word of the operations sentence names.
fn operation_word(word: &str) -> Option<Operation> {
    match word {
        "Search" | "List" => Some(Operation::Search),
        "Get" => Some(Operation::Get),
        "Create" => Some(Operation::Create),
        "Update" => Some(Operation::Update),
        "Delete" => Some(Operation::Delete),
        _ => None,
    }
}

/// The sentences of a prose line, as slices of it: a sentence ends at `. ` before a capital,
/// a backtick or markup, except after `e.g.` and `i.e.`.
fn sentences(line: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = line.len() - line.trim_start().len();
    for (offset, _) in line.match_indices(". ") {
        let next = line[offset + 2..].chars().next();
        let ends = next.is_some_and(|c| c.is_ascii_uppercase() || matches!(c, '`' | '*'));
        let before = &line[start..offset];
        if ends && !before.ends_with("e.g") && !before.ends_with("i.e") {
            sentences.push(&line[start..=offset]);
            start = offset + 2;
        }
    }
    let last = line[start..].trim_end();
    if !last.is_empty() {
        sentences.push(last);
    }
    sentences
}

/// The 1-based column of the first non-blank character of `line`.
fn column_of_text(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count() + 1
}

/// The singular of a plural title, for pages without an entity heading: `Countries` -> `Country`,
/// `Businesses` -> `Business`, `EmailAccounts` -> `EmailAccount`.
fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "ches", "shes", "xes"] {
        if plural.ends_with(ending) {
            return plural[..plural.len() - 2].to_owned();
        }
    }
    plural.strip_suffix('s').unwrap_or(plural).to_owned()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A small page with every kind of fact, laid out like the vendor's pages.
    const WIDGETS: &str = "\
# Widgets

<!-- BEGIN:GENERATED entity=Widgets -->

A **Widget** is a small thing on a shelf. It is not a gadget.

Widgets support Search, Get, Create, Update, Delete.

Widgets also support entity commands.

| Command | Description |
| --- | --- |
| `nexudus widgets list --agent` | List all widgets |
| `nexudus widgets list --id <id1> --id <id2> --agent` | Filter by multiple IDs |

#### Widget list filter options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string |  |
| `--from-size` | range | |

#### Widget create options

| Option | Type | Description |
| --- | --- | --- |
| `--business-id` | long, required |  |
| `--size` | int | Size in mm |
| `--price` | decimal |  |
| `--active` | bool |  |
| `--name` | string, required | Display name |
| `--made-on` | DateTime |  |
| `--shape` | enum, required |  |
| `--tariffs` | list, repeat flag |  |
| `--parts` | JSON array or @filepath | Parts — inline |
| `--u-r-l` | string | A URL or a URL|label pair |

#### Widget update options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string |  |
| `--shape` | enum |  |

#### Widget enum values

| Option | Valid values |
| ------ | ------------ |
| `--shape` | `0` None, `1` Round, `12` Square |

<!-- END:GENERATED entity=Widgets -->

## Workflows

Hand-written notes.
";

    /// Reads `text` as the page `widgets.md`.
    fn read(text: &str) -> (Option<EntityFacts>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let file = diagnostics.add_file(Path::new("widgets.md"), text.to_owned());
        let facts = read_reference(file, "entities/widgets.md", text, &mut diagnostics);
        (facts, diagnostics)
    }

    /// A location in the page `read` registers first.
    fn at(line: usize, column: usize) -> Location {
        Location {
            file: 0,
            line,
            column,
        }
    }

    /// The wire names of a create or update, in page order.
    fn names(params: Option<&Vec<Param>>) -> Vec<&str> {
        params
            .into_iter()
            .flatten()
            .map(|param| param.wire_name.as_str())
            .collect()
    }

    #[test]
    fn a_complete_page_gives_every_fact() {
        let (facts, diagnostics) = read(WIDGETS);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let facts = facts.expect("the page names its entity");
        assert_eq!(facts.source, "entities/widgets.md");
        assert_eq!(facts.entity, "Widget");
        assert_eq!(facts.path, None);
        assert_eq!(
            facts.description,
            Some(Sourced {
                value: "A Widget is a small thing on a shelf.".to_owned(),
                at: at(5, 1),
            })
        );
        let operations: Vec<(Operation, Location)> = facts
            .operations
            .iter()
            .map(|operation| (operation.value, operation.at))
            .collect();
        assert_eq!(
            operations,
            [
                (Operation::Search, at(7, 17)),
                (Operation::Get, at(7, 25)),
                (Operation::GetMany, at(14, 25)),
                (Operation::Create, at(7, 30)),
                (Operation::Update, at(7, 38)),
                (Operation::Delete, at(7, 46)),
                (Operation::Commands, at(9, 9)),
            ]
        );

        let create = facts.create.as_ref().expect("a create section");
        let types: Vec<(&str, &DocType, bool)> = create
            .iter()
            .map(|param| (param.wire_name.as_str(), &param.ty, param.required))
            .collect();
        assert_eq!(
            types,
            [
                ("BusinessId", &DocType::Int64, true),
                ("Size", &DocType::Int32, false),
                ("Price", &DocType::Decimal, false),
                ("Active", &DocType::Bool, false),
                ("Name", &DocType::String, true),
                ("MadeOn", &DocType::DateTime, false),
                ("Shape", &DocType::Enum(None), true),
                ("Tariffs", &DocType::List(Box::new(DocType::Int64)), false),
                ("Parts", &DocType::Children, false),
                ("URL", &DocType::String, false),
            ]
        );
        assert_eq!(create[0].at, at(27, 3));
        assert_eq!(create[0].description, "");
        assert_eq!(create[1].description, "Size in mm");
        assert_eq!(create[8].description, "Parts — inline");
        // An unescaped `|` in the description is part of it, not a fourth column.
        assert_eq!(create[9].description, "A URL or a URL|label pair");

        let update = facts.update.as_ref().expect("an update section");
        assert_eq!(names(Some(update)), ["Name", "Shape"]);
        assert!(update.iter().all(|param| !param.required));
        assert_eq!(update[1].at, at(43, 3));

        assert_eq!(
            facts.enums,
            [EnumTable {
                name: "eShape".to_owned(),
                property: Some("Shape".to_owned()),
                values: vec![
                    EnumMember {
                        value: 0,
                        name: "None".to_owned(),
                        description: None,
                    },
                    EnumMember {
                        value: 1,
                        name: "Round".to_owned(),
                        description: None,
                    },
                    EnumMember {
                        value: 12,
                        name: "Square".to_owned(),
                        description: None,
                    },
                ],
                at: at(49, 3),
            }]
        );
        let remarks: Vec<(&str, Location)> = facts
            .remarks
            .iter()
            .map(|remark| (remark.value.as_str(), remark.at))
            .collect();
        assert_eq!(
            remarks,
            // The derived name is the merge's to note, once it knows no page names the enum.
            [(
                "hand-written text follows the generated block; it is not read",
                at(53, 1)
            )]
        );
    }

    #[test]
    fn a_malformed_row_and_an_unknown_type_are_reported_and_skipped() {
        let text = "\
# Gadgets

<!-- BEGIN:GENERATED entity=Gadgets -->

Gadgets support Search, Get, Create, Update (no Delete via API).

#### Gadget create options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string, required |  |
| `--weight` | integer |  |
| `--colour` |
|  `--size-«x»` | int | Size |
| `--height` | int |  |

#### Gadget update options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string |  |
| `--name` | string |  |
| `--notes` | range |  |

<!-- END:GENERATED entity=Gadgets -->
";
        let (facts, diagnostics) = read(text);
        assert_eq!(
            diagnostics.summary_lines(),
            [
                "widgets.md:12:16: error: unknown type `integer` for `--weight`",
                "widgets.md:13:1: error: this row has 1 cell, not 3",
                "widgets.md:14:4: error: ``--size-«x»`` is not an option name",
                "widgets.md:22:3: error: `--name` is listed twice in this table",
                "widgets.md:23:15: error: unknown type `range` for `--notes`",
            ]
        );
        let facts = facts.expect("the page names its entity");
        assert_eq!(
            names(facts.create.as_ref()),
            ["Name", "Height"],
            "the good rows are still read"
        );
        assert_eq!(names(facts.update.as_ref()), ["Name"]);
        let operations: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
        assert_eq!(
            operations,
            [
                Operation::Search,
                Operation::Get,
                Operation::Create,
                Operation::Update
            ]
        );
    }

    #[test]
    fn wire_names_rebuild_acronyms_digits_and_typos() {
        let cases = [
            ("--incoming-server-s-s-l", "IncomingServerSSL"),
            ("--u-r-l", "URL"),
            ("--a-p-i-access", "APIAccess"),
            ("--c-c-o-emails", "CCOEmails"),
            (
                "--has-accepted-stripe-a-c-h-agreement",
                "HasAcceptedStripeACHAgreement",
            ),
            ("--stripe-bacs-d-d-mandate-id", "StripeBacsDDMandateId"),
            // Digits stay with the segment they follow.
            ("--office365-access-token", "Office365AccessToken"),
            ("--salto-v2-access-token", "SaltoV2AccessToken"),
            ("--last4", "Last4"),
            ("--custom10", "Custom10"),
            ("--new-team-image1-url", "NewTeamImage1Url"),
            ("--testimonial1-author", "Testimonial1Author"),
            // A capital after a digit still starts a segment: `Images2D`, not `Images2d`.
            ("--images2-d", "Images2D"),
            ("--images3-d", "Images3D"),
            // A lone letter is a one-letter word, not an acronym run.
            ("--pos-x", "PosX"),
            ("--position-z", "PositionZ"),
            // The vendor's spelling is kept, typos included.
            (
                "--cancel-memeber-account-after",
                "CancelMemeberAccountAfter",
            ),
            ("--on-plaform-invoices", "OnPlaformInvoices"),
            ("business-id", "BusinessId"),
        ];
        for (kebab, wire) in cases {
            assert_eq!(wire_name(kebab), wire, "{kebab}");
        }
    }

    #[test]
    fn cells_keep_escaped_pipes_and_count_columns_in_characters() {
        let cells = table_cells("  | `--dir <0\\|1>` | «x» | é |").expect("a row");
        let cells: Vec<(&str, usize)> = cells
            .iter()
            .map(|cell| (cell.text.as_str(), cell.column))
            .collect();
        assert_eq!(cells, [("`--dir <0|1>`", 5), ("«x»", 22), ("é", 28)]);
        let cells = table_cells("| a |  | b").expect("a row without a closing pipe");
        let cells: Vec<(&str, usize)> = cells
            .iter()
            .map(|cell| (cell.text.as_str(), cell.column))
            .collect();
        assert_eq!(cells, [("a", 3), ("", 6), ("b", 10)]);
        assert_eq!(table_cells("not | a row"), None);
        assert!(is_separator(
            &table_cells("| --- | :---: |").expect("a row")
        ));
        assert!(!is_separator(&table_cells("| --- | x |").expect("a row")));
    }

    #[test]
    fn read_only_prose_is_a_remark_and_contradicting_operations_are_noted() {
        let text = "\
# Stubs

<!-- BEGIN:GENERATED entity=Stubs -->

A **Stub** is a read-only snapshot of a ticket. Stubs cannot be created through the API, e.g. by a member. Keep them.

A **Stub** is an internal entity.

Stubs support Search, Get, Create, Update, Delete.

#### Stub list filter options

Read-only fields are not a remark here.

<!-- END:GENERATED entity=Stubs -->
";
        let (facts, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let facts = facts.expect("the page names its entity");
        let remarks: Vec<(&str, Location)> = facts
            .remarks
            .iter()
            .map(|remark| (remark.value.as_str(), remark.at))
            .collect();
        assert_eq!(
            remarks,
            [
                (
                    "the reference's prose says \"A Stub is a read-only snapshot of a ticket.\", \
                     yet its operations sentence lists Create, Update, Delete",
                    at(5, 1)
                ),
                (
                    "the reference's prose says \"Stubs cannot be created through the API, e.g. \
                     by a member.\", yet its operations sentence lists Create, Update, Delete",
                    at(5, 49)
                ),
                (
                    "the reference's prose says \"A Stub is an internal entity.\"",
                    at(7, 1)
                ),
            ]
        );
        // No create or update section is no create or update, not an empty one.
        assert_eq!(facts.create, None);
        assert_eq!(facts.update, None);
        assert_eq!(
            facts.description.map(|description| description.value),
            Some("A Stub is a read-only snapshot of a ticket.".to_owned())
        );
    }

    #[test]
    fn without_markers_the_whole_page_is_read_and_the_title_names_the_entity() {
        let text = "# Countries\n\nCountries support List, Get.\n\n#### Country create options\n\n\
            | Option | Type | Description |\n| --- | --- | --- |\n";
        let (facts, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let facts = facts.expect("the page names its entity");
        assert_eq!(facts.entity, "Country");
        assert_eq!(
            facts.create,
            Some(Vec::new()),
            "an empty table is an empty create"
        );
        let operations: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
        assert_eq!(operations, [Operation::Search, Operation::Get]);

        let (facts, _) = read("# Countries\n\nCountries support Search, Get.\n");
        let facts = facts.expect("the title names the entity");
        assert_eq!(facts.entity, "Country");
        assert_eq!(facts.remarks.len(), 1, "{:?}", facts.remarks);
        assert_eq!(singular("Businesses"), "Business");
        assert_eq!(singular("EmailAccounts"), "EmailAccount");
        assert_eq!(singular("Boxes"), "Box");

        let (facts, diagnostics) = read("Nothing here.\n");
        assert_eq!(facts, None);
        assert_eq!(
            diagnostics.summary_lines(),
            ["widgets.md:1:1: error: the page names no entity"]
        );
    }

    #[test]
    fn broken_markers_bad_enum_values_and_unknown_operations_are_reported() {
        let text = "\
# Things

<!-- BEGIN:GENERATED entity=Things -->

Things support Search, Fetch, Delete.

#### Thing create options

| Option | Type | Description |
| --- | --- | --- |
| `--kind` | enum |  |

#### Thing enum values

| Option | Valid values |
| ------ | ------------ |
| `--kind` | `1` One, two |
| `--level` | `1` Low, `1` High |
| `--mode` | `1` Manual |
| `--mode` | `2` Auto |

#### Gadget update options

| Option | Type | Description |
| --- | --- | --- |
";
        let (facts, diagnostics) = read(text);
        assert_eq!(
            diagnostics.summary_lines(),
            [
                "widgets.md:3:1: error: the generated block is not closed",
                "widgets.md:5:24: error: unknown operation `Fetch`",
                "widgets.md:17:14: error: cannot read the values of `--kind`: `One, two` is not \
                 a member name (value 1)",
                "widgets.md:18:15: error: cannot read the values of `--level`: the value 1 is \
                 listed twice",
                "widgets.md:20:3: error: the values of `--mode` are listed twice",
                "widgets.md:22:6: error: this section is about `Gadget`, not `Thing`",
            ]
        );
        let facts = facts.expect("the page names its entity");
        let operations: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
        assert_eq!(operations, [Operation::Search, Operation::Delete]);
        assert_eq!(facts.enums.len(), 1);
        assert_eq!(facts.enums[0].name, "eMode");
        assert!(
            facts
                .remarks
                .iter()
                .any(|remark| remark.value.contains("`--mode` belong to no enum option")),
            "{:?}",
            facts.remarks
        );
    }

    #[test]
    fn the_page_spelling_settles_the_case_of_rebuilt_names() {
        let text = "\
# Links

<!-- BEGIN:GENERATED entity=Links -->

Deprecated. Use Bookmarks instead.

Links support Search, Get, Create, Update.

#### Link create options

| Option | Type | Description |
| --- | --- | --- |
| `--domain-url` | string, required |  |
| `--entity-url` | string |  |
| `--site-id` | enum |  |

#### Link update options

| Option | Type | Description |
| --- | --- | --- |
| `--domain-url` | string |  |

#### Link enum values

| Option | Valid values |
| ------ | ------------ |
| `--site-id` | `1` Main |

### Link (key fields)

`Id`, `DomainURL`, `SiteID`

**List properties (only returned by `get`, not by `list`):** `EntityUrl`

<!-- END:GENERATED entity=Links -->
";
        let (facts, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let facts = facts.expect("the page names its entity");
        assert_eq!(
            names(facts.create.as_ref()),
            ["DomainURL", "EntityUrl", "SiteID"]
        );
        assert_eq!(names(facts.update.as_ref()), ["DomainURL"]);
        // The table follows the property's spelling, so the merge finds its field.
        assert_eq!(facts.enums[0].name, "eSiteID");
        assert_eq!(facts.enums[0].property.as_deref(), Some("SiteID"));
        let remarks: Vec<(&str, Location)> = facts
            .remarks
            .iter()
            .map(|remark| (remark.value.as_str(), remark.at))
            .collect();
        assert_eq!(
            remarks,
            [
                (
                    "the reference's prose says \"Deprecated. Use Bookmarks instead.\"",
                    at(5, 1)
                ),
                (
                    "the option rebuilds as `DomainUrl`, but the page spells the property \
                     `DomainURL`; the page's spelling is used",
                    at(13, 3)
                ),
                (
                    "the option rebuilds as `SiteId`, but the page spells the property `SiteID`; \
                     the page's spelling is used",
                    at(15, 3)
                ),
            ]
        );
    }

    /// Reads every page of the vendor reference beside the checkout, with the catalogue, and checks
    /// them against `INDEX.tsv`, the pages' own key-field names and the committed EmailAccount
    /// schema.
    #[test]
    fn the_vendor_reference_reads_without_problems() {
        use crate::import::catalogue::{Confidence, by_plural, find, read_catalogue};

        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/nexudus-reference"
        ));
        if !dir.exists() {
            eprintln!("skipped: {} is absent", dir.display());
            return;
        }
        let read_text = |path: &Path| std::fs::read_to_string(path).expect("readable");
        let mut diagnostics = Diagnostics::default();
        let catalogue_path = dir.join("catalogue.md");
        let catalogue_text = read_text(&catalogue_path);
        let catalogue_file = diagnostics.add_file(&catalogue_path, catalogue_text.clone());
        let catalogue = read_catalogue(
            catalogue_file,
            "catalogue.md",
            &catalogue_text,
            &mut diagnostics,
        );
        assert_eq!(catalogue.len(), 212);

        let mut paths: Vec<_> = std::fs::read_dir(dir.join("entities"))
            .expect("the entities folder")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        paths.sort();
        assert_eq!(paths.len(), 213);
        let mut pages = BTreeMap::new();
        for path in &paths {
            let text = read_text(path);
            let file = diagnostics.add_file(path, text.clone());
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .expect("a file name")
                .to_owned();
            let facts = read_reference(file, &name, &text, &mut diagnostics)
                .unwrap_or_else(|| panic!("{name} names no entity"));
            pages.insert(name, (facts, text));
        }
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.summary_lines());

        // Two pages have no catalogue row: the catalogue was made from an older entity index.
        let unlisted: Vec<&str> = pages
            .keys()
            .map(|name| name.trim_end_matches(".md"))
            .filter(|plural| by_plural(&catalogue, plural).is_none())
            .collect();
        assert_eq!(unlisted, ["proactiveactionconfigs", "proposedactions"]);
        // The project's addendum gives them, as inferred guesses, and shadows no vendor row.
        let addendum_path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../schema-sources/catalogue.md"
        ));
        let addendum_text = read_text(addendum_path);
        let addendum_file = diagnostics.add_file(addendum_path, addendum_text.clone());
        let addendum = read_catalogue(
            addendum_file,
            "schema-sources/catalogue.md",
            &addendum_text,
            &mut diagnostics,
        );
        assert!(
            addendum
                .iter()
                .all(|row| by_plural(&catalogue, &row.plural).is_none())
        );
        let both = [catalogue.clone(), addendum];
        for plural in unlisted {
            let (facts, _) = &pages[&format!("{plural}.md")];
            let row = find(&both, &facts.entity, Some(plural)).expect("a row");
            assert_eq!(row.catalogue, "schema-sources/catalogue.md", "{plural}");
            assert_eq!(row.path, format!("/api/sys/{plural}"));
            assert_eq!(row.confidence, Confidence::Inferred);
        }
        for (name, (facts, _)) in &pages {
            if let Some(entry) = by_plural(&catalogue, name.trim_end_matches(".md")) {
                assert_eq!(facts.entity, entry.entity, "{name}");
            }
        }

        // Every count, operation list and section flag of INDEX.tsv.
        let index = read_text(&dir.join("INDEX.tsv"));
        let mut rows = index.lines();
        let header: Vec<&str> = rows.next().expect("a header").split('\t').collect();
        let column = |name: &str| {
            header
                .iter()
                .position(|column| *column == name)
                .unwrap_or_else(|| panic!("INDEX.tsv has a {name} column"))
        };
        let (file, operations, create, update, commands, enums) = (
            column("file"),
            column("operations"),
            column("create_options"),
            column("update_options"),
            column("entity_commands"),
            column("enum_values_section"),
        );
        let count =
            |text: &str| (!text.is_empty()).then(|| text.parse::<usize>().expect("a count"));
        let mut checked = 0;
        for row in rows {
            let cells: Vec<&str> = row.split('\t').collect();
            let (facts, _) = &pages[cells[file]];
            let name = cells[file];
            assert_eq!(
                facts.create.as_ref().map(Vec::len),
                count(cells[create]),
                "{name}"
            );
            assert_eq!(
                facts.update.as_ref().map(Vec::len),
                count(cells[update]),
                "{name}"
            );
            let mut expected: Vec<Operation> = cells[operations]
                .split(['(', '.'])
                .next()
                .expect("a list")
                .split(',')
                .map(|word| operation_word(word.trim()).expect("an operation"))
                .chain([Operation::GetMany])
                .chain((cells[commands] == "yes").then_some(Operation::Commands))
                .collect();
            expected.sort();
            let found: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
            assert_eq!(found, expected, "{name}");
            assert_eq!(!facts.enums.is_empty(), cells[enums] == "yes", "{name}");
            checked += 1;
        }
        assert_eq!(checked, 213);

        // Wire names agree with every name the pages spell out wherever both name one property:
        // key fields and list properties (which settle the case, so this checks that they were
        // applied to create and update alike) and inline children's writable properties.
        let mut agreed = 0;
        for (name, (facts, text)) in &pages {
            let spelled = text.lines().filter(|line| {
                line.starts_with('`')
                    || line.starts_with("**List properties")
                    || line.starts_with("Writable properties")
            });
            for word in spelled.flat_map(|line| line.split('`').skip(1).step_by(2)) {
                let params = facts.create.iter().chain(&facts.update).flatten();
                for param in params.filter(|param| param.wire_name.eq_ignore_ascii_case(word)) {
                    assert_eq!(param.wire_name, word, "{name}");
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 500, "only {agreed} names cross-checked");
        let with_remark = |needle: &str| -> Vec<&str> {
            pages
                .iter()
                .filter(|(_, (facts, _))| {
                    facts
                        .remarks
                        .iter()
                        .any(|remark| remark.value.contains(needle))
                })
                .map(|(name, _)| name.as_str())
                .collect()
        };
        // Three options lose their acronym; the pages' key fields spell them right, as the 2020
        // documentation does (`DomainURL`), while `--entity-url` really is `EntityUrl`.
        let respelled: Vec<&str> = pages
            .values()
            .flat_map(|(facts, _)| &facts.remarks)
            .filter(|remark| remark.value.contains("but the page spells the property"))
            .filter_map(|remark| remark.value.split('`').nth(3))
            .collect();
        assert_eq!(
            with_remark("but the page spells the property"),
            ["businessdomains.md", "businessredirections.md"]
        );
        assert_eq!(respelled, ["DomainURL", "SourceURL", "DestinationURL"]);

        // The EmailAccount page gives exactly the names of the committed schema.
        let (email, _) = &pages["emailaccounts.md"];
        let mut schema_diagnostics = Diagnostics::default();
        let schema = crate::load::load(
            Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schema/EmailAccount.yaml"
            )),
            &mut schema_diagnostics,
        );
        assert!(schema_diagnostics.is_empty(), "{schema_diagnostics:?}");
        let fields = &schema.first().expect("the EmailAccount schema").fields;
        let in_schema = |operation: fn(&crate::load::RawField) -> &str| -> Vec<&str> {
            fields
                .iter()
                .filter(|field| operation(field) != "absent" && field.name.as_str() != "Id")
                // Only the 2020 documentation writes these (the two passwords).
                .filter(|field| {
                    !field
                        .notes
                        .as_deref()
                        .is_some_and(|notes| notes.starts_with("Only the 2020 API documentation"))
                })
                .map(|field| field.name.as_str())
                .collect()
        };
        assert_eq!(
            names(email.create.as_ref()),
            in_schema(|field| field.create.as_str())
        );
        assert_eq!(
            names(email.update.as_ref()),
            in_schema(|field| field.update.as_str())
        );
        assert!(names(email.create.as_ref()).contains(&"IncomingServerSSL"));
        assert!(names(email.create.as_ref()).contains(&"Office365AccessToken"));

        // The facts the quirks list in NEXUDUS.md, and three more pages whose prose says
        // read-only while their operations sentence lists writes.
        assert_eq!(
            with_remark("yet its operations sentence lists"),
            [
                "cancelledbookings.md",
                "coworkerextraserviceusehistories.md",
                "coworkernotifications.md",
                "failedcheckins.md",
                "invoices.md"
            ]
        );
        assert_eq!(
            with_remark("hand-written text"),
            ["productextraservices.md", "producttimepasses.md"]
        );
        let (legal, _) = &pages["legalcontentaudits.md"];
        assert_eq!(
            (&legal.create, &legal.update),
            (&Some(Vec::new()), &Some(Vec::new()))
        );
        let (bookings, _) = &pages["bookings.md"];
        assert_eq!(
            (
                bookings.create.as_ref().map(Vec::len),
                bookings.update.as_ref().map(Vec::len)
            ),
            (Some(51), Some(38))
        );
        // The reference never names an enum: every table's name is derived from its property.
        let tables: usize = pages.values().map(|(facts, _)| facts.enums.len()).sum();
        let derived = pages
            .values()
            .flat_map(|(facts, _)| &facts.enums)
            .filter(|table| {
                table
                    .property
                    .as_ref()
                    .is_some_and(|property| table.name == format!("e{property}"))
            })
            .count();
        assert_eq!(tables, 64);
        assert_eq!(derived, tables);
    }
}
