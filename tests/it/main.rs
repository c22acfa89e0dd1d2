//! Integration tests: generated-code snapshots, schema diagnostics, the seeds' examples, the client
//! over real HTTP, and a second entity added by one schema file.

mod client;
mod codegen;
mod diagnostics;
mod extra_entity;
mod import;
mod preserve;
mod records;
mod search;
mod seeds;
mod server;
mod server_entities;

use std::path::{Path, PathBuf};

/// The workspace root, where `schema/` lives.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the test crate sits inside the workspace")
        .to_path_buf()
}
