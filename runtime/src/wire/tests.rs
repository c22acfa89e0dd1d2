//! Tests of wire names: read in any letter case, and updates that send only the caller's changes.

use serde_json::json;

use super::super::endpoint::Operation;
use super::super::properties::{Properties, PropertyWriter, ReadProperties, WriteProperties};
use super::*;
use crate::deserialize_properties;

#[derive(Debug, PartialEq)]
struct Account {
    id: i64,
    tax_id: Option<String>,
}

impl ReadProperties for Account {
    fn read_properties(properties: &Properties<'_>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: properties.or_default("Id")?,
            tax_id: properties.optional("BillToTaxIdNumber")?,
        })
    }
}

deserialize_properties!(Account);

impl Record for Account {
    const PROPERTIES: &'static [&'static str] = &["Id", "UpdatedOn", "BillToTaxIdNumber"];
    const NOT_UPDATED: &'static [&'static str] = &["UpdatedOn"];
}

struct AccountUpdate {
    id: i64,
    tax_id: Option<String>,
}

impl WriteProperties for AccountUpdate {
    fn write_properties(&self, properties: &mut PropertyWriter) {
        properties.put("Id", &self.id);
        properties.put_some("BillToTaxIdNumber", &self.tax_id);
    }
}

const UPDATE: Endpoint = Endpoint {
    entity: "Account",
    operation: Operation::Update,
    path: "/api/billing/accounts",
    secret_properties: &[],
};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(object) => object,
        other => panic!("not an object: {other}"),
    }
}

fn body(fetched: &Fetched, request: &AccountUpdate) -> Value {
    let bytes = fetched.encode(&UPDATE, request).unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_default()
}

#[test]
fn a_property_is_read_whatever_its_letter_case_and_the_exact_spelling_wins() {
    let record: Result<Account, _> = read(&object(json!({"id": 7, "BILLTOTAXIDNUMBER": "x"})));
    assert_eq!(
        record.ok(),
        Some(Account {
            id: 7,
            tax_id: Some("x".into())
        })
    );
    let both = object(json!({"billToTaxIdNumber": "other", "BillToTaxIdNumber": "exact"}));
    assert_eq!(
        read::<Account>(&both).ok().and_then(|a| a.tax_id),
        Some("exact".into())
    );
}

#[test]
fn an_update_sends_the_fetched_record_back_with_only_the_caller_s_changes() {
    let sent = json!({
        "Id": 7, "UpdatedOn": "2025-01-02T03:04:05Z", "BillToTaxIDNumber": "GB1",
        "Future": [{"Nested": null}], "Empty": null
    });
    let full: Full<Account> = serde_json::from_value(sent).unwrap_or_else(|e| panic!("{e}"));
    let mut request = AccountUpdate {
        id: full.id,
        tax_id: full.tax_id.clone(),
    };
    let fetched = Fetched::new(&full, &request);
    let unchanged =
        json!({"Id": 7, "BillToTaxIDNumber": "GB1", "Future": [{"Nested": null}], "Empty": null});
    assert_eq!(body(&fetched, &request), unchanged);

    request.tax_id = Some("GB2".into());
    let mut changed = unchanged.clone();
    changed["BillToTaxIDNumber"] = json!("GB2");
    assert_eq!(
        body(&fetched, &request),
        changed,
        "written under the server's spelling"
    );

    request.tax_id = None;
    changed["BillToTaxIDNumber"] = Value::Null;
    assert_eq!(body(&fetched, &request), changed, "unset means cleared");
}

#[test]
fn a_request_built_by_hand_is_sent_as_it_is() {
    let request = AccountUpdate {
        id: 7,
        tax_id: None,
    };
    assert_eq!(body(&Fetched::default(), &request), json!({"Id": 7}));
    assert_eq!(format!("{:?}", Fetched::default()), "NotFetched");
}
