//! The Nexudus entity schemas: one YAML file per entity, in this package's own folder.
//!
//! The files are the input of `nexudus-codegen`: the `nexudus` SDK and `nexudus-server` are
//! generated from them in their build scripts, which find them through [`DIR`]. The format is
//! described in this package's README.

/// The folder holding the schema files (`EmailAccount.yaml`, ...): this package's root, wherever
/// Cargo put it (the workspace's `schema/`, or the unpacked package in Cargo's registry cache).
pub const DIR: &str = env!("CARGO_MANIFEST_DIR");
