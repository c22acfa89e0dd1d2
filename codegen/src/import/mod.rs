//! Writes schema files from Nexudus documentation: readers per source, a merge, and the YAML writer.

pub(crate) mod api_docs;
pub(crate) mod catalogue;
pub(crate) mod merge;
pub(crate) mod reference;
pub(crate) mod schema_doc;
pub(crate) mod seed;
pub(crate) mod source;
pub(crate) mod wire;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, Location};
use schema_doc::SchemaDoc;
use source::EntityFacts;

/// What an import wrote.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ImportReport {
    /// Schema files written because their content changed (or they are new).
    pub written: Vec<PathBuf>,
    /// Schema files whose content the import left as it was.
    pub unchanged: Vec<PathBuf>,
}

/// Imports documentation into schema files in `out`: every entity the `sources` describe gets
/// `{Entity}.yaml`, merged with the file already there (which keeps what a reviewer added), in the
/// folder of its API area (`crm/EmailAccount.yaml`) unless its file is already elsewhere in `out`.
///
/// `sources` are files or folders of them: vendor entity reference pages (`*.md`) and
/// documentation pages of a create or update operation (MDX source or rendered text).
/// `catalogues`, entity -> URL tables, supply paths the pages do not show: an entity's row comes
/// from the first of them that lists it, so the vendor's catalogue goes first and the project's
/// addendum (`schema-sources/catalogue.md`) after it. A schema names the catalogue its path came
/// from by file name, with its folder when an earlier catalogue has the same file name.
///
/// Problems in a source (a malformed line, an unknown type) are reported with their file and
/// line in the returned [`Diagnostics`], and everything else is still imported: the report and
/// the problems come back together.
pub fn import(
    sources: &[PathBuf],
    catalogues: &[PathBuf],
    out: &Path,
) -> (ImportReport, Diagnostics) {
    let mut diagnostics = Diagnostics::for_sources();
    let mut report = ImportReport::default();
    let entries: Vec<Vec<catalogue::CatalogueEntry>> = catalogues
        .iter()
        .zip(catalogue::names(catalogues))
        .map(|(path, name)| {
            read_file(path, &mut diagnostics)
                .map(|(file, text)| catalogue::read_catalogue(file, &name, &text, &mut diagnostics))
                .unwrap_or_default()
        })
        .collect();

    let mut by_entity: BTreeMap<String, Vec<EntityFacts>> = BTreeMap::new();
    for path in expand(sources, &mut diagnostics) {
        let Some((file, text)) = read_file(&path, &mut diagnostics) else {
            continue;
        };
        let facts = if text.contains("{% api-method") {
            let label = format!(
                "{}: the vendor's API documentation of 2020",
                display_name(&path)
            );
            api_docs::read_page(file, &label, &text)
        } else if is_reference(&path, &text) {
            let label = format!("{}: the vendor's entity reference", display_name(&path));
            reference::read_reference(file, &label, &text, &mut diagnostics)
        } else {
            seed::read_page(file, &display_name(&path), &text, &mut diagnostics)
                .map(|facts| label_page(facts, &text))
        };
        if let Some(facts) = facts {
            by_entity
                .entry(facts.entity.clone())
                .or_default()
                .push(facts);
        }
    }

    let shared = merge::shared_tables(&by_entity);
    for (entity, facts) in by_entity {
        let existing = existing_schema(out, &entity);
        let base = match existing.as_deref().map(read_base).transpose() {
            Ok(base) => base,
            Err(problems) => {
                let file = diagnostics.add_file(existing.as_deref().unwrap_or(out), String::new());
                diagnostics.error(
                    Location::file_start(file),
                    format!("{entity} is not imported: its schema does not load ({problems})"),
                    "fix the schema file first, so that nothing a reviewer wrote in it is lost",
                );
                continue;
            }
        };
        let row = catalogue::find(&entries, &entity, target_plural(&facts).as_deref());
        let doc = merge::merge(&entity, &facts, row, base.as_ref(), &shared);
        let target = existing.unwrap_or_else(|| new_schema_path(out, &entity, &doc.path));
        if doc.path.is_empty() {
            let at = facts
                .first()
                .map(|fact| fact.source.clone())
                .unwrap_or_default();
            let file = diagnostics.add_file(&target, String::new());
            diagnostics.error(
                Location::file_start(file),
                format!("{entity} is not imported: no source gives its URL path ({at})"),
                "add its row to a catalogue (the project's addendum, `schema-sources/catalogue.md`, \
                 holds rows the vendor's lacks), or import a documentation page that shows the URL",
            );
            continue;
        }
        let text = doc.to_yaml();
        let previous = std::fs::read_to_string(&target).ok();
        if previous.as_deref() == Some(text.as_str()) {
            report.unchanged.push(target);
            continue;
        }
        let folder = target.parent().unwrap_or(out);
        let written = std::fs::create_dir_all(folder).and_then(|()| std::fs::write(&target, &text));
        match written {
            Ok(()) => report.written.push(target),
            Err(error) => {
                let file = diagnostics.add_file(&target, String::new());
                diagnostics.error(
                    Location::file_start(file),
                    format!("cannot write the schema: {error}"),
                    "check that the output folder is writable",
                );
            }
        }
    }
    (report, diagnostics)
}

/// The files of `sources`, folders expanded to their pages in name order. A folder of the 2020
/// API documentation (`rest-api/{area}/`) is read with its subfolders; its area indexes
/// (`README.md`) and the stubs with no operation block (the old `mrm/` pages, which hold only a
/// title) document no entity and are skipped.
fn expand(sources: &[PathBuf], diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for source in sources {
        if source.is_dir() && source.join("README.md").is_file() {
            let mut pages = Vec::new();
            collect_api_pages(source, &mut pages);
            pages.sort();
            files.extend(pages);
        } else if source.is_dir() {
            match std::fs::read_dir(source) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(Result::ok)
                        .map(|entry| entry.path())
                        .filter(|path| {
                            path.is_file()
                                && path.extension().is_some_and(|extension| {
                                    extension == "md" || extension == "mdx" || extension == "txt"
                                })
                        })
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(error) => {
                    let file = diagnostics.add_file(source, String::new());
                    diagnostics.error(
                        Location::file_start(file),
                        format!("cannot read the folder: {error}"),
                        "pass documentation files or folders that hold them",
                    );
                }
            }
        } else {
            files.push(source.clone());
        }
    }
    files
}

/// Every page below `folder` but its indexes, for [`expand`].
fn collect_api_pages(folder: &Path, pages: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
        if path.is_dir() {
            collect_api_pages(&path, pages);
        } else if path.extension().is_some_and(|extension| extension == "md")
            && path.file_name().is_some_and(|name| name != "README.md")
            && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("{% api-method"))
        {
            pages.push(path);
        }
    }
}

/// The schema file of `entity` already in `out`: at its top level or in an area's folder.
fn existing_schema(out: &Path, entity: &str) -> Option<PathBuf> {
    let file = format!("{entity}.yaml");
    std::iter::once(out.join(&file))
        .chain(crate::area_names().map(|area| out.join(area).join(&file)))
        .find(|path| path.is_file())
}

/// Where a new schema file of `entity` goes: the folder of the API area its `path` names
/// (`/api/crm/emailaccounts` -> `crm/`), or `out` itself for a path without one.
fn new_schema_path(out: &Path, entity: &str, path: &str) -> PathBuf {
    let file = format!("{entity}.yaml");
    match path.split('/').nth(2) {
        Some(area) if crate::ir::Area::named(area).is_some() => out.join(area).join(file),
        _ => out.join(file),
    }
}

fn read_file(path: &Path, diagnostics: &mut Diagnostics) -> Option<(usize, String)> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some((diagnostics.add_file(path, text.clone()), text)),
        Err(error) => {
            let file = diagnostics.add_file(path, String::new());
            diagnostics.error(
                Location::file_start(file),
                format!("cannot read the file: {error}"),
                "check that it exists, is readable and is UTF-8",
            );
            None
        }
    }
}

/// The vendor reference is generated markdown with option tables; pages are anything else.
fn is_reference(path: &Path, text: &str) -> bool {
    path.extension().is_some_and(|extension| extension == "md")
        && (text.contains("BEGIN:GENERATED")
            || text.contains(" create options")
            || text.contains(" list filter options"))
}

/// `entities/emailaccounts.md`: the file with its folder, which says what kind of source it is.
fn display_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned());
    match (folder, name) {
        (Some(folder), Some(name)) => format!("{folder}/{name}"),
        (None, Some(name)) => name,
        _ => path.display().to_string(),
    }
}

/// A page's source label as a reviewer reads it: the operation, its URL and the page's form.
fn label_page(mut facts: EntityFacts, text: &str) -> EntityFacts {
    let (operation, method) = if facts.create.is_some() {
        ("Create", "POST")
    } else {
        ("Update", "PUT")
    };
    let form = if text.contains("<ParamField") {
        "the documentation page's MDX source"
    } else {
        "the rendered documentation page"
    };
    let path = facts
        .path
        .as_ref()
        .map(|path| format!(" ({method} {})", path.value))
        .unwrap_or_default();
    facts.source = format!("{operation} {}{path}: {form}", facts.entity);
    facts
}

/// The plural URL segment a source shows, to find the entity in the catalogue.
fn target_plural(facts: &[EntityFacts]) -> Option<String> {
    let path = facts.iter().find_map(|fact| fact.path.as_ref())?;
    path.value.rsplit('/').next().map(str::to_owned)
}

/// The schema at `path`; an error when it does not load.
fn read_base(path: &Path) -> Result<SchemaDoc, String> {
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    let mut problems = Diagnostics::default();
    let raw = crate::load::load(path, &mut problems);
    match raw.first() {
        Some(raw) if problems.is_empty() => Ok(SchemaDoc::from_raw(raw, &text)),
        _ => Err(format!(
            "{} problem(s); run `nexudus-codegen check`",
            problems.len().max(1)
        )),
    }
}
