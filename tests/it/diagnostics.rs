//! Invalid schemas: every problem reported with file, line, column and a fix; never a panic.

use std::path::Path;

use nexudus_codegen::generate;

/// Paths relative to the test crate, so the rendered diagnostics are the same on every machine.
fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
}

#[test]
fn every_invalid_schema_is_rejected_with_located_diagnostics() {
    insta::glob!("../fixtures/invalid", "*.yaml", |path| {
        let problems = match generate(relative(path)) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(problems) => problems,
        };
        let name = relative(path).display().to_string();
        for line in problems.summary_lines() {
            assert!(
                line.starts_with(&format!("{name}:")),
                "not located in {name}: {line}"
            );
        }
        let rendered = problems.to_string();
        assert!(
            rendered.contains("help: "),
            "every problem says how to fix it:\n{rendered}"
        );
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn one_run_reports_the_problems_of_every_file() {
    let problems =
        generate(Path::new("fixtures/invalid_folder")).expect_err("the folder is invalid");
    let lines = problems.summary_lines();
    assert!(
        lines.iter().any(|line| line.starts_with(
            "fixtures/invalid_folder/A_EmailAccount.yaml:7:11: error: unknown type `strin`"
        )),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|line| line.starts_with("fixtures/invalid_folder/C_EmailAccountCopy.yaml:1:9: error: another schema already defines the entity `EmailAccount`")),
        "{lines:#?}"
    );
    insta::assert_snapshot!(problems.to_string());
}

#[test]
fn a_webhook_action_is_listed_by_one_entity_only() {
    let problems =
        generate(Path::new("fixtures/invalid_webhooks")).expect_err("the folder is invalid");
    let lines = problems.summary_lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("fixtures/invalid_webhooks/C_Visit.yaml:6:19: error: webhook action `BookingUpdate` is listed more than once"),
        "{lines:#?}"
    );
    insta::assert_snapshot!(problems.to_string());
}

#[test]
fn a_missing_folder_is_a_diagnostic_not_a_panic() {
    let problems = generate(Path::new("fixtures/no_such_folder")).expect_err("nothing to read");
    assert_eq!(problems.len(), 1);
    assert!(
        problems
            .to_string()
            .contains("cannot read `fixtures/no_such_folder`")
    );
}

#[test]
fn a_schema_in_the_folder_of_another_area_is_refused_and_the_others_are_read() {
    let folder = Path::new("fixtures/invalid_areas");
    let problems = generate(folder).expect_err("one file is in the wrong folder");
    let lines = problems.summary_lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with(
            "fixtures/invalid_areas/spaces/Locker.yaml:3:7: error: the path `/api/crm/lockers` is in the API area `crm`, but the file is in the folder of `spaces`"
        ),
        "{lines:#?}"
    );
    assert!(
        problems
            .to_string()
            .contains("move the file into the folder `crm/`"),
        "{problems}"
    );

    // Without it, the file at the top and the one in its area's folder are both read.
    let valid = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(valid.path().join("crm")).expect("an area's folder");
    std::fs::copy(folder.join("Desk.yaml"), valid.path().join("Desk.yaml")).expect("copy");
    std::fs::copy(
        folder.join("crm/Visit.yaml"),
        valid.path().join("crm/Visit.yaml"),
    )
    .expect("copy");
    let output = generate(valid.path()).unwrap_or_else(|problems| panic!("{problems}"));
    for schema in ["Desk.yaml", "Visit.yaml"] {
        assert!(output.for_schema(schema).is_some(), "{schema} generated");
    }
}
