//! Generates what the SDK crate adds to the area crates, for the enabled API areas: their
//! re-exports, `Client`'s accessor of each entity and the webhook events, from the schemas of
//! `nexudus-schema` (the workspace's `schema/`, or its package) into `OUT_DIR`; fails the build
//! on any schema problem, those across areas included.

fn main() -> std::process::ExitCode {
    // NEXUDUS_SCHEMA_DIR points the build at another schema folder, e.g. one with extra
    // entities; the area crates' builds and the server's read the same one.
    let schemas = nexudus_schema::build_script_dir();
    // One Cargo feature per API area; Cargo tells a build script which are on as
    // `CARGO_FEATURE_{NAME}`. Areas that are off are neither generated nor compiled.
    let areas: Vec<&str> = nexudus_codegen::area_names()
        .filter(|area| std::env::var_os(format!("CARGO_FEATURE_{}", area.to_uppercase())).is_some())
        .collect();
    // Only the compiler reads this code: laid out compactly, not formatted, which would take most
    // of the run (build scripts are compiled unoptimised).
    let generated =
        nexudus_codegen::generate_sdk(&schemas, areas, nexudus_codegen::Layout::Compact);
    nexudus_codegen::finish_build_script(generated)
}
