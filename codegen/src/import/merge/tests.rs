//! Tests of the merge: shared and derived enums, and the sources and notes a schema records.

use std::path::Path;

use super::*;
use crate::diagnostics::{Diagnostics, Location};
use crate::import::reference::read_reference;
use crate::import::source::{EnumMember, Sourced};

/// The reference page of `Thing` with the create options `options` (`--kebab`, type) and the
/// enum values `enums` (`--kebab`, values), read as the importer reads it.
fn reference(options: &[(&str, &str)], enums: &[(&str, &str)]) -> EntityFacts {
    let mut text = "# Things\n\n<!-- BEGIN:GENERATED entity=Things -->\n\n\
                    Things support Search, Get, Create, Delete.\n\n\
                    #### Thing create options\n\n\
                    | Option | Type | Description |\n| --- | --- | --- |\n"
        .to_owned();
    for (option, ty) in options {
        text.push_str(&format!("| `--{option}` | {ty} |  |\n"));
    }
    text.push_str("\n#### Thing enum values\n\n| Option | Valid values |\n| --- | --- |\n");
    for (option, values) in enums {
        text.push_str(&format!("| `--{option}` | {values} |\n"));
    }
    text.push_str("\n<!-- END:GENERATED entity=Things -->\n");
    let mut diagnostics = Diagnostics::default();
    let file = diagnostics.add_file(Path::new("things.md"), text.clone());
    let facts = read_reference(file, "entities/things.md", &text, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{:?}", diagnostics.summary_lines());
    facts.expect("the page names its entity")
}

/// A create page that names the enum of `property` `name`, as the seed pages name theirs.
fn page_naming(property: &str, name: &str) -> EntityFacts {
    let at = Location {
        file: 1,
        line: 1,
        column: 1,
    };
    EntityFacts {
        source: "Create Thing (POST /api/sys/things): the rendered documentation page".to_owned(),
        entity: "Thing".to_owned(),
        path: Some(Sourced {
            value: "/api/sys/things".to_owned(),
            at,
        }),
        operations: vec![Sourced {
            value: Operation::Create,
            at,
        }],
        create: Some(vec![Param {
            wire_name: property.to_owned(),
            ty: DocType::Enum(Some(name.to_owned())),
            required: false,
            description: String::new(),
            at,
        }]),
        ..EntityFacts::default()
    }
}

/// The catalogue row of `Thing` in the catalogue schemas name `catalogue`.
fn row(catalogue: &str, confidence: Confidence) -> CatalogueEntry {
    CatalogueEntry {
        entity: "Thing".to_owned(),
        plural: "things".to_owned(),
        path: "/api/sys/things".to_owned(),
        area: "sys".to_owned(),
        ops: "CRUD".to_owned(),
        confidence,
        evidence: "x".to_owned(),
        catalogue: catalogue.to_owned(),
        at: Location {
            file: 0,
            line: 3,
            column: 3,
        },
    }
}

fn enum_names(doc: &SchemaDoc) -> Vec<&str> {
    doc.enums.iter().map(|e| e.name.as_str()).collect()
}

fn type_of<'a>(doc: &'a SchemaDoc, field: &str) -> &'a str {
    let found = doc.fields.iter().find(|f| f.name == field);
    found.map_or("", |field| field.ty.as_str())
}

/// The note that says the enum of `property` is named after it.
fn derived(property: &str) -> String {
    format!(
        "The enum of `{property}` is named `e{property}` after the property: the reference \
         lists its values but not its Nexudus name."
    )
}

const DAYS: &str = "`1` Office, `2` Home";

/// What the 2020 documentation says of `Thing`: a GET example with a renamed property, a
/// read-only total and a named enum, and a body property the reference does not list.
fn docs_2020() -> EntityFacts {
    let at = Location {
        file: 2,
        line: 1,
        column: 1,
    };
    let param = |name: &str, ty: DocType| Param {
        wire_name: name.to_owned(),
        ty,
        required: false,
        description: String::new(),
        at,
    };
    EntityFacts {
        source: "billing/thing.md: the vendor's API documentation of 2020".to_owned(),
        entity: "Thing".to_owned(),
        kind: SourceKind::ApiDocs2020,
        create: Some(vec![
            param("IsDefaultPrice", DocType::Bool),
            param("CustomData", DocType::String),
        ]),
        record: vec![
            param("IsDefaultPrice", DocType::Bool),
            param("TotalAmount", DocType::Decimal),
            param("Period", DocType::Enum(Some("eChargePeriod".to_owned()))),
        ],
        ..EntityFacts::default()
    }
}

#[test]
fn the_2020_documentation_renames_adds_read_only_properties_and_names_enums() {
    let facts = [
        reference(
            &[
                ("name", "string"),
                ("default-price", "bool"),
                ("period", "enum"),
            ],
            &[("period", "`1` Minutes, `2` Days")],
        ),
        docs_2020(),
    ];
    let doc = merge("Thing", &facts, None, None, &SharedTables::new());
    let fields: Vec<(&str, &str, &str, bool, Option<&str>)> = doc
        .fields
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.ty.as_str(),
                f.create.as_str(),
                f.read_only,
                f.spelled_by.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("Name", "string", "optional", false, Some("cli-option")),
            (
                "IsDefaultPrice",
                "bool",
                "optional",
                false,
                Some("api-docs-2020")
            ),
            (
                "Period",
                "enum<eChargePeriod>",
                "optional",
                false,
                Some("api-docs-2020")
            ),
            (
                "CustomData",
                "string",
                "optional",
                false,
                Some("api-docs-2020")
            ),
            (
                "TotalAmount",
                "decimal",
                "absent",
                true,
                Some("api-docs-2020")
            ),
        ]
    );
    let renamed = doc.fields[1].notes.as_deref().unwrap_or_default();
    assert!(renamed.contains("rebuilds as `DefaultPrice`"), "{renamed}");
    assert!(renamed.contains("drops a prefix"), "{renamed}");
    let only_2020 = doc.fields[3].notes.as_deref().unwrap_or_default();
    assert!(only_2020.starts_with(ONLY_2020), "{only_2020}");
    // The reference's values go to the enum the 2020 documentation names; no derived enum is left.
    let enums: Vec<(&str, usize)> = doc
        .enums
        .iter()
        .map(|e| (e.name.as_str(), e.values.len()))
        .collect();
    assert_eq!(enums, [("eChargePeriod", 2)]);
    // A second import changes nothing.
    let again = merge("Thing", &facts, None, Some(&doc), &SharedTables::new());
    assert_eq!(again, doc);
}

#[test]
fn an_enum_the_2020_documentation_names_takes_values_another_entity_lists() {
    let mut shared = SharedTables::new();
    let table = EnumTable {
        name: "ePeriod".to_owned(),
        property: Some("Period".to_owned()),
        values: vec![EnumMember {
            value: 6,
            name: "FourWeekMonths".to_owned(),
            description: None,
        }],
        at: Location::file_start(0),
    };
    shared.insert(
        "eChargePeriod".to_owned(),
        ("ExtraService".to_owned(), table),
    );
    let facts = [reference(&[("period", "enum")], &[]), docs_2020()];
    let doc = merge("Thing", &facts, None, None, &shared);
    let period = doc
        .enums
        .iter()
        .find(|e| e.name == "eChargePeriod")
        .expect("the enum");
    assert_eq!(period.values.len(), 1);
    assert!(
        doc.notes
            .as_deref()
            .unwrap_or_default()
            .contains("ExtraService's reference")
    );
    // An enum the importer only derived (`eStatus`) is never filled from another entity.
    shared.insert("eStatus".to_owned(), shared["eChargePeriod"].clone());
    let facts = [reference(&[("status", "enum")], &[])];
    let doc = merge("Thing", &facts, None, None, &shared);
    assert!(doc.enums.iter().all(|e| e.values.is_empty()));
}

#[test]
fn identical_derived_tables_share_one_enum_named_after_the_words_their_names_end_with() {
    let facts = [reference(
        &[
            ("monday-attendance", "enum"),
            ("gender", "enum"),
            ("tuesday-attendance", "enum"),
            ("sunday-attendance", "enum"),
        ],
        &[
            ("monday-attendance", DAYS),
            ("gender", "`1` Male, `2` Female"),
            ("tuesday-attendance", DAYS),
            // The same members listed in another order are the same table.
            ("sunday-attendance", "`2` Home, `1` Office"),
        ],
    )];
    let doc = merge("Thing", &facts, None, None, &SharedTables::new());
    assert_eq!(enum_names(&doc), ["eAttendance", "eGender"]);
    let values: Vec<(i64, &str)> = doc.enums[0]
        .values
        .iter()
        .map(|member| (member.value, member.name.as_str()))
        .collect();
    assert_eq!(values, [(1, "Office"), (2, "Home")]);
    assert_eq!(
        doc.enums[0].description,
        "Attendance, as the documentation lists its values."
    );
    for day in ["MondayAttendance", "TuesdayAttendance", "SundayAttendance"] {
        assert_eq!(type_of(&doc, day), "enum<eAttendance>", "{day}");
    }
    assert_eq!(type_of(&doc, "Gender"), "enum<eGender>");
    // One note for the group, where the first of its tables is; none per property.
    assert_eq!(
        doc.notes.as_deref(),
        Some(
            "`MondayAttendance`, `TuesdayAttendance` and `SundayAttendance` share the enum \
             `eAttendance`: the reference lists the same values for each but not their \
             Nexudus name, so the enum is named after `Attendance`, the words their names \
             end with. The enum of `Gender` is named `eGender` after the property: the \
             reference lists its values but not its Nexudus name."
        )
    );

    // Importing again over the schema changes nothing.
    let again = merge("Thing", &facts, None, Some(&doc), &SharedTables::new());
    assert_eq!(again, doc);
    assert_eq!(again.to_yaml(), doc.to_yaml());
}

#[test]
fn tables_stay_separate_without_equal_values_a_common_suffix_or_a_free_name() {
    let facts = [reference(
        &[
            ("start-mode", "enum"),
            ("end-kind", "enum"),
            ("order-state", "enum"),
            ("payment-state", "enum"),
            ("status", "enum"),
            ("order-status", "enum"),
            ("payment-status", "enum"),
        ],
        &[
            // Equal values, but no word in common at the end.
            ("start-mode", DAYS),
            ("end-kind", DAYS),
            // One member named differently.
            ("order-state", "`1` Open, `2` Closed"),
            ("payment-state", "`1` Opened, `2` Closed"),
            // The shared name `eStatus` would be the enum of `Status`, with other values.
            ("status", "`1` On, `2` Off"),
            ("order-status", "`1` Paid, `2` Due"),
            ("payment-status", "`1` Paid, `2` Due"),
        ],
    )];
    let doc = merge("Thing", &facts, None, None, &SharedTables::new());
    assert_eq!(
        enum_names(&doc),
        [
            "eStartMode",
            "eEndKind",
            "eOrderState",
            "ePaymentState",
            "eStatus",
            "eOrderStatus",
            "ePaymentStatus"
        ]
    );
    assert_eq!(type_of(&doc, "PaymentStatus"), "enum<ePaymentStatus>");
    let notes = doc.notes.as_deref().unwrap_or_default();
    assert!(!notes.contains("share the enum"), "{notes}");
    for property in [
        "StartMode",
        "EndKind",
        "PaymentState",
        "Status",
        "OrderStatus",
    ] {
        assert!(notes.contains(&derived(property)), "{property}: {notes}");
    }
}

#[test]
fn an_enum_a_page_or_a_reviewer_named_is_neither_shared_nor_noted_as_derived() {
    let sizes = "`1` Small, `2` Large";
    let reference = reference(
        &[
            ("size", "enum"),
            ("box-size", "enum"),
            ("crate-size", "enum"),
            ("door-size", "enum"),
        ],
        &[
            ("size", sizes),
            ("box-size", sizes),
            ("crate-size", sizes),
            ("door-size", sizes),
        ],
    );
    let facts = [page_naming("Size", "eLockerSize"), reference];
    let doc = merge("Thing", &facts, None, None, &SharedTables::new());
    // The page's name takes the values, and the name derived for the table goes unsaid.
    assert_eq!(type_of(&doc, "Size"), "enum<eLockerSize>");
    assert_eq!(enum_names(&doc), ["eLockerSize", "eSize"]);
    assert_eq!(doc.enums[0].values.len(), 2);
    let notes = doc.notes.clone().unwrap_or_default();
    assert!(!notes.contains("`Size` is named"), "{notes}");
    assert!(
        notes.starts_with("`BoxSize`, `CrateSize` and `DoorSize` share the enum `eSize`"),
        "{notes}"
    );

    // A reviewer gives CrateSize an enum of its own: it keeps it, and the note of the group
    // an earlier import wrote is replaced by the one of the group that is left.
    let mut reviewed = doc.clone();
    for field in &mut reviewed.fields {
        if field.name == "CrateSize" {
            field.ty = "enum<eCrate>".to_owned();
        }
    }
    let again = merge("Thing", &facts, None, Some(&reviewed), &SharedTables::new());
    assert_eq!(type_of(&again, "CrateSize"), "enum<eCrate>");
    assert_eq!(type_of(&again, "BoxSize"), "enum<eSize>");
    assert_eq!(type_of(&again, "DoorSize"), "enum<eSize>");
    assert_eq!(enum_names(&again), ["eLockerSize", "eSize", "eCrate"]);
    assert_eq!(again.enums[2].values.len(), 2);
    let notes = again.notes.unwrap_or_default();
    assert!(
        notes.starts_with(
            "`BoxSize` and `DoorSize` share the enum `eSize`: the reference lists the same \
             values for each but not their Nexudus name, so the enum is named after `Size`, \
             the words their names end with."
        ),
        "{notes}"
    );
    assert!(!notes.contains("`CrateSize` and"), "{notes}");
    assert!(!notes.contains("`CrateSize` is named"), "{notes}");
}

#[test]
fn a_schema_written_before_enums_were_shared_is_brought_in_line() {
    let facts = [reference(
        &[
            ("monday-attendance", "enum"),
            ("tuesday-attendance", "enum"),
        ],
        &[("monday-attendance", DAYS), ("tuesday-attendance", DAYS)],
    )];
    // What the importer wrote before: an enum and a note per property, around a reviewer's
    // own sentence.
    let mut old = merge("Thing", &facts, None, None, &SharedTables::new());
    old.enums = ["eMondayAttendance", "eTuesdayAttendance"]
        .iter()
        .map(|name| EnumDoc {
            name: (*name).to_owned(),
            ..old.enums[0].clone()
        })
        .collect();
    for field in &mut old.fields {
        field.ty = format!("enum<e{}>", field.name);
    }
    old.notes = Some(format!(
        "{} Ask support before changing these. {}",
        derived("MondayAttendance"),
        derived("TuesdayAttendance")
    ));
    let doc = merge("Thing", &facts, None, Some(&old), &SharedTables::new());
    assert_eq!(enum_names(&doc), ["eAttendance"]);
    assert_eq!(type_of(&doc, "MondayAttendance"), "enum<eAttendance>");
    assert_eq!(type_of(&doc, "TuesdayAttendance"), "enum<eAttendance>");
    assert_eq!(
        doc.notes.as_deref(),
        Some(
            "Ask support before changing these. `MondayAttendance` and `TuesdayAttendance` \
             share the enum `eAttendance`: the reference lists the same values for each but \
             not their Nexudus name, so the enum is named after `Attendance`, the words their \
             names end with."
        )
    );
}

#[test]
fn the_sources_and_notes_name_the_catalogue_that_gave_the_path() {
    let facts = [reference(&[("name", "string")], &[])];
    let doc = merge(
        "Thing",
        &facts,
        Some(&row("schema-sources/catalogue.md", Confidence::Inferred)),
        None,
        &SharedTables::new(),
    );
    assert_eq!(doc.path, "/api/sys/things");
    assert_eq!(
        doc.sources[0],
        "path: schema-sources/catalogue.md (inferred)"
    );
    assert_eq!(
        doc.notes.as_deref(),
        Some(
            "The area of /api/sys/things is inferred: no documentation page shows this URL \
             (schema-sources/catalogue.md). Check it before relying on it."
        )
    );
    // The vendor's catalogue keeps the name schemas have always carried.
    let doc = merge(
        "Thing",
        &facts,
        Some(&row("catalogue.md", Confidence::Documented)),
        None,
        &SharedTables::new(),
    );
    assert_eq!(doc.sources[0], "path: catalogue.md (documented)");
    assert_eq!(doc.notes, None);
}

#[test]
fn names_split_into_pascal_case_words_and_share_their_last_ones() {
    assert_eq!(words("MondayAttendance"), ["Monday", "Attendance"]);
    assert_eq!(words("IncomingServerSSL"), ["Incoming", "Server", "SSL"]);
    assert_eq!(words("SSLPort"), ["SSL", "Port"]);
    assert_eq!(
        words("Office365AccessToken"),
        ["Office365", "Access", "Token"]
    );
    assert_eq!(words("Images2D"), ["Images2", "D"]);
    let suffix = |names: &[&str]| {
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        common_suffix(&names)
    };
    assert_eq!(
        suffix(&["AddressIdentityCheckProvider", "IdentityCheckProvider"]).as_deref(),
        Some("IdentityCheckProvider")
    );
    assert_eq!(suffix(&["UseSSL", "RequireSSL"]).as_deref(), Some("SSL"));
    // A shared tail of letters is not a shared word.
    assert_eq!(suffix(&["Status", "Bonus"]), None);
    assert_eq!(suffix(&["StartMode", "EndKind"]), None);
}
