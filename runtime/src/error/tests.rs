//! Tests of `Error`'s messages and accessors.

use serde_json::json;

use super::*;
use crate::ValidationError;

fn validation(message: Option<&str>, errors: Vec<ValidationError>) -> Error {
    Error::Validation {
        entity: "EmailAccount",
        operation: Operation::Create,
        origin: ValidationOrigin::Server,
        message: message.map(str::to_owned),
        errors: errors.into(),
    }
}

fn required(property: &str) -> ValidationError {
    ValidationError {
        property_name: property.to_owned(),
        message: "is a required field".to_owned(),
        attempted_value: json!(null),
    }
}

#[test]
fn validation_message_names_entity_operation_and_every_error() {
    let error = Error::Validation {
        entity: "EmailAccount",
        operation: Operation::Create,
        origin: ValidationOrigin::Client,
        message: None,
        errors: vec![required("DisplayName"), required("EmailAddress")].into(),
    };
    assert_eq!(
        error.to_string(),
        "EmailAccount create: rejected by client-side validation (2 errors): \
         DisplayName: is a required field; EmailAddress: is a required field"
    );
    assert_eq!(
        error.validation_errors().map(ValidationErrors::len),
        Some(2)
    );
    assert_eq!(error.status(), None);
}

#[test]
fn server_validation_shows_the_message_when_there_are_no_errors() {
    assert_eq!(
        validation(Some("Mailbox limit reached"), vec![]).to_string(),
        "EmailAccount create: rejected by server validation: Mailbox limit reached"
    );
    assert_eq!(
        validation(None, vec![]).to_string(),
        "EmailAccount create: rejected by server validation (no details given)"
    );
    assert_eq!(
        validation(
            Some("DisplayName: is a required field"),
            vec![required("DisplayName")]
        )
        .to_string(),
        "EmailAccount create: rejected by server validation (1 error): DisplayName: is a required field"
    );
}

#[test]
fn status_and_decode_messages_and_accessors() {
    let status = Error::Status {
        entity: "EmailAccount",
        operation: Operation::Update,
        status: 409,
        body: String::new(),
    };
    assert_eq!(
        status.to_string(),
        "EmailAccount update: unexpected HTTP status 409 with an empty body"
    );
    assert_eq!(status.status(), Some(409));
    assert_eq!(status.entity(), Some("EmailAccount"));
    assert_eq!(status.operation(), Some(Operation::Update));
    assert!(status.validation_errors().is_none());

    let source = serde_json::from_str::<serde_json::Value>("<html>").expect_err("not JSON");
    let decode = Error::Decode {
        entity: "EmailAccount",
        operation: Operation::Create,
        status: 200,
        excerpt: "<html>".to_owned(),
        source,
    };
    assert_eq!(
        decode.to_string(),
        "EmailAccount create: could not decode the HTTP 200 response: <html>"
    );
    assert_eq!(decode.status(), Some(200));
    assert!(std::error::Error::source(&decode).is_some());
}

#[test]
fn unauthorized_and_auth_messages_and_accessors() {
    let unauthorized = Error::Unauthorized {
        entity: "EmailAccount",
        operation: Operation::Update,
        body: "Authorization has been denied for this request.".to_owned(),
    };
    assert_eq!(
        unauthorized.to_string(),
        "EmailAccount update: unauthorized (HTTP 401): \
         Authorization has been denied for this request."
    );
    assert_eq!(unauthorized.status(), Some(401));
    assert_eq!(unauthorized.entity(), Some("EmailAccount"));
    assert_eq!(unauthorized.operation(), Some(Operation::Update));

    let auth = Error::Auth {
        entity: "EmailAccount",
        operation: Operation::Create,
        code: Some("invalid_grant".to_owned()),
        message: "The user name or password is incorrect.".to_owned(),
        status: Some(400),
        source: None,
    };
    assert_eq!(
        auth.to_string(),
        "EmailAccount create: could not authenticate (invalid_grant): \
         The user name or password is incorrect."
    );
    assert_eq!(auth.status(), Some(400));
    assert_eq!(auth.entity(), Some("EmailAccount"));
    assert_eq!(auth.operation(), Some(Operation::Create));
    assert!(std::error::Error::source(&auth).is_none());

    let without_code = Error::Auth {
        entity: "EmailAccount",
        operation: Operation::Create,
        code: None,
        message: "the token endpoint answered HTTP 503".to_owned(),
        status: None,
        source: None,
    };
    assert_eq!(
        without_code.to_string(),
        "EmailAccount create: could not authenticate: the token endpoint answered HTTP 503"
    );
    assert_eq!(without_code.status(), None);
}

#[test]
fn the_status_variants_name_the_call_and_report_their_status() {
    let cases = [
        (
            Error::Forbidden {
                entity: "EmailAccount",
                operation: Operation::Update,
                body: "Missing EmailAccount-Edit".to_owned(),
            },
            403,
            "EmailAccount update: forbidden (HTTP 403): Missing EmailAccount-Edit",
        ),
        (
            Error::NotFound {
                entity: "EmailAccount",
                operation: Operation::Get,
                body: String::new(),
            },
            404,
            "EmailAccount get: not found (HTTP 404) with an empty body",
        ),
        (
            Error::Throttled {
                entity: "EmailAccount",
                operation: Operation::Create,
                retry_after: Some(std::time::Duration::from_secs(7)),
            },
            409,
            "EmailAccount create: throttled by the server (HTTP 409); retry after 7 s",
        ),
        (
            Error::Throttled {
                entity: "EmailAccount",
                operation: Operation::RunCommand,
                retry_after: None,
            },
            409,
            "EmailAccount run command: throttled by the server (HTTP 409)",
        ),
        (
            Error::ServerError {
                entity: "EmailAccount",
                operation: Operation::GetMany,
                status: 503,
                body: "Service Unavailable".to_owned(),
            },
            503,
            "EmailAccount get many: server error (HTTP 503): Service Unavailable",
        ),
    ];
    for (error, status, message) in cases {
        assert_eq!(error.to_string(), message);
        assert_eq!(error.status(), Some(status), "{message}");
        assert_eq!(error.entity(), Some("EmailAccount"));
        assert!(error.operation().is_some());
    }
    let fractional = Error::Throttled {
        entity: "EmailAccount",
        operation: Operation::Delete,
        retry_after: Some(std::time::Duration::from_millis(1_500)),
    };
    assert!(fractional.to_string().ends_with("retry after 1.5 s"));
}

#[test]
fn config_has_no_entity() {
    let error = Error::Config {
        message: "the base URL must use http or https".to_owned(),
    };
    assert_eq!(
        error.to_string(),
        "invalid client configuration: the base URL must use http or https"
    );
    assert_eq!(error.entity(), None);
    assert_eq!(error.operation(), None);
}
