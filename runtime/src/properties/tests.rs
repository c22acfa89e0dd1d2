use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use super::*;

/// A type shaped like a generated record: every property optional but `Id`.
#[derive(Debug, PartialEq)]
struct Account {
    id: i64,
    name: Option<String>,
    port: Option<i32>,
    checked: Option<DateTime<Utc>>,
    price: Option<Decimal>,
}

impl ReadProperties for Account {
    fn read_properties(properties: &Properties<'_>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: properties.or_default("Id")?,
            name: properties.optional("Name")?,
            port: properties.optional("Port")?,
            checked: properties.date_time("CheckedOn")?,
            price: properties.decimal("Price")?,
        })
    }
}

impl WriteProperties for Account {
    fn write_properties(&self, properties: &mut PropertyWriter) {
        properties.put("Id", &self.id);
        properties.put_some("Name", &self.name);
        properties.put_some("Port", &self.port);
        properties.put_some_date_time("CheckedOn", &self.checked);
        properties.put_some_decimal("Price", &self.price);
    }
}

serialize_properties!(Account);
deserialize_properties!(Account);

fn read(value: Value) -> Result<Account, serde_json::Error> {
    serde_json::from_value(value)
}

#[test]
fn properties_are_read_whatever_their_letter_case_and_the_exact_spelling_wins() {
    let account = read(json!({
        "id": 7, "NAME": "upper", "name": "lower", "Name": "exact", "pOrT": 993,
        "checkedon": "2025-01-02T03:04:05", "price": 12.5, "Unknown": true
    }))
    .expect("reads");
    assert_eq!(
        account,
        Account {
            id: 7,
            name: Some("exact".into()),
            port: Some(993),
            checked: Some(Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap()),
            price: Some(Decimal::new(125, 1)),
        }
    );
    let spelled_twice = read(json!({"NAME": "upper", "name": "lower"})).expect("reads");
    assert_eq!(
        spelled_twice.name.as_deref(),
        Some("upper"),
        "the first key in order"
    );
}

#[test]
fn missing_and_null_properties_are_none_and_a_missing_id_is_zero() {
    let account = read(json!({"Name": null, "CheckedOn": null, "Price": null})).expect("reads");
    assert_eq!(
        account,
        Account {
            id: 0,
            name: None,
            port: None,
            checked: None,
            price: None,
        }
    );
}

#[test]
fn a_value_that_does_not_fit_is_an_error_naming_its_property() {
    let cases = [
        (
            json!({"Id": null}),
            "property `Id`: invalid type: null, expected i64",
        ),
        (
            json!({"Port": "993"}),
            "property `Port`: invalid type: string \"993\", expected i32",
        ),
        (
            json!({"CheckedOn": "yesterday"}),
            "property `CheckedOn`: invalid date-time `yesterday`",
        ),
        (json!({"Price": "cheap"}), "property `Price`:"),
        (json!([1, 2]), "invalid type: sequence, expected a map"),
    ];
    for (value, expected) in cases {
        let error = read(value.clone()).expect_err("does not fit").to_string();
        assert!(error.starts_with(expected), "{value}: {error}");
    }
}

#[test]
fn properties_are_written_in_order_and_values_left_unset_are_left_out() {
    let account = Account {
        id: 7,
        name: Some("Front desk".into()),
        port: None,
        checked: Some(Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap()),
        price: Some(Decimal::new(125, 1)),
    };
    let text = serde_json::to_string(&account).expect("writes");
    assert_eq!(
        text,
        r#"{"Id":7,"Name":"Front desk","CheckedOn":"2025-01-02T03:04:05Z","Price":12.5}"#
    );
    assert_eq!(
        read(serde_json::from_str(&text).expect("JSON")).expect("reads"),
        account
    );
}

#[test]
fn a_value_that_does_not_serialize_fails_the_whole_object_naming_its_property() {
    struct Keys;
    impl WriteProperties for Keys {
        fn write_properties(&self, properties: &mut PropertyWriter) {
            properties.put("Fine", &1);
            // A JSON object's keys are text: a map keyed by pairs has no JSON form.
            properties.put("Pairs", &std::collections::BTreeMap::from([((1, 2), 3)]));
            properties.put("Later", &2);
        }
    }
    serialize_properties!(Keys);
    let error = serde_json::to_string(&Keys)
        .expect_err("no JSON form")
        .to_string();
    assert!(
        error.starts_with("property `Pairs`: key must be a string"),
        "{error}"
    );
}
