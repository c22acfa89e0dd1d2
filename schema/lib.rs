//! The Nexudus entity schemas: one YAML file per entity, in this package's own folder.
//!
//! The files are the input of `nexudus-codegen`: the `nexudus` SDK and `nexudus-server` are
//! generated from them in their build scripts, which find them through [`DIR`]. The format is
//! described in this package's README.

/// The folder holding the schema files, a folder per API area (`crm/EmailAccount.yaml`, ...):
/// this package's root, wherever Cargo put it (the workspace's `schema/`, or the unpacked package
/// in Cargo's registry cache).
pub const DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The schema folder a build script reads, and a promise from Cargo to run the script again when
/// it changes: `NEXUDUS_SCHEMA_DIR` when that is set (a folder with extra entities, laid out as
/// this one is, a folder per API area), otherwise [`DIR`]. Cargo is told to watch the variable
/// and the folder, which covers every file below it, added, removed or changed, valid or not, so
/// that fixing a broken schema reruns the script. Print nothing else to standard output before
/// calling it: the lines it prints are Cargo's.
pub fn build_script_dir() -> std::path::PathBuf {
    let dir = schema_dir();
    // Cargo looks at every file below a folder it watches.
    println!("cargo:rerun-if-changed={}", dir.display());
    dir
}

/// The folder of one API area's schema files (`crm/`) in the folder [`build_script_dir`]
/// answers, and a promise from Cargo to run the script again when a file in it changes, and only
/// then: a schema of another area touched does not rebuild this one's crate. The folder may not
/// exist (an area without entities); Cargo then runs the script at every build.
pub fn build_script_area_dir(area: &str) -> std::path::PathBuf {
    let dir = schema_dir().join(area);
    println!("cargo:rerun-if-changed={}", dir.display());
    dir
}

/// `NEXUDUS_SCHEMA_DIR` or [`DIR`], and Cargo told to watch the variable.
fn schema_dir() -> std::path::PathBuf {
    println!("cargo:rerun-if-env-changed=NEXUDUS_SCHEMA_DIR");
    std::env::var_os("NEXUDUS_SCHEMA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(DIR))
}
