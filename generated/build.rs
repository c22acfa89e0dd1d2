//! Generates the entity code of the enabled API areas from the schemas of `nexudus-schema` (the
//! workspace's `schema/`, or its package) into `OUT_DIR`; fails the build on any schema problem.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    // NEXUDUS_SCHEMA_DIR points the build at another schema folder, e.g. one with extra
    // entities; the SDK's build and the server's read the same one.
    let schemas = nexudus_schema::build_script_dir();

    // One Cargo feature per API area; Cargo tells a build script which are on as
    // `CARGO_FEATURE_{NAME}`. Areas that are off are not generated, hence not compiled.
    let areas: Vec<&str> = nexudus_codegen::area_names()
        .filter(|area| std::env::var_os(format!("CARGO_FEATURE_{}", area.to_uppercase())).is_some())
        .collect();
    // Only the compiler reads this code: laid out compactly, not formatted, which would take most
    // of the run (build scripts are compiled unoptimised).
    let output =
        match nexudus_codegen::generate_areas(&schemas, areas, nexudus_codegen::Layout::Compact) {
            Ok(output) => output,
            Err(problems) => {
                eprintln!("{problems}");
                return ExitCode::FAILURE;
            }
        };
    if let Err(error) = output.write_to(&out_dir) {
        eprintln!(
            "error: cannot write the generated code into {}: {error}",
            out_dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
