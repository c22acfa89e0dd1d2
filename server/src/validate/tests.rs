//! Tests of body validation: every problem at once, update rules, letter case and text with a NUL.

use serde_json::json;

use super::*;

fn email_account(catalogue: &Model) -> &EntityModel {
    catalogue
        .entities
        .iter()
        .find(|entity| entity.name == "EmailAccount")
        .expect("EmailAccount is in the catalogue")
}

fn valid() -> Value {
    json!({
        "BusinessId": 1001, "DisplayName": "Front desk", "EmailAddress": "desk@example.com",
        "IncomingServer": "imap.example.com", "IncomingServerPort": 993,
        "IncomingServerUsername": "desk", "OutgoingServer": "smtp.example.com",
        "OutgoingServerPort": 587, "OutgoingServerUsername": "desk"
    })
}

fn check(body: &Value, write: Operation) -> Result<Checked, Vec<Problem>> {
    let catalogue = crate::catalogue::embedded().expect("the model parses");
    let bytes = serde_json::to_vec(body).expect("serializes");
    check_write(&catalogue, email_account(&catalogue), write, &bytes)
}

fn messages(problems: &[Problem]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|problem| (problem.property.as_str(), problem.message.as_str()))
        .collect()
}

#[test]
fn a_valid_create_keeps_its_fields_and_fills_documented_defaults() {
    let checked = check(&valid(), Operation::Create).expect("valid");
    assert_eq!(checked.fields["DisplayName"], "Front desk");
    assert_eq!(checked.fields["LastMessageId"], 0, "a documented default");
    assert_eq!(checked.id, None);
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut body = valid();
    let object = body.as_object_mut().expect("an object");
    object.remove("DisplayName");
    object.insert("EmailAddress".into(), json!("not an address"));
    object.insert("IncomingServerPort".into(), json!(70000));
    object.insert("OutgoingServerPort".into(), json!("587"));
    object.insert("Active".into(), json!("yes"));
    object.insert("GoogleAccessToken".into(), json!(12));
    object.insert("Colour".into(), json!("blue"));
    object.insert("CreatedOn".into(), json!("ignored: the server keeps it"));
    let problems = check(&body, Operation::Create).expect_err("invalid");
    assert_eq!(
        messages(&problems),
        [
            ("DisplayName", "is a required field"),
            ("EmailAddress", "is not a valid email address"),
            ("Active", "must be true or false"),
            ("IncomingServerPort", "must be between 1 and 65535"),
            ("OutgoingServerPort", "must be a 32-bit integer"),
            ("GoogleAccessToken", "must be text"),
            ("Colour", "is not a property of EmailAccount"),
        ]
    );
    let secret = problems
        .iter()
        .find(|problem| problem.property == "GoogleAccessToken")
        .expect("the secret's problem");
    assert_eq!(
        secret.attempted,
        Value::Null,
        "a secret value is never echoed"
    );
    assert_eq!(problems[3].attempted, json!(70000));
}

#[test]
fn an_update_needs_its_id_and_its_update_only_required_fields() {
    let problems = check(&valid(), Operation::Update).expect_err("no Id");
    let found = messages(&problems);
    for property in ["Id", "IncomingServerType", "DeleteMessageSettings"] {
        assert!(
            found.contains(&(property, "is a required field")),
            "{property} in {found:?}"
        );
    }
    let mut body = valid();
    let object = body.as_object_mut().expect("an object");
    object.insert("Id".into(), json!(7));
    object.insert("IncomingServerType".into(), json!(1));
    object.insert("DeleteMessageSettings".into(), json!(99));
    object.insert("LastCheckTime".into(), json!("2025-01-02T03:04:05+01:00"));
    let checked = check(&body, Operation::Update).expect("valid");
    assert_eq!(checked.id, Some(7));
    assert_eq!(
        checked.fields["DeleteMessageSettings"], 99,
        "unlisted enum values are kept"
    );
    assert_eq!(checked.fields["LastCheckTime"], "2025-01-02T02:04:05Z");
    assert!(!checked.fields.contains_key("Id"));
}

#[test]
fn names_are_read_whatever_their_case_and_writable_base_properties_are_kept() {
    let mut body = valid();
    let object = body.as_object_mut().expect("an object");
    let name = object.remove("DisplayName").expect("a display name");
    object.insert("displayNAME".into(), name);
    object.insert("systemid".into(), json!("crm-42"));
    object.insert("CustomFields".into(), json!({"Floor": 2}));
    object.insert("LocalizationDetails".into(), Value::Null);
    object.insert("UniqueId".into(), json!("ignored: the server keeps it"));
    let checked = check(&body, Operation::Create).expect("valid");
    assert_eq!(checked.fields["DisplayName"], "Front desk");
    assert!(!checked.fields.contains_key("displayNAME"));
    assert_eq!(
        checked.fields["SystemId"], "crm-42",
        "under the schema's spelling"
    );
    assert_eq!(checked.fields["CustomFields"], json!({"Floor": 2}));
    assert!(!checked.fields.contains_key("LocalizationDetails"));
    assert!(!checked.fields.contains_key("UniqueId"));

    body["systemid"] = json!(42);
    let problems = check(&body, Operation::Create).expect_err("not text");
    assert_eq!(messages(&problems), [("SystemId", "must be text")]);
}

#[test]
fn text_with_a_nul_character_is_refused_wherever_it_is() {
    let mut body = valid();
    body["DisplayName"] = json!("Front\u{0}desk");
    body["CustomFields"] = json!({"Floor": ["a", "b\u{0}"]});
    let problems = check(&body, Operation::Create).expect_err("refused");
    assert_eq!(
        messages(&problems),
        [("DisplayName", NUL_MESSAGE), ("CustomFields", NUL_MESSAGE)]
    );
    body["DisplayName"] = json!("Front desk");
    body["CustomFields"] = json!({"Fl\u{0}oor": 1});
    let problems = check(&body, Operation::Create).expect_err("a name counts too");
    assert_eq!(messages(&problems), [("CustomFields", NUL_MESSAGE)]);
}

#[test]
fn bodies_that_are_not_json_objects_are_one_problem() {
    let catalogue = crate::catalogue::embedded().expect("the model parses");
    let entity = email_account(&catalogue);
    for body in [&b"{\"DisplayName\": "[..], b"[1, 2]", b""] {
        let problems =
            check_write(&catalogue, entity, Operation::Create, body).expect_err("refused");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].property, "");
    }
}
