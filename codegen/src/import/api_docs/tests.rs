//! Tests of the 2020 API documentation reader: filters, bodies and properties of an entity page.

use super::*;

const PAGE: &str = r#"{% api-method method="get" host="https://spaces.nexudus.com/api" path="/billing/widgets" %}
{% api-method-summary %}
Find
{% endapi-method-summary %}
{% api-method-query-parameters %}

{% api-method-parameter name="Business" type="Business" %}
?Widget\_Business=...
{% endapi-method-parameter %}

{% api-method-parameter name="IsDefaultPrice" type="bool" %}
?Widget\_IsDefaultPrice=...
{% endapi-method-parameter %}

{% api-method-parameter name="DueDate" type="DateTime?" %}
?Widget\_DueDate=...
{% endapi-method-parameter %}

{% api-method-parameter name="Currency\_Code" type="string" %}
?Widget\_Currency\_Code=...
{% endapi-method-parameter %}
{% endapi-method-query-parameters %}
{% endapi-method %}

{% api-method method="get" host="https://spaces.nexudus.com/api" path="/billing/widgets/:id" %}
{% api-method-summary %}
One by Id
{% endapi-method-summary %}
```javascript
{
        "Business": null,
        "IsDefaultPrice": true,
        "DueDate": null,
        "InvoiceNumber": "00001",
        "TotalAmount": ,
        "ChargePeriod": Nexudus.Coworking.Core.Enums.eChargePeriod.Minutes,
}
```
{% endapi-method %}

{% api-method method="post" host="https://spaces.nexudus.com/api" path="/billing/widgets" %}
{% api-method-summary %}
Create
{% endapi-method-summary %}
{% api-method-body-parameters %}
{% api-method-parameter name="BusinessId" type="int" required=true %}
{% endapi-method-parameter %}
{% api-method-parameter name="IsDefaultPrice" type="bool" required=false %}
{% endapi-method-parameter %}
{% endapi-method-body-parameters %}
```javascript
{
    "Status": 200,
    "Value": {
        "Id": 12354678,
    }
}
```
{% endapi-method %}

```javascript
{
	"BusinessId": 12345678,
	"Tariffs": [12345678, 87654321] (replaces entire list),
}
```

## Enumerated values

##### ChargePeriod:
> GET /api/utils/enums?name=eChargePeriod
"#;

fn read() -> EntityFacts {
    read_page(0, "api-docs-2020/billing/widget.md", PAGE).expect("a page of Widget")
}

#[test]
fn a_page_gives_the_entity_its_filters_bodies_and_record() {
    let facts = read();
    assert_eq!(facts.entity, "Widget");
    assert_eq!(facts.kind, SourceKind::ApiDocs2020);
    let create: Vec<(&str, &DocType, bool)> = facts
        .create
        .iter()
        .flatten()
        .map(|param| (param.wire_name.as_str(), &param.ty, param.required))
        .collect();
    let tariffs = DocType::List(Box::new(DocType::Int64));
    assert_eq!(
        create,
        [
            ("BusinessId", &DocType::Int64, true),
            ("IsDefaultPrice", &DocType::Bool, false),
            ("Tariffs", &tariffs, false),
        ]
    );
    assert!(facts.update.is_none(), "the page documents no update body");
}

#[test]
fn the_get_example_gives_every_property_typed_by_its_filter_or_its_value() {
    let record: Vec<(String, DocType)> = read()
        .record
        .into_iter()
        .map(|param| (param.wire_name, param.ty))
        .collect();
    assert_eq!(
        record,
        [
            ("BusinessId".to_owned(), DocType::Int64),
            ("IsDefaultPrice".to_owned(), DocType::Bool),
            ("DueDate".to_owned(), DocType::DateTime),
            ("InvoiceNumber".to_owned(), DocType::String),
            (
                "ChargePeriod".to_owned(),
                DocType::Enum(Some("eChargePeriod".to_owned()))
            ),
        ],
        "TotalAmount shows no value and has no filter, so it has no type"
    );
}

#[test]
fn spelled_names_are_the_servers_and_leave_envelopes_and_joined_filters_out() {
    let spelled: Vec<String> = read().spelled.into_iter().map(|s| s.value).collect();
    assert!(spelled.contains(&"IsDefaultPrice".to_owned()));
    assert!(spelled.contains(&"TotalAmount".to_owned()));
    assert!(spelled.contains(&"Tariffs".to_owned()));
    for absent in ["Currency_Code", "Status", "Value", "Id2"] {
        assert!(!spelled.contains(&absent.to_owned()), "{absent}");
    }
}

#[test]
fn a_page_without_filters_documents_no_entity() {
    assert!(read_page(0, "README.md", "# Billing\n\nSee the pages.\n").is_none());
}

/// A page of an entity whose properties are named like the envelopes around records and write
/// results: `Status` and `Value`. The write result's own `Status`, `Message` and `Value` are not.
const ENVELOPE_NAMED: &str = r#"{% api-method method="get" host="https://spaces.nexudus.com/api" path="/crm/deals" %}
{% api-method-summary %}
Find
{% endapi-method-summary %}
{% api-method-query-parameters %}
{% api-method-parameter name="Status" type="enum" %}
?Deal\_Status=...
{% endapi-method-parameter %}
{% api-method-parameter name="Value" type="string" %}
?Deal\_Value=...
{% endapi-method-parameter %}
{% endapi-method-query-parameters %}
{% endapi-method %}

{% api-method method="get" host="https://spaces.nexudus.com/api" path="/crm/deals/:id" %}
{% api-method-summary %}
One by Id
{% endapi-method-summary %}
```javascript
{
        "Status": Nexudus.Coworking.Core.Enums.eDealStatus.Open,
        "Value": "00001",
}
```
{% endapi-method %}

{% api-method method="post" host="https://spaces.nexudus.com/api" path="/crm/deals" %}
{% api-method-summary %}
Create
{% endapi-method-summary %}
{% api-method-body-parameters %}
{% api-method-parameter name="Status" type="enum" required=true %}
{% endapi-method-parameter %}
{% api-method-parameter name="Value" type="string" required=false %}
{% endapi-method-parameter %}
{% endapi-method-body-parameters %}
```javascript
{
    "Status": 200,
    "Message": "The deal was created",
    "Value": {
        "Id": 12354678,
    }
}
```
{% endapi-method %}
"#;

#[test]
fn properties_named_like_an_envelope_come_from_the_filters_the_body_and_the_record() {
    let facts = read_page(0, "api-docs-2020/crm/deal.md", ENVELOPE_NAMED).expect("a page of Deal");
    assert_eq!(facts.entity, "Deal");
    let spelled: Vec<&str> = facts.spelled.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(
        spelled,
        ["Status", "Value", "Id"],
        "not the write result's `Message`"
    );
    let record: Vec<(&str, &DocType)> = facts
        .record
        .iter()
        .map(|param| (param.wire_name.as_str(), &param.ty))
        .collect();
    let status = DocType::Enum(Some("eDealStatus".to_owned()));
    assert_eq!(record, [("Status", &status), ("Value", &DocType::String)]);
    let create: Vec<&str> = facts
        .create
        .iter()
        .flatten()
        .map(|param| param.wire_name.as_str())
        .collect();
    assert_eq!(create, ["Status", "Value"]);
}
