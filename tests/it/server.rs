//! The SDK against the local server, over HTTP on loopback: every operation, validation on both
//! sides, paging through more than a thousand records, concurrent writers, a restart, and
//! authentication, roles and rate limits.

use futures_util::TryStreamExt as _;
use nexudus::crm::email_account::{
    EmailAccountCreate, EmailAccountFilter, EmailAccountSort, MessageDeletionPolicy,
};
use nexudus::{Client, PageRequest, RateLimit, SortDirection};
use nexudus_server::{Config, Database, Limits, RunningServer, User};
use serde_json::{Value, json};

use crate::client::valid_create;

pub(crate) const ADMIN: &str = "admin@example.com";
pub(crate) const PASSWORD: &str = "an admin's password";

/// A configuration with an administrator, a reader, and no rate limits (the tests write fast).
pub(crate) fn config() -> Config {
    Config {
        users: vec![
            User::administrator(ADMIN, PASSWORD),
            User {
                username: "reader@example.com".into(),
                password: "a reader's password".into(),
                roles: vec!["EmailAccount-List".into(), "EmailAccount-Read".into()],
            },
        ],
        rate_limits: None,
        ..Config::default()
    }
}

/// A client that logs in with the password grant as `username`.
pub(crate) fn client_as(server: &RunningServer, username: &str, password: &str) -> Client {
    Client::builder()
        .base_url(server.url())
        .password(username, password)
        .rate_limit(RateLimit::none())
        .max_throttle_retries(0)
        .build()
        .expect("a valid client configuration")
}

pub(crate) async fn start(config: Config) -> (RunningServer, Client) {
    let server = nexudus_server::start(config)
        .await
        .expect("the server starts");
    let client = client_as(&server, ADMIN, PASSWORD);
    (server, client)
}

/// `body` posted to `path` as the administrator, as a client without validation would send it:
/// the status and the JSON answer.
pub(crate) async fn post_raw(server: &RunningServer, path: &str, body: &Value) -> (u16, Value) {
    let answer = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .basic_auth(ADMIN, Some(PASSWORD))
        .json(body)
        .send()
        .await
        .expect("answered");
    let status = answer.status().as_u16();
    (status, answer.json().await.expect("a JSON body"))
}

fn named(name: &str, port: i32) -> EmailAccountCreate {
    let mut request = valid_create();
    request.display_name = name.to_owned();
    request.incoming_server_port = port;
    request
        .incoming_server_type(nexudus::crm::email_account::EmailServerType::Imap)
        .delete_message_settings(MessageDeletionPolicy::DontDelete)
}

#[tokio::test]
async fn every_operation_round_trips_through_the_server() {
    let (server, client) = start(config()).await;
    let accounts = client.email_accounts();

    let created = accounts
        .create(&named("Front desk", 993))
        .await
        .expect("created");
    let fetched = accounts.get(created.id).await.expect("fetched");
    assert_eq!(fetched.id, created.id);
    assert_eq!(fetched.display_name.as_deref(), Some("Front desk"));
    assert_eq!(fetched.incoming_server_port, Some(993));
    assert_eq!(
        fetched.last_message_id,
        Some(0),
        "the documented default was sent and kept"
    );
    let unique_id = fetched
        .unique_id
        .clone()
        .expect("the server gives a UniqueId");
    let created_on = fetched.created_on.expect("and a CreatedOn");

    accounts
        .update_with(created.id, |update| update.display_name("Reception"))
        .await
        .expect("updated");
    let updated = accounts.get(created.id).await.expect("fetched again");
    assert_eq!(updated.display_name.as_deref(), Some("Reception"));
    assert_eq!(
        updated.email_address, fetched.email_address,
        "the rest is kept"
    );
    assert_eq!(updated.unique_id.as_deref(), Some(unique_id.as_str()));
    assert_eq!(updated.created_on, Some(created_on));
    assert!(updated.updated_on >= Some(created_on));
    assert_eq!(updated.updated_by.as_deref(), Some(ADMIN), "who changed it");

    let other = accounts
        .create(&named("Back office", 143))
        .await
        .expect("created");
    let found = accounts
        .search(
            &EmailAccountFilter::new().display_name("Reception"),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    assert_eq!(found.total_items, 1);
    assert_eq!(found.records[0].id, created.id);
    let both = accounts
        .get_many(&[other.id, created.id, 999_999])
        .await
        .expect("got");
    assert_eq!(
        both.iter().map(|record| record.id).collect::<Vec<_>>(),
        [created.id, other.id]
    );

    accounts.delete(created.id).await.expect("deleted");
    let gone = accounts.get(created.id).await.expect_err("deleted");
    assert!(matches!(gone, nexudus::Error::NotFound { .. }), "{gone:?}");
    let again = accounts
        .delete(created.id)
        .await
        .expect_err("already deleted");
    assert!(
        matches!(again, nexudus::Error::NotFound { .. }),
        "{again:?}"
    );
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn the_server_rejects_what_the_client_rejects_with_the_same_errors() {
    // Every rule kind the catalogue uses: a blank required string, an e-mail (required and
    // optional), a range with both bounds and one with a minimum only.
    let (server, client) = start(config()).await;
    let mut request = named("", 70_000)
        .error_count(-1)
        .reply_to_email("desk at example");
    request.email_address = "not an address".into();
    let mut client_side: Vec<(String, String, Value)> = request
        .validate()
        .expect_err("invalid")
        .into_iter()
        .map(|error| (error.property_name, error.message, error.attempted_value))
        .collect();

    // The same body, sent raw, as a client without validation would.
    let (status, body) = post_raw(
        &server,
        "/api/crm/emailaccounts",
        &serde_json::to_value(&request).expect("serializes"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["WasSuccessful"], false);
    let mut server_side: Vec<(String, String, Value)> = body["Errors"]
        .as_array()
        .expect("Errors")
        .iter()
        .map(|error| {
            (
                error["PropertyName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                error["Message"].as_str().unwrap_or_default().to_owned(),
                error["AttemptedValue"].clone(),
            )
        })
        .collect();
    server_side.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    client_side.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(server_side, client_side);
    let messages: Vec<&str> = client_side
        .iter()
        .map(|(_, message, _)| message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "is a required field",
            "is not a valid email address",
            "must be at least 0",
            "must be between 1 and 65535",
            "is not a valid email address"
        ],
        "{client_side:?}"
    );

    let nothing = client
        .email_accounts()
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("searched");
    assert_eq!(nothing.total_items, 0, "nothing was stored");
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn raw_bodies_the_typed_client_never_sends_get_every_error() {
    let config = Config {
        body_limit: 4_096,
        ..config()
    };
    let (server, client) = start(config).await;
    let url = format!("{}/api/crm/emailaccounts", server.url());
    let http = reqwest::Client::new();
    let post = |body: String| {
        http.post(&url)
            .basic_auth(ADMIN, Some(PASSWORD))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let cases = [
        (r#"{"DisplayName": "#.to_owned(), vec![""]),
        ("[]".to_owned(), vec![""]),
        (
            json!({"DisplayName": 5, "BusinessId": "1001", "Colour": "blue"}).to_string(),
            vec![
                "BusinessId",
                "DisplayName",
                "EmailAddress",
                "IncomingServer",
                "IncomingServerPort",
                "IncomingServerUsername",
                "OutgoingServer",
                "OutgoingServerPort",
                "OutgoingServerUsername",
                "Colour",
            ],
        ),
        (
            format!(r#"{{"DisplayName": "{}"}}"#, "x".repeat(5_000)),
            vec![""],
        ),
    ];
    for (body, properties) in cases {
        let answer = post(body.clone()).await.expect("answered");
        assert_eq!(answer.status(), 400, "{body:.80}");
        let answer: Value = answer.json().await.expect("a JSON body");
        let found: Vec<&str> = answer["Errors"]
            .as_array()
            .expect("Errors")
            .iter()
            .map(|error| error["PropertyName"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(found, properties, "{body:.80}");
    }
    let stored = client
        .email_accounts()
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("searched");
    assert_eq!(stored.total_items, 0, "nothing half-written");
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn filters_and_paging_go_through_more_than_a_thousand_records() {
    let (server, client) = start(config()).await;
    let accounts = client.email_accounts();
    for port in 1..=1_050 {
        accounts
            .create(&named(&format!("Mailbox {port:04}"), port))
            .await
            .expect("created");
    }
    let all: Vec<_> = accounts
        .search_all(
            &EmailAccountFilter::new(),
            PageRequest::new().size(crate::nonzero(100)).order_by(
                EmailAccountSort::IncomingServerPort,
                SortDirection::Descending,
            ),
        )
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(all.len(), 1_050);
    let ports: Vec<i32> = all
        .iter()
        .map(|record| record.incoming_server_port.unwrap_or_default())
        .collect();
    assert_eq!(
        ports,
        (1..=1_050).rev().collect::<Vec<_>>(),
        "ordered, none twice"
    );

    let ranged = accounts
        .search(
            &EmailAccountFilter::new()
                .from_incoming_server_port(1_000)
                .to_incoming_server_port(1_009)
                .business_id(1_001),
            &PageRequest::new()
                .size(crate::nonzero(3))
                .page(crate::nonzero(2)),
        )
        .await
        .expect("a page");
    assert_eq!(ranged.total_items, 10);
    assert_eq!(ranged.total_pages, 4);
    assert!(ranged.has_next_page && ranged.has_previous_page);
    assert_eq!(
        ranged
            .records
            .iter()
            .map(|record| record.incoming_server_port.unwrap_or_default())
            .collect::<Vec<_>>(),
        [1_003, 1_004, 1_005]
    );
    let none = accounts
        .search(
            &EmailAccountFilter::new().business_id(2),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    assert_eq!(none.total_items, 0);
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn concurrent_writers_lose_nothing_and_leave_every_record_whole() {
    let (server, client) = start(config()).await;
    let shared = client
        .email_accounts()
        .create(&named("Shared", 1))
        .await
        .expect("created")
        .id;
    let mut tasks = Vec::new();
    for writer in 0..16 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let accounts = client.email_accounts();
            let mut created = Vec::new();
            for round in 0..5 {
                let name = format!("Writer {writer} round {round}");
                created.push((accounts.create(&named(&name, 2)).await?.id, name));
                accounts
                    .update_with(shared, |update| {
                        update
                            .display_name(format!("Shared by {writer}"))
                            .incoming_server_port(1_000 + writer)
                    })
                    .await?;
            }
            Ok::<_, nexudus::Error>(created)
        }));
    }
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(
            task.await
                .expect("the task ran")
                .expect("every write answered"),
        );
    }
    assert_eq!(acknowledged.len(), 80);
    for (id, name) in &acknowledged {
        let record = client.email_accounts().get(*id).await.expect("present");
        assert_eq!(record.display_name.as_deref(), Some(name.as_str()));
    }
    // The shared record is whole: its name and port come from the same writer.
    let record = client.email_accounts().get(shared).await.expect("present");
    let writer: i32 = record
        .display_name
        .as_deref()
        .and_then(|name| name.strip_prefix("Shared by "))
        .and_then(|writer| writer.parse().ok())
        .expect("a writer's name");
    assert_eq!(record.incoming_server_port, Some(1_000 + writer));
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn records_survive_a_restart_on_the_same_database() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let config = Config {
        database: Database::File(folder.path().join("nexudus.db")),
        ..config()
    };
    let (server, client) = start(config.clone()).await;
    let mut ids = Vec::new();
    for port in 1..=3 {
        ids.push(
            client
                .email_accounts()
                .create(&named(&format!("Kept {port}"), port))
                .await
                .expect("created")
                .id,
        );
    }
    client
        .email_accounts()
        .delete(ids[1])
        .await
        .expect("deleted");
    server.stop().await.expect("stops");

    let (server, client) = start(config).await;
    let kept = client
        .email_accounts()
        .get_many(&ids)
        .await
        .expect("read back");
    assert_eq!(
        kept.iter()
            .map(|record| (record.id, record.display_name.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [(ids[0], "Kept 1".to_owned()), (ids[2], "Kept 3".to_owned())]
    );
    let next = client
        .email_accounts()
        .create(&named("New", 4))
        .await
        .expect("created");
    assert!(next.id > ids[2], "ids are never reused");
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_missing_role_or_a_bad_password_is_refused() {
    let (server, admin) = start(config()).await;
    let id = admin
        .email_accounts()
        .create(&named("Desk", 1))
        .await
        .expect("created")
        .id;

    let reader = client_as(&server, "reader@example.com", "a reader's password");
    let read = reader
        .email_accounts()
        .get(id)
        .await
        .expect("a reader may read");
    assert_eq!(read.id, id);
    let refused = reader
        .email_accounts()
        .create(&named("Mine", 2))
        .await
        .expect_err("no role");
    assert!(
        matches!(&refused, nexudus::Error::Unauthorized { body, .. } if body.contains("EmailAccount-Create")),
        "{refused:?}"
    );
    let deleted = reader
        .email_accounts()
        .delete(id)
        .await
        .expect_err("no role");
    assert!(
        matches!(deleted, nexudus::Error::Unauthorized { .. }),
        "{deleted:?}"
    );

    let stranger = client_as(&server, ADMIN, "a guess");
    let failed = stranger
        .email_accounts()
        .get(id)
        .await
        .expect_err("bad password");
    assert!(
        matches!(&failed, nexudus::Error::Auth { code: Some(code), .. } if code == "invalid_grant"),
        "{failed:?}"
    );
    let anonymous = reqwest::get(format!("{}/api/crm/emailaccounts/{id}", server.url()))
        .await
        .expect("answered");
    assert_eq!(anonymous.status(), 401);
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn tokens_expire_and_refresh_tokens_rotate() {
    let config = Config {
        token_lifetime: std::time::Duration::from_secs(1),
        ..config()
    };
    let server = nexudus_server::start(config)
        .await
        .expect("the server starts");
    let http = reqwest::Client::new();
    let token_url = format!("{}/api/token", server.url());
    let grant = |form: Vec<(&'static str, String)>| http.post(&token_url).form(&form).send();
    let tokens: Value = grant(vec![
        ("grant_type", "password".into()),
        ("username", ADMIN.into()),
        ("password", PASSWORD.into()),
    ])
    .await
    .expect("answered")
    .json()
    .await
    .expect("tokens");
    assert_eq!(tokens["token_type"], "bearer");
    assert_eq!(tokens["expires_in"], 1);
    let access = tokens["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned();
    let refresh = tokens["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    let list = format!("{}/api/crm/emailaccounts", server.url());
    let status = |token: String| http.get(&list).bearer_auth(token).send();
    assert_eq!(
        status(access.clone()).await.expect("answered").status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(
        status(access).await.expect("answered").status(),
        401,
        "expired"
    );

    let refreshed: Value = grant(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", refresh.clone()),
    ])
    .await
    .expect("answered")
    .json()
    .await
    .expect("new tokens");
    let renewed = refreshed["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned();
    assert_eq!(status(renewed).await.expect("answered").status(), 200);
    let reused = grant(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", refresh),
    ])
    .await
    .expect("answered");
    assert_eq!(reused.status(), 400, "a refresh token works once");
    let json_body = http
        .post(&token_url)
        .json(&json!({"grant_type": "password", "username": ADMIN, "password": PASSWORD}))
        .send()
        .await
        .expect("answered");
    assert_eq!(json_body.status(), 400);
    let error: Value = json_body.json().await.expect("an OAuth error");
    assert_eq!(error["error"], "unsupported_grant_type");
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_user_over_the_rate_limit_gets_409_with_retry_after() {
    let config = Config {
        rate_limits: Some(Limits {
            all: vec![nexudus_server::every(std::time::Duration::from_secs(60), 3)],
            writes: vec![nexudus_server::every(std::time::Duration::from_secs(60), 1)],
        }),
        ..config()
    };
    let (server, client) = start(config).await;
    let accounts = client.email_accounts();
    accounts
        .create(&named("First", 1))
        .await
        .expect("the one write a minute");
    let throttled = accounts
        .create(&named("Second", 2))
        .await
        .expect_err("over the write quota");
    match throttled {
        nexudus::Error::Throttled { retry_after, .. } => {
            let wait = retry_after.expect("Retry-After");
            assert!(wait > std::time::Duration::from_secs(50), "{wait:?}");
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    let page = accounts
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("reads still have room");
    assert_eq!(page.total_items, 1, "the refused write stored nothing");
    let other_user = client_as(&server, "reader@example.com", "a reader's password");
    other_user
        .email_accounts()
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("limits are per user");
    server.stop().await.expect("stops");
}
