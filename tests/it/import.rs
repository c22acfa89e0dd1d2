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

/// The schema file of `entity` that an import into the empty folder `out` wrote: in the folder of
/// its API area, the only place it may be.
fn imported(out: &Path, entity: &str) -> PathBuf {
    let file = format!("{entity}.yaml");
    let found: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("the output folder")
        .map(|entry| entry.expect("an entry").path().join(&file))
        .filter(|path| path.is_file())
        .collect();
    assert_eq!(found.len(), 1, "{entity}: {found:?}");
    found.into_iter().next().expect("one file")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn importing_the_seed_pages_reproduces_the_committed_schema() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let committed = workspace().join("schema/crm/EmailAccount.yaml");
    let target = out.path().join("EmailAccount.yaml");
    std::fs::copy(&committed, &target).expect("copy the schema");

    // The seed pages, and the sources that say who spells each name.
    let sources = [
        shared("seeds"),
        shared("nexudus-reference/entities/emailaccounts.md"),
        shared("nexudus-reference/api-docs-2020/rest-api/crm/emailaccount.md"),
    ];
    let (report, problems) = import(&sources, &[], out.path());

    assert!(problems.is_empty(), "{problems}");
    assert_eq!(report.unchanged, std::slice::from_ref(&target));
    assert!(report.written.is_empty());
    assert_eq!(read(&target), read(&committed));
}

#[test]
fn the_seed_pages_alone_give_a_schema_that_generates() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (report, problems) = import(&[shared("seeds")], &[], out.path());
    assert!(problems.is_empty(), "{problems}");
    assert_eq!(report.written, [out.path().join("crm/EmailAccount.yaml")]);
    let text = read(&out.path().join("crm/EmailAccount.yaml"));
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
    let catalogue = [fixtures("catalogue.md")];
    let (report, problems) = import(&[fixtures("docs")], &catalogue, out.path());

    assert_eq!(report.written, [out.path().join("spaces/Locker.yaml")]);
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

    let text = read(&imported(out.path(), "Locker"));
    // The page names the enum of `Size`, so the name the reference's table was given is not
    // worth a note.
    assert!(text.contains("    type: enum<eLockerSize>\n"));
    assert!(!text.contains("`eSize`"), "{text}");
    generate(out.path()).unwrap_or_else(|problems| panic!("{problems}"));
    insta::assert_snapshot!(text);

    // A second run changes nothing: every note is added once.
    let (again, _) = import(&[fixtures("docs")], &catalogue, out.path());
    assert!(again.written.is_empty());
    assert_eq!(read(&imported(out.path(), "Locker")), text);
}

#[test]
fn every_reference_page_imports_into_a_schema_that_generates() {
    let out = tempfile::tempdir().expect("a temporary folder");
    // The vendor's catalogue first, then the project's addendum of the rows it lacks.
    let catalogues = [
        shared("nexudus-reference/catalogue.md"),
        workspace().join("schema-sources/catalogue.md"),
    ];
    let sources = [
        shared("nexudus-reference/entities"),
        shared("nexudus-reference/api-docs-2020/rest-api"),
    ];
    let (report, problems) = import(&sources, &catalogues, out.path());
    assert!(problems.is_empty(), "{problems}");
    assert_eq!(report.written.len(), 213);

    // The two entities only the addendum lists get its path, named after it, as a guess, and go
    // in the folder of its area.
    for (entity, plural) in [
        ("ProactiveActionConfig", "proactiveactionconfigs"),
        ("ProposedAction", "proposedactions"),
    ] {
        let text = read(&out.path().join(format!("sys/{entity}.yaml")));
        assert!(
            text.contains(&format!("\npath: /api/sys/{plural}\n")),
            "{text}"
        );
        assert!(
            text.contains("  - \"path: schema-sources/catalogue.md (inferred)\"\n"),
            "{text}"
        );
        assert!(
            text.contains(&format!("The area of /api/sys/{plural} is inferred")),
            "{text}"
        );
    }
    // The vendor's rows keep the name they always had.
    let email = read(&imported(out.path(), "EmailAccount"));
    assert!(email.contains("  - \"path: catalogue.md (documented)\"\n"));
    // The seven attendance properties share one enum.
    let coworker = read(&imported(out.path(), "Coworker"));
    assert_eq!(coworker.matches("    type: enum<eAttendance>\n").count(), 7);
    assert!(!coworker.contains("eMondayAttendance"));

    // A name a REST source spells beats the name rebuilt from a CLI option, for each cause,
    // and the field says who spells it.
    for (entity, rebuilt, spelled) in [
        ("ExtraService", "DefaultPrice", "IsDefaultPrice"),
        ("ExtraService", "PrintingCredit", "IsPrintingCredit"),
        (
            "Tariff",
            "CancelMemberAccountAfter",
            "CancelMemeberAccountAfter",
        ),
        ("CoworkerInvoice", "BillToTaxIdNumber", "BillToTaxIDNumber"),
        ("TimePass", "CountsTowardsPlan", "CountsTowardsPlanLimits"),
    ] {
        let text = read(&imported(out.path(), entity));
        assert!(
            text.contains(&format!("  - name: {spelled}\n")),
            "{entity}: {spelled}"
        );
        assert!(
            !text.contains(&format!("  - name: {rebuilt}\n")),
            "{entity}: {rebuilt}"
        );
        assert!(
            text.contains(&format!("rebuilds as `{rebuilt}`")),
            "{entity}: the note on {spelled}"
        );
    }
    // Read-only properties a GET returns are in the record, and never sent.
    let invoice = read(&imported(out.path(), "CoworkerInvoice"));
    for property in ["TotalAmount", "Paid", "PaidAmount"] {
        let entry = format!("  - name: {property}\n");
        let at = invoice.find(&entry).unwrap_or_else(|| panic!("{property}"));
        let field = &invoice[at..];
        let field = &field[..field[1..].find("\n  - name:").unwrap_or(field.len() - 1) + 1];
        assert!(
            field.contains("    create: absent\n    update: absent\n"),
            "{field}"
        );
        assert!(field.contains("    read_only: true\n"), "{field}");
    }
    // An enum the 2020 documentation names takes its values from the entity that lists them.
    let bought = read(&imported(out.path(), "CoworkerExtraService"));
    assert!(bought.contains("type: enum<eChargePeriod>"), "{bought}");
    assert!(
        bought.contains("{ value: 6, name: FourWeekMonths }"),
        "{bought}"
    );

    let output = generate(out.path()).unwrap_or_else(|problems| panic!("{problems}"));
    assert_eq!(
        output
            .files
            .iter()
            .filter(|file| file.schema.is_some())
            .count(),
        213
    );

    // A second run writes nothing.
    let (again, problems) = import(&sources, &catalogues, out.path());
    assert!(problems.is_empty(), "{problems}");
    assert!(again.written.is_empty(), "{:?}", again.written);
    assert_eq!(again.unchanged.len(), 213);
}
