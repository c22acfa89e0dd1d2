//! A bounded, stable-toolchain fuzz run of the schema pipeline: real schemas mutated at random
//! (lines dropped, doubled, swapped, re-indented or replaced by schema keywords, bytes flipped,
//! files cut short) must satisfy the property of `fuzz/property.rs` (no panic, every problem
//! located inside the file, accepted schemas give code that parses), and no input may take
//! longer than a generous bound. The unbounded run is `cargo +nightly fuzz run check` (see
//! `fuzz/Cargo.toml`); `NEXUDUS_FUZZ_CASES` sets this run's size.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[path = "../../fuzz/property.rs"]
mod property;

/// Far beyond what any schema takes (milliseconds), so only a hang reaches it.
const HANG: Duration = Duration::from_secs(60);

/// Words and lines of the schema format, and things YAML and Rust treat specially.
const TOKENS: &[&str] = &[
    "entity: Self",
    "path: /api/sys/",
    "operations: [search, get, get_many, create, update, delete, commands]",
    "fields:",
    "enums:",
    "  - name: Default",
    "  - name: Id",
    "    type: enum<eKind>",
    "    type: list<int64>",
    "    type: decimal",
    "    create: required",
    "    update: absent",
    "    secret: true",
    "    read_only: true",
    "    default: 99999999999999999999",
    "    rules:",
    "      - { kind: range, min: 5, max: 1, reason: r }",
    "      - { kind: email, reason: r }",
    "      - { value: 1, name: Unknown }",
    "    rust_name: new",
    "&a [*a]",
    "<<: *a",
    "!!binary AAAA",
    "\t",
    "\u{feff}",
    "\u{0}",
    "é",
    "~",
    "'",
    "\"",
    "{",
    "- ",
    ": ",
];

/// One edit of a schema's text.
#[derive(Clone, Debug)]
enum Mutation {
    DropLine(usize),
    DoubleLine(usize),
    SwapLines(usize, usize),
    Indent(usize, usize),
    ReplaceLine(usize, usize),
    InsertToken(usize, usize),
    FlipByte(usize, u8),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        at.prop_map(Mutation::DropLine),
        at.prop_map(Mutation::DoubleLine),
        (at, any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (at, 0..6_usize).prop_map(|(a, spaces)| Mutation::Indent(a, spaces)),
        (at, any::<usize>()).prop_map(|(a, token)| Mutation::ReplaceLine(a, token)),
        (at, any::<usize>()).prop_map(|(a, token)| Mutation::InsertToken(a, token)),
        (at, any::<u8>()).prop_map(|(a, bits)| Mutation::FlipByte(a, bits)),
        at.prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text
        .split(|byte| *byte == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    for mutation in mutations {
        let n = lines.len().max(1);
        match *mutation {
            Mutation::DropLine(at) if !lines.is_empty() => {
                lines.remove(at % n);
            }
            Mutation::DoubleLine(at) if !lines.is_empty() => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Mutation::Indent(at, spaces) if !lines.is_empty() => {
                let line = &mut lines[at % n];
                let trimmed: Vec<u8> = line.iter().copied().skip_while(|b| *b == b' ').collect();
                *line = [vec![b' '; spaces], trimmed].concat();
            }
            Mutation::ReplaceLine(at, token) if !lines.is_empty() => {
                lines[at % n] = TOKENS[token % TOKENS.len()].as_bytes().to_vec();
            }
            Mutation::InsertToken(at, token) if !lines.is_empty() => {
                let line = &mut lines[at % n];
                let position = at % (line.len() + 1);
                let token = TOKENS[token % TOKENS.len()].as_bytes();
                line.splice(position..position, token.iter().copied());
            }
            Mutation::FlipByte(at, bits) => {
                let mut joined = lines.join(&b'\n');
                if !joined.is_empty() {
                    let position = at % joined.len();
                    joined[position] ^= bits;
                }
                lines = joined
                    .split(|byte| *byte == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
            }
            Mutation::Truncate(at) => {
                let mut joined = lines.join(&b'\n');
                joined.truncate(at % (joined.len() + 1));
                lines = joined
                    .split(|byte| *byte == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
            }
            _ => {}
        }
    }
    lines.join(&b'\n')
}

/// Every schema the project has: the catalogue, the obstacle course and the invalid fixtures.
fn seeds() -> Vec<Vec<u8>> {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let folders = [
        crate::workspace().join("schema"),
        tests.join("fixtures/naming"),
        tests.join("fixtures/invalid"),
        tests.join("fixtures/extra"),
    ];
    let mut seeds = Vec::new();
    for folder in folders {
        // The catalogue keeps a folder per API area; the fixtures are flat.
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
            .expect("a fixture folder")
            .map(|entry| entry.expect("an entry").path())
            .flat_map(|path| {
                if path.is_dir() {
                    std::fs::read_dir(&path)
                        .expect("an area's folder")
                        .map(|entry| entry.expect("an entry").path())
                        .collect()
                } else {
                    vec![path]
                }
            })
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "yaml")
            })
            .collect();
        paths.sort();
        seeds.extend(
            paths
                .iter()
                .map(|path| std::fs::read(path).expect("a schema")),
        );
    }
    seeds
}

#[test]
fn mutated_schemas_never_panic_hang_or_report_an_unlocated_problem() {
    let cases = std::env::var("NEXUDUS_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(400);
    let seeds = seeds();
    assert!(seeds.len() > 250, "the seeds were read: {}", seeds.len());
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..6));
    let result = runner.run(&strategy, |(seed, mutations)| {
        let input = apply(&seeds[seed], &mutations);
        let path = folder.path().to_path_buf();
        let (sender, receiver) = mpsc::channel();
        let worker_input = input.clone();
        std::thread::spawn(move || {
            let verdict =
                std::panic::catch_unwind(|| property::check_schema_bytes(&path, &worker_input))
                    .unwrap_or_else(|_| Err("generate panicked".to_owned()));
            let _ = sender.send(verdict);
        });
        let verdict = receiver
            .recv_timeout(HANG)
            .unwrap_or_else(|_| Err(format!("no answer within {HANG:?}")));
        prop_assert!(
            verdict.is_ok(),
            "{}\ninput:\n{}",
            verdict.unwrap_err(),
            String::from_utf8_lossy(&input)
        );
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn the_mutations_change_what_they_say() {
    let text = b"a: 1\nb: 2\nc: 3";
    assert_eq!(apply(text, &[Mutation::DropLine(1)]), b"a: 1\nc: 3");
    assert_eq!(
        apply(text, &[Mutation::DoubleLine(0)]),
        b"a: 1\na: 1\nb: 2\nc: 3"
    );
    assert_eq!(
        apply(text, &[Mutation::SwapLines(0, 2)]),
        b"c: 3\nb: 2\na: 1"
    );
    assert_eq!(
        apply(text, &[Mutation::Indent(1, 2)]),
        b"a: 1\n  b: 2\nc: 3"
    );
    assert_eq!(apply(text, &[Mutation::Truncate(6)]), b"a: 1\nb");
    assert_eq!(
        apply(text, &[Mutation::FlipByte(0, 0x20)]),
        b"A: 1\nb: 2\nc: 3"
    );
    assert_eq!(
        apply(text, &[Mutation::ReplaceLine(2, 2)]),
        b"a: 1\nb: 2\noperations: [search, get, get_many, create, update, delete, commands]"
    );
}
