//! The record type reads what the API sends leniently, and becomes an update request that keeps it.

use nexudus::Full;
use nexudus::crm::email_account::{EmailAccount, EmailAccountUpdate, EmailServerType};
use serde_json::json;

/// A record as a get-one call returns it: base fields, an unlisted enum value, a date without an
/// offset, nulls, and a property this version does not know.
pub(crate) fn fetched() -> serde_json::Value {
    json!({
        "Id": 87654321, "UniqueId": "9b1d3c1e-7d1a-4a43-9a4e-1f0c2b7d6e11",
        "CreatedOn": "2025-01-15T10:30:00Z", "UpdatedOn": "2025-01-16T08:00:00",
        "UpdatedBy": "admin@example.com", "IsNew": false, "SystemId": null,
        "ToStringText": "Front desk", "LocalizationDetails": null, "CustomFields": {"Floor": 2},
        "BusinessId": 1001, "DisplayName": "Front desk", "EmailAddress": "desk@example.com",
        "Active": true, "SendNotificationOnNewMessages": null, "NotificationEmailAddress": null,
        "IncomingServer": "imap.example.com", "IncomingServerType": 5, "IncomingServerPort": 993,
        "IncomingServerSSL": true, "IncomingServerUsername": "desk", "DeleteMessageSettings": 1,
        "OutgoingServer": "smtp.example.com", "OutgoingServerPort": 587, "OutgoingServerSSL": true,
        "OutgoingServerUsername": "desk", "ReplyToEmail": null, "LastCheckTime": "2025-01-16T07:59:30",
        "LastMessageId": 4711, "ErrorCount": 0, "GoogleAccessToken": null, "Office365AccessToken": null,
        "SomethingNewer": [1, 2, 3]
    })
}

#[test]
fn a_record_is_read_leniently() {
    let record: EmailAccount = serde_json::from_value(fetched()).expect("the record parses");
    assert_eq!(record.id, 87_654_321);
    assert_eq!(
        record.updated_on.map(|at| at.to_rfc3339()).as_deref(),
        Some("2025-01-16T08:00:00+00:00")
    );
    assert_eq!(
        record.incoming_server_type.map(i64::from),
        Some(5),
        "an unlisted value is kept"
    );
    assert!(matches!(
        record.incoming_server_type,
        Some(EmailServerType::Unknown(_))
    ));
    assert_eq!(record.send_notification_on_new_messages, None);
    assert_eq!(record.custom_fields, Some(json!({"Floor": 2})));
    assert_eq!(record.last_message_id, Some(4711));
}

#[test]
fn an_update_from_a_record_keeps_every_value() {
    let record: Full<EmailAccount> = serde_json::from_value(fetched()).expect("the record parses");
    let mut request =
        EmailAccountUpdate::from_record(&record).expect("the record has every required field");
    request.display_name = "Reception".into();
    let body = serde_json::to_value(&request).expect("serializes");
    assert_eq!(
        body,
        json!({
            "Id": 87654321, "BusinessId": 1001, "DisplayName": "Reception", "EmailAddress": "desk@example.com",
            "Active": true, "IncomingServer": "imap.example.com", "IncomingServerType": 5,
            "IncomingServerPort": 993, "IncomingServerSSL": true, "IncomingServerUsername": "desk",
            "DeleteMessageSettings": 1, "OutgoingServer": "smtp.example.com", "OutgoingServerPort": 587,
            "OutgoingServerSSL": true, "OutgoingServerUsername": "desk",
            "LastCheckTime": "2025-01-16T07:59:30Z", "LastMessageId": 4711, "ErrorCount": 0
        })
    );
}

#[test]
fn a_record_missing_required_fields_names_every_one() {
    let mut partial = fetched();
    let object = partial.as_object_mut().expect("an object");
    object.remove("DisplayName");
    object.insert("IncomingServerPort".into(), serde_json::Value::Null);
    object.remove("LastMessageId");
    let record: Full<EmailAccount> = serde_json::from_value(partial).expect("the record parses");
    let errors =
        EmailAccountUpdate::from_record(&record).expect_err("two required fields are missing");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|error| (error.property_name.as_str(), error.message.as_str()))
        .collect();
    // LastMessageId has a documented default, so its absence is not an error.
    assert_eq!(
        found,
        [
            ("DisplayName", "is missing from the record"),
            ("IncomingServerPort", "is missing from the record")
        ]
    );
}
