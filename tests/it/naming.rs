//! The naming obstacle course: schemas whose entities, enums, members and fields are named like
//! Rust keywords, std, prelude and serde items, the runtime's types and the methods the generated
//! types and the client define. Every name either compiles into a lint-clean, documented SDK or
//! gets a diagnostic that says how to fix it (`tests/fixtures/invalid/reserved_names.yaml`,
//! `self_entity.yaml`, `singular_path.yaml`, snapshot-tested with the other invalid schemas).

use std::path::{Path, PathBuf};

use nexudus_codegen::generate;

use crate::program::Program;
use crate::workspace;

fn course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/naming")
}

/// A program that calls what the tricky names became, so the names are usable, not only
/// compiled: setters named after trait methods and keywords, keyword accessors, enums named
/// after std types.
const PROGRAM: &str = r#"
use nexudus::sys::default::{
    DefaultCreate, DefaultCreateRequired, DefaultFilter, DefaultKind, DefaultSort, DefaultUpdate,
    Option as OptionEnum,
};

fn main() {
    let filter = DefaultFilter::new()
        .default("a default")
        .clone(true)
        .r#type("a type")
        .from_from("1.5".parse().expect("a decimal"))
        .some("2".parse().expect("a decimal"))
        .none(DefaultKind::None)
        .option_field(OptionEnum::One)
        .from_into(nexudus::chrono::Utc::now());
    let page = nexudus::PageRequest::new().order_by(DefaultSort::Default, nexudus::SortDirection::Ascending);
    let client = nexudus::Client::new("a token").expect("a client");
    drop(client.defaults().search(&filter, &page));
    drop(client.r#as().get(1));
    drop(client.results().get(1));
    drop(client.options().get(1));
    let _ = (DefaultCreate::new, DefaultUpdate::from_record);
    let _: Option<DefaultCreateRequired> = None;
}
"#;

#[test]
fn the_course_checks_clean() {
    let output = generate(&course()).unwrap_or_else(|problems| panic!("{problems}"));
    assert!(
        output.files.len() > 60,
        "every entity of the course and the module tree: {}",
        output.files.len()
    );
}

#[test]
fn the_generated_sdk_compiles_lint_clean_and_documented() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let program = Program::new(root.path(), "naming-course", "", PROGRAM, course());
    let run = |args: &[&str], rustdocflags: Option<&str>| {
        let env: Vec<(&str, &str)> = rustdocflags
            .map(|flags| ("RUSTDOCFLAGS", flags))
            .into_iter()
            .collect();
        let output = program.cargo(args, &env);
        assert!(
            output.status.success(),
            "`cargo {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // Generated code is held to the workspace's bar: no warning, no lint, no broken doc link, in
    // the SDK and in each area's crate.
    let packages: Vec<String> = std::iter::once("nexudus".to_owned())
        .chain(nexudus_codegen::area_names().map(|area| format!("nexudus-{area}")))
        .flat_map(|package| ["-p".to_owned(), package])
        .collect();
    let packages: Vec<&str> = packages.iter().map(String::as_str).collect();
    let clippy = [
        &["clippy", "--quiet", "--offline", "-p", "naming-course"][..],
        &packages,
        &["--", "-D", "warnings"],
    ]
    .concat();
    run(&clippy, None);
    let doc = [&["doc", "--quiet", "--offline", "--no-deps"][..], &packages].concat();
    run(&doc, Some("-D warnings"));
}

/// Every `.rs` file under `folder`, its subfolders too (a module's `tests.rs` is one down).
fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("read the folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// The names of the methods of `nexudus::Client`, read from the SDK's `impl Client` blocks.
fn client_methods() -> Vec<String> {
    let sdk = workspace().join("generated/src");
    let mut methods = Vec::new();
    for path in rust_files(&sdk) {
        let source = std::fs::read_to_string(path).expect("a file");
        let mut inside = false;
        for line in source.lines() {
            if line.starts_with("impl Client {") {
                inside = true;
            } else if inside && line == "}" {
                inside = false;
            } else if inside {
                let signature = line.trim_start();
                let Some(rest) = [
                    "pub fn ",
                    "pub(crate) fn ",
                    "pub async fn ",
                    "pub(crate) async fn ",
                    "pub(super) fn ",
                    "pub(super) async fn ",
                    "fn ",
                    "async fn ",
                ]
                .iter()
                .find_map(|prefix| signature.strip_prefix(prefix)) else {
                    continue;
                };
                if line.starts_with("    ") && !line.starts_with("     ") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    methods.push(name);
                }
            }
        }
    }
    methods.sort();
    methods.dedup();
    methods
}

#[test]
fn an_entity_whose_client_method_the_client_already_has_gets_a_diagnostic() {
    let methods = client_methods();
    assert!(
        ["new", "builder", "base_url"]
            .iter()
            .all(|known| methods.iter().any(|method| method == known)),
        "the SDK was read: {methods:?}"
    );
    let folder = tempfile::tempdir().expect("a temporary folder");
    for method in &methods {
        let entity: String = method
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        let schema = format!(
            "entity: {entity}\npath: /api/sys/{}\ndescription: Named like `Client::{method}`.\n\
             operations: [get]\nfields:\n  - name: Id\n    type: int64\n    description: The Id.\n\
             \x20   create: absent\n    update: absent\n",
            method.replace('_', "")
        );
        std::fs::write(folder.path().join(format!("{entity}.yaml")), schema).expect("write");
    }
    let problems = generate(folder.path()).expect_err("every accessor clashes");
    let rendered = problems.to_string();
    for method in &methods {
        assert!(
            rendered.contains(&format!(
                "the client method `{method}` of path `/api/sys/{}` is a method `Client` already has",
                method.replace('_', "")
            )),
            "no diagnostic for `{method}`:\n{rendered}"
        );
    }
    assert_eq!(problems.len(), methods.len(), "{rendered}");
}
