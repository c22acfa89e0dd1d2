//! Reads the rendered form of a page, its text one name, type or marker a line: the method and
//! path lines, the request body, and enum values whose tables lost their titles.

use crate::import::source::{EnumMember, Sourced};

use super::{Body, Page, RawParam, Section, is_identifier, join_words};

/// Rendered lines that end the request body: the headings of the sections after it.
const RENDERED_BODY_END: &[&str] = &[
    "Code Examples",
    "Response",
    "Responses",
    "Path Parameters",
    "Query Parameters",
    "Headers",
    "Authorizations",
];

/// Rendered lines that end the introduction: the headings of the sections after it.
pub(super) const RENDERED_INTRO_END: &[&str] = &["Authentication", "Enums", "Request Body"];

impl Page<'_> {
    /// The path that follows the rendered method line: `/`, `api`, `/`, `crm`, ... one a line.
    pub(super) fn method_path(&self) -> Option<Sourced<String>> {
        let method = self.lines.iter().enumerate().position(|(index, line)| {
            is_method(line.trim()) && self.lines.get(index + 1).map(|next| next.trim()) == Some("/")
        })?;
        let mut path = String::new();
        for line in &self.lines[method + 1..] {
            let part = line.trim();
            if part != "/" && !is_path_segment(part) {
                break;
            }
            path.push_str(part);
        }
        let path = path.trim_end_matches('/').to_owned();
        Some(Sourced {
            value: path,
            at: self.line_at(method + 1),
        })
    }

    /// The properties of a rendered page's "Request Body", up to the section after it; `None`,
    /// and a problem, when the page has no such section.
    pub(super) fn rendered_body(&mut self) -> Option<Body> {
        let Some(start) = self
            .lines
            .iter()
            .position(|line| line.trim() == "Request Body")
        else {
            self.no_body("a `Request Body` section");
            return None;
        };
        let mut body = Body::default();
        let mut section = Section::Unlisted;
        let mut index = start + 1;
        while index < self.lines.len() {
            let trimmed = self.lines[index].trim();
            if ends_rendered_body(trimmed) {
                break;
            }
            match trimmed {
                "Required Fields" => section = Section::Required,
                "Optional Fields" => section = Section::Optional,
                _ if self.starts_rendered_param(index) => {
                    index = self.rendered_param(index, section, &mut body);
                    continue;
                }
                _ => {}
            }
            index += 1;
        }
        Some(body)
    }

    /// Whether line `index` is a property's name: a bare name followed by a type-shaped line.
    fn starts_rendered_param(&self, index: usize) -> bool {
        is_identifier(self.lines[index].trim())
            && self
                .lines
                .get(index + 1)
                .is_some_and(|next| is_type_shaped(next.trim()))
    }

    /// Reads the rendered property whose name is on line `index`; answers the line after it.
    fn rendered_param(&mut self, index: usize, section: Section, body: &mut Body) -> usize {
        let marker = self
            .lines
            .get(index + 2)
            .is_some_and(|line| line.trim() == "required");
        let mut next = index + if marker { 3 } else { 2 };
        let mut parts = Vec::new();
        while let Some(line) = self.lines.get(next) {
            let trimmed = line.trim();
            let ends = matches!(trimmed, "Required Fields" | "Optional Fields")
                || ends_rendered_body(trimmed)
                || self.starts_rendered_param(next);
            if ends {
                break;
            }
            parts.push(trimmed);
            next += 1;
        }
        let raw = RawParam {
            name: self.lines[index].trim().to_owned(),
            name_at: self.line_at(index),
            type_word: self.lines[index + 1].trim().to_owned(),
            type_at: self.line_at(index + 1),
            marker,
            section,
            description: join_words(&parts),
        };
        self.add_param(body, raw);
        next
    }

    /// The rendered value table whose header is line `index`, and the line after it: `ValueName`
    /// and one `1Daily` line per value, or one flattened line `Value Name 1 Daily 2 Weekly`.
    pub(super) fn rendered_value_table(&self, index: usize) -> Option<(Vec<EnumMember>, usize)> {
        let trimmed = self.lines[index].trim();
        if matches!(trimmed, "ValueName" | "Value Name" | "Value\tName") {
            let mut values = Vec::new();
            let mut next = index + 1;
            while let Some(member) = self.lines.get(next).and_then(|line| glued_row(line.trim())) {
                values.push(member);
                next += 1;
            }
            return Some((values, next));
        }
        let words: Vec<&str> = trimmed
            .strip_prefix("Value Name ")?
            .split_whitespace()
            .collect();
        let values = words
            .chunks(2)
            .map(|pair| match pair {
                [value, name] if is_identifier(name) => Some(EnumMember {
                    value: value.parse().ok()?,
                    name: (*name).to_owned(),
                    description: None,
                }),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some((values, index + 1))
    }
}

/// A rendered value row with the value glued to the name: `1Daily`, `10 LiqPay`.
pub(super) fn glued_row(line: &str) -> Option<EnumMember> {
    let digits = line
        .char_indices()
        .find(|&(index, c)| !(c.is_ascii_digit() || (index == 0 && c == '-')))
        .map_or(line.len(), |(index, _)| index);
    let value = line[..digits].parse().ok()?;
    let name = line[digits..].trim();
    is_identifier(name).then(|| EnumMember {
        value,
        name: name.to_owned(),
        description: None,
    })
}

/// Whether a rendered line ends the request body.
fn ends_rendered_body(line: &str) -> bool {
    RENDERED_BODY_END.contains(&line) || line.starts_with("curl ")
}

/// Whether `line` is an HTTP method on a line of its own, as rendered pages show it.
pub(super) fn is_method(line: &str) -> bool {
    matches!(line, "GET" | "POST" | "PUT" | "PATCH" | "DELETE")
}

/// Whether `part` is one segment of a rendered path (`api`, `emailaccounts`, `{id}`).
fn is_path_segment(part: &str) -> bool {
    part.chars().any(|c| c.is_ascii_alphanumeric())
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '{' | '}'))
}

/// Whether a rendered line has the shape of a type: lower-case words, `[]`, `|` (`integer`,
/// `integer[]`, `integer | null`), so that an unknown type is reported rather than read as text.
fn is_type_shaped(line: &str) -> bool {
    line != "required"
        && line.split('|').all(|word| {
            let word = word.trim();
            let base = word.trim_end_matches("[]");
            base.starts_with(|c: char| c.is_ascii_lowercase())
                && base
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}
