//! Reads the MDX source form of a page: the request body from its `<ParamField>` tags, and enum
//! values from Markdown tables.

use crate::diagnostics::Location;
use crate::import::source::EnumMember;

use super::{Body, Page, RawParam, Section, TYPE_WORDS, indent, is_identifier, join_words};

/// An opening `<ParamField ...>` tag.
struct Tag {
    /// The attributes, in the order written.
    attributes: Vec<Attribute>,
    /// The line the tag ends on and the byte just after its `>`.
    end_line: usize,
    end_byte: usize,
    /// `<ParamField ... />`: no description follows.
    self_closing: bool,
}

/// One attribute of a tag: `body="Name"`, or a bare flag such as `required`.
struct Attribute {
    /// The attribute's name: `body`, `type`, `required`.
    name: String,
    /// The unquoted value; `None` for a flag.
    value: Option<String>,
    /// Where the value starts (inside its quotes), or the name for a flag.
    at: Location,
}

/// Why an opening tag could not be read.
enum TagError {
    /// No `>` before a blank line, another tag or the end of the page.
    Unclosed,
    /// Something that is not an attribute, at this place.
    Unexpected(Location),
}

impl Page<'_> {
    /// The `<ParamField body=...>` tags of an MDX page, under "Required Fields" or "Optional
    /// Fields"; `None`, and a problem, when the page has no request body.
    pub(super) fn mdx_body(&mut self) -> Option<Body> {
        let mut body = Body::default();
        let mut section = Section::Unlisted;
        let mut saw_heading = false;
        let mut index = 0;
        while index < self.lines.len() {
            let line = self.lines[index];
            let trimmed = line.trim_start();
            if self.fenced[index] {
                index += 1;
                continue;
            }
            if let Some((level, title)) = heading(trimmed) {
                section = match title {
                    "Required Fields" => Section::Required,
                    "Optional Fields" => Section::Optional,
                    _ => Section::Unlisted,
                };
                if level <= 2 && title == "Request Body" {
                    saw_heading = true;
                }
                index += 1;
                continue;
            }
            if is_param_field(trimmed) {
                index = self.mdx_param(index, indent(line), section, &mut body);
                continue;
            }
            index += 1;
        }
        if !saw_heading && body.params.is_empty() {
            self.no_body("`## Request Body` with `<ParamField body=...>` tags");
            return None;
        }
        Some(body)
    }

    /// Reads the `<ParamField` at byte `start` of line `index`; answers the line to go on from.
    fn mdx_param(
        &mut self,
        index: usize,
        start: usize,
        section: Section,
        body: &mut Body,
    ) -> usize {
        let tag_at = self.at(index, start);
        let tag = match self.tag(index, start + "<ParamField".len()) {
            Ok(tag) => tag,
            Err(TagError::Unclosed) => {
                self.diagnostics.error(
                    tag_at,
                    "this `<ParamField` tag is never closed",
                    "end the tag with `>` after its attributes, e.g. \
                     `<ParamField body=\"Name\" type=\"string\" required>`",
                );
                return index + 1;
            }
            Err(TagError::Unexpected(at)) => {
                self.diagnostics.error(
                    at,
                    "expected an attribute of `<ParamField`",
                    "attributes are `name=\"value\"` or a bare flag such as `required`",
                );
                return index + 1;
            }
        };
        let (description, next, closed) = self.content(&tag);
        let attribute = |name: &str| tag.attributes.iter().find(|a| a.name == name);
        if let Some(other) = ["query", "path", "header"].into_iter().find_map(attribute) {
            let value = other.value.clone().unwrap_or_default();
            let at = other.at;
            let remark = format!(
                "The page documents the {} parameter `{value}`, which is not part of the body.",
                other.name
            );
            self.remark(at, remark);
            return next;
        }
        let Some((name, name_at)) = attribute("body")
            .and_then(|body| Some((body.value.clone()?, body.at)))
            .filter(|(name, _)| is_identifier(name))
        else {
            self.diagnostics.error(
                tag_at,
                "this `<ParamField` names no body property",
                "give the property's exact wire name as `body=\"Name\"`",
            );
            return next;
        };
        if !closed {
            self.diagnostics.error(
                tag_at,
                format!("the `<ParamField>` of `{name}` is never closed"),
                "end its description with `</ParamField>`",
            );
        }
        let Some((type_word, type_at)) =
            attribute("type").and_then(|ty| Some((ty.value.clone()?, ty.at)))
        else {
            self.diagnostics.error(
                tag_at,
                format!("the `<ParamField>` of `{name}` has no type"),
                format!("add `type=\"...\"`, one of {TYPE_WORDS}"),
            );
            return next;
        };
        let marker = attribute("required").is_some_and(|required| {
            !matches!(required.value.as_deref(), Some("false" | "{false}"))
        });
        self.add_param(
            body,
            RawParam {
                name,
                name_at,
                type_word,
                type_at,
                marker,
                section,
                description,
            },
        );
        next
    }

    /// Reads the attributes of a tag from byte `byte` of line `line` up to its `>` or `/>`.
    fn tag(&self, mut line: usize, mut byte: usize) -> Result<Tag, TagError> {
        let mut attributes = Vec::new();
        loop {
            let Some(text) = self.lines.get(line).copied() else {
                return Err(TagError::Unclosed);
            };
            let rest = text.get(byte..).unwrap_or_default();
            let rest_trimmed = rest.trim_start();
            byte += rest.len() - rest_trimmed.len();
            let rest = rest_trimmed;
            if rest.is_empty() {
                line += 1;
                byte = 0;
                // A tag spans lines only while it goes on: a blank line or the end means no `>`.
                if self
                    .lines
                    .get(line)
                    .is_none_or(|next| next.trim().is_empty())
                {
                    return Err(TagError::Unclosed);
                }
                continue;
            }
            let self_closing = rest.starts_with("/>");
            if self_closing || rest.starts_with('>') {
                return Ok(Tag {
                    attributes,
                    end_line: line,
                    end_byte: byte + if self_closing { 2 } else { 1 },
                    self_closing,
                });
            }
            if rest.starts_with('<') {
                return Err(TagError::Unclosed);
            }
            let name_length = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            if name_length == 0 {
                return Err(TagError::Unexpected(self.at(line, byte)));
            }
            let name = rest[..name_length].to_owned();
            let name_at = self.at(line, byte);
            byte += name_length;
            let after = &rest[name_length..];
            let Some(value) = after.trim_start().strip_prefix('=') else {
                attributes.push(Attribute {
                    name,
                    value: None,
                    at: name_at,
                });
                continue;
            };
            let value_start = byte + (after.len() - value.len());
            let skipped = value.len() - value.trim_start().len();
            let value_start = value_start + skipped;
            let value = value.trim_start();
            let close = match value.chars().next() {
                Some('"') => '"',
                Some('\'') => '\'',
                Some('{') => '}',
                _ => return Err(TagError::Unexpected(self.at(line, value_start))),
            };
            let Some(length) = value[1..].find(close) else {
                return Err(TagError::Unclosed);
            };
            let inner = &value[1..=length];
            // `required={true}` and `type={"string"}` are JSX spellings of the same values.
            let inner = inner.trim().trim_matches(['"', '\'']);
            attributes.push(Attribute {
                name,
                value: Some(inner.to_owned()),
                at: self.at(line, value_start + 1),
            });
            byte = value_start + length + 2;
        }
    }

    /// The description between a tag and its `</ParamField>`, the line after it, and whether the
    /// closing tag was found. Child properties (`<Expandable>`) and other tags are left out.
    fn content(&self, tag: &Tag) -> (String, usize, bool) {
        const CLOSE: &str = "</ParamField>";
        if tag.self_closing {
            return (String::new(), tag.end_line + 1, true);
        }
        let first = self.lines[tag.end_line]
            .get(tag.end_byte..)
            .unwrap_or_default();
        if let Some(end) = first.find(CLOSE) {
            return (first[..end].trim().to_owned(), tag.end_line + 1, true);
        }
        let mut parts = vec![first.trim()];
        let mut depth = 0_usize;
        let mut index = tag.end_line + 1;
        let mut closed = false;
        while let Some(line) = self.lines.get(index) {
            let trimmed = line.trim();
            if depth == 0 {
                if let Some(end) = line.find(CLOSE) {
                    parts.push(line[..end].trim());
                    index += 1;
                    closed = true;
                    break;
                }
                let next_block = is_param_field(trimmed)
                    || trimmed.starts_with(['#'])
                    || trimmed.starts_with("```")
                    || trimmed.starts_with("<CodeGroup")
                    || trimmed.starts_with("<ResponseField");
                if next_block {
                    break;
                }
            }
            if trimmed.starts_with("<Expandable") {
                depth += 1;
            } else if trimmed.starts_with("</Expandable") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && !trimmed.starts_with('<') {
                parts.push(trimmed);
            }
            index += 1;
        }
        (join_words(&parts), index, closed)
    }

    /// The Markdown value table `| Value | Name | Description |` whose header is line `index`,
    /// and the line after it; `None` when line `index` is not such a header.
    pub(super) fn markdown_value_table(
        &mut self,
        index: usize,
    ) -> Option<(Vec<EnumMember>, usize)> {
        let line = self.lines[index];
        let header = cells(line);
        let is_pipe_header = line.trim().starts_with('|')
            && header.len() >= 2
            && header[0].1.eq_ignore_ascii_case("value")
            && header[1].1.eq_ignore_ascii_case("name");
        is_pipe_header.then(|| self.pipe_rows(index + 1))
    }

    /// The rows of a Markdown value table from line `index`, reporting rows that do not read.
    fn pipe_rows(&mut self, mut index: usize) -> (Vec<EnumMember>, usize) {
        let mut values = Vec::new();
        while let Some(line) = self.lines.get(index).copied() {
            if !line.trim_start().starts_with('|') {
                break;
            }
            index += 1;
            let row = cells(line);
            if row
                .iter()
                .all(|(_, cell)| cell.chars().all(|c| matches!(c, '-' | ':')))
            {
                continue;
            }
            let (value_byte, value) = row.first().copied().unwrap_or_default();
            let Ok(value) = value.parse::<i64>() else {
                let at = self.at(index - 1, value_byte);
                self.diagnostics.error(
                    at,
                    format!("enum value `{value}` is not a whole number"),
                    "an enum table's first column holds the integer sent over the wire",
                );
                continue;
            };
            let (name_byte, name) = row.get(1).copied().unwrap_or((line.len(), ""));
            if !is_identifier(name) {
                let at = self.at(index - 1, name_byte);
                self.diagnostics.error(
                    at,
                    format!("enum member name `{name}` is not a name"),
                    "an enum table's second column holds the member's name, e.g. `Daily`",
                );
                continue;
            }
            let description = row
                .get(2)
                .map(|(_, cell)| *cell)
                .filter(|cell| !cell.is_empty());
            values.push(EnumMember {
                value,
                name: name.to_owned(),
                description: description.map(str::to_owned),
            });
        }
        (values, index)
    }
}

/// A markdown heading: its level and its text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let title = line[level..].strip_prefix(' ')?;
    (level > 0).then(|| (level, title.trim()))
}

/// Whether `line` opens a `<ParamField` tag (and not, say, `<ParamFields>`).
fn is_param_field(line: &str) -> bool {
    line.strip_prefix("<ParamField")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '>', '/']))
}

/// The cells of a Markdown table row, trimmed, each with the byte it starts at.
fn cells(line: &str) -> Vec<(usize, &str)> {
    let trimmed = line.trim_end();
    let Some(start) = trimmed.find('|') else {
        return Vec::new();
    };
    let inner = trimmed[start + 1..]
        .strip_suffix('|')
        .unwrap_or(&trimmed[start + 1..]);
    let mut offset = start + 1;
    let mut cells = Vec::new();
    for cell in inner.split('|') {
        let lead = cell.len() - cell.trim_start().len();
        cells.push((offset + lead, cell.trim()));
        offset += cell.len() + 1;
    }
    cells
}
