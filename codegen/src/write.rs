//! Checks emitted tokens parse as Rust, formats them with prettyplease, and writes files that changed.

use std::io;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

/// One generated Rust source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the output folder, e.g. `crm/email_account.rs`.
    pub path: PathBuf,
    /// The formatted source, starting with a line that names its schema.
    pub source: String,
    /// The schema file it was generated from; `None` for the module tree.
    pub schema: Option<PathBuf>,
}

/// Everything one run generates, ready to be written.
#[derive(Clone, Debug)]
pub struct Output {
    /// The generated files: the module tree first, then one file per entity in a fixed order.
    pub files: Vec<GeneratedFile>,
}

impl Output {
    /// The generated file for `schema`, the schema file's name (e.g. `EmailAccount.yaml`).
    pub fn for_schema(&self, schema: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|file| {
            file.schema
                .as_deref()
                .and_then(Path::file_name)
                .is_some_and(|name| name == schema)
        })
    }

    /// Writes every file under `folder`, leaving alone files whose content is already the same
    /// so that their timestamps, and what depends on them, do not change. Returns how many files
    /// were written.
    pub fn write_to(&self, folder: &Path) -> io::Result<usize> {
        let mut written = 0;
        for file in &self.files {
            let path = folder.join(&file.path);
            if std::fs::read_to_string(&path).is_ok_and(|existing| existing == file.source) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.source)?;
            written += 1;
        }
        Ok(written)
    }
}

/// Parses `tokens` as a Rust file (a gate: the generator never hands out code that does not
/// parse) and formats it under a `preamble` comment line.
pub(crate) fn format(tokens: TokenStream, preamble: &str) -> Result<String, syn::Error> {
    let file = syn::parse2::<syn::File>(tokens)?;
    Ok(format!("// {preamble}\n\n{}", prettyplease::unparse(&file)))
}
