//! Tests of `Full`: read as the record, serialized as the JSON it came from, and its `Debug`.

use serde_json::json;

use super::super::properties::{Properties, ReadProperties};
use super::*;
use crate::deserialize_properties;

#[derive(Clone, Debug, PartialEq)]
struct Mailbox {
    name: String,
    port: Option<i32>,
}

impl ReadProperties for Mailbox {
    fn read_properties(properties: &Properties<'_>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            name: properties.or_default("Name")?,
            port: properties.optional("Port")?,
        })
    }
}

deserialize_properties!(Mailbox);

impl Record for Mailbox {
    const PROPERTIES: &'static [&'static str] = &["Id", "UniqueId", "Name", "Port"];
    const NOT_UPDATED: &'static [&'static str] = &["UniqueId"];
}

fn full(json: Value) -> Full<Mailbox> {
    serde_json::from_value(json).unwrap_or_else(|error| panic!("a full record: {error}"))
}

#[test]
fn a_full_record_reads_as_the_record_and_serializes_as_the_json_it_came_from() {
    let sent = json!({"Id": 1, "name": "Front desk", "Port": 993, "Future": {"a": [1, null]}});
    let full = full(sent.clone());
    assert_eq!(full.name, "Front desk", "read whatever the letter case");
    assert_eq!(full.port, Some(993));
    assert_eq!(serde_json::to_value(&full).ok(), Some(sent.clone()));
    assert_eq!(full.property("NAME"), Some(&json!("Front desk")));
    assert_eq!(full.property("future"), Some(&json!({"a": [1, null]})));
    assert_eq!(full.property("Missing"), None);
    assert_eq!(full.unknown_properties().collect::<Vec<_>>(), ["Future"]);
    let stored = serde_json::to_string(&full).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Full<Mailbox>>(&stored).ok(),
        Some(full.clone())
    );
    assert_eq!(
        full.into_inner(),
        Mailbox {
            name: "Front desk".into(),
            port: Some(993)
        }
    );
}

#[test]
fn debug_names_unknown_properties_without_their_values() {
    let full = full(json!({"Name": "Desk", "Password": "hunter2"}));
    let shown = format!("{full:?}");
    assert!(
        shown.contains("unknown_properties: [\"Password\"]"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
}
