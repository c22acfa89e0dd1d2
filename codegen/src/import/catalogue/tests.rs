//! Tests of the catalogue reader: rows, headers, lookups, and which catalogue gives a path.

use std::path::Path;

use super::*;

const CATALOGUE: &str = "\
# Catalogue

Some prose with a | pipe that is not a table.

| Entity | plural | path | ops | confidence | evidence |
|---|---|---|---|---|---|
| EmailAccount | emailaccounts | `/api/crm/emailaccounts` | CRUD | documented | https://a; https://b |
| Country | countries | `/api/sys/countries` | list,get | client-code | seen in a|b client |
| Ticket | tickets | `/api/support/tickets` (guess) | CRUD | inferred | none found |
| Broken | broken | `/api/sys/broken` | CRUD |
| Sure | sure | `/api/sys/sure` | CRUD | certain | x |
| Elsewhere | elsewhere | `/api/sys/other` | CRUD | documented | x |
| Guessed | guessed | `/api/sys/guessed` (guess) | CRUD | documented | x |
| Countries | countries | `/api/sys/countries` | CRUD | documented | x |
| FloorplanLayoutTransition | floorplanlayouttransitions | `/api/sys/floorplanlayouttransitions` | CRUD | documented | x |

After the table.
";

/// Reads `text` as `catalogue.md`.
fn read(text: &str) -> (Vec<CatalogueEntry>, Diagnostics) {
    read_named(text, "catalogue.md")
}

/// Reads `text` as a catalogue that schemas name `name`.
fn read_named(text: &str, name: &str) -> (Vec<CatalogueEntry>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let file = diagnostics.add_file(Path::new(name), text.to_owned());
    let entries = read_catalogue(file, name, text, &mut diagnostics);
    (entries, diagnostics)
}

/// A catalogue table of `rows`, each `Entity | plural | area | confidence`.
fn table(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut text =
        "| Entity | plural | path | ops | confidence | evidence |\n|---|---|---|---|---|---|\n"
            .to_owned();
    for (entity, plural, area, confidence) in rows {
        text.push_str(&format!(
            "| {entity} | {plural} | `/api/{area}/{plural}` | CRUD | {confidence} | x |\n"
        ));
    }
    text
}

#[test]
fn rows_are_read_and_malformed_rows_reported_with_their_line() {
    let (entries, diagnostics) = read(CATALOGUE);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "catalogue.md:10:1: error: this row has 4 cells, not 6",
            "catalogue.md:11:42: error: unknown confidence `certain`",
            "catalogue.md:12:27: error: the path `/api/sys/other` does not end in the \
             row's plural `elsewhere`",
            "catalogue.md:13:23: error: unexpected `(guess)` after the path",
            "catalogue.md:14:3: error: `countries` is listed twice",
        ]
    );
    let plurals: Vec<&str> = entries.iter().map(|entry| entry.plural.as_str()).collect();
    assert_eq!(
        plurals,
        [
            "emailaccounts",
            "countries",
            "tickets",
            "floorplanlayouttransitions"
        ]
    );
    assert_eq!(
        entries[0],
        CatalogueEntry {
            entity: "EmailAccount".to_owned(),
            plural: "emailaccounts".to_owned(),
            path: "/api/crm/emailaccounts".to_owned(),
            area: "crm".to_owned(),
            ops: "CRUD".to_owned(),
            confidence: Confidence::Documented,
            evidence: "https://a; https://b".to_owned(),
            catalogue: "catalogue.md".to_owned(),
            at: Location {
                file: 0,
                line: 7,
                column: 3,
            },
        }
    );
    assert_eq!(entries[1].confidence, Confidence::ClientCode);
    assert_eq!(entries[1].evidence, "seen in a|b client");
    assert_eq!(entries[2].confidence, Confidence::Inferred);
    assert_eq!(entries[2].path, "/api/support/tickets");
    assert_eq!(entries[2].area, "support");
}

#[test]
fn entries_are_found_by_plural_ignoring_case() {
    let (entries, _) = read(CATALOGUE);
    let found = by_plural(&entries, "FloorPlanLayoutTransitions").map(|e| e.entity.as_str());
    assert_eq!(found, Some("FloorplanLayoutTransition"));
    assert_eq!(
        by_plural(&entries, "EMAILACCOUNTS").map(|e| e.path.as_str()),
        Some("/api/crm/emailaccounts")
    );
    assert_eq!(by_plural(&entries, "broken"), None);
}

#[test]
fn a_missing_or_unexpected_header_reads_nothing() {
    let (entries, diagnostics) = read("# Catalogue\n\nNo table.\n");
    assert!(entries.is_empty());
    assert_eq!(
        diagnostics.summary_lines(),
        ["catalogue.md:1:1: error: the catalogue has no table"]
    );
    let (entries, diagnostics) = read("| Entity | path |\n|---|---|\n| A | `/api/sys/as` |\n");
    assert!(entries.is_empty());
    assert_eq!(
        diagnostics.summary_lines(),
        ["catalogue.md:1:3: error: unexpected catalogue columns `Entity | path`"]
    );
}

#[test]
fn an_entity_comes_from_the_first_catalogue_that_lists_it() {
    let (vendor, _) = read_named(
        &table(&[
            ("EmailAccount", "emailaccounts", "crm", "documented"),
            (
                "FloorplanLayout",
                "floorplanlayouts",
                "spaces",
                "documented",
            ),
        ]),
        "catalogue.md",
    );
    let (addendum, diagnostics) = read_named(
        &table(&[
            ("EmailAccount", "emailaccounts", "sys", "inferred"),
            ("FloorPlanLayout", "floorplanlayouts", "sys", "inferred"),
            ("ProposedAction", "proposedactions", "sys", "inferred"),
        ]),
        "schema-sources/catalogue.md",
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let catalogues = [vendor, addendum];
    let found = |entity: &str, plural: Option<&str>| {
        find(&catalogues, entity, plural).map(|row| (row.path.as_str(), row.catalogue.as_str()))
    };
    // Listed in both: the vendor's row, whole, and named after the vendor's file.
    assert_eq!(
        found("EmailAccount", None),
        Some(("/api/crm/emailaccounts", "catalogue.md"))
    );
    // Only the addendum has it.
    assert_eq!(
        found("ProposedAction", None),
        Some(("/api/sys/proposedactions", "schema-sources/catalogue.md"))
    );
    // The vendor spells the name differently but lists the plural the page shows: that row
    // is the vendor's, and the addendum's exact spelling does not take it over.
    assert_eq!(
        found("FloorPlanLayout", Some("floorplanlayouts")),
        Some(("/api/spaces/floorplanlayouts", "catalogue.md"))
    );
    assert_eq!(found("Ticket", Some("tickets")), None);
    assert_eq!(find(&[], "EmailAccount", None), None);
}

#[test]
fn a_catalogue_is_named_by_file_with_its_folder_only_when_an_earlier_one_has_the_name() {
    let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
    assert_eq!(
        names(&paths(&["../shared/nexudus-reference/catalogue.md"])),
        ["catalogue.md"]
    );
    // The vendor's first, as the importer is run: it keeps the name schemas already carry.
    assert_eq!(
        names(&paths(&[
            "../shared/nexudus-reference/catalogue.md",
            "schema-sources/catalogue.md",
        ])),
        ["catalogue.md", "schema-sources/catalogue.md"]
    );
    assert_eq!(
        names(&paths(&["vendor/catalogue.md", "extra-rows.md"])),
        ["catalogue.md", "extra-rows.md"]
    );
    // Same folder and file name too: only the whole path tells them apart.
    assert_eq!(
        names(&paths(&[
            "a/x/catalogue.md",
            "b/x/catalogue.md",
            "c/y/catalogue.md"
        ])),
        ["catalogue.md", "x/catalogue.md", "y/catalogue.md"]
    );
    assert_eq!(
        names(&paths(&["a/x/c.md", "b/x/c.md", "d/x/c.md"])),
        ["c.md", "x/c.md", "d/x/c.md"]
    );
}
