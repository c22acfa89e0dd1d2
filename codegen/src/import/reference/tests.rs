//! Tests of the entity reference reader, on hand-written pages and on the vendor's own.

use std::path::Path;

use super::*;

/// A small page with every kind of fact, laid out like the vendor's pages.
const WIDGETS: &str = "\
# Widgets

<!-- BEGIN:GENERATED entity=Widgets -->

A **Widget** is a small thing on a shelf. It is not a gadget.

Widgets support Search, Get, Create, Update, Delete.

Widgets also support entity commands.

| Command | Description |
| --- | --- |
| `nexudus widgets list --agent` | List all widgets |
| `nexudus widgets list --id <id1> --id <id2> --agent` | Filter by multiple IDs |

#### Widget list filter options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string |  |
| `--from-size` | range | |

#### Widget create options

| Option | Type | Description |
| --- | --- | --- |
| `--business-id` | long, required |  |
| `--size` | int | Size in mm |
| `--price` | decimal |  |
| `--active` | bool |  |
| `--name` | string, required | Display name |
| `--made-on` | DateTime |  |
| `--shape` | enum, required |  |
| `--tariffs` | list, repeat flag |  |
| `--parts` | JSON array or @filepath | Parts — inline |
| `--u-r-l` | string | A URL or a URL|label pair |

#### Widget update options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string |  |
| `--shape` | enum |  |

#### Widget enum values

| Option | Valid values |
| ------ | ------------ |
| `--shape` | `0` None, `1` Round, `12` Square |

<!-- END:GENERATED entity=Widgets -->

## Workflows

Hand-written notes.
";

/// Reads `text` as the page `widgets.md`.
fn read(text: &str) -> (Option<EntityFacts>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let file = diagnostics.add_file(Path::new("widgets.md"), text.to_owned());
    let facts = read_reference(file, "entities/widgets.md", text, &mut diagnostics);
    (facts, diagnostics)
}

/// A location in the page `read` registers first.
fn at(line: usize, column: usize) -> Location {
    Location {
        file: 0,
        line,
        column,
    }
}

/// The wire names of a create or update, in page order.
fn names(params: Option<&Vec<Param>>) -> Vec<&str> {
    params
        .into_iter()
        .flatten()
        .map(|param| param.wire_name.as_str())
        .collect()
}

#[test]
fn a_complete_page_gives_every_fact() {
    let (facts, diagnostics) = read(WIDGETS);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let facts = facts.expect("the page names its entity");
    assert_eq!(facts.source, "entities/widgets.md");
    assert_eq!(facts.entity, "Widget");
    assert_eq!(facts.path, None);
    assert_eq!(
        facts.description,
        Some(Sourced {
            value: "A Widget is a small thing on a shelf.".to_owned(),
            at: at(5, 1),
        })
    );
    let operations: Vec<(Operation, Location)> = facts
        .operations
        .iter()
        .map(|operation| (operation.value, operation.at))
        .collect();
    assert_eq!(
        operations,
        [
            (Operation::Search, at(7, 17)),
            (Operation::Get, at(7, 25)),
            (Operation::GetMany, at(14, 25)),
            (Operation::Create, at(7, 30)),
            (Operation::Update, at(7, 38)),
            (Operation::Delete, at(7, 46)),
            (Operation::Commands, at(9, 9)),
        ]
    );

    let create = facts.create.as_ref().expect("a create section");
    let types: Vec<(&str, &DocType, bool)> = create
        .iter()
        .map(|param| (param.wire_name.as_str(), &param.ty, param.required))
        .collect();
    assert_eq!(
        types,
        [
            ("BusinessId", &DocType::Int64, true),
            ("Size", &DocType::Int32, false),
            ("Price", &DocType::Decimal, false),
            ("Active", &DocType::Bool, false),
            ("Name", &DocType::String, true),
            ("MadeOn", &DocType::DateTime, false),
            ("Shape", &DocType::Enum(None), true),
            ("Tariffs", &DocType::List(Box::new(DocType::Int64)), false),
            ("Parts", &DocType::Children, false),
            ("URL", &DocType::String, false),
        ]
    );
    assert_eq!(create[0].at, at(27, 3));
    assert_eq!(create[0].description, "");
    assert_eq!(create[1].description, "Size in mm");
    assert_eq!(create[8].description, "Parts — inline");
    // An unescaped `|` in the description is part of it, not a fourth column.
    assert_eq!(create[9].description, "A URL or a URL|label pair");

    let update = facts.update.as_ref().expect("an update section");
    assert_eq!(names(Some(update)), ["Name", "Shape"]);
    assert!(update.iter().all(|param| !param.required));
    assert_eq!(update[1].at, at(43, 3));

    assert_eq!(
        facts.enums,
        [EnumTable {
            name: "eShape".to_owned(),
            property: Some("Shape".to_owned()),
            values: vec![
                EnumMember {
                    value: 0,
                    name: "None".to_owned(),
                    description: None,
                },
                EnumMember {
                    value: 1,
                    name: "Round".to_owned(),
                    description: None,
                },
                EnumMember {
                    value: 12,
                    name: "Square".to_owned(),
                    description: None,
                },
            ],
            at: at(49, 3),
        }]
    );
    let remarks: Vec<(&str, Location)> = facts
        .remarks
        .iter()
        .map(|remark| (remark.value.as_str(), remark.at))
        .collect();
    assert_eq!(
        remarks,
        // The derived name is the merge's to note, once it knows no page names the enum.
        [(
            "hand-written text follows the generated block; it is not read",
            at(53, 1)
        )]
    );
}

#[test]
fn a_malformed_row_and_an_unknown_type_are_reported_and_skipped() {
    let text = "\
# Gadgets

<!-- BEGIN:GENERATED entity=Gadgets -->

Gadgets support Search, Get, Create, Update (no Delete via API).

#### Gadget create options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string, required |  |
| `--weight` | integer |  |
| `--colour` |
|  `--size-«x»` | int | Size |
| `--height` | int |  |

#### Gadget update options

| Option | Type | Description |
| --- | --- | --- |
| `--name` | string |  |
| `--name` | string |  |
| `--notes` | range |  |

<!-- END:GENERATED entity=Gadgets -->
";
    let (facts, diagnostics) = read(text);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "widgets.md:12:16: error: unknown type `integer` for `--weight`",
            "widgets.md:13:1: error: this row has 1 cell, not 3",
            "widgets.md:14:4: error: ``--size-«x»`` is not an option name",
            "widgets.md:22:3: error: `--name` is listed twice in this table",
            "widgets.md:23:15: error: unknown type `range` for `--notes`",
        ]
    );
    let facts = facts.expect("the page names its entity");
    assert_eq!(
        names(facts.create.as_ref()),
        ["Name", "Height"],
        "the good rows are still read"
    );
    assert_eq!(names(facts.update.as_ref()), ["Name"]);
    let operations: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
    assert_eq!(
        operations,
        [
            Operation::Search,
            Operation::Get,
            Operation::Create,
            Operation::Update
        ]
    );
}

#[test]
fn wire_names_rebuild_acronyms_digits_and_typos() {
    let cases = [
        ("--incoming-server-s-s-l", "IncomingServerSSL"),
        ("--u-r-l", "URL"),
        ("--a-p-i-access", "APIAccess"),
        ("--c-c-o-emails", "CCOEmails"),
        (
            "--has-accepted-stripe-a-c-h-agreement",
            "HasAcceptedStripeACHAgreement",
        ),
        ("--stripe-bacs-d-d-mandate-id", "StripeBacsDDMandateId"),
        // Digits stay with the segment they follow.
        ("--office365-access-token", "Office365AccessToken"),
        ("--salto-v2-access-token", "SaltoV2AccessToken"),
        ("--last4", "Last4"),
        ("--custom10", "Custom10"),
        ("--new-team-image1-url", "NewTeamImage1Url"),
        ("--testimonial1-author", "Testimonial1Author"),
        // A capital after a digit still starts a segment: `Images2D`, not `Images2d`.
        ("--images2-d", "Images2D"),
        ("--images3-d", "Images3D"),
        // A lone letter is a one-letter word, not an acronym run.
        ("--pos-x", "PosX"),
        ("--position-z", "PositionZ"),
        // The vendor's spelling is kept, typos included.
        (
            "--cancel-memeber-account-after",
            "CancelMemeberAccountAfter",
        ),
        ("--on-plaform-invoices", "OnPlaformInvoices"),
        ("business-id", "BusinessId"),
    ];
    for (kebab, wire) in cases {
        assert_eq!(wire_name(kebab), wire, "{kebab}");
    }
}

#[test]
fn cells_keep_escaped_pipes_and_count_columns_in_characters() {
    let cells = table_cells("  | `--dir <0\\|1>` | «x» | é |").expect("a row");
    let cells: Vec<(&str, usize)> = cells
        .iter()
        .map(|cell| (cell.text.as_str(), cell.column))
        .collect();
    assert_eq!(cells, [("`--dir <0|1>`", 5), ("«x»", 22), ("é", 28)]);
    let cells = table_cells("| a |  | b").expect("a row without a closing pipe");
    let cells: Vec<(&str, usize)> = cells
        .iter()
        .map(|cell| (cell.text.as_str(), cell.column))
        .collect();
    assert_eq!(cells, [("a", 3), ("", 6), ("b", 10)]);
    assert_eq!(table_cells("not | a row"), None);
    assert!(is_separator(
        &table_cells("| --- | :---: |").expect("a row")
    ));
    assert!(!is_separator(&table_cells("| --- | x |").expect("a row")));
}

#[test]
fn read_only_prose_is_a_remark_and_contradicting_operations_are_noted() {
    let text = "\
# Stubs

<!-- BEGIN:GENERATED entity=Stubs -->

A **Stub** is a read-only snapshot of a ticket. Stubs cannot be created through the API, e.g. by a member. Keep them.

A **Stub** is an internal entity.

Stubs support Search, Get, Create, Update, Delete.

#### Stub list filter options

Read-only fields are not a remark here.

<!-- END:GENERATED entity=Stubs -->
";
    let (facts, diagnostics) = read(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let facts = facts.expect("the page names its entity");
    let remarks: Vec<(&str, Location)> = facts
        .remarks
        .iter()
        .map(|remark| (remark.value.as_str(), remark.at))
        .collect();
    assert_eq!(
        remarks,
        [
            (
                "the reference's prose says \"A Stub is a read-only snapshot of a ticket.\", \
                 yet its operations sentence lists Create, Update, Delete",
                at(5, 1)
            ),
            (
                "the reference's prose says \"Stubs cannot be created through the API, e.g. \
                 by a member.\", yet its operations sentence lists Create, Update, Delete",
                at(5, 49)
            ),
            (
                "the reference's prose says \"A Stub is an internal entity.\"",
                at(7, 1)
            ),
        ]
    );
    // No create or update section is no create or update, not an empty one.
    assert_eq!(facts.create, None);
    assert_eq!(facts.update, None);
    assert_eq!(
        facts.description.map(|description| description.value),
        Some("A Stub is a read-only snapshot of a ticket.".to_owned())
    );
}

#[test]
fn without_markers_the_whole_page_is_read_and_the_title_names_the_entity() {
    let text = "# Countries\n\nCountries support List, Get.\n\n#### Country create options\n\n\
        | Option | Type | Description |\n| --- | --- | --- |\n";
    let (facts, diagnostics) = read(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let facts = facts.expect("the page names its entity");
    assert_eq!(facts.entity, "Country");
    assert_eq!(
        facts.create,
        Some(Vec::new()),
        "an empty table is an empty create"
    );
    let operations: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
    assert_eq!(operations, [Operation::Search, Operation::Get]);

    let (facts, _) = read("# Countries\n\nCountries support Search, Get.\n");
    let facts = facts.expect("the title names the entity");
    assert_eq!(facts.entity, "Country");
    assert_eq!(facts.remarks.len(), 1, "{:?}", facts.remarks);
    assert_eq!(singular("Businesses"), "Business");
    assert_eq!(singular("EmailAccounts"), "EmailAccount");
    assert_eq!(singular("Boxes"), "Box");

    let (facts, diagnostics) = read("Nothing here.\n");
    assert_eq!(facts, None);
    assert_eq!(
        diagnostics.summary_lines(),
        ["widgets.md:1:1: error: the page names no entity"]
    );
}

#[test]
fn broken_markers_bad_enum_values_and_unknown_operations_are_reported() {
    let text = "\
# Things

<!-- BEGIN:GENERATED entity=Things -->

Things support Search, Fetch, Delete.

#### Thing create options

| Option | Type | Description |
| --- | --- | --- |
| `--kind` | enum |  |

#### Thing enum values

| Option | Valid values |
| ------ | ------------ |
| `--kind` | `1` One, two |
| `--level` | `1` Low, `1` High |
| `--mode` | `1` Manual |
| `--mode` | `2` Auto |

#### Gadget update options

| Option | Type | Description |
| --- | --- | --- |
";
    let (facts, diagnostics) = read(text);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "widgets.md:3:1: error: the generated block is not closed",
            "widgets.md:5:24: error: unknown operation `Fetch`",
            "widgets.md:17:14: error: cannot read the values of `--kind`: `One, two` is not \
             a member name (value 1)",
            "widgets.md:18:15: error: cannot read the values of `--level`: the value 1 is \
             listed twice",
            "widgets.md:20:3: error: the values of `--mode` are listed twice",
            "widgets.md:22:6: error: this section is about `Gadget`, not `Thing`",
        ]
    );
    let facts = facts.expect("the page names its entity");
    let operations: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
    assert_eq!(operations, [Operation::Search, Operation::Delete]);
    assert_eq!(facts.enums.len(), 1);
    assert_eq!(facts.enums[0].name, "eMode");
    assert!(
        facts
            .remarks
            .iter()
            .any(|remark| remark.value.contains("`--mode` belong to no enum option")),
        "{:?}",
        facts.remarks
    );
}

#[test]
fn the_page_spelling_settles_the_case_of_rebuilt_names() {
    let text = "\
# Links

<!-- BEGIN:GENERATED entity=Links -->

Deprecated. Use Bookmarks instead.

Links support Search, Get, Create, Update.

#### Link create options

| Option | Type | Description |
| --- | --- | --- |
| `--domain-url` | string, required |  |
| `--entity-url` | string |  |
| `--site-id` | enum |  |

#### Link update options

| Option | Type | Description |
| --- | --- | --- |
| `--domain-url` | string |  |

#### Link enum values

| Option | Valid values |
| ------ | ------------ |
| `--site-id` | `1` Main |

### Link (key fields)

`Id`, `DomainURL`, `SiteID`

**List properties (only returned by `get`, not by `list`):** `EntityUrl`

<!-- END:GENERATED entity=Links -->
";
    let (facts, diagnostics) = read(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let facts = facts.expect("the page names its entity");
    assert_eq!(
        names(facts.create.as_ref()),
        ["DomainURL", "EntityUrl", "SiteID"]
    );
    assert_eq!(names(facts.update.as_ref()), ["DomainURL"]);
    // The table follows the property's spelling, so the merge finds its field.
    assert_eq!(facts.enums[0].name, "eSiteID");
    assert_eq!(facts.enums[0].property.as_deref(), Some("SiteID"));
    let remarks: Vec<(&str, Location)> = facts
        .remarks
        .iter()
        .map(|remark| (remark.value.as_str(), remark.at))
        .collect();
    assert_eq!(
        remarks,
        [
            (
                "the reference's prose says \"Deprecated. Use Bookmarks instead.\"",
                at(5, 1)
            ),
            (
                "the option rebuilds as `DomainUrl`, but the page spells the property \
                 `DomainURL`; the page's spelling is used",
                at(13, 3)
            ),
            (
                "the option rebuilds as `SiteId`, but the page spells the property `SiteID`; \
                 the page's spelling is used",
                at(15, 3)
            ),
        ]
    );
}

/// Reads every page of the vendor reference beside the checkout, with the catalogue, and checks
/// them against `INDEX.tsv`, the pages' own key-field names and the committed EmailAccount
/// schema.
#[test]
fn the_vendor_reference_reads_without_problems() {
    use crate::import::catalogue::{Confidence, by_plural, find, read_catalogue};

    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/nexudus-reference"
    ));
    if !dir.exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let read_text = |path: &Path| std::fs::read_to_string(path).expect("readable");
    let mut diagnostics = Diagnostics::default();
    let catalogue_path = dir.join("catalogue.md");
    let catalogue_text = read_text(&catalogue_path);
    let catalogue_file = diagnostics.add_file(&catalogue_path, catalogue_text.clone());
    let catalogue = read_catalogue(
        catalogue_file,
        "catalogue.md",
        &catalogue_text,
        &mut diagnostics,
    );
    assert_eq!(catalogue.len(), 212);

    let mut paths: Vec<_> = std::fs::read_dir(dir.join("entities"))
        .expect("the entities folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 213);
    let mut pages = BTreeMap::new();
    for path in &paths {
        let text = read_text(path);
        let file = diagnostics.add_file(path, text.clone());
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("a file name")
            .to_owned();
        let facts = read_reference(file, &name, &text, &mut diagnostics)
            .unwrap_or_else(|| panic!("{name} names no entity"));
        pages.insert(name, (facts, text));
    }
    assert!(diagnostics.is_empty(), "{:#?}", diagnostics.summary_lines());

    // Two pages have no catalogue row: the catalogue was made from an older entity index.
    let unlisted: Vec<&str> = pages
        .keys()
        .map(|name| name.trim_end_matches(".md"))
        .filter(|plural| by_plural(&catalogue, plural).is_none())
        .collect();
    assert_eq!(unlisted, ["proactiveactionconfigs", "proposedactions"]);
    // The project's addendum gives them, as inferred guesses, and shadows no vendor row.
    let addendum_path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema-sources/catalogue.md"
    ));
    let addendum_text = read_text(addendum_path);
    let addendum_file = diagnostics.add_file(addendum_path, addendum_text.clone());
    let addendum = read_catalogue(
        addendum_file,
        "schema-sources/catalogue.md",
        &addendum_text,
        &mut diagnostics,
    );
    assert!(
        addendum
            .iter()
            .all(|row| by_plural(&catalogue, &row.plural).is_none())
    );
    let both = [catalogue.clone(), addendum];
    for plural in unlisted {
        let (facts, _) = &pages[&format!("{plural}.md")];
        let row = find(&both, &facts.entity, Some(plural)).expect("a row");
        assert_eq!(row.catalogue, "schema-sources/catalogue.md", "{plural}");
        assert_eq!(row.path, format!("/api/sys/{plural}"));
        assert_eq!(row.confidence, Confidence::Inferred);
    }
    for (name, (facts, _)) in &pages {
        if let Some(entry) = by_plural(&catalogue, name.trim_end_matches(".md")) {
            assert_eq!(facts.entity, entry.entity, "{name}");
        }
    }

    // Every count, operation list and section flag of INDEX.tsv.
    let index = read_text(&dir.join("INDEX.tsv"));
    let mut rows = index.lines();
    let header: Vec<&str> = rows.next().expect("a header").split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|column| *column == name)
            .unwrap_or_else(|| panic!("INDEX.tsv has a {name} column"))
    };
    let (file, operations, create, update, commands, enums) = (
        column("file"),
        column("operations"),
        column("create_options"),
        column("update_options"),
        column("entity_commands"),
        column("enum_values_section"),
    );
    let count = |text: &str| (!text.is_empty()).then(|| text.parse::<usize>().expect("a count"));
    let mut checked = 0;
    for row in rows {
        let cells: Vec<&str> = row.split('\t').collect();
        let (facts, _) = &pages[cells[file]];
        let name = cells[file];
        assert_eq!(
            facts.create.as_ref().map(Vec::len),
            count(cells[create]),
            "{name}"
        );
        assert_eq!(
            facts.update.as_ref().map(Vec::len),
            count(cells[update]),
            "{name}"
        );
        let mut expected: Vec<Operation> = cells[operations]
            .split(['(', '.'])
            .next()
            .expect("a list")
            .split(',')
            .map(|word| operation_word(word.trim()).expect("an operation"))
            .chain([Operation::GetMany])
            .chain((cells[commands] == "yes").then_some(Operation::Commands))
            .collect();
        expected.sort();
        let found: Vec<Operation> = facts.operations.iter().map(|op| op.value).collect();
        assert_eq!(found, expected, "{name}");
        assert_eq!(!facts.enums.is_empty(), cells[enums] == "yes", "{name}");
        checked += 1;
    }
    assert_eq!(checked, 213);

    // Wire names agree with every name the pages spell out wherever both name one property:
    // key fields and list properties (which settle the case, so this checks that they were
    // applied to create and update alike) and inline children's writable properties.
    let mut agreed = 0;
    for (name, (facts, text)) in &pages {
        let spelled = text.lines().filter(|line| {
            line.starts_with('`')
                || line.starts_with("**List properties")
                || line.starts_with("Writable properties")
        });
        for word in spelled.flat_map(|line| line.split('`').skip(1).step_by(2)) {
            let params = facts.create.iter().chain(&facts.update).flatten();
            for param in params.filter(|param| param.wire_name.eq_ignore_ascii_case(word)) {
                assert_eq!(param.wire_name, word, "{name}");
                agreed += 1;
            }
        }
    }
    assert!(agreed > 500, "only {agreed} names cross-checked");
    let with_remark = |needle: &str| -> Vec<&str> {
        pages
            .iter()
            .filter(|(_, (facts, _))| {
                facts
                    .remarks
                    .iter()
                    .any(|remark| remark.value.contains(needle))
            })
            .map(|(name, _)| name.as_str())
            .collect()
    };
    // Three options lose their acronym; the pages' key fields spell them right, as the 2020
    // documentation does (`DomainURL`), while `--entity-url` really is `EntityUrl`.
    let respelled: Vec<&str> = pages
        .values()
        .flat_map(|(facts, _)| &facts.remarks)
        .filter(|remark| remark.value.contains("but the page spells the property"))
        .filter_map(|remark| remark.value.split('`').nth(3))
        .collect();
    assert_eq!(
        with_remark("but the page spells the property"),
        ["businessdomains.md", "businessredirections.md"]
    );
    assert_eq!(respelled, ["DomainURL", "SourceURL", "DestinationURL"]);

    // The EmailAccount page gives exactly the names of the committed schema.
    let (email, _) = &pages["emailaccounts.md"];
    let mut schema_diagnostics = Diagnostics::default();
    let schema = crate::load::load(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../schema/crm/EmailAccount.yaml"
        )),
        &mut schema_diagnostics,
    );
    assert!(schema_diagnostics.is_empty(), "{schema_diagnostics:?}");
    let fields = &schema.first().expect("the EmailAccount schema").fields;
    let in_schema = |operation: fn(&crate::load::RawField) -> &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|field| operation(field) != "absent" && field.name.as_str() != "Id")
            // Only the 2020 documentation writes these (the two passwords).
            .filter(|field| {
                !field
                    .notes
                    .as_deref()
                    .is_some_and(|notes| notes.starts_with("Only the 2020 API documentation"))
            })
            .map(|field| field.name.as_str())
            .collect()
    };
    assert_eq!(
        names(email.create.as_ref()),
        in_schema(|field| field.create.as_str())
    );
    assert_eq!(
        names(email.update.as_ref()),
        in_schema(|field| field.update.as_str())
    );
    assert!(names(email.create.as_ref()).contains(&"IncomingServerSSL"));
    assert!(names(email.create.as_ref()).contains(&"Office365AccessToken"));

    // The facts the quirks list in NEXUDUS.md, and three more pages whose prose says
    // read-only while their operations sentence lists writes.
    assert_eq!(
        with_remark("yet its operations sentence lists"),
        [
            "cancelledbookings.md",
            "coworkerextraserviceusehistories.md",
            "coworkernotifications.md",
            "failedcheckins.md",
            "invoices.md"
        ]
    );
    assert_eq!(
        with_remark("hand-written text"),
        ["productextraservices.md", "producttimepasses.md"]
    );
    let (legal, _) = &pages["legalcontentaudits.md"];
    assert_eq!(
        (&legal.create, &legal.update),
        (&Some(Vec::new()), &Some(Vec::new()))
    );
    let (bookings, _) = &pages["bookings.md"];
    assert_eq!(
        (
            bookings.create.as_ref().map(Vec::len),
            bookings.update.as_ref().map(Vec::len)
        ),
        (Some(51), Some(38))
    );
    // The reference never names an enum: every table's name is derived from its property.
    let tables: usize = pages.values().map(|(facts, _)| facts.enums.len()).sum();
    let derived = pages
        .values()
        .flat_map(|(facts, _)| &facts.enums)
        .filter(|table| {
            table
                .property
                .as_ref()
                .is_some_and(|property| table.name == format!("e{property}"))
        })
        .count();
    assert_eq!(tables, 64);
    assert_eq!(derived, tables);
}
