//! `update_with` changes only what the caller changes, whatever the server sends.
//!
//! Against a stand-in over HTTP that answers a GET with any JSON object (what a real Nexudus may
//! send and the schemas do not say: unknown properties, names in another letter case, nested
//! values, nulls), the `PUT` that follows must be that object minus what the server keeps
//! itself, with only the caller's change. This proves the SDK's promise, not the schemas'
//! agreement with Nexudus. The last test runs against the local server, to show what an update
//! built by hand clears there, as a full replacement on Nexudus would.

use std::collections::BTreeSet;

use nexudus::crm::email_account::EmailAccountUpdate;
use nexudus::{Client, RateLimit, Record};
use nexudus_codegen::model::{EntityModel, Model, Presence, Rule, Scalar, ValueType};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: i64 = 4_242;

/// The base properties Nexudus keeps itself, which no update sends back. Written out rather
/// than read from the SDK, so that the tests check the SDK's list.
pub(crate) const SERVER_KEPT: [&str; 6] = [
    "UniqueId",
    "CreatedOn",
    "UpdatedOn",
    "UpdatedBy",
    "IsNew",
    "ToStringText",
];

fn model() -> Model {
    nexudus_codegen::model::model(&crate::workspace().join("schema")).expect("the schemas check")
}

fn entity<'m>(model: &'m Model, name: &str) -> &'m EntityModel {
    model
        .entities
        .iter()
        .find(|entity| entity.name == name)
        .unwrap_or_else(|| panic!("{name} is in the catalogue"))
}

/// A value of `ty` that the field's rules accept.
fn valid(ty: &ValueType, rules: &[Rule], seed: i64) -> Value {
    let scalar = |scalar: Scalar| match scalar {
        Scalar::Int32 | Scalar::Int64 => {
            let low = rules.iter().find_map(|rule| match rule {
                Rule::Range { min, .. } => *min,
                _ => None,
            });
            json!(low.unwrap_or(0).max(1) + seed % 5)
        }
        Scalar::Decimal => json!(12.5 + seed as f64),
        Scalar::Bool => json!(seed % 2 == 0),
        Scalar::String if rules.contains(&Rule::Email) => json!(format!("desk{seed}@example.com")),
        Scalar::String => json!(format!("text {seed}")),
        Scalar::DateTime => json!("2025-01-02T03:04:05Z"),
    };
    match ty {
        ValueType::Scalar(kind) => scalar(*kind),
        ValueType::Enum(_) => json!(1),
        ValueType::List(kind) => json!([scalar(*kind), scalar(*kind)]),
    }
}

/// A record of `entity` as a get-one answer made "in the UI" would carry it: every base
/// property and every property of the schema set, lists included.
fn ui_record(entity: &EntityModel) -> Map<String, Value> {
    let mut record = json!({
        "Id": ID, "UniqueId": "9b1d3c1e-7d1a-4a43-9a4e-1f0c2b7d6e11",
        "CreatedOn": "2025-01-15T10:30:00Z", "UpdatedOn": "2025-01-16T08:00:00",
        "UpdatedBy": "admin@example.com", "IsNew": false, "SystemId": "ui-record-1",
        "ToStringText": "A record", "LocalizationDetails": {"fr": {"Name": "Un"}},
        "CustomFields": {"Floor": 2},
    });
    let object = record.as_object_mut().expect("an object");
    for (seed, field) in (0_i64..).zip(&entity.fields) {
        if field.name != "Id" {
            object.insert(field.name.clone(), valid(&field.ty, &field.rules, seed));
        }
    }
    record.as_object().cloned().expect("an object")
}

/// What the server sent and the schema does not say, to be laid over a record.
#[derive(Clone, Debug)]
struct Extras {
    /// Properties no schema knows, with any JSON value.
    unknown: Vec<(String, Value)>,
    /// Indexes of the record's properties to spell in another letter case, and which letters.
    respelled: Vec<(usize, u64)>,
    /// Indexes of the record's properties to send as `null` (optional ones only).
    nulled: Vec<usize>,
    /// Whether the changed property is respelled too.
    respell_changed: Option<u64>,
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12..1e12_f64).prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[A-Za-z]{1,6}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn extras() -> impl Strategy<Value = Extras> {
    (
        prop::collection::vec(("Zz[A-Za-z0-9]{1,10}", json_value()), 0..6),
        prop::collection::vec((any::<usize>(), 1..u64::MAX), 0..8),
        prop::collection::vec(any::<usize>(), 0..8),
        prop::option::of(1..u64::MAX),
    )
        .prop_map(|(unknown, respelled, nulled, respell_changed)| Extras {
            unknown,
            respelled,
            nulled,
            respell_changed,
        })
}

/// `name` with the letters `mask` picks swapped between cases; never `name` itself.
fn respell(name: &str, mask: u64) -> String {
    let swapped: String = name
        .chars()
        .enumerate()
        .map(|(index, letter)| {
            if mask >> (index % 64) & 1 == 1 {
                swap_case(letter)
            } else {
                letter
            }
        })
        .collect();
    if swapped == name {
        name.chars().map(swap_case).collect()
    } else {
        swapped
    }
}

fn swap_case(letter: char) -> char {
    if letter.is_ascii_uppercase() {
        letter.to_ascii_lowercase()
    } else {
        letter.to_ascii_uppercase()
    }
}

/// One entity under test: its model, the property the change sets and the value it sets, and
/// the `update_with` call making that change (or none).
struct Case<'m> {
    entity: &'m EntityModel,
    not_updated: &'static [&'static str],
    changed: &'static str,
    new_value: Value,
}

/// The record `extras` makes of `base`: some properties respelled or `null`, unknown ones
/// added. Answers the record and the spelling the changed property has in it.
fn lay_over(
    case: &Case<'_>,
    base: &Map<String, Value>,
    extras: &Extras,
) -> (Map<String, Value>, String) {
    let names: Vec<&String> = base.keys().collect();
    let mut record = base.clone();
    for index in &extras.nulled {
        let name = names[index % names.len()];
        let optional = case
            .entity
            .fields
            .iter()
            .find(|field| &field.name == name)
            .is_some_and(|field| field.update != Presence::Required);
        if optional && name != case.changed {
            record.insert(name.clone(), Value::Null);
        }
    }
    let mut respelled = BTreeSet::new();
    for (index, mask) in &extras.respelled {
        let name = names[index % names.len()];
        if name != case.changed && respelled.insert(name.clone()) {
            let value = record
                .remove(name.as_str())
                .expect("a property of the record");
            record.insert(respell(name, *mask), value);
        }
    }
    let changed = match extras.respell_changed {
        Some(mask) => {
            let value = record.remove(case.changed).expect("the changed property");
            let spelled = respell(case.changed, mask);
            record.insert(spelled.clone(), value);
            spelled
        }
        None => case.changed.to_owned(),
    };
    for (name, value) in &extras.unknown {
        let known = base.keys().any(|key| key.eq_ignore_ascii_case(name));
        if !known {
            record.insert(name.clone(), value.clone());
        }
    }
    (record, changed)
}

/// The body an unchanged update must send: the record without what the server keeps.
fn sent_back(record: &Map<String, Value>, not_updated: &[&str]) -> Value {
    let mut body = record.clone();
    body.retain(|key, _| {
        !not_updated
            .iter()
            .any(|kept| kept.eq_ignore_ascii_case(key))
    });
    Value::Object(body)
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("a token")
        .rate_limit(RateLimit::none())
        .build()
        .expect("a valid client configuration")
}

/// Answers the next GET of the record with `record` and acknowledges any PUT.
async fn serve(server: &MockServer, path_of: &str, record: &Map<String, Value>) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(format!("{path_of}/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(record))
        .mount(server)
        .await;
    Mock::given(method("PUT"))
        .and(path(path_of))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Status": 200, "Value": {"Id": ID}, "WasSuccessful": true
        })))
        .mount(server)
        .await;
}

/// The body of the one PUT the server received.
async fn put_body(server: &MockServer) -> Value {
    let requests = server.received_requests().await.expect("recording is on");
    let puts: Vec<_> = requests
        .iter()
        .filter(|request| request.method.as_str() == "PUT")
        .collect();
    assert_eq!(puts.len(), 1, "one PUT");
    serde_json::from_slice(&puts[0].body).expect("a JSON body")
}

/// Runs `update_with` on the record with `ID`, making the change of `case` or none.
async fn update(client: &Client, entity: &str, change: bool) {
    let changed = "changed by the caller";
    let outcome = match entity {
        "EmailAccount" => {
            client
                .email_accounts()
                .update_with(ID, |update| {
                    if change {
                        update.display_name(changed)
                    } else {
                        update
                    }
                })
                .await
        }
        "Coworker" => {
            client
                .coworkers()
                .update_with(ID, |update| {
                    if change {
                        update.full_name(changed)
                    } else {
                        update
                    }
                })
                .await
        }
        "Tariff" => {
            client
                .tariffs()
                .update_with(
                    ID,
                    |update| {
                        if change { update.name(changed) } else { update }
                    },
                )
                .await
        }
        "Booking" => {
            client
                .bookings()
                .update_with(ID, |update| {
                    if change {
                        update.notes(changed)
                    } else {
                        update
                    }
                })
                .await
        }
        other => panic!("no update for {other}"),
    };
    assert_eq!(outcome.expect("updated").id, ID);
}

fn cases(model: &Model) -> Vec<Case<'_>> {
    use nexudus::billing::tariff::Tariff;
    use nexudus::crm::email_account::EmailAccount;
    use nexudus::spaces::booking::Booking;
    use nexudus::spaces::coworker::Coworker;
    let changed = json!("changed by the caller");
    vec![
        Case {
            entity: entity(model, "EmailAccount"),
            not_updated: EmailAccount::NOT_UPDATED,
            changed: "DisplayName",
            new_value: changed.clone(),
        },
        Case {
            entity: entity(model, "Coworker"),
            not_updated: Coworker::NOT_UPDATED,
            changed: "FullName",
            new_value: changed.clone(),
        },
        Case {
            entity: entity(model, "Tariff"),
            not_updated: Tariff::NOT_UPDATED,
            changed: "Name",
            new_value: changed.clone(),
        },
        Case {
            entity: entity(model, "Booking"),
            not_updated: Booking::NOT_UPDATED,
            changed: "Notes",
            new_value: changed,
        },
    ]
}

/// For records with arbitrary extra properties, an unchanged `update_with` sends the record
/// back minus what the server keeps, and a change of one property changes exactly that one,
/// under the server's spelling. Four entities; Coworker and Tariff carry lists.
#[test]
fn update_with_sends_back_the_record_with_only_the_change() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(MockServer::start());
    let client = client(&server);
    let model = model();
    let cases = cases(&model);
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let mut checked = 0;
    for case in &cases {
        let base = ui_record(case.entity);
        let result = runner.run(&extras(), |extras| {
            let (record, changed) = lay_over(case, &base, &extras);
            let unchanged = sent_back(&record, case.not_updated);
            runtime.block_on(async {
                serve(&server, &case.entity.path, &record).await;
                update(&client, &case.entity.name, false).await;
                prop_assert_eq!(
                    put_body(&server).await,
                    unchanged.clone(),
                    "nothing changed"
                );

                serve(&server, &case.entity.path, &record).await;
                update(&client, &case.entity.name, true).await;
                let mut expected = unchanged;
                expected[changed.as_str()] = case.new_value.clone();
                prop_assert_eq!(put_body(&server).await, expected, "one change");
                Ok(())
            })
        });
        if let Err(failure) = result {
            panic!("{}: {failure}", case.entity.name);
        }
        checked += 1;
    }
    assert_eq!(checked, 4);
}

/// The example the closing note quotes: a property this version does not know and one spelled
/// in another letter case than the schema survive `update_with`, and the case-mismatched one is
/// read into the record.
#[tokio::test]
async fn an_unknown_and_a_case_mismatched_property_survive_update_with() {
    let server = MockServer::start().await;
    let model = model();
    let mut record = ui_record(entity(&model, "EmailAccount"));
    let port = record.remove("IncomingServerPort").expect("a port");
    record.insert("incomingServerPORT".into(), port.clone());
    record.insert("FutureProperty".into(), json!("kept"));
    serve(&server, "/api/crm/emailaccounts", &record).await;

    let client = client(&server);
    let full = client.email_accounts().get(ID).await.expect("fetched");
    assert_eq!(
        full.incoming_server_port.map(Value::from),
        Some(port.clone())
    );
    assert_eq!(full.property("futureproperty"), Some(&json!("kept")));
    assert_eq!(
        full.unknown_properties().collect::<Vec<_>>(),
        ["FutureProperty"]
    );

    server.reset().await;
    serve(&server, "/api/crm/emailaccounts", &record).await;
    client
        .email_accounts()
        .update_with(ID, |update| update.display_name("Reception"))
        .await
        .expect("updated");
    let body = put_body(&server).await;
    println!("PUT body: {body}");
    assert_eq!(body["FutureProperty"], "kept");
    assert_eq!(body["incomingServerPORT"], port);
    assert!(body.get("IncomingServerPort").is_none(), "not sent twice");
    assert_eq!(body["SystemId"], "ui-record-1");
    assert_eq!(body["DisplayName"], "Reception");
    for kept in SERVER_KEPT {
        assert!(body.get(kept).is_none(), "{kept} is the server's");
    }
}

/// An update made from a record and then unset sends `null`; one built by hand sends only what
/// it holds, as before.
#[tokio::test]
async fn an_unset_property_is_sent_as_null_and_a_hand_built_update_as_it_is() {
    let server = MockServer::start().await;
    let model = model();
    let record = ui_record(entity(&model, "EmailAccount"));
    serve(&server, "/api/crm/emailaccounts", &record).await;
    let client = client(&server);
    client
        .email_accounts()
        .update_with(ID, |mut update| {
            update.reply_to_email = None;
            update
        })
        .await
        .expect("updated");
    let body = put_body(&server).await;
    assert_eq!(body["ReplyToEmail"], Value::Null);
    assert_eq!(body["CustomFields"], json!({"Floor": 2}));

    server.reset().await;
    serve(&server, "/api/crm/emailaccounts", &record).await;
    let full = client.email_accounts().get(ID).await.expect("fetched");
    let from_record = EmailAccountUpdate::from_record(&full).expect("a whole record");
    let mut by_hand = crate::client::valid_update();
    by_hand.id = ID;
    assert_ne!(
        from_record, by_hand,
        "one remembers the record it was made from"
    );
    client
        .email_accounts()
        .update(&by_hand)
        .await
        .expect("updated");
    let body = put_body(&server).await;
    assert_eq!(body, serde_json::to_value(&by_hand).expect("serializes"));
    assert!(
        body.get("SystemId").is_none(),
        "a hand-built update knows no SystemId"
    );
}

/// Against the local server, which stores a PUT as a full replacement clears on Nexudus: an
/// update built by hand clears the optional properties and `SystemId` it does not carry, and
/// `update_with` keeps them. This proves the local server's behaviour and the SDK's, not
/// Nexudus's.
#[tokio::test]
async fn on_the_local_server_a_hand_built_update_clears_and_update_with_keeps() {
    let (server, client) = crate::server::start(crate::server::config()).await;
    let mut create = serde_json::to_value(crate::client::valid_create()).expect("serializes");
    create["SystemId"] = json!("crm-42");
    create["replyToEmail"] = json!("reply@example.com");
    create["IncomingServerType"] = json!(1);
    create["DeleteMessageSettings"] = json!(1);
    let (status, answer) =
        crate::server::post_raw(&server, "/api/crm/emailaccounts", &create).await;
    assert_eq!(status, 200, "{answer}");
    let id = answer["Value"]["Id"].as_i64().expect("an Id");
    let accounts = client.email_accounts();

    accounts
        .update_with(id, |update| update.display_name("Reception"))
        .await
        .expect("updated");
    let kept = accounts.get(id).await.expect("fetched");
    assert_eq!(kept.display_name.as_deref(), Some("Reception"));
    assert_eq!(
        kept.reply_to_email.as_deref(),
        Some("reply@example.com"),
        "read whatever the case"
    );
    assert_eq!(kept.system_id.as_deref(), Some("crm-42"));

    let mut by_hand = crate::client::valid_update();
    by_hand.id = id;
    accounts.update(&by_hand).await.expect("updated");
    let cleared = accounts.get(id).await.expect("fetched");
    assert_eq!(
        cleared.reply_to_email, None,
        "a full replacement clears what it leaves out"
    );
    assert_eq!(cleared.system_id, None);
    assert_eq!(
        cleared.created_on, kept.created_on,
        "the server keeps its own"
    );
}
