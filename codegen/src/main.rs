//! `nexudus-codegen`: checks schemas, or generates the SDK code from them, from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates the Nexudus SDK's Rust code from YAML entity schemas.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Checks a schema file or folder and reports every problem; writes nothing.
    Check {
        /// A `.yaml` schema file, or a folder of them.
        #[arg(default_value = "schema")]
        schemas: PathBuf,
        /// Also list every wire name that no REST source spells (`spelled_by: cli-option`, or
        /// not said): the names that are guesses.
        #[arg(long)]
        guesses: bool,
    },
    /// Generates the Rust code for a schema file or folder into an output folder.
    Generate {
        /// A `.yaml` schema file, or a folder of them.
        #[arg(default_value = "schema")]
        schemas: PathBuf,
        /// Where to write the generated files (created if missing).
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Writes schema files from Nexudus documentation, merged with the schemas already there.
    Import {
        /// Documentation files or folders: vendor entity reference pages (`*.md`) and create or
        /// update pages (MDX source or rendered text).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// An entity -> URL catalogue (`catalogue.md`), for paths the pages do not show. Repeat it
        /// to read several: an entity's row comes from the first that lists it, so give the
        /// vendor's first and the project's addendum (`schema-sources/catalogue.md`) after it.
        #[arg(long = "catalogue", value_name = "CATALOGUE")]
        catalogues: Vec<PathBuf>,
        /// The schema folder to write into.
        #[arg(long, short, default_value = "schema")]
        out: PathBuf,
    },
}

/// Runs an import and reports what it wrote; problems in the sources fail the run, after the
/// rest has been imported.
fn import(sources: &[PathBuf], catalogues: &[PathBuf], out: &std::path::Path) -> ExitCode {
    let (report, problems) = nexudus_codegen::import(sources, catalogues, out);
    if !problems.is_empty() {
        eprintln!("{problems}");
    }
    println!(
        "imported into {}: {} schema(s) written, {} unchanged",
        out.display(),
        report.written.len(),
        report.unchanged.len()
    );
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Checks the schemas, then lists each wire name only a CLI option attests, with its place, and
/// how many names each kind of source attests.
fn list_guesses(schemas: &std::path::Path) -> ExitCode {
    if let Err(problems) = nexudus_codegen::generate(schemas) {
        eprintln!("{problems}");
        return ExitCode::FAILURE;
    }
    let fields = match nexudus_codegen::spellings(schemas) {
        Ok(fields) => fields,
        Err(problems) => {
            eprintln!("{problems}");
            return ExitCode::FAILURE;
        }
    };
    let mut counts = std::collections::BTreeMap::new();
    for field in &fields {
        let word = field.spelled_by.as_deref().unwrap_or("(not said)");
        *counts.entry(word).or_insert(0_usize) += 1;
        if field.is_guess() {
            println!(
                "{}:{}:{}: {}.{}: only a CLI option attests this wire name",
                field.file.display(),
                field.line,
                field.column,
                field.entity,
                field.name
            );
        }
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|(word, count)| format!("{word} {count}"))
        .collect();
    let guesses = fields.iter().filter(|field| field.is_guess()).count();
    println!(
        "{guesses} of {} wire names are guesses; spelled by: {}",
        fields.len(),
        counts.join(", ")
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (schemas, out) = match cli.command {
        Command::Check { schemas, guesses } => {
            if guesses {
                return list_guesses(&schemas);
            }
            (schemas, None)
        }
        Command::Generate { schemas, out } => (schemas, Some(out)),
        Command::Import {
            sources,
            catalogues,
            out,
        } => return import(&sources, &catalogues, &out),
    };
    let started = std::time::Instant::now();
    let output = match nexudus_codegen::generate(&schemas) {
        Ok(output) => output,
        Err(problems) => {
            eprintln!("{problems}");
            return ExitCode::FAILURE;
        }
    };
    let lines: usize = output
        .files
        .iter()
        .map(|file| file.source.lines().count())
        .sum();
    let entities = output
        .files
        .iter()
        .filter(|file| file.schema.is_some())
        .count();
    match out {
        None => println!(
            "{}: {entities} schema(s) are valid ({lines} lines would be generated)",
            schemas.display()
        ),
        Some(out) => match output.write_to(&out) {
            Ok(written) => println!(
                "generated {entities} entit{} into {}: {} files, {lines} lines, {written} changed, in {:.1?}",
                if entities == 1 { "y" } else { "ies" },
                out.display(),
                output.files.len(),
                started.elapsed()
            ),
            Err(error) => {
                eprintln!("error: cannot write into {}: {error}", out.display());
                return ExitCode::FAILURE;
            }
        },
    }
    ExitCode::SUCCESS
}
