//! The Nexudus entity schemas: one YAML file per entity, in this package's own folder.
//!
//! The files are the input of `nexudus-codegen`: the `nexudus` SDK and `nexudus-server` are
//! generated from them in their build scripts, which find them through [`DIR`]. The format is
//! described in this package's README.

/// The folder holding the schema files (`EmailAccount.yaml`, ...): this package's root, wherever
/// Cargo put it (the workspace's `schema/`, or the unpacked package in Cargo's registry cache).
pub const DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The schema folder a build script reads, and a promise from Cargo to run the script again when
/// it changes: `NEXUDUS_SCHEMA_DIR` when that is set (a folder with extra entities, say),
/// otherwise [`DIR`]. Cargo is told to watch the variable, the folder (for files added or
/// removed) and every file in it, valid or not, so that fixing a broken schema reruns the script.
/// Print nothing else to standard output before calling it: the lines it prints are Cargo's.
pub fn build_script_dir() -> std::path::PathBuf {
    println!("cargo:rerun-if-env-changed=NEXUDUS_SCHEMA_DIR");
    let dir = std::env::var_os("NEXUDUS_SCHEMA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(DIR));
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        println!("cargo:rerun-if-changed={}", entry.path().display());
    }
    dir
}
