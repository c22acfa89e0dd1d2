//! Lays out emitted tokens as source text (formatted with prettyplease for reading, or compact for
//! the compiler alone) and writes the files that changed.

use std::io;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

/// One generated Rust source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the output folder, e.g. `crm/email_account.rs`.
    pub path: PathBuf,
    /// The source, laid out as asked, starting with a line that names its schema.
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

/// The end of a build script that generates code: writes `generated` into Cargo's `OUT_DIR`, or
/// prints its problems (Cargo shows them with the failed build), and answers the exit code.
pub fn finish_build_script(
    generated: Result<Output, crate::Diagnostics>,
) -> std::process::ExitCode {
    let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let output = match generated {
        Ok(output) => output,
        Err(problems) => {
            eprintln!("{problems}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Err(error) = output.write_to(&out_dir) {
        eprintln!(
            "error: cannot write the generated code into {}: {error}",
            out_dir.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

/// How generated files are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layout {
    /// Parsed and pretty-printed, a blank line between items: code to read and review, as the
    /// command line writes it.
    #[cfg(feature = "format")]
    Formatted,
    /// The tokens as they are, one top-level item a line: code only the compiler reads, as the
    /// SDK's build script writes it. Parsing and pretty-printing the whole catalogue would take
    /// most of an unoptimised build script's run.
    Compact,
}

/// `tokens` as source text laid out as `layout` asks, under a `preamble` comment line. Formatting
/// parses the tokens as a Rust file first, a gate: the generator never hands out code that does
/// not parse. Compact text is parsed by the compiler alone.
pub(crate) fn render(
    tokens: TokenStream,
    preamble: &str,
    layout: Layout,
) -> Result<String, String> {
    match layout {
        #[cfg(feature = "format")]
        Layout::Formatted => {
            let file = syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string())?;
            let formatted = separate_items(&prettyplease::unparse(&file));
            Ok(format!("// {preamble}\n\n{formatted}"))
        }
        Layout::Compact => Ok(compact(tokens, preamble)),
    }
}

/// The tokens' own text, a line break after each top-level item: after a `;` or a brace-delimited
/// group at the outermost level (an item's attributes and docs stay on its line). Tokens are
/// separated by a space, but for a punctuation mark joined to the next (`::`, `'a`).
fn compact(tokens: TokenStream, preamble: &str) -> String {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let mut out = format!("// {preamble}\n");
    // Whether the next token goes right after the last one: at a line's start, or after a
    // joint punctuation mark.
    let mut adjoin = true;
    for tree in tokens {
        if !adjoin {
            out.push(' ');
        }
        out.push_str(&tree.to_string());
        let (ends_item, joint) = match &tree {
            TokenTree::Punct(punct) => (punct.as_char() == ';', punct.spacing() == Spacing::Joint),
            TokenTree::Group(group) => (group.delimiter() == Delimiter::Brace, false),
            _ => (false, false),
        };
        adjoin = ends_item || joint;
        if ends_item {
            out.push('\n');
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Puts a blank line between items, as hand-written Rust has it and prettyplease does not: before
/// each item (or its docs and attributes) that follows another item's last line at the same
/// indentation, in a file, a module, an impl or a trait. Statements are not items: inside a
/// function they follow its signature's indentation plus one level, and their lines start with
/// none of the words an item starts with. Consecutive one-line `use` and `mod` declarations stay
/// together.
#[cfg(feature = "format")]
fn separate_items(formatted: &str) -> String {
    let mut out = String::with_capacity(formatted.len() + formatted.len() / 16);
    let mut previous: Option<&str> = None;
    for line in formatted.lines() {
        let separate = previous.is_some_and(|before| {
            ends_item(before)
                && starts_item(line)
                && indentation(before) == indentation(line)
                && !(is_declaration(before) && is_declaration(line))
        });
        if separate {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

#[cfg(feature = "format")]
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(feature = "format")]
/// Whether `line` can be the last line of an item: a closing brace, or a `;`-terminated line
/// that is not a comment.
fn ends_item(line: &str) -> bool {
    let line = line.trim();
    line == "}" || (line.ends_with(';') && !line.starts_with("//"))
}

#[cfg(feature = "format")]
/// Whether `line` is the first line of an item: its docs, an attribute, its keyword, or a macro
/// of the runtime that makes items (`crate::runtime::serialize_properties!(Type);`).
fn starts_item(line: &str) -> bool {
    const STARTS: [&str; 13] = [
        "///", "#[", "pub ", "pub(", "fn ", "impl", "const ", "static ", "struct ", "enum ",
        "type ", "trait ", "mod ",
    ];
    let line = line.trim_start();
    STARTS.iter().any(|start| line.starts_with(start))
        || (line.starts_with("crate::") && line.contains("!("))
}

#[cfg(feature = "format")]
/// A one-line `use` or `mod` declaration, which reads best grouped with its neighbours.
fn is_declaration(line: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_prefix("pub ").unwrap_or(line);
    (line.starts_with("use ") || line.starts_with("mod ")) && line.ends_with(';')
}

#[cfg(test)]
mod tests;
