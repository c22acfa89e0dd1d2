//! Runs the pipeline: load, check, emit and lay out the code of the enabled API areas, for the
//! command line (everything at once), an area crate's build script (one area's folder) and the
//! SDK's (the re-exports, accessors and webhook events that span the areas).

use std::path::Path;

use proc_macro2::TokenStream;

use crate::diagnostics::{self, Diagnostics};
use crate::ir::{AREAS, Area, Ir};
use crate::write::{self, GeneratedFile, Layout, Output};
use crate::{check, emit};

/// The SDK's re-exports of the enabled areas, in its output folder.
const SDK_AREAS_FILE: &str = "areas.rs";
/// The SDK's `impl Client` with one accessor per entity, in its output folder.
const SDK_ACCESSORS_FILE: &str = "accessors.rs";

/// Generates the SDK code for `input`: a schema file or a folder of `*.yaml` schema files.
///
/// On success the [`Output`] holds every generated file, formatted and deterministic: the same
/// schemas give byte-identical output. On failure the [`Diagnostics`] hold every problem found in
/// every file, each with its file, line and column and a hint on how to fix it.
#[cfg(feature = "format")]
pub fn generate(input: &Path) -> Result<Output, Diagnostics> {
    generate_areas(input, crate::area_names(), Layout::Formatted)
}

/// The code of the entities of the given API areas only (see [`area_names`](crate::area_names)),
/// laid out as `layout` asks: every schema is still checked, but only these areas' code is
/// emitted. That is each area crate's files ([`generate_area`]) and the SDK's
/// ([`generate_sdk`]) together. The same schemas give byte-identical output in either layout.
pub fn generate_areas<'a>(
    input: &Path,
    areas: impl IntoIterator<Item = &'a str>,
    layout: Layout,
) -> Result<Output, Diagnostics> {
    let (ir, mut diagnostics) = check::checked(input)?;
    let areas = enabled(areas);
    let mut files = Vec::new();
    for area in &areas {
        files.extend(area_files(&ir, *area, layout, input, &mut diagnostics));
    }
    files.extend(sdk_files(&ir, &areas, layout, input, &mut diagnostics));
    finish(files, diagnostics)
}

/// The code of one API area's crate (`nexudus-crm`), from `folder`, the schema files of that area
/// alone (`schema/crm/`): its root (`crm.rs`), its documentation (`crm.md`) and a file per entity
/// (`crm/email_account.rs`). A folder that does not exist or holds no schema gives an area with
/// no entity. What spans the areas (accessors, webhook events) is checked by [`generate_sdk`].
pub fn generate_area(folder: &Path, area: &str, layout: Layout) -> Result<Output, Diagnostics> {
    let Some(area) = Area::named(area) else {
        let mut diagnostics = Diagnostics::default();
        let file = diagnostics.add_file(folder, String::new());
        diagnostics.error(
            diagnostics::Location::file_start(file),
            format!("unknown API area `{area}`"),
            format!("expected one of {}", Area::listed()),
        );
        return Err(diagnostics);
    };
    let (ir, mut diagnostics) = if has_schema_files(folder) {
        check::checked_as(folder, check::Scope::Area)?
    } else {
        (
            Ir {
                entities: Vec::new(),
            },
            Diagnostics::default(),
        )
    };
    let files = area_files(&ir, area, layout, folder, &mut diagnostics);
    finish(files, diagnostics)
}

/// The SDK crate's own code for the enabled `areas` of the schema folder `input`: the area
/// crates re-exported under the areas' names (`areas.rs`), `Client`'s accessor of each entity
/// (`accessors.rs`) and the webhook events (`webhooks.rs`). Every schema is checked, those across
/// areas too; since each area crate is built from its area's folder alone, a schema file must be
/// in its area's folder (`crm/EmailAccount.yaml`), not at the top of `input`.
pub fn generate_sdk<'a>(
    input: &Path,
    areas: impl IntoIterator<Item = &'a str>,
    layout: Layout,
) -> Result<Output, Diagnostics> {
    let (ir, mut diagnostics) = check::checked(input)?;
    for entity in &ir.entities {
        let file = diagnostics.file_path(entity.origin.file);
        if input.is_dir() && file.parent() != Some(input.join(entity.area.name).as_path()) {
            diagnostics.error(
                entity.origin,
                format!(
                    "`{}` is not in the folder of its API area, `{}/`",
                    entity.schema_file, entity.area.name
                ),
                format!(
                    "move it into `{}/`: the SDK builds each area's crate from that area's folder alone",
                    entity.area.name
                ),
            );
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let files = sdk_files(&ir, &enabled(areas), layout, input, &mut diagnostics);
    finish(files, diagnostics)
}

/// The known areas among `names`, in the generator's order.
fn enabled<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Area> {
    let names: Vec<&str> = names.into_iter().collect();
    AREAS
        .iter()
        .copied()
        .filter(|area| names.contains(&area.name))
        .collect()
}

/// Whether `folder` holds a schema file: an area without one has no entity.
fn has_schema_files(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|entry| crate::load::is_schema_file(&entry.path()))
    })
}

/// An area crate's files: its root, its documentation and one file per entity of `area`.
fn area_files(
    ir: &Ir,
    area: Area,
    layout: Layout,
    input: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<GeneratedFile> {
    let entities: Vec<_> = ir
        .entities
        .iter()
        .filter(|entity| entity.area == area)
        .collect();
    let mut files = Vec::new();
    let root = format!(
        "Generated by nexudus-codegen: the module of every schema of the `{}` area. Do not edit by hand.",
        area.name
    );
    if let Some(file) = render(
        emit::area_modules(entities.iter().copied()),
        &root,
        format!("{}.rs", area.name),
        None,
        layout,
        (input, diagnostics),
    ) {
        files.push(file);
    }
    files.push(GeneratedFile {
        path: format!("{}.md", area.name).into(),
        source: emit::area_doc(area),
        schema: None,
    });
    for entity in entities {
        let preamble = format!(
            "Generated by nexudus-codegen from schema `{}`. Do not edit by hand: edit the schema.",
            entity.schema_file
        );
        let schema = Some(diagnostics.file_path(entity.origin.file).to_path_buf());
        if let Some(file) = render(
            emit::entity(entity),
            &preamble,
            emit::entity_file_path(entity),
            schema,
            layout,
            (input, diagnostics),
        ) {
            files.push(file);
        }
    }
    files
}

/// The SDK crate's files for the enabled `areas`: re-exports, accessors and webhook events.
fn sdk_files(
    ir: &Ir,
    areas: &[Area],
    layout: Layout,
    input: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<GeneratedFile> {
    let entities: Vec<_> = ir
        .entities
        .iter()
        .filter(|entity| areas.contains(&entity.area))
        .collect();
    let parts = [
        (
            emit::area_reexports(areas),
            "Generated by nexudus-codegen: the module of each enabled API area. Do not edit by hand.",
            SDK_AREAS_FILE,
        ),
        (
            emit::accessors(entities.iter().copied()),
            "Generated by nexudus-codegen: the client method of every entity. Do not edit by hand.",
            SDK_ACCESSORS_FILE,
        ),
        (
            emit::webhook_events(entities.iter().copied()),
            "Generated by nexudus-codegen: the record type of each webhook action. Do not edit by hand.",
            emit::WEBHOOKS_FILE,
        ),
    ];
    parts
        .into_iter()
        .filter_map(|(tokens, preamble, path)| {
            render(
                tokens,
                preamble,
                path.into(),
                None,
                layout,
                (input, diagnostics),
            )
        })
        .collect()
}

/// One file laid out, or the internal error that its tokens do not parse.
fn render(
    tokens: TokenStream,
    preamble: &str,
    path: String,
    schema: Option<std::path::PathBuf>,
    layout: Layout,
    (input, diagnostics): (&Path, &mut Diagnostics),
) -> Option<GeneratedFile> {
    match write::render(tokens, preamble, layout) {
        Ok(source) => Some(GeneratedFile {
            path: path.into(),
            source,
            schema,
        }),
        Err(error) => {
            internal_error(diagnostics, input, &path, &error);
            None
        }
    }
}

fn finish(files: Vec<GeneratedFile>, diagnostics: Diagnostics) -> Result<Output, Diagnostics> {
    if diagnostics.is_empty() {
        Ok(Output { files })
    } else {
        Err(diagnostics)
    }
}

/// Generated tokens that do not parse are a bug in the generator, reported rather than panicked on.
fn internal_error(diagnostics: &mut Diagnostics, input: &Path, what: &str, error: &str) {
    let file = diagnostics.add_file(input, String::new());
    diagnostics.error(
        diagnostics::Location::file_start(file),
        format!("internal error: the code generated for {what} does not parse: {error}"),
        "this is a bug in nexudus-codegen; please report it with the schema that caused it",
    );
}
