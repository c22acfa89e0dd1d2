//! Checks the schemas of `nexudus-schema` (the workspace's `schema/`, or its package) and embeds
//! them, as the generator's model in JSON, in `OUT_DIR/model.json`; fails the build on any schema
//! problem, as the SDK's build does.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    // NEXUDUS_SCHEMA_DIR points the build at another schema folder, e.g. one with extra
    // entities; the SDK's build and the server's read the same one.
    let schemas = nexudus_schema::build_script_dir();
    let model = match nexudus_codegen::model(&schemas) {
        Ok(model) => model,
        Err(problems) => {
            eprintln!("{problems}");
            return ExitCode::FAILURE;
        }
    };
    let written = serde_json::to_string(&model)
        .map_err(|error| error.to_string())
        .and_then(|json| {
            std::fs::write(out_dir.join("model.json"), json).map_err(|error| error.to_string())
        });
    if let Err(error) = written {
        eprintln!(
            "error: cannot write the schema model into {}: {error}",
            out_dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
