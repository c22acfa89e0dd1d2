//! Integration tests: generated-code snapshots, schema diagnostics, the seeds' examples, the client
//! over real HTTP (against faults and sliding-window limits too) and over TLS, and a second entity
//! added by one schema file.

mod client;
mod codegen;
mod crash;
mod diagnostics;
mod extra_entity;
mod faults;
mod fuzz;
mod import;
mod naming;
mod pacing;
mod preserve;
mod program;
mod raw;
mod readme;
mod records;
mod search;
mod seeds;
mod server;
mod server_entities;
mod server_hostile;
mod tls;
mod webhooks;

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

/// A page number or size for a test's `PageRequest`.
fn nonzero(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).expect("a page number or size is not 0")
}

/// The workspace root, where `schema/` lives.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the test crate sits inside the workspace")
        .to_path_buf()
}
