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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (schemas, out) = match cli.command {
        Command::Check { schemas } => (schemas, None),
        Command::Generate { schemas, out } => (schemas, Some(out)),
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
