//! Turns every `rust` code block of the project's READMEs into Rust that the integration tests
//! compile, so a README example that stops compiling fails `cargo test`.
//!
//! A block with a `fn main` is a whole program and is compiled as written, inside a module of its
//! own. Any other block is a fragment: it is compiled as written as the body of an `async fn`
//! returning `Result<(), Box<dyn Error>>`, whose parameters are the names the READMEs' fragments
//! take from their surroundings (`CONTEXT`). A block marked `ignore` is refused: every example is
//! meant to compile. So is a block that names a crate other than `nexudus`, `std` or `tokio`:
//! `cargo add nexudus` and an async runtime must be enough for every example, and this crate's
//! other dependencies would hide one that is not.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

/// The READMEs whose examples are compiled, relative to the workspace root.
const READMES: &[&str] = &[
    "README.md",
    "generated/README.md",
    "codegen/README.md",
    "server/README.md",
    "schema/README.md",
];

/// What a fragment may use without declaring it: a client, its credentials and a date.
const CONTEXT: &str = "client: nexudus::Client, token: &str, password: &str, \
                       since: nexudus::chrono::DateTime<nexudus::chrono::Utc>";

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the test crate sits inside the workspace");
    let mut out = String::new();
    let mut listed = String::new();
    for readme in READMES {
        let path = root.join(readme);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        for (index, (line, info, code)) in rust_blocks(&text).into_iter().enumerate() {
            assert!(
                !info.contains("ignore"),
                "{readme}:{line}: a README example marked `ignore` is never compiled; make it compile"
            );
            if let Some(other) = foreign_crate(&code) {
                panic!(
                    "{readme}:{line}: the example names the crate `{other}`; use what `nexudus` \
                     re-exports (`nexudus::chrono`, `nexudus::rust_decimal`, ...) so that it \
                     builds with `nexudus` and an async runtime alone"
                );
            }
            let name = format!(
                "{}_{}",
                readme
                    .trim_end_matches(".md")
                    .replace(['/', '.'], "_")
                    .to_lowercase(),
                index + 1
            );
            writeln!(out, "// {readme}:{line}").expect("writing to a String");
            if code.contains("fn main") {
                writeln!(out, "#[allow(dead_code)]\nmod {name} {{\n{code}}}\n")
            } else {
                writeln!(
                    out,
                    "#[allow(dead_code, unused_variables, unused_imports)]\n\
                     async fn {name}({CONTEXT}) -> ::std::result::Result<(), \
                     ::std::boxed::Box<dyn ::std::error::Error>> {{\n{code}Ok(())\n}}\n"
                )
            }
            .expect("writing to a String");
            writeln!(listed, "    ({readme:?}, {line}),").expect("writing to a String");
        }
    }
    writeln!(
        out,
        "/// Every compiled README example: its file and the line of its opening fence.\n\
         const COMPILED: &[(&str, usize)] = &[\n{listed}];"
    )
    .expect("writing to a String");
    let target = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("readme.rs");
    fs::write(&target, out).expect("writing the README examples");
}

/// The first path that starts with a crate a user of `nexudus` would have to add: a lowercase
/// identifier followed by `::` that no `::` precedes, other than the allowed roots. Comments and
/// string literals are not read.
fn foreign_crate(code: &str) -> Option<String> {
    const ALLOWED: &[&str] = &["nexudus", "std", "tokio", "crate", "self", "super"];
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        let mut in_string = false;
        let bytes = line.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let byte = bytes[start];
            if byte == b'"' {
                in_string = !in_string;
            }
            let begins_word = byte.is_ascii_lowercase() || byte == b'_';
            let after_path = start >= 2 && &line[start - 2..start] == "::";
            let after_word = start >= 1
                && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
            if in_string || !begins_word || after_path || after_word {
                start += 1;
                continue;
            }
            let end = line[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(line.len(), |length| start + length);
            let word = &line[start..end];
            if line[end..].starts_with("::") && !ALLOWED.contains(&word) {
                return Some(word.to_owned());
            }
            start = end;
        }
    }
    None
}

/// Each fenced block whose info string starts with `rust`: the line of its opening fence
/// (counting from 1), its info string and its code.
fn rust_blocks(text: &str) -> Vec<(usize, &str, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, &str, String)> = None;
    for (number, line) in text.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) if info.trim().starts_with("rust") => {
                open = Some((number + 1, info.trim(), String::new()));
            }
            (None, Some(_)) => {
                // Another language's block: skip to its closing fence.
                open = Some((0, "", String::new()));
            }
            (Some(_), Some(_)) => {
                let (line, info, code) = open.take().expect("a block is open");
                if line != 0 {
                    blocks.push((line, info, code));
                }
            }
            (Some((_, _, code)), None) => {
                code.push_str(line);
                code.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}
