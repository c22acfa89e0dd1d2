//! Reads the entity catalogues (`catalogue.md`): each entity's URL path, its area, and how sure that is.
//!
//! A catalogue is one markdown table, `| Entity | plural | path | ops | confidence | evidence |`,
//! one row per entity. Reference pages are named by plural (`emailaccounts.md`), so entries are
//! found with [`by_plural`]. An import may read several catalogues, the vendor's and the project's
//! addendum of rows the vendor's lacks: [`find`] looks an entity up across them, in order, and
//! [`names`] says how a schema names each one.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, FileId, Location};
use crate::import::reference::{Cell, is_separator, table_cells};

/// The catalogue's columns, in order.
const COLUMNS: [&str; 6] = ["Entity", "plural", "path", "ops", "confidence", "evidence"];

/// How sure the catalogue is of an entity's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Confidence {
    /// A documentation page or documentation source file shows this exact path.
    Documented,
    /// Only public client code uses the path.
    ClientCode,
    /// Nothing was found: the area is guessed from the entity's family.
    Inferred,
}

/// One row of the catalogue.
#[derive(Clone, Debug, PartialEq)]
#[allow(
    dead_code,
    reason = "the import command that calls the readers is being written alongside"
)]
pub(crate) struct CatalogueEntry {
    /// The singular entity name, `EmailAccount`.
    pub(crate) entity: String,
    /// The lower-case URL segment, `emailaccounts`.
    pub(crate) plural: String,
    /// The collection path, `/api/crm/emailaccounts`.
    pub(crate) path: String,
    /// The path's area, `crm`.
    pub(crate) area: String,
    /// The operations as the catalogue writes them (`CRUD`, `list,get`, `?`): free text.
    pub(crate) ops: String,
    pub(crate) confidence: Confidence,
    /// The sources and caveats, as written.
    pub(crate) evidence: String,
    /// How a schema names the catalogue the row is from (see [`names`]): `catalogue.md`.
    pub(crate) catalogue: String,
    /// The row.
    pub(crate) at: Location,
}

/// Reads the catalogue `text` (registered as `file`, named `name` in schemas). A malformed row is
/// recorded in `diagnostics` with its line and skipped; the other rows are still read.
pub(crate) fn read_catalogue(
    file: FileId,
    name: &str,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<CatalogueEntry> {
    let at = |line: usize, column: usize| Location { file, line, column };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line));
    // The table starts at its header, the first row whose first cell is `Entity`.
    let header = lines.by_ref().find_map(|(number, line)| {
        table_cells(line)
            .filter(|cells| cells.first().is_some_and(|cell| cell.text == COLUMNS[0]))
            .map(|cells| (number, cells))
    });
    let Some((number, header)) = header else {
        diagnostics.error(
            Location::file_start(file),
            "the catalogue has no table",
            format!(
                "the reader expects a table headed `| {} |`",
                COLUMNS.join(" | ")
            ),
        );
        return Vec::new();
    };
    let names: Vec<&str> = header.iter().map(|cell| cell.text.as_str()).collect();
    if names != COLUMNS {
        diagnostics.error(
            at(number, header[0].column),
            format!("unexpected catalogue columns `{}`", names.join(" | ")),
            format!(
                "the reader expects `| {} |`; the table is not read",
                COLUMNS.join(" | ")
            ),
        );
        return Vec::new();
    }
    let mut entries: Vec<CatalogueEntry> = Vec::new();
    let mut first_row = true;
    for (number, line) in lines {
        // The table ends at the first line that is not a row.
        let Some(cells) = table_cells(line) else {
            break;
        };
        if std::mem::take(&mut first_row) && is_separator(&cells) {
            continue;
        }
        let row_at = at(
            number,
            line.chars().take_while(|c| c.is_whitespace()).count() + 1,
        );
        let Some(entry) = read_row(file, name, number, row_at, &cells, diagnostics) else {
            continue;
        };
        if let Some(first) = entries
            .iter()
            .find(|known| known.plural.eq_ignore_ascii_case(&entry.plural))
        {
            diagnostics
                .error(
                    entry.at,
                    format!("`{}` is listed twice", entry.plural),
                    "keep one row per entity; this one is skipped",
                )
                .also(first.at, "first listed here");
            continue;
        }
        entries.push(entry);
    }
    entries
}

/// The entry whose plural is `plural`, ignoring case: `EmailAccounts` finds `emailaccounts`.
pub(crate) fn by_plural<'a>(
    entries: &'a [CatalogueEntry],
    plural: &str,
) -> Option<&'a CatalogueEntry> {
    entries
        .iter()
        .find(|entry| entry.plural.eq_ignore_ascii_case(plural))
}

/// The row of `entity` in the first of `catalogues` that has it, by its name or else by the plural
/// a source shows in its URL (`plural`).
///
/// The first catalogue that has the entity wins outright, so that a row is never assembled from
/// two files: the vendor's catalogue comes first, and an addendum only fills its gaps.
pub(crate) fn find<'a>(
    catalogues: &'a [Vec<CatalogueEntry>],
    entity: &str,
    plural: Option<&str>,
) -> Option<&'a CatalogueEntry> {
    catalogues.iter().find_map(|entries| {
        entries
            .iter()
            .find(|entry| entry.entity == entity)
            .or_else(|| by_plural(entries, plural?))
    })
}

/// How schemas name each of the catalogue files `paths`, in order: by file name (`catalogue.md`),
/// unless an earlier catalogue is already named so, when its folder is added
/// (`schema-sources/catalogue.md`), or failing that the whole path.
///
/// The first catalogue keeps the bare name, so a schema sourced from the vendor's catalogue reads
/// `path: catalogue.md (...)` whether or not an addendum is imported with it, and a row from an
/// addendum of the same file name is still told apart.
pub(crate) fn names(paths: &[PathBuf]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(paths.len());
    for path in paths {
        let file = path.file_name().map(|name| name.to_string_lossy());
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .map(|name| name.to_string_lossy());
        let candidates = [
            file.as_deref().map(str::to_owned),
            file.as_deref()
                .zip(folder.as_deref())
                .map(|(file, folder)| format!("{folder}/{file}")),
        ];
        let name = candidates
            .into_iter()
            .flatten()
            .find(|candidate| !names.contains(candidate))
            .unwrap_or_else(|| path.display().to_string());
        names.push(name);
    }
    names
}

/// One data row of the catalogue `name`, or `None` (with a diagnostic) when it is malformed.
fn read_row(
    file: FileId,
    name: &str,
    number: usize,
    row_at: Location,
    cells: &[Cell],
    diagnostics: &mut Diagnostics,
) -> Option<CatalogueEntry> {
    let at = |column: usize| Location {
        file,
        line: number,
        column,
    };
    if cells.len() < COLUMNS.len() {
        diagnostics.error(
            row_at,
            format!(
                "this row has {} cell{}, not {}",
                cells.len(),
                if cells.len() == 1 { "" } else { "s" },
                COLUMNS.len()
            ),
            format!("write `| {} |`; the row is skipped", COLUMNS.join(" | ")),
        );
        return None;
    }
    if let Some(empty) = cells[..2].iter().position(|cell| cell.text.is_empty()) {
        diagnostics.error(
            at(cells[empty].column),
            format!("the {} cell is empty", COLUMNS[empty]),
            "every row names its entity and plural; the row is skipped",
        );
        return None;
    }
    let entity = cells[0].text.clone();
    let plural = cells[1].text.clone();
    let Some(confidence) = confidence(&cells[4].text) else {
        diagnostics.error(
            at(cells[4].column),
            format!("unknown confidence `{}`", cells[4].text),
            "the confidence is documented, client-code or inferred; the row is skipped",
        );
        return None;
    };
    let (path, area) = match path(&cells[2].text, &plural, confidence) {
        Ok(found) => found,
        Err((message, help)) => {
            diagnostics.error(at(cells[2].column), message, help);
            return None;
        }
    };
    // Surplus cells are an unescaped `|` inside the last, free-text column: rejoin them.
    let evidence = cells[5..]
        .iter()
        .map(|cell| cell.text.as_str())
        .collect::<Vec<_>>()
        .join("|");
    Some(CatalogueEntry {
        entity,
        plural,
        path,
        area,
        ops: cells[3].text.clone(),
        confidence,
        evidence,
        catalogue: name.to_owned(),
        at: at(cells[0].column),
    })
}

/// The confidence a cell names.
fn confidence(text: &str) -> Option<Confidence> {
    match text {
        "documented" => Some(Confidence::Documented),
        "client-code" => Some(Confidence::ClientCode),
        "inferred" => Some(Confidence::Inferred),
        _ => None,
    }
}

/// The path and area of a path cell, `` `/api/crm/emailaccounts` ``; an inferred path may be
/// followed by `(guess)`. The path must end in the row's plural, or the row contradicts itself.
fn path(
    text: &str,
    plural: &str,
    confidence: Confidence,
) -> Result<(String, String), (String, String)> {
    let shape = || {
        (
            format!("`{text}` is not a collection path"),
            format!("write the path as a code span, `/api/{{area}}/{plural}`; the row is skipped"),
        )
    };
    let (path, rest) = text
        .strip_prefix('`')
        .and_then(|after| after.split_once('`'))
        .ok_or_else(shape)?;
    let (area, last) = path
        .strip_prefix("/api/")
        .and_then(|rest| rest.split_once('/'))
        .ok_or_else(shape)?;
    let is_segment = |segment: &str| {
        !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    if !is_segment(area) || !is_segment(last) {
        return Err(shape());
    }
    if last != plural {
        return Err((
            format!("the path `{path}` does not end in the row's plural `{plural}`"),
            "correct the path or the plural; the row is skipped".to_owned(),
        ));
    }
    match rest.trim() {
        "" => {}
        "(guess)" if confidence == Confidence::Inferred => {}
        other => {
            return Err((
                format!("unexpected `{other}` after the path"),
                "only an inferred path may be marked `(guess)`; the row is skipped".to_owned(),
            ));
        }
    }
    Ok((path.to_owned(), area.to_owned()))
}

#[cfg(test)]
mod tests;
