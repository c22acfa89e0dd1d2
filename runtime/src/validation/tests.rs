//! Tests of validation errors: the documented shape, `Violations` and secret redaction.

use serde_json::json;

use super::*;
use crate::fixtures::REJECTED;

fn error(property: &str, message: &str, attempted: serde_json::Value) -> ValidationError {
    ValidationError {
        property_name: property.to_owned(),
        message: message.to_owned(),
        attempted_value: attempted,
    }
}

#[test]
fn parses_the_documented_error_shape() {
    let response: serde_json::Value =
        serde_json::from_str(REJECTED).expect("the documented 400 response");
    let errors: ValidationErrors =
        serde_json::from_value(response["Errors"].clone()).expect("documented shape");
    assert_eq!(
        errors.as_slice(),
        [error("DisplayName", "is a required field", json!(null))]
    );
}

#[test]
fn parses_missing_or_null_fields_as_empty() {
    let errors: ValidationErrors =
        serde_json::from_str(r#"[{"Message": "Rule broken"}, {"PropertyName": null, "Message": null, "AttemptedValue": 3}, {}]"#)
            .expect("lenient parse");
    assert_eq!(
        errors.into_vec(),
        vec![
            error("", "Rule broken", json!(null)),
            error("", "", json!(3)),
            error("", "", json!(null)),
        ]
    );
}

#[test]
fn serializes_with_wire_names_as_an_array() {
    let errors = ValidationErrors::from(vec![error("Port", "must be at most 10", json!(11))]);
    assert_eq!(
        serde_json::to_value(&errors).expect("serialize"),
        json!([{"PropertyName": "Port", "Message": "must be at most 10", "AttemptedValue": 11}])
    );
}

#[test]
fn display_lists_every_error() {
    let errors = ValidationErrors::from(vec![
        error("DisplayName", "is a required field", json!("")),
        error(
            "OutgoingServerPort",
            "must be between 1 and 65535",
            json!(0),
        ),
        error("", "Operator rule failed", json!(null)),
    ]);
    assert_eq!(
        errors.to_string(),
        "DisplayName: is a required field; OutgoingServerPort: must be between 1 and 65535; Operator rule failed"
    );
    assert_eq!(ValidationErrors::default().to_string(), "");
}

#[test]
fn collection_accessors_agree() {
    let errors = ValidationErrors::from(vec![
        error("A", "x", json!(null)),
        error("B", "y", json!(null)),
    ]);
    assert_eq!(errors.len(), 2);
    assert!(!errors.is_empty());
    assert!(ValidationErrors::default().is_empty());
    let by_ref: Vec<&str> = (&errors)
        .into_iter()
        .map(|e| e.property_name.as_str())
        .collect();
    assert_eq!(by_ref, ["A", "B"]);
    assert_eq!(errors.iter().count(), 2);
    let owned: Vec<String> = errors.into_iter().map(|e| e.message).collect();
    assert_eq!(owned, ["x", "y"]);
}

#[test]
fn violations_collect_every_broken_rule() {
    let mut v = Violations::new(&[]);
    v.required("DisplayName", "  \t");
    v.required("IncomingServer", "imap.example.com");
    v.not_blank("Type", "");
    v.not_blank("Category", "promo");
    v.range("IncomingServerPort", 0, Some(1), Some(65535));
    v.range("OutgoingServerPort", 65535, Some(1), Some(65535));
    v.range("ErrorCount", -1, Some(0), None);
    v.range("Retries", 11, None, Some(10));
    v.range("Anything", i64::MIN, None, None);
    v.email("EmailAddress", "not-an-address");
    v.email("ReplyToEmail", "desk@example.com");
    v.email("NotificationEmailAddress", "");
    let errors = v.finish().expect_err("six rules are broken");
    assert_eq!(
        errors.into_vec(),
        vec![
            error("DisplayName", "is a required field", json!("  \t")),
            error("Type", "must not be blank", json!("")),
            error(
                "IncomingServerPort",
                "must be between 1 and 65535",
                json!(0)
            ),
            error("ErrorCount", "must be at least 0", json!(-1)),
            error("Retries", "must be at most 10", json!(11)),
            error(
                "EmailAddress",
                "is not a valid email address",
                json!("not-an-address")
            ),
        ]
    );
}

#[test]
fn violations_pass_when_nothing_is_wrong() {
    let mut v = Violations::new(&["Password"]);
    v.required("DisplayName", "Front desk");
    v.not_blank("Type", "promo");
    v.range("Port", 1, Some(1), Some(65535));
    v.email("EmailAddress", "desk@example.com");
    assert_eq!(v.finish(), Ok(()));
}

#[test]
fn violations_never_keep_secret_values() {
    let mut v = Violations::new(&["IncomingServerPassword"]);
    v.email("IncomingServerPassword", "hunter2-not-an-email");
    v.email("EmailAddress", "plain-not-an-email");
    assert!(!format!("{v:?}").contains("hunter2"));
    let errors = v.finish().expect_err("two errors");
    assert_eq!(errors.as_slice()[0].attempted_value, json!(null));
    assert_eq!(
        errors.as_slice()[1].attempted_value,
        json!("plain-not-an-email")
    );
    assert!(!format!("{errors:?}").contains("hunter2"));
}

#[test]
fn redaction_matches_case_and_prefix_insensitively() {
    let mut errors = ValidationErrors::from(vec![
        error("GoogleAccessToken", "bad", json!("tok-1")),
        error("account.googleaccesstoken", "bad", json!("tok-2")),
        error("DisplayName", "bad", json!("kept")),
        error("GoogleAccessTokenExpiry", "bad", json!("also kept")),
    ]);
    redact_secrets(&mut errors, &["GoogleAccessToken"]);
    let attempted: Vec<_> = errors.iter().map(|e| e.attempted_value.clone()).collect();
    assert_eq!(
        attempted,
        [json!(null), json!(null), json!("kept"), json!("also kept")]
    );
}

#[test]
fn generated_checks_take_a_field_as_it_is() {
    // What generated `validate()` passes: plain, optional, secret and optional secret values.
    let given = Some("  ".to_owned());
    let missing: Option<String> = None;
    let port: i32 = 0;
    let retries: Option<i64> = Some(11);
    let unset: Option<i32> = None;
    let password = Secret::from("hunter2 is not an address");
    let token: Option<Secret> = Some(Secret::from(" "));
    let mut v = Violations::new(&["Password", "Token"]);
    v.not_blank("Given", &given);
    v.not_blank("Missing", &missing);
    v.email("Missing", &missing);
    v.between("Port", &port, 1, 65535);
    v.at_most("Retries", &retries, 10);
    v.at_least("Unset", &unset, 1);
    v.at_least("Port", &port, 0);
    v.at_most("Port", &port, 0);
    v.email("Password", &password);
    v.required("Token", &token);
    let errors = v.finish().expect_err("five rules are broken");
    assert_eq!(
        errors.into_vec(),
        vec![
            error("Given", "must not be blank", json!("  ")),
            error("Port", "must be between 1 and 65535", json!(0)),
            error("Retries", "must be at most 10", json!(11)),
            error("Password", "is not a valid email address", json!(null)),
            error("Token", "is a required field", json!(null)),
        ]
    );
}
