//! The importer: documentation pages and the vendor reference become schema files that check.

use std::path::{Path, PathBuf};

use nexudus_codegen::{generate, import};

use crate::workspace;

fn shared(path: &str) -> PathBuf {
    workspace().join("../shared").join(path)
}

fn fixtures(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(path)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn importing_the_seed_pages_reproduces_the_committed_schema() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let committed = workspace().join("schema/EmailAccount.yaml");
    let target = out.path().join("EmailAccount.yaml");
    std::fs::copy(&committed, &target).expect("copy the schema");

    let (report, problems) = import(&[shared("seeds")], None, out.path());

    assert!(problems.is_empty(), "{problems}");
    assert_eq!(report.unchanged, std::slice::from_ref(&target));
    assert!(report.written.is_empty());
    assert_eq!(read(&target), read(&committed));
}

#[test]
fn the_seed_pages_alone_give_a_schema_that_generates() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (report, problems) = import(&[shared("seeds")], None, out.path());
    assert!(problems.is_empty(), "{problems}");
    assert_eq!(report.written.len(), 1);
    let text = read(&out.path().join("EmailAccount.yaml"));
    // Each operation follows its own page: optional on create, required on update.
    assert!(text.contains(
        "  - name: IncomingServerType\n    type: enum<eEmailServerType>\n    description: Incoming Server Type.\n    create: optional\n    update: required\n"
    ));
    generate(out.path()).unwrap_or_else(|problems| panic!("{problems}"));
    insta::assert_snapshot!(text);
}

#[test]
fn a_page_and_a_reference_merge_with_conflicts_and_located_problems() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let catalogue = fixtures("catalogue.md");
    let (report, problems) = import(&[fixtures("docs")], Some(&catalogue), out.path());

    assert_eq!(report.written, [out.path().join("Locker.yaml")]);
    let lines = problems.summary_lines();
    assert_eq!(lines.len(), 2, "{problems}");
    assert!(lines[0].contains("lockers.md:33:16"), "{}", lines[0]);
    assert!(lines[0].contains("unknown type `colour`"), "{}", lines[0]);
    assert!(lines[1].contains("lockers.md:48:1"), "{}", lines[1]);
    assert!(
        problems
            .to_string()
            .ends_with("error: 2 problems in the sources")
    );

    let text = read(&out.path().join("Locker.yaml"));
    generate(out.path()).unwrap_or_else(|problems| panic!("{problems}"));
    insta::assert_snapshot!(text);

    // A second run changes nothing: every note is added once.
    let (again, _) = import(&[fixtures("docs")], Some(&catalogue), out.path());
    assert!(again.written.is_empty());
    assert_eq!(read(&out.path().join("Locker.yaml")), text);
}

#[test]
fn every_reference_page_imports_into_a_schema_that_generates() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let catalogue = shared("nexudus-reference/catalogue.md");
    let (report, problems) = import(
        &[shared("nexudus-reference/entities")],
        Some(&catalogue),
        out.path(),
    );
    // The two entities the catalogue has no URL for are reported, and only those.
    let lines = problems.summary_lines();
    assert_eq!(lines.len(), 2, "{problems}");
    assert!(lines[0].contains("ProactiveActionConfig is not imported"));
    assert!(lines[1].contains("ProposedAction is not imported"));
    assert_eq!(report.written.len(), 196);

    let output = generate(out.path()).unwrap_or_else(|problems| panic!("{problems}"));
    assert_eq!(
        output
            .files
            .iter()
            .filter(|file| file.schema.is_some())
            .count(),
        196
    );
}
