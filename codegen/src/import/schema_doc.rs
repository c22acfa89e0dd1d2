//! A schema file as plain data, read from the loader's raw model and written back as canonical YAML.
//!
//! The importer merges documentation into this model and writes it; reading an existing schema
//! into it first keeps what a reviewer added (rules, secrets, defaults, notes) across re-imports.

use std::fmt::Write as _;

use crate::load::RawEntity;

/// One schema file's content, in the order it is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SchemaDoc {
    /// Comment lines at the top of the file, without their `# `.
    pub(crate) comment: Vec<String>,
    pub(crate) entity: String,
    pub(crate) path: String,
    pub(crate) description: String,
    pub(crate) operations: Vec<String>,
    /// The webhook actions whose payload is a record of the entity: a reviewer's, kept as is.
    pub(crate) webhook_actions: Vec<String>,
    pub(crate) sources: Vec<String>,
    pub(crate) notes: Option<String>,
    pub(crate) enums: Vec<EnumDoc>,
    pub(crate) fields: Vec<FieldDoc>,
}

/// An entry of `enums:`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct EnumDoc {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) values: Vec<ValueDoc>,
}

/// One member of an enum.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ValueDoc {
    pub(crate) value: i64,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) rust_name: Option<String>,
}

/// An entry of `fields:`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FieldDoc {
    pub(crate) name: String,
    pub(crate) ty: String,
    pub(crate) description: String,
    pub(crate) create: String,
    pub(crate) update: String,
    pub(crate) secret: bool,
    pub(crate) read_only: bool,
    /// Which kind of source attests the wire name (`api-docs-2020`, `cli-option`, ...).
    pub(crate) spelled_by: Option<String>,
    pub(crate) default: Option<String>,
    pub(crate) rules: Vec<RuleDoc>,
    pub(crate) notes: Option<String>,
    pub(crate) rust_name: Option<String>,
}

/// An entry of a field's `rules:`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RuleDoc {
    pub(crate) kind: String,
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) reason: String,
}

/// Where folded text (`notes`) is wrapped, so that a file reads well in an editor and diffs stay
/// small.
const WRAP: usize = 96;

impl SchemaDoc {
    /// The content of a schema file the loader has read; what it could not read is left empty.
    pub(crate) fn from_raw(raw: &RawEntity, text: &str) -> Self {
        let value = |spanned: &Option<marked_yaml::Spanned<String>>| {
            spanned
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default()
        };
        Self {
            comment: text
                .lines()
                .map_while(|line| line.strip_prefix('#'))
                .map(|line| line.strip_prefix(' ').unwrap_or(line).to_owned())
                .collect(),
            entity: value(&raw.entity),
            path: value(&raw.path),
            description: value(&raw.description),
            operations: raw
                .operations
                .iter()
                .map(|op| op.as_str().to_owned())
                .collect(),
            webhook_actions: raw
                .webhook_actions
                .iter()
                .map(|action| action.as_str().to_owned())
                .collect(),
            sources: raw.sources.clone(),
            notes: raw.notes.clone(),
            enums: raw
                .enums
                .iter()
                .map(|raw_enum| EnumDoc {
                    name: raw_enum.name.as_str().to_owned(),
                    description: raw_enum.description.as_str().to_owned(),
                    values: raw_enum
                        .values
                        .iter()
                        .map(|member| ValueDoc {
                            value: *member.value,
                            name: member.name.as_str().to_owned(),
                            description: member.description.clone(),
                            rust_name: member.rust_name.as_ref().map(|n| n.as_str().to_owned()),
                        })
                        .collect(),
                })
                .collect(),
            fields: raw
                .fields
                .iter()
                .map(|field| FieldDoc {
                    name: field.name.as_str().to_owned(),
                    ty: field.ty.as_str().to_owned(),
                    description: field.description.as_str().to_owned(),
                    create: field.create.as_str().to_owned(),
                    update: field.update.as_str().to_owned(),
                    secret: field.secret.as_ref().is_some_and(|flag| **flag),
                    read_only: field.read_only.as_ref().is_some_and(|flag| **flag),
                    spelled_by: field.spelled_by.as_ref().map(|s| s.as_str().to_owned()),
                    default: field.default.as_ref().map(|d| d.as_str().to_owned()),
                    rules: field
                        .rules
                        .iter()
                        .map(|rule| RuleDoc {
                            kind: rule.kind.as_str().to_owned(),
                            min: rule.min.as_ref().map(|min| **min),
                            max: rule.max.as_ref().map(|max| **max),
                            reason: rule.reason.as_str().to_owned(),
                        })
                        .collect(),
                    notes: field.notes.clone(),
                    rust_name: field.rust_name.as_ref().map(|n| n.as_str().to_owned()),
                })
                .collect(),
        }
    }

    /// The schema file's text, in the one layout the importer writes: the same content always
    /// gives the same bytes.
    pub(crate) fn to_yaml(&self) -> String {
        let mut out = String::new();
        for line in &self.comment {
            push_line(&mut out, format!("# {line}").trim_end_matches(' '));
        }
        push_line(&mut out, &format!("entity: {}", scalar(&self.entity)));
        push_line(&mut out, &format!("path: {}", scalar(&self.path)));
        text_entry(&mut out, "", "description", &self.description);
        let operations: Vec<String> = self.operations.iter().map(|op| scalar(op)).collect();
        push_line(
            &mut out,
            &format!("operations: [{}]", operations.join(", ")),
        );
        if !self.webhook_actions.is_empty() {
            let actions: Vec<String> = self.webhook_actions.iter().map(|a| scalar(a)).collect();
            push_line(
                &mut out,
                &format!("webhook_actions: [{}]", actions.join(", ")),
            );
        }
        if !self.sources.is_empty() {
            out.push_str("sources:\n");
            for source in &self.sources {
                push_line(&mut out, &format!("  - {}", quoted(source)));
            }
        }
        if let Some(notes) = &self.notes {
            folded_entry(&mut out, "", "notes", notes);
        }
        out.push_str("\nenums:");
        if self.enums.is_empty() {
            out.push_str(" []\n");
        } else {
            out.push('\n');
        }
        for schema_enum in &self.enums {
            push_line(
                &mut out,
                &format!("  - name: {}", scalar(&schema_enum.name)),
            );
            text_entry(&mut out, "    ", "description", &schema_enum.description);
            if schema_enum.values.is_empty() {
                out.push_str("    values: []\n");
                continue;
            }
            out.push_str("    values:\n");
            for member in &schema_enum.values {
                let mut entry = format!(
                    "      - {{ value: {}, name: {}",
                    member.value,
                    flow_scalar(&member.name)
                );
                if let Some(description) = &member.description {
                    let _ = write!(entry, ", description: {}", flow_scalar(description));
                }
                if let Some(rust_name) = &member.rust_name {
                    let _ = write!(entry, ", rust_name: {}", flow_scalar(rust_name));
                }
                entry.push_str(" }");
                push_line(&mut out, &entry);
            }
        }
        out.push_str(if self.fields.is_empty() {
            "\nfields: []\n"
        } else {
            "\nfields:\n"
        });
        for (index, field) in self.fields.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            field.write(&mut out);
        }
        out
    }
}

impl FieldDoc {
    fn write(&self, out: &mut String) {
        push_line(out, &format!("  - name: {}", scalar(&self.name)));
        push_line(out, &format!("    type: {}", scalar(&self.ty)));
        text_entry(out, "    ", "description", &self.description);
        push_line(out, &format!("    create: {}", self.create));
        push_line(out, &format!("    update: {}", self.update));
        if let Some(rust_name) = &self.rust_name {
            push_line(out, &format!("    rust_name: {}", scalar(rust_name)));
        }
        if self.secret {
            out.push_str("    secret: true\n");
        }
        if self.read_only {
            out.push_str("    read_only: true\n");
        }
        if let Some(spelled_by) = &self.spelled_by {
            push_line(out, &format!("    spelled_by: {}", scalar(spelled_by)));
        }
        if let Some(default) = &self.default {
            // A whole number as the format asks; anything else quoted, for `check` to report.
            let value = match default.parse::<i64>() {
                Ok(number) => number.to_string(),
                Err(_) => scalar(default),
            };
            push_line(out, &format!("    default: {value}"));
        }
        if !self.rules.is_empty() {
            out.push_str("    rules:\n");
            for rule in &self.rules {
                push_line(out, &format!("      - kind: {}", scalar(&rule.kind)));
                if let Some(min) = rule.min {
                    push_line(out, &format!("        min: {min}"));
                }
                if let Some(max) = rule.max {
                    push_line(out, &format!("        max: {max}"));
                }
                push_line(out, &format!("        reason: {}", scalar(&rule.reason)));
            }
        }
        if let Some(notes) = &self.notes {
            folded_entry(out, "    ", "notes", notes);
        }
    }
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// `key: value` for text that may span lines: plain when it is one safe line, a literal block
/// (`|-`) otherwise, so line breaks a reviewer wrote are kept.
fn text_entry(out: &mut String, indent: &str, key: &str, text: &str) {
    if text.contains('\n') {
        push_line(out, &format!("{indent}{key}: |-"));
        for line in text.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                push_line(out, &format!("{indent}  {line}"));
            }
        }
    } else {
        push_line(out, &format!("{indent}{key}: {}", scalar(text)));
    }
}

/// `key: >-` with the text wrapped at [`WRAP`] columns; YAML folds it back into one line.
fn folded_entry(out: &mut String, indent: &str, key: &str, text: &str) {
    if text.contains('\n') {
        // A folded block would join these lines: keep them as written.
        text_entry(out, indent, key, text);
        return;
    }
    push_line(out, &format!("{indent}{key}: >-"));
    let prefix = format!("{indent}  ");
    let mut line = String::new();
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        if !line.is_empty() && prefix.len() + line.len() + 1 + word.len() > WRAP {
            push_line(out, &format!("{prefix}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    push_line(out, &format!("{prefix}{line}"));
}

/// A block-context scalar: plain when YAML reads it back as the same string, else double-quoted.
fn scalar(text: &str) -> String {
    if is_plain(text, false) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

/// A scalar inside a flow mapping (`{ ... }`), where commas and brackets end a plain value.
fn flow_scalar(text: &str) -> String {
    if is_plain(text, true) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` reads back unchanged as a plain scalar: no leading indicator, no `: ` or ` #`,
/// nothing YAML would take for a number, a boolean or null.
fn is_plain(text: &str, in_flow: bool) -> bool {
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let flow_breaker = in_flow && text.contains([',', '[', ']', '{', '}']);
    let numeric = text.parse::<f64>().is_ok() || text.starts_with(|c: char| c.is_ascii_digit());
    !indicator
        && !flow_breaker
        && !numeric
        && text.trim() == text
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.contains(['\n', '\t'])
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests;
