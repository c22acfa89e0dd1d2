//! Generates the Nexudus SDK's request types, validators and client methods from YAML schemas.
//!
//! The pipeline is `load` (YAML to a raw model with positions) -> `check` (resolve and validate
//! into the IR, collecting every problem) -> `emit` (IR to tokens) -> `write` (parse, format,
//! write what changed). [`generate`] runs it; a build script or the `nexudus-codegen` CLI calls it.
//!
//! ```no_run
//! let output = nexudus_codegen::generate(std::path::Path::new("schema"))
//!     .unwrap_or_else(|problems| panic!("{problems}"));
//! output.write_to(std::path::Path::new("out"))?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Features choose what is compiled: none gives only the [`model`](mod@model) types; `check` loads and
//! checks schema files ([`model()`], [`spellings`]); `generate` emits the SDK's code as the
//! compiler reads it ([`generate_area`] and [`generate_sdk`] with [`Layout::Compact`], what the
//! build scripts of the area crates and of the SDK run); `format` also formats it for reading
//! ([`generate`]); `import` writes schemas from documentation ([`import`]); `cli`, the default, is
//! all of them and the `nexudus-codegen` command.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "check")]
mod check;
#[cfg(feature = "check")]
mod diagnostics;
#[cfg(feature = "generate")]
mod emit;
#[cfg(feature = "generate")]
mod generate;
#[cfg(feature = "import")]
mod import;
#[cfg(feature = "check")]
mod ir;
#[cfg(feature = "check")]
mod load;
pub mod model;
#[cfg(feature = "check")]
mod naming;
#[cfg(feature = "check")]
mod provenance;
#[cfg(feature = "generate")]
mod write;

#[cfg(feature = "check")]
pub use diagnostics::Diagnostics;
#[cfg(feature = "format")]
pub use generate::generate;
#[cfg(feature = "generate")]
pub use generate::{generate_area, generate_areas, generate_sdk};
#[cfg(feature = "import")]
pub use import::{ImportReport, import};
pub use model::Model;
#[cfg(feature = "check")]
pub use model::model;
#[cfg(feature = "check")]
pub use provenance::{FieldSpelling, spellings};
#[cfg(feature = "generate")]
pub use write::{GeneratedFile, Layout, Output, finish_build_script};

/// The API areas (`/api/{area}/...`) a schema may use, in order: the SDK has one Cargo feature
/// for each.
#[cfg(feature = "check")]
pub fn area_names() -> impl Iterator<Item = &'static str> {
    ir::AREAS.iter().map(|area| area.name)
}
