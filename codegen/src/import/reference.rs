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
mod tests;
