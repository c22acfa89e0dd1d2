//! Tests of how a write response becomes a result: outcomes, statuses, redaction and excerpts.

use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::fixtures::{REJECTED, UPDATED};

const UPDATE: Endpoint = Endpoint {
    entity: "EmailAccount",
    operation: Operation::Update,
    path: "/api/crm/emailaccounts",
    secret_properties: &["IncomingServerPassword"],
};

#[test]
fn an_entitys_endpoints_share_its_name_path_and_secrets() {
    const ENDPOINTS: Endpoints = Endpoints::new(
        "EmailAccount",
        "/api/crm/emailaccounts",
        &["IncomingServerPassword"],
    );
    let all = [
        (ENDPOINTS.search, Operation::Search),
        (ENDPOINTS.get, Operation::Get),
        (ENDPOINTS.get_many, Operation::GetMany),
        (ENDPOINTS.create, Operation::Create),
        (ENDPOINTS.update, Operation::Update),
        (ENDPOINTS.delete, Operation::Delete),
        (ENDPOINTS.commands, Operation::Commands),
        (ENDPOINTS.run_command, Operation::RunCommand),
    ];
    for (endpoint, operation) in all {
        assert_eq!(endpoint.operation, operation);
        assert_eq!(endpoint.entity, "EmailAccount");
        assert_eq!(endpoint.path, "/api/crm/emailaccounts");
        assert_eq!(endpoint.secret_properties, ["IncomingServerPassword"]);
    }
    let mut violations = ENDPOINTS.violations();
    violations.email("IncomingServerPassword", "hunter2");
    let errors = violations.finish().expect_err("not an address");
    assert_eq!(errors.as_slice()[0].attempted_value, json!(null));
}

#[test]
fn operation_display_and_method() {
    use reqwest::Method;
    for (operation, text, method) in [
        (Operation::Create, "create", Method::POST),
        (Operation::Update, "update", Method::PUT),
        (Operation::Search, "search", Method::GET),
        (Operation::Get, "get", Method::GET),
        (Operation::GetMany, "get many", Method::GET),
        (Operation::Delete, "delete", Method::DELETE),
        (Operation::Commands, "commands", Method::GET),
        (Operation::RunCommand, "run command", Method::POST),
    ] {
        assert_eq!(operation.to_string(), text);
        assert_eq!(operation.method(), method, "{text}");
    }
}

#[test]
fn documented_success_becomes_an_outcome() {
    let outcome = UPDATE
        .write_result(200, UPDATED.as_bytes())
        .expect("documented success");
    assert_eq!(
        outcome,
        WriteOutcome {
            id: 87654321,
            message: Some("EmailAccount was successfully updated.".to_owned()),
            updated_on: Utc.with_ymd_and_hms(2025, 1, 15, 10, 30, 0).single(),
            updated_by: Some("admin@example.com".to_owned()),
        }
    );
}

#[test]
fn minimal_success_and_odd_fields_are_accepted() {
    let outcome = UPDATE
        .write_result(
            201,
            br#"{"WasSuccessful": true, "Value": {"Id": "42"}, "UpdatedOn": "soon", "Extra": [1]}"#,
        )
        .expect("lenient success");
    assert_eq!(outcome.id, 42);
    assert_eq!(outcome.updated_on, None);
    assert_eq!(outcome.message, None);
}

#[test]
fn success_without_an_id_is_a_decode_error() {
    for body in [
        r#"{"WasSuccessful": true, "Value": null}"#,
        r#"{"WasSuccessful": true, "Value": {"Id": null}}"#,
        r#"{"WasSuccessful": true}"#,
    ] {
        let error = UPDATE.write_result(200, body.as_bytes()).expect_err(body);
        assert!(
            matches!(&error, Error::Decode { status: 200, excerpt, .. } if excerpt == body),
            "{error:?}"
        );
    }
}

#[test]
fn success_status_without_was_successful_is_a_decode_error() {
    let error = UPDATE
        .write_result(200, br#"{"Value": {"Id": 1}}"#)
        .expect_err("no WasSuccessful");
    let Error::Decode { source, .. } = &error else {
        panic!("expected Decode, got {error:?}");
    };
    assert!(source.to_string().contains("WasSuccessful"), "{source}");
}

#[test]
fn documented_400_becomes_server_validation() {
    let error = UPDATE
        .write_result(400, REJECTED.as_bytes())
        .expect_err("400");
    let Error::Validation {
        origin,
        message,
        errors,
        operation,
        ..
    } = &error
    else {
        panic!("expected Validation, got {error:?}");
    };
    assert_eq!(*origin, ValidationOrigin::Server);
    assert_eq!(*operation, Operation::Update);
    assert_eq!(message.as_deref(), Some("DisplayName: is a required field"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors.as_slice()[0].property_name, "DisplayName");
}

#[test]
fn a_401_is_unauthorized_with_an_excerpt() {
    let page = "Authorization has been denied for this request. ".repeat(20);
    let error = UPDATE.write_result(401, page.as_bytes()).expect_err("401");
    let Error::Unauthorized {
        entity,
        operation,
        body,
    } = &error
    else {
        panic!("expected Unauthorized, got {error:?}");
    };
    assert_eq!((*entity, *operation), ("EmailAccount", Operation::Update));
    assert_eq!(body.chars().count(), EXCERPT_CHARS + 1);
    assert!(body.starts_with("Authorization has been denied"));
    assert_eq!(error.status(), Some(401));
}

#[test]
fn statuses_map_to_their_variants() {
    let variant = |status: u16| match UPDATE.write_result(status, b"why") {
        Err(Error::Unauthorized { body, .. }) => format!("unauthorized {body}"),
        Err(Error::Forbidden { body, .. }) => format!("forbidden {body}"),
        Err(Error::NotFound { body, .. }) => format!("not found {body}"),
        Err(Error::ServerError { status, body, .. }) => format!("server {status} {body}"),
        Err(Error::Status { status, body, .. }) => format!("status {status} {body}"),
        other => format!("{other:?}"),
    };
    assert_eq!(variant(401), "unauthorized why");
    assert_eq!(variant(403), "forbidden why");
    assert_eq!(variant(404), "not found why");
    assert_eq!(variant(500), "server 500 why");
    assert_eq!(variant(599), "server 599 why");
    assert_eq!(variant(409), "status 409 why");
    assert_eq!(variant(302), "status 302 why");
    assert_eq!(variant(600), "status 600 why");
}

#[test]
fn a_400_that_is_not_the_envelope_is_a_status_error() {
    for body in ["Bad Request", "{}", "[1, 2]", ""] {
        let error = UPDATE.write_result(400, body.as_bytes()).expect_err(body);
        assert!(
            matches!(&error, Error::Status { status: 400, body: b, .. } if b == body),
            "{error:?}"
        );
    }
}

#[test]
fn server_errors_never_carry_secret_values() {
    let body = json!({
        "Message": "IncomingServerPassword: is too short",
        "Errors": [
            {"PropertyName": "IncomingServerPassword", "Message": "is too short", "AttemptedValue": "hunter2"},
            {"PropertyName": "DisplayName", "Message": "is too long", "AttemptedValue": "Front desk"}
        ],
        "WasSuccessful": false
    });
    let bytes = serde_json::to_vec(&body).expect("body");
    for status in [200, 400] {
        let error = UPDATE.write_result(status, &bytes).expect_err("rejected");
        let errors = error.validation_errors().expect("validation");
        assert_eq!(errors.as_slice()[0].attempted_value, json!(null));
        assert_eq!(errors.as_slice()[1].attempted_value, json!("Front desk"));
        assert!(!format!("{error:?} {error}").contains("hunter2"));
    }
}

#[test]
fn client_rejection_is_redacted_and_sends_nothing() {
    let errors: ValidationErrors = vec![crate::ValidationError {
        property_name: "IncomingServerPassword".to_owned(),
        message: "is a required field".to_owned(),
        attempted_value: json!("  hunter2  "),
    }]
    .into();
    let error = UPDATE.rejected(errors);
    assert!(matches!(
        &error,
        Error::Validation {
            origin: ValidationOrigin::Client,
            message: None,
            entity: "EmailAccount",
            ..
        }
    ));
    assert!(!format!("{error:?}").contains("hunter2"));
}

#[test]
fn encode_writes_json_bytes() {
    #[derive(serde::Serialize)]
    struct Request {
        #[serde(rename = "Id")]
        id: i64,
        #[serde(rename = "DisplayName")]
        display_name: &'static str,
    }
    let request = Request {
        id: 1,
        display_name: "Desk",
    };
    let bytes = UPDATE.encode(&request).expect("encode");
    assert_eq!(bytes, br#"{"Id":1,"DisplayName":"Desk"}"#);

    struct Broken;
    impl serde::Serialize for Broken {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot serialize"))
        }
    }
    let error = UPDATE.encode(&Broken).expect_err("broken");
    assert!(matches!(
        error,
        Error::Encode {
            operation: Operation::Update,
            ..
        }
    ));
}

#[test]
fn excerpt_is_bounded_and_cut_on_a_char_boundary() {
    let long = "é".repeat(600);
    let cut = excerpt(long.as_bytes());
    assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
    assert!(cut.ends_with("é…"));
    assert_eq!(excerpt(b"short"), "short");
    assert_eq!(excerpt(&[b'a', 0xff, b'b']), "a\u{fffd}b");
    let exact = "x".repeat(EXCERPT_CHARS);
    assert_eq!(excerpt(exact.as_bytes()), exact);
}
