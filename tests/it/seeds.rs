//! The documentation pages' own examples: request bodies are what the request types send, and
//! the example answers, served over HTTP, become the typed results.

use nexudus::Full;
use nexudus::crm::email_account::{
    EmailAccount, EmailAccountCreate, EmailAccountCreateRequired, EmailAccountUpdate,
};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::workspace;

const UPDATE_PAGE: &str = "000_33502500b8355710.txt";
const CREATE_PAGE: &str = "002_604f9f49047fcf29.txt";

/// The examples of a documentation page: every JSON object in it, request bodies first.
struct Examples {
    bodies: Vec<Value>,
    success: Value,
    failure: Value,
}

fn examples(page: &str) -> Examples {
    let path = workspace().join("../shared/seeds").join(page);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let objects = json_objects(&text);
    let bodies: Vec<Value> = objects
        .iter()
        .filter(|object| object.get("BusinessId").is_some())
        .cloned()
        .collect();
    // The page's response schema uses placeholders such as "<string>"; the examples do not.
    let answers: Vec<&Value> = objects
        .iter()
        .filter(|object| object.get("WasSuccessful").is_some() && object["Message"] != "<string>")
        .collect();
    let [success, failure] = answers.as_slice() else {
        panic!("expected a 200 and a 400 example in {page}, found {answers:#?}");
    };
    Examples {
        bodies,
        success: (*success).clone(),
        failure: (*failure).clone(),
    }
}

/// Every JSON object embedded in `text` (code samples in other languages are not JSON and are skipped).
fn json_objects(text: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let candidate = &rest[start..];
        let mut stream = serde_json::Deserializer::from_str(candidate).into_iter::<Value>();
        match stream.next() {
            Some(Ok(object @ Value::Object(_))) => {
                found.push(object);
                rest = &candidate[stream.byte_offset()..];
            }
            _ => rest = &candidate[1..],
        }
    }
    found
}

#[test]
fn the_create_example_body_is_what_the_create_type_sends_and_fails_validation_as_placeholders_should()
 {
    let examples = examples(CREATE_PAGE);
    assert_eq!(
        examples.bodies.len(),
        1,
        "the cURL sample is the only JSON body"
    );
    let body = &examples.bodies[0];
    // Every property of the example is one the record knows, with the type it has there.
    let record: EmailAccount =
        serde_json::from_value(body.clone()).expect("the create example parses as a record");
    assert_eq!(record.business_id, Some(0));
    // The example's placeholders, set through the typed request, give exactly its body: the
    // same names, and optional properties it leaves out (`IncomingServerType`) left out.
    let request = EmailAccountCreate::new(EmailAccountCreateRequired {
        business_id: 0,
        display_name: String::new(),
        email_address: String::new(),
        incoming_server: String::new(),
        incoming_server_port: 0,
        incoming_server_username: String::new(),
        outgoing_server: String::new(),
        outgoing_server_port: 0,
        outgoing_server_username: String::new(),
    });
    assert_eq!(request.incoming_server_type, None);
    assert_eq!(serde_json::to_value(&request).expect("serializes"), *body);

    // The sample's values are placeholders: empty strings and port 0, which validation must catch, all at once.
    let errors = request
        .validate()
        .expect_err("placeholders are not a valid mailbox");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|error| (error.property_name.as_str(), error.message.as_str()))
        .collect();
    for property in [
        "DisplayName",
        "EmailAddress",
        "IncomingServer",
        "IncomingServerUsername",
        "OutgoingServer",
        "OutgoingServerUsername",
    ] {
        assert!(
            found.contains(&(property, "is a required field")),
            "{property} missing from {found:?}"
        );
    }
    for property in ["IncomingServerPort", "OutgoingServerPort"] {
        assert!(
            found.iter().any(|(name, _)| *name == property),
            "{property} missing from {found:?}"
        );
    }
}

#[test]
fn the_update_example_body_round_trips_with_unlisted_enum_values() {
    let examples = examples(UPDATE_PAGE);
    assert_eq!(
        examples.bodies.len(),
        1,
        "the cURL sample is the only JSON body"
    );
    let body = &examples.bodies[0];
    // Read as a record fetched on its own, then turned into the update that keeps every value.
    let record: Full<EmailAccount> =
        serde_json::from_value(body.clone()).expect("the update example parses as a record");
    let request = EmailAccountUpdate::from_record(&record).expect("every required value is there");
    assert_eq!(request.id, 87_654_321);
    // The example sends 0, a value the documentation does not list: it is kept, not rejected.
    assert_eq!(i64::from(request.incoming_server_type), 0);
    assert!(matches!(
        request.incoming_server_type,
        nexudus::crm::email_account::EmailServerType::Unknown(_)
    ));
    assert_eq!(i64::from(request.delete_message_settings), 0);
    assert_eq!(serde_json::to_value(&request).expect("serializes"), *body);
}

#[tokio::test]
async fn the_example_answers_become_typed_results() {
    for (page, verb) in [(CREATE_PAGE, "POST"), (UPDATE_PAGE, "PUT")] {
        let examples = examples(page);
        let server = MockServer::start().await;
        let client = crate::client::client_for(&server);
        let valid_create = crate::client::valid_create();
        let valid_update = crate::client::valid_update();
        let send = || async {
            match verb {
                "POST" => client.email_accounts().create(&valid_create).await,
                _ => client.email_accounts().update(&valid_update).await,
            }
        };

        let success = Mock::given(method(verb))
            .and(path("/api/crm/emailaccounts"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&examples.success))
            .expect(1)
            .mount_as_scoped(&server)
            .await;
        let outcome = send().await.expect("the 200 example is a success");
        assert_eq!(outcome.id, 87_654_321, "{page}");
        assert_eq!(
            outcome.message.as_deref(),
            examples.success["Message"].as_str()
        );
        assert_eq!(outcome.updated_by.as_deref(), Some("admin@example.com"));
        assert_eq!(
            outcome.updated_on.map(|at| at.to_rfc3339()).as_deref(),
            Some("2025-01-15T10:30:00+00:00")
        );
        drop(success);

        Mock::given(method(verb))
            .and(path("/api/crm/emailaccounts"))
            .respond_with(ResponseTemplate::new(400).set_body_json(&examples.failure))
            .expect(1)
            .mount(&server)
            .await;
        let error = send().await.expect_err("the 400 example is a failure");
        let errors = error.validation_errors().expect("a validation error");
        assert_eq!(errors.len(), 1);
        let first = &errors.as_slice()[0];
        assert_eq!(first.property_name, "DisplayName");
        assert_eq!(first.message, "is a required field");
        assert_eq!(first.attempted_value, Value::Null);
        assert!(
            matches!(
                error,
                nexudus::Error::Validation {
                    origin: nexudus::ValidationOrigin::Server,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
