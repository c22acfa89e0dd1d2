//! Reads schema files into the raw model, which mirrors the YAML and keeps every value's position.

use std::path::{Path, PathBuf};

use marked_yaml::{LoadError, LoaderOptions, Node, Spanned};
use serde::Deserialize;

use crate::diagnostics::{Diagnostics, FileId, Location};

/// One schema file as written: nothing resolved, nothing checked beyond its YAML shape.
pub(crate) struct RawEntity {
    pub(crate) file: FileId,
    pub(crate) entity: Option<Spanned<String>>,
    pub(crate) path: Option<Spanned<String>>,
    pub(crate) description: Option<Spanned<String>>,
    pub(crate) operations: Vec<Spanned<String>>,
    pub(crate) enums: Vec<RawEnum>,
    pub(crate) fields: Vec<RawField>,
    /// The `eWebhookAction` members whose webhook payload is a record of this entity.
    pub(crate) webhook_actions: Vec<Spanned<String>>,
    /// Free text for reviewers, not generated; kept so that a re-import preserves it.
    pub(crate) notes: Option<String>,
    pub(crate) sources: Vec<String>,
}

/// An entry of `enums:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnum {
    pub(crate) name: Spanned<String>,
    pub(crate) description: Spanned<String>,
    pub(crate) values: Vec<RawEnumValue>,
}

/// One known member of an enum.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnumValue {
    pub(crate) value: Spanned<i64>,
    pub(crate) name: Spanned<String>,
    pub(crate) description: Option<String>,
    pub(crate) rust_name: Option<Spanned<String>>,
}

/// An entry of `fields:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    pub(crate) name: Spanned<String>,
    #[serde(rename = "type")]
    pub(crate) ty: Spanned<String>,
    pub(crate) description: Spanned<String>,
    pub(crate) create: Spanned<String>,
    pub(crate) update: Spanned<String>,
    #[serde(default)]
    pub(crate) secret: Option<Spanned<bool>>,
    #[serde(default)]
    pub(crate) read_only: Option<Spanned<bool>>,
    #[serde(default)]
    pub(crate) spelled_by: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) default: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) rules: Vec<RawRule>,
    #[serde(default)]
    pub(crate) notes: Option<String>,
    #[serde(default)]
    pub(crate) rust_name: Option<Spanned<String>>,
}

/// An entry of a field's `rules:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub(crate) kind: Spanned<String>,
    #[serde(default)]
    pub(crate) min: Option<Spanned<i64>>,
    #[serde(default)]
    pub(crate) max: Option<Spanned<i64>>,
    pub(crate) reason: Spanned<String>,
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "entity",
    "path",
    "description",
    "operations",
    "enums",
    "fields",
    "webhook_actions",
    "notes",
    "sources",
];

const FORMAT_HELP: &str = "the schema format is described in schema/README.md";

/// Loads `input`: a schema file, or a folder of them (`*.yaml`) and of folders of them, one per
/// API area (`crm/EmailAccount.yaml`), in path order.
pub(crate) fn load(input: &Path, diagnostics: &mut Diagnostics) -> Vec<RawEntity> {
    let paths = match schema_paths(input) {
        Ok(paths) => paths,
        Err(message) => {
            let file = diagnostics.add_file(input, String::new());
            diagnostics.error(
                Location::file_start(file),
                message,
                "pass a `.yaml` schema file or a folder that holds some",
            );
            return Vec::new();
        }
    };
    let mut entities = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let file = diagnostics.add_file(&path, text.clone());
                if let Some(entity) = load_text(file, &text, diagnostics) {
                    entities.push(entity);
                }
            }
            Err(error) => {
                let file = diagnostics.add_file(&path, String::new());
                diagnostics.error(
                    Location::file_start(file),
                    format!("cannot read the file: {error}"),
                    "check that it exists, is readable and is UTF-8",
                );
            }
        }
    }
    entities
}

fn schema_paths(input: &Path) -> Result<Vec<PathBuf>, String> {
    if input.is_file() {
        return Ok(vec![input.to_path_buf()]);
    }
    let mut paths = Vec::new();
    for entry in folder_entries(input)? {
        if entry.is_dir() {
            paths.extend(
                folder_entries(&entry)?
                    .into_iter()
                    .filter(|path| is_schema_file(path)),
            );
        } else if is_schema_file(&entry) {
            paths.push(entry);
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no `.yaml` schema files in `{}`", input.display()));
    }
    Ok(paths)
}

/// The paths of the entries of `folder`.
fn folder_entries(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(folder)
        .map_err(|error| format!("cannot read `{}`: {error}", folder.display()))?;
    Ok(entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect())
}

/// Whether `path` names a schema file (`.yaml` or `.yml`).
pub(crate) fn is_schema_file(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|extension| extension == "yaml" || extension == "yml")
}

fn load_text(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> Option<RawEntity> {
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .toplevel_mapping();
    let root = match marked_yaml::parse_yaml_with_options(file, text, options) {
        Ok(root) => root,
        Err(error) => {
            report_load_error(file, &error, diagnostics);
            return None;
        }
    };
    let mapping = root.as_mapping()?;
    let mut entity = RawEntity {
        file,
        entity: None,
        path: None,
        description: None,
        operations: Vec::new(),
        enums: Vec::new(),
        fields: Vec::new(),
        webhook_actions: Vec::new(),
        notes: None,
        sources: Vec::new(),
    };
    for (key, value) in mapping.iter() {
        match key.as_str() {
            "entity" => entity.entity = item(file, value, diagnostics),
            "path" => entity.path = item(file, value, diagnostics),
            "description" => entity.description = item(file, value, diagnostics),
            "operations" => entity.operations = item(file, value, diagnostics).unwrap_or_default(),
            "enums" => entity.enums = items(file, value, "enums", diagnostics),
            "fields" => entity.fields = items(file, value, "fields", diagnostics),
            "webhook_actions" => {
                entity.webhook_actions = item(file, value, diagnostics).unwrap_or_default();
            }
            "notes" => entity.notes = item(file, value, diagnostics),
            "sources" => entity.sources = item(file, value, diagnostics).unwrap_or_default(),
            other => {
                diagnostics.error(
                    Location::from_marker(file, key.span().start()),
                    format!("unknown top-level key `{other}`"),
                    format!("expected one of {}", backticked(TOP_LEVEL_KEYS)),
                );
            }
        }
    }
    for (key, present) in [
        ("entity", entity.entity.is_some()),
        ("path", entity.path.is_some()),
        ("description", entity.description.is_some()),
    ] {
        if !present && mapping.get_node(key).is_none() {
            diagnostics.error(
                Location::file_start(file),
                format!("missing top-level key `{key}`"),
                FORMAT_HELP,
            );
        }
    }
    Some(entity)
}

/// Deserializes one node, reporting (not returning) a failure.
fn item<T: for<'de> Deserialize<'de>>(
    file: FileId,
    node: &Node,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    match marked_yaml::from_node::<T>(node) {
        Ok(value) => Some(value),
        Err(error) => {
            let marker = error_marker(&error, node);
            let (message, help) = describe(&error);
            diagnostics.error(Location::from_marker(file, marker.as_ref()), message, help);
            None
        }
    }
}

/// Deserializes each entry of a list on its own, so one bad entry hides no problem in the others.
fn items<T: for<'de> Deserialize<'de>>(
    file: FileId,
    node: &Node,
    key: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<T> {
    let Some(sequence) = node.as_sequence() else {
        diagnostics.error(
            Location::from_marker(file, node.span().start()),
            format!("`{key}` must be a list"),
            format!("write each entry of `{key}` on its own line, starting with `- `"),
        );
        return Vec::new();
    };
    sequence
        .iter()
        .filter_map(|entry| item(file, entry, diagnostics))
        .collect()
}

/// Where to point for a deserialization error: at an unknown key itself, or at the first key of a
/// mapping that lacks one, rather than at the mapping's opening.
fn error_marker(error: &marked_yaml::Error, node: &Node) -> Option<marked_yaml::Marker> {
    let mapping = node.as_mapping();
    if let (marked_yaml::Error::UnknownFieldError(key, _, _), Some(mapping)) = (error, mapping) {
        if let Some(found) = mapping.keys().find(|candidate| candidate.as_str() == key) {
            return found.span().start().copied();
        }
    }
    if let (marked_yaml::Error::Other(..), Some(mapping)) = (error, mapping) {
        if let Some(first) = mapping.keys().next() {
            return first.span().start().copied();
        }
    }
    error.start_mark().or_else(|| node.span().start().copied())
}

fn describe(error: &marked_yaml::Error) -> (String, String) {
    match error {
        marked_yaml::Error::UnknownFieldError(key, expected, _) => (
            format!("unknown key `{key}`"),
            format!("expected one of {}", backticked(expected)),
        ),
        marked_yaml::Error::NotBoolean(_) => (
            "expected `true` or `false`".to_owned(),
            "write the flag as `true` or `false`".to_owned(),
        ),
        marked_yaml::Error::IntegerParseFailure(error, _) => (
            format!("expected a whole number ({error})"),
            "write a whole number such as `1` or `-5`".to_owned(),
        ),
        other => {
            // serde speaks of struct fields; a schema author writes keys.
            let message = other.to_string();
            let message = match message.strip_prefix("missing field ") {
                Some(key) => format!("missing key {key}"),
                None => message,
            };
            (message, FORMAT_HELP.to_owned())
        }
    }
}

fn report_load_error(file: FileId, error: &LoadError, diagnostics: &mut Diagnostics) {
    let at = |marker| Location::from_marker(file, Some(marker));
    match error {
        LoadError::TopLevelMustBeMapping(marker) => {
            diagnostics.error(
                at(marker),
                "a schema file must be a YAML mapping",
                "start the file with `entity: Name`",
            );
        }
        LoadError::DuplicateKey(keys) => {
            diagnostics.error(
                Location::from_marker(file, keys.key.span().start()),
                format!("duplicate key `{}`", keys.key.as_str()),
                "remove or rename one of the two",
            );
            diagnostics.also(
                Location::from_marker(file, keys.prev_key.span().start()),
                "first written here",
            );
        }
        LoadError::ScanError(marker, scan) => {
            diagnostics.error(
                at(marker),
                format!("invalid YAML: {}", scan.info()),
                "fix the YAML syntax (indentation, quotes, colons)",
            );
        }
        LoadError::UnexpectedAnchor(marker) | LoadError::UnexpectedTag(marker) => {
            diagnostics.error(
                at(marker),
                "YAML anchors, aliases and tags are not supported in schemas",
                "write the value out in full",
            );
        }
        LoadError::MappingKeyMustBeScalar(marker) | LoadError::TopLevelMustBeSequence(marker) => {
            diagnostics.error(at(marker), "keys must be plain strings", FORMAT_HELP);
        }
    }
}

pub(crate) fn backticked(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| format!("`{word}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
