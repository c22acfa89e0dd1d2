//! Tests of entity commands: the listing read leniently, the body in wire names, and over loopback
//! HTTP, listing them and running one exactly once.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::endpoint::Endpoint;
use crate::fixtures::{COMMAND_LISTING, COMMAND_RAN};
use crate::fixtures::{EMAIL_ACCOUNTS, header, only_request, requests};
use crate::{Client, Error, Operation, RateLimit, ValidationOrigin};

const TOKEN: &str = "tok-c0mm4nd-secret";

const COMMANDS: Endpoint = EMAIL_ACCOUNTS.commands;
const RUN_COMMAND: Endpoint = EMAIL_ACCOUNTS.run_command;

async fn server_answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

/// A client with default retries (2), so a request sent again would show, but no waiting.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_backoff(Duration::from_millis(1))
        .rate_limit(RateLimit::none())
        .build()
        .expect("valid test client")
}

async fn run(
    answer: ResponseTemplate,
    key: &str,
    ids: &[i64],
    parameters: &[CommandParameter],
) -> (Result<CommandOutcome, Error>, MockServer) {
    let server = server_answering(answer).await;
    let result = client_for(&server)
        .run_command(&RUN_COMMAND, key, ids, parameters)
        .await;
    (result, server)
}

#[test]
fn missing_and_null_properties_read_as_defaults() {
    let commands: Vec<Command> = serde_json::from_value(json!([
        {"Key": "SEND", "AppliesOnlyToMultipleEntities": true},
        {"Key": null, "Name": null, "NeedsEntitiesToRun": null, "Order": null,
         "RequiresParameters": null},
        {"RequiresParameters": [{"Name": "Date"}, {}]}
    ]))
    .expect("lenient listing");
    assert_eq!(commands[0].key, "SEND");
    assert!(commands[0].applies_only_to_multiple_entities);
    assert!(!commands[0].needs_entities_to_run);
    assert_eq!(commands[1], Command::default());
    assert_eq!(
        commands[2].parameters,
        [
            CommandParameterInfo {
                name: "Date".to_owned(),
                type_name: String::new()
            },
            CommandParameterInfo::default()
        ]
    );
    assert!(serde_json::from_str::<Vec<Command>>(r#"[{"Order": "eight"}]"#).is_err());
}

#[test]
fn parameters_and_the_body_use_wire_names() {
    let parameters = [
        CommandParameter::new("From", "DateTime", "2026-04-03T00:00:00Z"),
        CommandParameter::new(String::from("Amount"), "Decimal", "100"),
    ];
    let body = RunCommandBody {
        key: "COMMAND_KEY_1",
        ids: &[1, 2],
        parameters: &parameters,
    };
    assert_eq!(
        serde_json::to_string(&body).expect("serialize"),
        r#"{"Key":"COMMAND_KEY_1","Ids":[1,2],"Parameters":[{"Name":"From","Type":"DateTime","Value":"2026-04-03T00:00:00Z"},{"Name":"Amount","Type":"Decimal","Value":"100"}]}"#
    );
    let none = RunCommandBody {
        key: "K",
        ids: &[],
        parameters: &[],
    };
    assert_eq!(
        serde_json::to_string(&none).expect("serialize"),
        r#"{"Key":"K","Ids":[],"Parameters":[]}"#
    );
}

#[tokio::test]
async fn commands_are_listed_from_the_documented_answer() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(COMMAND_LISTING, "application/json"),
    )
    .await;
    let commands = client_for(&server)
        .commands(&COMMANDS)
        .await
        .expect("documented listing");
    assert_eq!(
        commands,
        [Command {
            key: "COMMAND_KEY_1".to_owned(),
            name: "Command name".to_owned(),
            needs_entities_to_run: true,
            applies_only_to_one_entity: true,
            applies_only_to_multiple_entities: false,
            order: 8,
            parameters: vec![CommandParameterInfo {
                name: "Parameter name".to_owned(),
                type_name: "parameterType".to_owned(),
            }],
        }]
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/crm/emailaccounts/commands");
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_listing_that_is_not_an_array_or_not_found_is_an_error() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({"Key": "K"}))).await;
    let error = client_for(&server)
        .commands(&COMMANDS)
        .await
        .expect_err("an object");
    assert!(
        matches!(
            &error,
            Error::Decode {
                status: 200,
                operation: Operation::Commands,
                ..
            }
        ),
        "{error:?}"
    );

    let server = server_answering(ResponseTemplate::new(404)).await;
    let error = client_for(&server)
        .commands(&COMMANDS)
        .await
        .expect_err("404");
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn run_command_posts_the_key_ids_and_parameters_and_reads_the_answer() {
    let parameters = [
        CommandParameter::new("From", "DateTime", "2026-04-03T00:00:00Z"),
        CommandParameter::new("Amount", "Decimal", "100"),
    ];
    let (result, server) = run(
        ResponseTemplate::new(200).set_body_raw(COMMAND_RAN, "application/json"),
        "COMMAND_KEY_1",
        &[10605, -2],
        &parameters,
    )
    .await;
    let outcome = result.expect("documented success");
    assert_eq!(
        outcome,
        CommandOutcome {
            message: Some("The command was run correctly.".to_owned()),
            value: Some(json!({"Id": 10605})),
            updated_on: Utc.with_ymd_and_hms(2021, 4, 15, 12, 19, 7).single(),
            updated_by: Some("john@example.com".to_owned()),
        }
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/crm/emailaccounts/runcommand");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"Key":"COMMAND_KEY_1","Ids":[10605,-2],"Parameters":[{"Name":"From","Type":"DateTime","Value":"2026-04-03T00:00:00Z"},{"Name":"Amount","Type":"Decimal","Value":"100"}]}"#
    );
}

#[tokio::test]
async fn a_command_succeeds_without_an_id_and_sends_empty_lists() {
    for (value, expected) in [
        (json!({}), Some(json!({}))),
        (json!(null), None),
        (json!([1, 2]), Some(json!([1, 2]))),
    ] {
        let (result, server) = run(
            ResponseTemplate::new(200).set_body_json(json!({
                "Status": 200, "Message": null, "Value": value, "WasSuccessful": true
            })),
            "SEND_TEST",
            &[],
            &[],
        )
        .await;
        let outcome = result.expect("success needs no Value.Id");
        assert_eq!(outcome.value, expected);
        assert_eq!(outcome.message, None);
        assert_eq!(outcome.updated_on, None);
        assert_eq!(
            only_request(&server).await.body,
            br#"{"Key":"SEND_TEST","Ids":[],"Parameters":[]}"#
        );
    }
}

#[tokio::test]
async fn a_refused_command_is_server_validation() {
    let (result, _server) = run(
        ResponseTemplate::new(200).set_body_json(json!({
            "Status": 200, "Message": "The mailbox could not be reached.",
            "Value": {}, "Errors": null, "WasSuccessful": false
        })),
        "SEND_TEST",
        &[1],
        &[],
    )
    .await;
    let error = result.expect_err("WasSuccessful false");
    assert!(
        matches!(
            &error,
            Error::Validation {
                origin: ValidationOrigin::Server,
                operation: Operation::RunCommand,
                message: Some(m),
                errors,
                ..
            } if m == "The mailbox could not be reached." && errors.is_empty()
        ),
        "{error:?}"
    );

    let (result, _server) = run(
        ResponseTemplate::new(400).set_body_json(json!({
            "Message": "From: is a required field", "Value": null,
            "Errors": [{"AttemptedValue": null, "Message": "is a required field", "PropertyName": "From"}],
            "WasSuccessful": false
        })),
        "SEND_TEST",
        &[1],
        &[],
    )
    .await;
    let error = result.expect_err("400");
    let errors = error.validation_errors().expect("validation");
    assert_eq!(errors.to_string(), "From: is a required field");

    let (result, _server) = run(
        ResponseTemplate::new(200).set_body_json(json!({"Value": {}})),
        "SEND_TEST",
        &[1],
        &[],
    )
    .await;
    let error = result.expect_err("no WasSuccessful");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn a_blank_key_is_refused_and_nothing_is_sent() {
    for key in ["", "  \t"] {
        let (result, server) = run(
            ResponseTemplate::new(200).set_body_raw(COMMAND_RAN, "application/json"),
            key,
            &[1],
            &[],
        )
        .await;
        let error = result.expect_err("blank key");
        let Error::Validation {
            origin,
            operation,
            errors,
            ..
        } = &error
        else {
            panic!("expected Validation, got {error:?}");
        };
        assert_eq!(*origin, ValidationOrigin::Client);
        assert_eq!(*operation, Operation::RunCommand);
        assert_eq!(errors.to_string(), "Key: must not be blank");
        assert_eq!(requests(&server).await.len(), 0);
    }
}

#[tokio::test]
async fn a_server_error_to_a_command_is_never_sent_again() {
    let (result, server) = run(
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
        "SEND_TEST",
        &[1],
        &[],
    )
    .await;
    let error = result.expect_err("500");
    assert!(
        matches!(
            &error,
            Error::ServerError {
                status: 500,
                operation: Operation::RunCommand,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(only_request(&server).await.method.as_str(), "POST");
}
