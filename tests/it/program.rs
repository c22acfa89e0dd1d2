//! A program outside the workspace that depends on the SDK generated from a schema folder of the
//! test's choosing: how the tests prove that generated code compiles and works as a user's would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::workspace;

/// A Cargo project with one binary, depending on the SDK by path.
pub(crate) struct Program {
    folder: PathBuf,
    schemas: PathBuf,
}

impl Program {
    /// Writes the project `name` under `root`: `main` as its `src/main.rs`, and as dependencies
    /// the SDK and `dependencies` (lines of a `[dependencies]` table). Its SDK is generated from
    /// `schemas`.
    pub(crate) fn new(
        root: &Path,
        name: &str,
        dependencies: &str,
        main: &str,
        schemas: PathBuf,
    ) -> Self {
        let folder = root.join(name);
        std::fs::create_dir_all(folder.join("src")).expect("create the program folder");
        let manifest = format!(
            "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\nnexudus = {{ path = {:?} }}\n{dependencies}",
            workspace().join("generated")
        );
        std::fs::write(folder.join("Cargo.toml"), manifest).expect("write the manifest");
        std::fs::write(folder.join("src/main.rs"), main).expect("write the program");
        // The workspace's lock file pins the same versions, so the build needs no network.
        std::fs::copy(workspace().join("Cargo.lock"), folder.join("Cargo.lock"))
            .expect("copy Cargo.lock");
        Self { folder, schemas }
    }

    /// `cargo {args}` in the project, with `env` set; what it printed and how it ended.
    pub(crate) fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        Command::new(cargo)
            .args(args)
            .current_dir(&self.folder)
            .env("NEXUDUS_SCHEMA_DIR", &self.schemas)
            // A target folder of its own, since the test run holds the workspace's; shared by
            // every program, so that the dependencies' build scripts run once.
            .env("CARGO_TARGET_DIR", workspace().join("target/extra-entity"))
            .env_remove("RUSTFLAGS")
            .envs(env.iter().copied())
            .output()
            .expect("cargo runs")
    }
}
