//! Tests of the seed reader: MDX and rendered pages, their problems, and the EmailAccount seeds.

use std::path::Path;

use super::rendered::glued_row;
use super::*;

/// Reads `text` as the file `page`, whose problems print as `page:line:column: error: ...`.
fn read(text: &str) -> (Option<EntityFacts>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let file = diagnostics.add_file(Path::new("page"), text.to_owned());
    let facts = read_page(file, "test page", text, &mut diagnostics);
    (facts, diagnostics)
}

fn at(line: usize, column: usize) -> Location {
    Location {
        file: 0,
        line,
        column,
    }
}

fn sourced<T>(value: T, line: usize, column: usize) -> Sourced<T> {
    Sourced {
        value,
        at: at(line, column),
    }
}

fn param(
    name: &str,
    ty: DocType,
    required: bool,
    description: &str,
    line: usize,
    column: usize,
) -> Param {
    Param {
        wire_name: name.to_owned(),
        ty,
        required,
        description: description.to_owned(),
        at: at(line, column),
    }
}

fn member(value: i64, name: &str, description: Option<&str>) -> EnumMember {
    EnumMember {
        value,
        name: name.to_owned(),
        description: description.map(str::to_owned),
    }
}

fn enumeration(name: &str) -> DocType {
    DocType::Enum(Some(name.to_owned()))
}

fn names(params: &[Param]) -> Vec<&str> {
    params
        .iter()
        .map(|param| param.wire_name.as_str())
        .collect()
}

const MDX_CREATE: &str = r#"# Create Widget

> Create a new Widget record.

Creates a new Widget record.

A Widget is a thing that hangs on a wall.
It has a colour.

Widgets are painted on delivery.

## Authentication

<Note>
  The authenticated user must be a full unrestricted administrator or have the **`Widget-Create`** role.
</Note>

## Enums

<Accordion title="eWidgetColour — Colour values">
  | Value | Name | Description |
  |---|---|---|
  | 1 | Red | Like a tomato. |
  | 2 | Blue | |
</Accordion>

## Request Body

### Required Fields

<ParamField body="BusinessId" type="integer" required>
  Business Id.
</ParamField>

<ParamField body="Colour" type="integer" required>
  Colour. See eWidgetColour enum above.
</ParamField>

### Optional Fields

<ParamField body="Price" type="number">
  Price, with
  tax.
</ParamField>

<ParamField body="Tags" type="integer[]">Tags.</ParamField>

<ParamField body="Visible" type="boolean" />

## Code Examples

<CodeGroup>
  ```bash cURL theme={null}
  # Update Gadget
  curl -X POST \
    "https://spaces.nexudus.com/api/spaces/widgets" \
    -d '{"BusinessId": 0}'
  ```
</CodeGroup>

## Response

<ResponseField name="Status" type="integer">
  HTTP status code.
</ResponseField>
"#;

#[test]
fn an_mdx_page_gives_every_fact() {
    let (facts, diagnostics) = read(MDX_CREATE);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let facts = facts.expect("the page is a create");
    let expected = EntityFacts {
        source: "test page".to_owned(),
        entity: "Widget".to_owned(),
        path: Some(sourced("/api/spaces/widgets".to_owned(), 56, 6)),
        operations: vec![sourced(Operation::Create, 1, 3)],
        description: Some(sourced(
            "A Widget is a thing that hangs on a wall. It has a colour.".to_owned(),
            7,
            1,
        )),
        create: Some(vec![
            param("BusinessId", DocType::Integer, true, "Business Id.", 31, 19),
            param(
                "Colour",
                enumeration("eWidgetColour"),
                true,
                "Colour.",
                35,
                19,
            ),
            param("Price", DocType::Decimal, false, "Price, with tax.", 41, 19),
            param(
                "Tags",
                DocType::List(Box::new(DocType::Integer)),
                false,
                "Tags.",
                46,
                19,
            ),
            param("Visible", DocType::Bool, false, "", 48, 19),
        ]),
        update: None,
        enums: vec![EnumTable {
            name: "eWidgetColour".to_owned(),
            property: None,
            values: vec![
                member(1, "Red", Some("Like a tomato.")),
                member(2, "Blue", None),
            ],
            at: at(20, 1),
        }],
        remarks: vec![sourced(
            "Widgets are painted on delivery.".to_owned(),
            10,
            1,
        )],
        ..EntityFacts::default()
    };
    assert_eq!(facts, expected);
}

const RENDERED_UPDATE: &str = r#"Skip to main content
PUT
/
api
/
spaces
/
widgets
{
  "Status": 123
}
A Widget is a thing that hangs on a wall.

Authentication

This endpoint requires OAuth2 authentication. The authenticated user must be a full unrestricted administrator or have the Widget-Edit role.

Enums

ValueName
1Red
2Blue
ValueName
0None
1Wall

Request Body

Required Fields

Id
integer
required
The Id of the Widget record to update.
Colour
integer
required
Colour. Defaults to eWidgetColour.Red. See eWidgetColour enum above.

Optional Fields

Name
string
Name of
the widget.
Mount
integer
Mount. See eWidgetMount? enum above.
Colours
integer[]
Other colours. See eWidgetColour enum.

Code Examples

curl -X PUT \
  "https://spaces.nexudus.com/api/spaces/widgets" \

Response

200

Status
integer
HTTP status code.
"#;

#[test]
fn a_rendered_page_gives_every_fact() {
    let (facts, diagnostics) = read(RENDERED_UPDATE);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let facts = facts.expect("the page is an update");
    let colours = DocType::List(Box::new(enumeration("eWidgetColour")));
    let expected = EntityFacts {
        source: "test page".to_owned(),
        entity: "Widget".to_owned(),
        path: Some(sourced("/api/spaces/widgets".to_owned(), 3, 1)),
        operations: vec![sourced(Operation::Update, 2, 1)],
        description: Some(sourced(
            "A Widget is a thing that hangs on a wall.".to_owned(),
            12,
            1,
        )),
        create: None,
        update: Some(vec![
            param(
                "Id",
                DocType::Integer,
                true,
                "The Id of the Widget record to update.",
                31,
                1,
            ),
            param(
                "Colour",
                enumeration("eWidgetColour"),
                true,
                "Colour. Defaults to eWidgetColour.Red.",
                35,
                1,
            ),
            param("Name", DocType::String, false, "Name of the widget.", 42, 1),
            param("Mount", enumeration("eWidgetMount"), false, "Mount.", 46, 1),
            param("Colours", colours, false, "Other colours.", 49, 1),
        ]),
        enums: vec![
            EnumTable {
                name: "eWidgetColour".to_owned(),
                property: None,
                values: vec![member(1, "Red", None), member(2, "Blue", None)],
                at: at(20, 1),
            },
            EnumTable {
                name: "eWidgetMount".to_owned(),
                property: None,
                values: vec![member(0, "None", None), member(1, "Wall", None)],
                at: at(23, 1),
            },
        ],
        remarks: vec![
            sourced(
                "The page's enum tables carry no names; named `eWidgetColour`, `eWidgetMount` \
                 in the order the properties refer to them."
                    .to_owned(),
                20,
                1,
            ),
            sourced(
                "`Mount` refers to `eWidgetMount?`, a nullable enum: it may be null.".to_owned(),
                46,
                1,
            ),
        ],
        ..EntityFacts::default()
    };
    assert_eq!(facts, expected);
}

#[test]
fn unnamed_tables_that_do_not_pair_up_are_problems() {
    // A default that names a member the table lacks shows that the order is not the enums'.
    let text = RENDERED_UPDATE.replace("eWidgetColour.Red", "eWidgetColour.Green");
    let (facts, diagnostics) = read(&text);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "page:20:1: error: an enum value table without the enum's name",
            "page:23:1: error: an enum value table without the enum's name",
        ]
    );
    let facts = facts.expect("the page is an update");
    assert!(facts.enums.is_empty());
    assert_eq!(facts.update.map(|params| params.len()), Some(5));
}

#[test]
fn unknown_types_are_reported_where_written_and_the_rest_is_read() {
    let mdx = r#"# Create Widget

## Request Body

<ParamField body="Name" type="string" required>
  Name.
</ParamField>

<ParamField body="When" type="datetime">
  When.
</ParamField>

<ParamField body="Size" type="integer">
  Size.
</ParamField>
"#;
    let (facts, diagnostics) = read(mdx);
    assert_eq!(
        diagnostics.summary_lines(),
        ["page:9:31: error: unknown type `datetime` for `When`"]
    );
    let create = facts.and_then(|facts| facts.create).unwrap_or_default();
    assert_eq!(names(&create), ["Name", "Size"]);

    let rendered = "POST\n/\napi\n/\nspaces\n/\nwidgets\n\nhave the Widget-Create role.\n\n\
                    Request Body\n\nOptional Fields\n\nName\nstring\nName.\nWhen\n  int64\n\
                    When.\nSize\ninteger | null\nSize.\nTags\ninteger[]\nTags.\n";
    let (facts, diagnostics) = read(rendered);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "page:19:3: error: unknown type `int64` for `When`",
            "page:22:1: error: unknown type `integer | null` for `Size`",
        ]
    );
    let facts = facts.expect("the page is a create");
    assert_eq!(
        facts.path.map(|path| path.value).as_deref(),
        Some("/api/spaces/widgets")
    );
    assert_eq!(names(&facts.create.unwrap_or_default()), ["Name", "Tags"]);
}

#[test]
fn malformed_tags_are_reported_and_the_rest_is_read() {
    let text = r#"# Update Widget

## Request Body

<ParamField type="string" required>
  No name.
</ParamField>

<ParamField body="Name" type="string" required

<ParamField body="Id" type="integer" required>
  Id.
</ParamField>

<ParamField body="Notes" type="string">
  Notes.

<ParamField body="Size" type=integer>
  Size.
</ParamField>

  <ParamField body="Active" type="boolean">
  Active.
  </ParamField>
"#;
    let (facts, diagnostics) = read(text);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "page:5:1: error: this `<ParamField` names no body property",
            "page:9:1: error: this `<ParamField` tag is never closed",
            "page:15:1: error: the `<ParamField>` of `Notes` is never closed",
            "page:18:30: error: expected an attribute of `<ParamField`",
        ]
    );
    let update = facts.and_then(|facts| facts.update).unwrap_or_default();
    assert_eq!(
        update,
        [
            param("Id", DocType::Integer, true, "Id.", 11, 19),
            param("Notes", DocType::String, false, "Notes.", 15, 19),
            param("Active", DocType::Bool, false, "Active.", 22, 21),
        ]
    );
}

#[test]
fn a_required_marker_must_agree_with_its_section() {
    let mdx = r#"# Create Widget

## Request Body

### Required Fields

<ParamField body="Name" type="string">
  Name.
</ParamField>

### Optional Fields

<ParamField body="Size" type="integer" required={true}>
  Size.
</ParamField>

<ParamField body="Note" type="string" required={false}>
  Note.
</ParamField>
"#;
    let (facts, diagnostics) = read(mdx);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "page:7:19: error: `Name` is listed under Required Fields but not marked `required`",
            "page:13:19: error: `Size` is listed under Optional Fields but marked `required`",
        ]
    );
    let create = facts.and_then(|facts| facts.create).unwrap_or_default();
    let required: Vec<_> = create
        .iter()
        .map(|p| (p.wire_name.as_str(), p.required))
        .collect();
    assert_eq!(required, [("Name", false), ("Size", true), ("Note", false)]);

    let rendered = "Create Widget\n\nRequest Body\n\nRequired Fields\n\nName\nstring\nName.\n\n\
                    Optional Fields\n\nSize\ninteger\nrequired\nSize.\n";
    let (facts, diagnostics) = read(rendered);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "page:7:1: error: `Name` is listed under Required Fields but not marked `required`",
            "page:13:1: error: `Size` is listed under Optional Fields but marked `required`",
        ]
    );
    let facts = facts.expect("the page is a create");
    assert_eq!(facts.path, None);
    assert_eq!(names(&facts.create.unwrap_or_default()), ["Name", "Size"]);
}

#[test]
fn the_page_must_say_one_create_or_update() {
    let conflict = MDX_CREATE.replace("**`Widget-Create`**", "**`Gadget-Edit`**");
    let (facts, diagnostics) = read(&conflict);
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "page:15:83: error: the page's role makes it an update (`PUT`), but its title \
             makes it a create (`POST`)",
            "page:15:83: error: the page's role names the entity `Gadget`, but its title \
             names `Widget`",
        ]
    );
    let facts = facts.expect("the title decides");
    assert_eq!(
        (facts.entity.as_str(), facts.operations[0].value),
        ("Widget", Operation::Create)
    );

    let (facts, diagnostics) = read("GET\n/\napi\n/\nspaces\n/\nwidgets\n");
    assert!(facts.is_none());
    assert_eq!(
        diagnostics.summary_lines(),
        ["page:1:1: error: this page documents `GET`, not a create or an update"]
    );

    let (facts, diagnostics) = read("Some text.\n");
    assert!(facts.is_none());
    assert_eq!(
        diagnostics.summary_lines(),
        ["page:1:1: error: the page does not say which create or update it documents"]
    );

    let (facts, diagnostics) = read("# Create Widget\n\nNo body here.\n");
    assert_eq!(facts.map(|facts| facts.create), Some(None));
    assert_eq!(
        diagnostics.summary_lines(),
        ["page:1:1: error: the page documents no request body"]
    );
}

#[test]
fn small_readers() {
    assert_eq!(
        enum_reference("Incoming Server Type. See eEmailServerType enum above."),
        Some((
            "Incoming Server Type.".to_owned(),
            "eEmailServerType".to_owned(),
            false
        ))
    );
    assert_eq!(
        enum_reference("See eGender? enum. Defaults to eGender.NotSet."),
        Some((
            "Defaults to eGender.NotSet.".to_owned(),
            "eGender".to_owned(),
            true
        ))
    );
    assert_eq!(enum_reference("See the Booking enum above."), None);
    assert_eq!(
        enum_default("Gender. Defaults to eGender.NotSet."),
        Some(("eGender".to_owned(), "NotSet".to_owned()))
    );
    assert_eq!(
        enum_title("eBookingRepeatCycle — Repeats values"),
        Some((
            Some("eBookingRepeatCycle".to_owned()),
            Some("Repeats".to_owned())
        ))
    );
    assert_eq!(
        enum_title("### Repeats values"),
        Some((None, Some("Repeats".to_owned())))
    );
    assert_eq!(
        enum_title("<Accordion title=\"eRegularPaymentProvider\">"),
        Some((Some("eRegularPaymentProvider".to_owned()), None))
    );
    assert_eq!(enum_title("Enums"), None);
    assert_eq!(enum_title("Some other values"), None);
    assert_eq!(glued_row("10LiqPay"), Some(member(10, "LiqPay", None)));
    assert_eq!(glued_row("-1 Unknown"), Some(member(-1, "Unknown", None)));
    assert_eq!(glued_row("Value"), None);
    assert_eq!(
        doc_type("array"),
        Some((DocType::List(Box::new(DocType::Integer)), true))
    );
    assert_eq!(doc_type("object[]"), Some((DocType::Children, false)));
    assert_eq!(doc_type("object"), None);
    assert_eq!(
        role("have the **`EmailAccount-Edit`** role."),
        Some(("EmailAccount", "Edit", 12))
    );
}

#[test]
fn tables_titled_with_a_property_type_it() {
    let text = r#"# Create Booking

## Enums

### Repeats values

| Value | Name |
|---|---|
| 1 | Daily |
| x | Weekly |

eRepeatedBookingUpdateAction — WhichBookingsToUpdate values
Value Name 1 UpdateThisBookingOnly 2 UpdateAll

## Request Body

<ParamField body="Repeats" type="integer">
  Repeats.
</ParamField>

<ParamField body="WhichBookingsToUpdate" type="integer">
  Which bookings to update.
</ParamField>
"#;
    let (facts, diagnostics) = read(text);
    assert_eq!(
        diagnostics.summary_lines(),
        ["page:10:3: error: enum value `x` is not a whole number"]
    );
    let facts = facts.expect("the page is a create");
    let types: Vec<_> = facts
        .create
        .unwrap_or_default()
        .into_iter()
        .map(|param| param.ty)
        .collect();
    assert_eq!(
        types,
        [
            enumeration("eRepeats"),
            enumeration("eRepeatedBookingUpdateAction")
        ]
    );
    let enums: Vec<_> = facts
        .enums
        .iter()
        .map(|table| (table.name.as_str(), table.values.len(), table.at))
        .collect();
    assert_eq!(
        enums,
        [
            ("eRepeats", 1, at(5, 1)),
            ("eRepeatedBookingUpdateAction", 2, at(12, 1))
        ]
    );
    let remarks: Vec<_> = facts
        .remarks
        .iter()
        .map(|remark| remark.value.as_str())
        .collect();
    assert_eq!(
        remarks,
        ["The values of `Repeats` are listed without the enum's name; named `eRepeats` here."]
    );
}

/// The two real seed pages against the schema written from them by hand.
#[test]
fn the_seed_pages_agree_with_the_email_account_schema() {
    let seeds = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds"));
    let update_page = seeds.join("000_33502500b8355710.txt");
    let create_page = seeds.join("002_604f9f49047fcf29.txt");
    let (Ok(update_text), Ok(create_text)) = (
        std::fs::read_to_string(&update_page),
        std::fs::read_to_string(&create_page),
    ) else {
        eprintln!("skipped: the seed pages are not in {}", seeds.display());
        return;
    };
    let mut diagnostics = Diagnostics::default();
    let schema_path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/crm/EmailAccount.yaml"
    ));
    let schema = crate::load::load(schema_path, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let fields = &schema[0].fields;

    let file = diagnostics.add_file(&update_page, update_text.clone());
    let update = read_page(file, "update", &update_text, &mut diagnostics);
    let file = diagnostics.add_file(&create_page, create_text.clone());
    let create = read_page(file, "create", &create_text, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let (Some(update), Some(create)) = (update, create) else {
        panic!("both seed pages are create or update pages");
    };

    for (facts, operation) in [(&update, Operation::Update), (&create, Operation::Create)] {
        assert_eq!(facts.entity, "EmailAccount");
        assert_eq!(
            facts.path.as_ref().map(|path| path.value.as_str()),
            Some("/api/crm/emailaccounts")
        );
        let operations: Vec<_> = facts.operations.iter().map(|op| op.value).collect();
        assert_eq!(operations, [operation]);
        assert_eq!(facts.description, None);
        assert!(facts.enums.is_empty());
        assert!(facts.remarks.is_empty(), "{:?}", facts.remarks);
    }
    assert_eq!(update.create, None);
    assert_eq!(create.update, None);
    let update = update.update.unwrap_or_default();
    let create = create.create.unwrap_or_default();
    assert_eq!(update.len(), 23);
    assert_eq!(update.iter().filter(|param| param.required).count(), 14);
    assert_eq!(create.len(), 22);
    assert_eq!(create.iter().filter(|param| param.required).count(), 11);

    // Every field the schema sends is on the page, required exactly when the schema says so,
    // with the schema's description; the page has no other property.
    // (Fields only the 2020 documentation writes, such as the passwords, are not on it.)
    for (params, side) in [(&update, "update"), (&create, "create")] {
        let mut documented: Vec<&str> = Vec::new();
        for field in fields.iter().filter(|field| !only_2020(field)) {
            let presence = if side == "update" {
                &*field.update
            } else {
                &*field.create
            };
            let found = params.iter().find(|param| param.wire_name == *field.name);
            if presence == "absent" {
                assert!(
                    found.is_none(),
                    "{side}: {} is absent in the schema",
                    *field.name
                );
                continue;
            }
            let Some(found) = found else {
                panic!("{side}: {} is missing from the page", *field.name);
            };
            assert_eq!(
                found.required,
                presence == "required",
                "{side}: {}",
                *field.name
            );
            assert_eq!(
                found.description, *field.description,
                "{side}: {}",
                *field.name
            );
            documented.push(&found.wire_name);
        }
        assert_eq!(
            documented.len(),
            params.len(),
            "{side}: {:?}",
            names(params)
        );
    }

    let ty = |params: &[Param], name: &str| {
        params
            .iter()
            .find(|param| param.wire_name == name)
            .map(|param| param.ty.clone())
    };
    // Only the create page refers to the enums ("See eEmailServerType enum above.").
    assert_eq!(
        ty(&create, "IncomingServerType"),
        Some(enumeration("eEmailServerType"))
    );
    assert_eq!(
        ty(&create, "DeleteMessageSettings"),
        Some(enumeration("eMessageDeletionPolicy"))
    );
    assert_eq!(ty(&update, "IncomingServerType"), Some(DocType::Integer));
    assert_eq!(ty(&update, "DeleteMessageSettings"), Some(DocType::Integer));
    for params in [&update, &create] {
        assert_eq!(ty(params, "BusinessId"), Some(DocType::Integer));
        assert_eq!(ty(params, "LastCheckTime"), Some(DocType::String));
        assert_eq!(ty(params, "IncomingServerSSL"), Some(DocType::Bool));
    }
    assert_eq!(ty(&update, "Id"), Some(DocType::Integer));
    assert_eq!(
        update[0].at,
        Location {
            file: 1,
            line: 22,
            column: 19
        }
    );
    assert_eq!(
        create[0].at,
        Location {
            file: 2,
            line: 31,
            column: 1
        }
    );
}

/// Whether only the 2020 API documentation lists the field in a write body.
fn only_2020(field: &crate::load::RawField) -> bool {
    field
        .notes
        .as_deref()
        .is_some_and(|notes| notes.starts_with("Only the 2020 API documentation"))
}
