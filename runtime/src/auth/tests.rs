//! Tests of authentication over loopback HTTP: the password grant, renewal, refusals, secrets.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;
use crate::fixtures::EMAIL_ACCOUNTS;
use crate::{Client, ClientBuilder, Operation, RateLimit, WriteOutcome};

const USERNAME: &str = "desk@example.com";
const PASSWORD: &str = "pa55-w0rd-never-shown";
const TOTP: &str = "731902";
const CLIENT_ID: &str = "reporting-service";
const WEEK: u64 = 604_799;

const CREATE: Endpoint = EMAIL_ACCOUNTS.create;

fn created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "Value": {"Id": 87654321},
        "WasSuccessful": true
    }))
}

/// A token endpoint that issues `access-N`/`refresh-N` and, like Nexudus, accepts only the
/// latest refresh token.
struct TokenEndpoint {
    issued: AtomicUsize,
    /// `expires_in` of the Nth token; the last one repeats.
    lifetimes: Vec<u64>,
    latest_refresh: Mutex<Option<String>>,
    refuse_refresh: bool,
    /// How many password grants succeed; later ones are refused.
    passwords_accepted: usize,
    passwords_seen: AtomicUsize,
    /// How many of the next password and refresh grants are throttled (409 with
    /// `Retry-After: retry_after`), before anything else is checked.
    throttle_passwords: AtomicUsize,
    throttle_refreshes: AtomicUsize,
    retry_after: u64,
}

impl TokenEndpoint {
    fn new(lifetimes: &[u64]) -> Self {
        Self {
            issued: AtomicUsize::new(0),
            lifetimes: lifetimes.to_vec(),
            latest_refresh: Mutex::new(None),
            refuse_refresh: false,
            passwords_accepted: usize::MAX,
            passwords_seen: AtomicUsize::new(0),
            throttle_passwords: AtomicUsize::new(0),
            throttle_refreshes: AtomicUsize::new(0),
            retry_after: 1,
        }
    }

    /// Throttles the next `passwords` password grants and `refreshes` refresh grants.
    fn throttling(mut self, passwords: usize, refreshes: usize, retry_after: u64) -> Self {
        self.throttle_passwords = AtomicUsize::new(passwords);
        self.throttle_refreshes = AtomicUsize::new(refreshes);
        self.retry_after = retry_after;
        self
    }
}

fn invalid_grant(description: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .set_body_json(json!({"error": "invalid_grant", "error_description": description}))
}

impl wiremock::Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: BTreeMap<String, String> = form_of(request).into_iter().collect();
        let throttle = match form.get("grant_type").map(String::as_str) {
            Some("password") => Some(&self.throttle_passwords),
            Some("refresh_token") => Some(&self.throttle_refreshes),
            _ => None,
        };
        if throttle.is_some_and(|left| {
            left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        }) {
            return ResponseTemplate::new(409)
                .insert_header("Retry-After", self.retry_after.to_string().as_str());
        }
        let mut latest = self.latest_refresh.lock().expect("not poisoned");
        match form.get("grant_type").map(String::as_str) {
            Some("password")
                if self.passwords_seen.fetch_add(1, Ordering::SeqCst)
                    >= self.passwords_accepted =>
            {
                return invalid_grant("The user name or password is incorrect.");
            }
            Some("refresh_token")
                if self.refuse_refresh || form.get("refresh_token") != latest.as_ref() =>
            {
                return invalid_grant("The refresh token is invalid.");
            }
            Some("password" | "refresh_token") => {}
            _ => {
                return ResponseTemplate::new(400)
                    .set_body_json(json!({"error": "unsupported_grant_type"}));
            }
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let lifetime = self.lifetimes[(n - 1).min(self.lifetimes.len() - 1)];
        *latest = Some(format!("refresh-{n}"));
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("access-{n}"),
            "token_type": "bearer",
            "expires_in": lifetime,
            "refresh_token": format!("refresh-{n}"),
        }))
    }
}

/// A server with the token endpoint and a create endpoint that answers `write`.
async fn server_with(tokens: TokenEndpoint, write: impl wiremock::Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/crm/emailaccounts"))
        .respond_with(write)
        .mount(&server)
        .await;
    server
}

/// Answers 401 to the listed access tokens and success to any other.
fn refusing(tokens: &'static [&'static str]) -> impl wiremock::Respond {
    move |request: &Request| {
        let refused = tokens
            .iter()
            .any(|token| bearer(request).as_deref() == Some(*token));
        if refused {
            ResponseTemplate::new(401).set_body_string("Authorization has been denied")
        } else {
            created()
        }
    }
}

fn password_builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .password(USERNAME, PASSWORD)
}

/// A client without client-side rate limits, which these tests are not about.
fn build(builder: ClientBuilder) -> Client {
    builder
        .rate_limit(RateLimit::none())
        .build()
        .expect("valid test client")
}

async fn write(client: &Client) -> Result<WriteOutcome, Error> {
    client.write(&CREATE, b"{}".to_vec()).await
}

fn form_of(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

fn bearer(request: &Request) -> Option<String> {
    let value = request.headers.get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_owned)
}

async fn requests_to(server: &MockServer, wanted: &str) -> Vec<Request> {
    let requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    requests
        .into_iter()
        .filter(|request| request.url.path() == wanted)
        .collect()
}

/// The form of every token request, in order.
async fn token_forms(server: &MockServer) -> Vec<BTreeMap<String, String>> {
    requests_to(server, "/api/token")
        .await
        .iter()
        .map(|request| form_of(request).into_iter().collect())
        .collect()
}

async fn grant_types(server: &MockServer) -> Vec<String> {
    token_forms(server)
        .await
        .into_iter()
        .map(|form| form.get("grant_type").cloned().unwrap_or_default())
        .collect()
}

/// The access token each write carried, in order.
async fn write_tokens(server: &MockServer) -> Vec<String> {
    requests_to(server, "/api/crm/emailaccounts")
        .await
        .iter()
        .map(|request| bearer(request).unwrap_or_default())
        .collect()
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[tokio::test]
async fn the_password_grant_posts_the_documented_form_and_writes_carry_the_token() {
    let server = server_with(TokenEndpoint::new(&[WEEK]), refusing(&[])).await;
    let client = build(password_builder(&server).totp(TOTP).client_id(CLIENT_ID));

    write(&client).await.expect("first write");
    write(&client).await.expect("second write");

    let token_requests = requests_to(&server, "/api/token").await;
    assert_eq!(token_requests.len(), 1, "the token is reused");
    let request = &token_requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    assert!(request.headers.get("authorization").is_none());
    assert_eq!(
        form_of(request),
        pairs(&[
            ("grant_type", "password"),
            ("username", USERNAME),
            ("password", PASSWORD),
            ("totp", TOTP),
            ("client_id", CLIENT_ID),
        ])
    );
    assert_eq!(write_tokens(&server).await, ["access-1", "access-1"]);
}

#[tokio::test]
async fn form_values_are_encoded_and_optional_fields_left_out() {
    let server = server_with(TokenEndpoint::new(&[WEEK]), refusing(&[])).await;
    let password = "p&ss=w rd+%é";
    let client = build(
        Client::builder()
            .base_url(server.uri())
            .password("a+b@example.com", password),
    );
    write(&client).await.expect("write");
    let forms = token_forms(&server).await;
    let expected: BTreeMap<String, String> = pairs(&[
        ("grant_type", "password"),
        ("username", "a+b@example.com"),
        ("password", password),
    ])
    .into_iter()
    .collect();
    assert_eq!(forms, [expected]);
}

/// Moves tokio's clock forward at once. The clock is paused only for the jump: a paused
/// runtime that waits for the loopback server skips ahead to the request timeout.
async fn jump(seconds: u64) {
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(seconds)).await;
    tokio::time::resume();
}

/// Writes once, then once more after each jump of the clock.
async fn write_after_jumps(client: &Client, jumps: &[u64]) {
    write(client).await.expect("first write");
    for seconds in jumps {
        jump(*seconds).await;
        write(client).await.expect("later write");
    }
}

#[tokio::test]
async fn the_token_is_renewed_before_expiry_with_the_rotated_refresh_token() {
    let server = server_with(TokenEndpoint::new(&[3_600]), refusing(&[])).await;
    let client = build(password_builder(&server));
    // With the default margin of 60 s, renewed from 3540 s after it was issued.
    write_after_jumps(&client, &[3_530, 20, 3_600]).await;

    assert_eq!(
        write_tokens(&server).await,
        ["access-1", "access-1", "access-2", "access-3"]
    );
    let forms = token_forms(&server).await;
    let refresh = |token: &str| -> BTreeMap<String, String> {
        pairs(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            // No client id was configured, so the username stands in for it.
            ("client_id", USERNAME),
        ])
        .into_iter()
        .collect()
    };
    assert_eq!(forms.len(), 3, "{forms:?}");
    assert_eq!(
        forms[0].get("grant_type").map(String::as_str),
        Some("password")
    );
    assert_eq!(forms[1], refresh("refresh-1"));
    assert_eq!(forms[2], refresh("refresh-2"));
}

#[tokio::test]
async fn the_renewal_margin_is_configurable_and_at_most_half_the_lifetime() {
    let server = server_with(TokenEndpoint::new(&[3_600]), refusing(&[])).await;
    let client = build(password_builder(&server).renewal_margin(Duration::from_secs(600)));
    write_after_jumps(&client, &[2_990, 20]).await;
    assert_eq!(
        write_tokens(&server).await,
        ["access-1", "access-1", "access-2"]
    );

    // A 100 s token with the default 60 s margin is renewed after 50 s, not on every call.
    let server = server_with(TokenEndpoint::new(&[100]), refusing(&[])).await;
    let client = build(password_builder(&server));
    write_after_jumps(&client, &[40, 20]).await;
    assert_eq!(
        write_tokens(&server).await,
        ["access-1", "access-1", "access-2"]
    );
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_the_request_again() {
    let server = server_with(TokenEndpoint::new(&[WEEK]), refusing(&["access-1"])).await;
    let client = build(password_builder(&server));
    let outcome = write(&client).await.expect("accepted after renewal");
    assert_eq!(outcome.id, 87654321);
    assert_eq!(write_tokens(&server).await, ["access-1", "access-2"]);
    assert_eq!(grant_types(&server).await, ["password", "refresh_token"]);
    let body = requests_to(&server, "/api/crm/emailaccounts").await;
    assert_eq!(body[1].body, b"{}", "the retry sends the same body");
}

#[tokio::test]
async fn a_second_401_is_unauthorized() {
    let server = server_with(
        TokenEndpoint::new(&[WEEK]),
        refusing(&["access-1", "access-2", "access-3"]),
    )
    .await;
    let client = build(password_builder(&server));
    let error = write(&client).await.expect_err("refused twice");
    assert!(
        matches!(
            &error,
            Error::Unauthorized {
                entity: "EmailAccount",
                operation: Operation::Create,
                body,
            } if body == "Authorization has been denied"
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "EmailAccount create: unauthorized (HTTP 401): Authorization has been denied"
    );
    assert_eq!(error.status(), Some(401));
    assert_eq!(write_tokens(&server).await, ["access-1", "access-2"]);
    assert_eq!(grant_types(&server).await, ["password", "refresh_token"]);
}

#[tokio::test]
async fn a_fixed_token_or_basic_credentials_refused_with_401_are_not_retried() {
    let always_401 = |_: &Request| ResponseTemplate::new(401);
    for builder in [
        Client::builder().bearer_token("fixed-token-secret"),
        Client::builder().basic(USERNAME, PASSWORD),
    ] {
        let server = server_with(TokenEndpoint::new(&[WEEK]), always_401).await;
        let client = build(builder.base_url(server.uri()));
        let error = write(&client).await.expect_err("401");
        assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "EmailAccount create: unauthorized (HTTP 401) with an empty body"
        );
        assert_eq!(
            requests_to(&server, "/api/crm/emailaccounts").await.len(),
            1
        );
        assert!(token_forms(&server).await.is_empty());
    }
}

async fn write_concurrently(client: &Client, tasks: usize) {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let client = client.clone();
        set.spawn(async move { write(&client).await });
    }
    let mut succeeded = 0;
    while let Some(joined) = set.join_next().await {
        joined.expect("task ran").expect("write succeeded");
        succeeded += 1;
    }
    assert_eq!(succeeded, tasks);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_on_an_expired_token_renew_it_once() {
    // The first token is due for renewal as soon as it is issued.
    let server = server_with(TokenEndpoint::new(&[0, WEEK]), refusing(&[])).await;
    let client = build(password_builder(&server));
    write(&client).await.expect("first write");

    write_concurrently(&client, 20).await;

    assert_eq!(grant_types(&server).await, ["password", "refresh_token"]);
    let tokens = write_tokens(&server).await;
    assert_eq!(tokens.len(), 21);
    assert_eq!(tokens[0], "access-1");
    assert!(
        tokens[1..].iter().all(|token| token == "access-2"),
        "{tokens:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_writes_sign_in_once_and_share_one_renewal_after_401s() {
    let server = server_with(TokenEndpoint::new(&[WEEK]), refusing(&["access-1"])).await;
    let client = build(password_builder(&server));

    write_concurrently(&client, 20).await;

    assert_eq!(grant_types(&server).await, ["password", "refresh_token"]);
    let tokens = write_tokens(&server).await;
    let renewed = tokens.iter().filter(|token| *token == "access-2").count();
    assert_eq!(renewed, 20, "{tokens:?}");
    assert!(
        tokens
            .iter()
            .all(|token| token == "access-1" || token == "access-2")
    );
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_without_secrets() {
    let mut tokens = TokenEndpoint::new(&[WEEK]);
    tokens.passwords_accepted = 0;
    let server = server_with(tokens, refusing(&[])).await;
    let client = build(password_builder(&server).totp(TOTP));
    let error = write(&client).await.expect_err("refused");
    assert!(
        matches!(
            &error,
            Error::Auth {
                entity: "EmailAccount",
                operation: Operation::Create,
                code: Some(code),
                status: Some(400),
                source: None,
                ..
            } if code == "invalid_grant"
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "EmailAccount create: could not authenticate (invalid_grant): \
         The user name or password is incorrect."
    );
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(PASSWORD) && !shown.contains(TOTP),
        "{shown}"
    );
    assert!(
        requests_to(&server, "/api/crm/emailaccounts")
            .await
            .is_empty()
    );

    let server = MockServer::start().await;
    Mock::given(path("/api/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "two_factor_auth_check",
            "error_description": "A two-factor authentication code is required."
        })))
        .mount(&server)
        .await;
    let client = build(password_builder(&server));
    let error = write(&client).await.expect_err("needs a code");
    assert!(
        matches!(&error, Error::Auth { code: Some(code), .. } if code == "two_factor_auth_check"),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(400));
}

#[tokio::test]
async fn token_endpoint_failures_never_echo_secrets() {
    let server = MockServer::start().await;
    // A misbehaving proxy that echoes the form it received.
    Mock::given(path("/api/token"))
        .respond_with(|request: &Request| {
            let echo = String::from_utf8_lossy(&request.body).into_owned();
            ResponseTemplate::new(502).set_body_string(format!("Bad gateway for {echo}"))
        })
        .mount(&server)
        .await;
    let password = "p&ss w0rd-secret";
    let client = build(
        Client::builder()
            .base_url(server.uri())
            .password(USERNAME, password)
            .totp(TOTP),
    );
    let error = write(&client).await.expect_err("502");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("the token endpoint answered HTTP 502"),
        "{shown}"
    );
    assert!(shown.contains("grant_type=password"), "{shown}");
    assert!(
        !shown.contains("w0rd-secret") && !shown.contains(TOTP),
        "{shown}"
    );
    assert_eq!(error.status(), Some(502));

    let server = MockServer::start().await;
    Mock::given(path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": null,
            "refresh_token": "refresh-without-access-secret"
        })))
        .mount(&server)
        .await;
    let client = build(password_builder(&server));
    let error = write(&client).await.expect_err("no access token");
    assert_eq!(
        error.to_string(),
        "EmailAccount create: could not authenticate: \
         the token endpoint's answer has no access token"
    );
    assert!(!format!("{error:?}").contains("refresh-without-access-secret"));
    assert!(
        requests_to(&server, "/api/crm/emailaccounts")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_an_auth_error_with_the_cause() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = build(
        Client::builder()
            .base_url(format!("http://{address}"))
            .password(USERNAME, PASSWORD),
    );
    let error = write(&client).await.expect_err("nothing listens");
    let Error::Auth { source, status, .. } = &error else {
        panic!("expected Auth, got {error:?}");
    };
    assert!(source.as_ref().is_some_and(reqwest::Error::is_connect));
    assert_eq!(*status, None);
    assert_eq!(
        error.to_string(),
        "EmailAccount create: could not authenticate: \
         token request: could not connect to the server"
    );
}

#[tokio::test]
async fn a_token_answer_over_the_size_limit_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(" ".repeat(4_096)))
        .mount(&server)
        .await;
    let client = build(password_builder(&server).max_response_size(1_024));
    let error = write(&client).await.expect_err("too large");
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(200),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "EmailAccount create: could not authenticate: \
         the token endpoint's answer is larger than the limit of 1024 bytes"
    );
    assert!(
        requests_to(&server, "/api/crm/emailaccounts")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_refused_refresh_token_falls_back_to_the_password_grant_once() {
    let mut tokens = TokenEndpoint::new(&[3_600]);
    tokens.refuse_refresh = true;
    let server = server_with(tokens, refusing(&[])).await;
    let client = build(password_builder(&server));
    write_after_jumps(&client, &[3_590]).await;
    assert_eq!(
        grant_types(&server).await,
        ["password", "refresh_token", "password"]
    );
    assert_eq!(write_tokens(&server).await, ["access-1", "access-2"]);
}

#[tokio::test]
async fn a_failed_renewal_keeps_the_token_until_it_expires() {
    let mut tokens = TokenEndpoint::new(&[3_600]);
    tokens.refuse_refresh = true;
    tokens.passwords_accepted = 1;
    let server = server_with(tokens, refusing(&[])).await;
    let client = build(password_builder(&server));

    // Inside the margin: renewal fails (refresh, then password, once each), the old token
    // is still good.
    write_after_jumps(&client, &[3_550]).await;
    assert_eq!(
        grant_types(&server).await,
        ["password", "refresh_token", "password"]
    );
    assert_eq!(write_tokens(&server).await, ["access-1", "access-1"]);

    // Past expiry the failure is the answer; only the password grant is left to try.
    jump(60).await;
    let error = write(&client).await.expect_err("expired and not renewable");
    assert!(
        matches!(&error, Error::Auth { code: Some(code), .. } if code == "invalid_grant"),
        "{error:?}"
    );
    assert_eq!(
        grant_types(&server).await,
        ["password", "refresh_token", "password", "password"]
    );
    assert_eq!(write_tokens(&server).await.len(), 2);
}

#[tokio::test]
async fn basic_sends_the_rfc_7617_header_and_never_asks_for_a_token() {
    let server = server_with(TokenEndpoint::new(&[WEEK]), refusing(&[])).await;
    let client = build(
        Client::builder()
            .base_url(server.uri())
            .basic("Aladdin", "open sesame"),
    );
    write(&client).await.expect("first");
    write(&client).await.expect("second");
    let writes = requests_to(&server, "/api/crm/emailaccounts").await;
    assert_eq!(writes.len(), 2);
    for request in &writes {
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|value| value.to_str().ok()),
            // The example of RFC 7617, section 2.
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
    }
    assert!(token_forms(&server).await.is_empty());
}

#[tokio::test]
async fn debug_output_never_shows_credentials() {
    let server = server_with(TokenEndpoint::new(&[WEEK]), refusing(&[])).await;
    let password_client = build(password_builder(&server).totp(TOTP).client_id(CLIENT_ID));
    write(&password_client).await.expect("tokens obtained");
    let basic_client = build(
        Client::builder()
            .base_url(server.uri())
            .basic(USERNAME, PASSWORD),
    );
    let basic_encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"));

    let shown = [
        format!("{password_client:?}"),
        format!("{password_client:#?}"),
        format!("{basic_client:?}"),
        format!("{:?}", password_builder(&server).totp(TOTP)),
        format!("{:?}", Client::builder().basic(USERNAME, PASSWORD)),
    ];
    for text in &shown {
        for secret in [
            PASSWORD,
            TOTP,
            "access-1",
            "refresh-1",
            basic_encoded.as_str(),
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("[redacted]"), "{text}");
        assert!(
            text.contains(USERNAME),
            "the username helps and is no secret: {text}"
        );
    }
    assert!(shown[0].contains(CLIENT_ID), "{}", shown[0]);
}

#[test]
fn odd_token_answers() {
    let margin = DEFAULT_RENEWAL_MARGIN;
    let now = Instant::now();
    let issued = token_result(
        200,
        br#"{"access_token": "a", "token_type": "Bearer", "expires_in": "3600"}"#,
        now,
        margin,
    )
    .map_err(|failure| failure.message)
    .expect("a numeric string lifetime and any case of bearer are accepted");
    assert_eq!(issued.access.header, "Bearer a");
    assert!(issued.access.header.is_sensitive());
    assert!(issued.refresh_token.is_none());
    // Counted from the request: expires after 3600 s, renewed from 60 s before.
    assert_eq!(
        issued.access.expires_at,
        Some(now + Duration::from_secs(3_600))
    );
    assert_eq!(
        issued.access.renew_at,
        Some(now + Duration::from_secs(3_540))
    );

    let no_expiry = token_result(200, br#"{"access_token": "a"}"#, now, margin)
        .map_err(|failure| failure.message)
        .expect("no lifetime");
    assert!(no_expiry.access.renew_at.is_none() && no_expiry.access.expires_at.is_none());

    for (status, body, expected) in [
        (
            200,
            &br#"{"access_token": "a", "token_type": "mac"}"#[..],
            "type `mac`",
        ),
        (
            200,
            br#"{"access_token": "a\nb"}"#,
            "cannot be sent in an HTTP header",
        ),
        (200, br#"{"access_token": "  "}"#, "has no access token"),
        (200, b"<html>", "did not answer with a token"),
        (
            400,
            br#"{"error": "unsupported_grant_type"}"#,
            "answered HTTP 400",
        ),
        (503, b"", "answered HTTP 503"),
    ] {
        let Err(failure) = token_result(status, body, now, margin) else {
            panic!("{expected}: expected a failure");
        };
        assert!(
            failure.message.contains(expected),
            "{expected}: {}",
            failure.message
        );
        assert_eq!(failure.status, Some(status));
    }
}

#[tokio::test]
async fn a_task_that_found_the_token_due_does_not_renew_it_again() {
    let server = server_with(TokenEndpoint::new(&[3_600]), refusing(&[])).await;
    let token_url = Url::parse(&format!("{}/api/token", server.uri())).expect("URL");
    let settings = PasswordSettings {
        username: USERNAME.to_owned(),
        password: Secret::new(PASSWORD),
        totp: None,
        client_id: None,
        renewal_margin: DEFAULT_RENEWAL_MARGIN,
        policy: RetryPolicy::default(),
        max_response_size: crate::response::DEFAULT_MAX_RESPONSE_SIZE,
    };
    let grant = PasswordGrant::new(token_url, settings, RateLimiter::new(RateLimit::none()))
        .expect("grant");
    // Built as the client builds its own: reqwest has no crypto provider of its own here.
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(crate::tls::client_config(&[]).expect("TLS"))
        .build()
        .expect("an HTTP client");
    let header = |credential: Credential| credential.header().clone();

    assert_eq!(
        header(grant.credential(&http).await.expect("sign in")),
        "Bearer access-1"
    );
    jump(3_590).await;
    assert_eq!(
        header(grant.credential(&http).await.expect("renew")),
        "Bearer access-2"
    );
    // As a task does that saw access-1 due just before the renewal and then got the lock.
    assert_eq!(
        header(grant.renew_due(&http).await.expect("no renewal")),
        "Bearer access-2"
    );
    assert_eq!(grant_types(&server).await, ["password", "refresh_token"]);
}

#[tokio::test]
async fn a_throttled_renewal_keeps_the_valid_token_and_is_not_sent_again_before_its_time() {
    let tokens = TokenEndpoint::new(&[3_600]).throttling(0, 1, 30);
    let server = server_with(tokens, refusing(&[])).await;
    let client = build(password_builder(&server));
    write(&client).await.expect("signed in");

    // Due for renewal; the renewal is throttled for 30 s, and the token is good for 50 s.
    jump(3_550).await;
    let started = std::time::Instant::now();
    write(&client).await.expect("the current token still works");
    write(&client).await.expect("and again");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "calls with a valid token do not wait out the token endpoint's 30 s"
    );
    assert_eq!(
        grant_types(&server).await,
        ["password", "refresh_token"],
        "no token request before the 30 s are over"
    );

    jump(31).await;
    write(&client).await.expect("renewed");
    assert_eq!(
        grant_types(&server).await,
        ["password", "refresh_token", "refresh_token"]
    );
    let forms = token_forms(&server).await;
    assert_eq!(
        forms[2].get("refresh_token").map(String::as_str),
        Some("refresh-1"),
        "a throttled request was not processed: its refresh token is still good"
    );
    assert_eq!(
        write_tokens(&server).await,
        ["access-1", "access-1", "access-1", "access-2"]
    );
}

#[tokio::test]
async fn a_call_without_a_valid_token_waits_out_a_throttled_token_request() {
    // The first sign-in is throttled.
    let server = server_with(
        TokenEndpoint::new(&[3_600]).throttling(1, 0, 1),
        refusing(&[]),
    )
    .await;
    let client = build(password_builder(&server));
    let started = std::time::Instant::now();
    write(&client).await.expect("signed in after the wait");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was kept"
    );
    assert_eq!(grant_types(&server).await, ["password", "password"]);
    assert_eq!(write_tokens(&server).await, ["access-1"]);

    // A renewal of an expired token is throttled.
    let server = server_with(
        TokenEndpoint::new(&[3_600]).throttling(0, 1, 1),
        refusing(&[]),
    )
    .await;
    let client = build(password_builder(&server));
    write(&client).await.expect("signed in");
    jump(3_600).await;
    let started = std::time::Instant::now();
    write(&client).await.expect("renewed after the wait");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was kept"
    );
    assert_eq!(
        grant_types(&server).await,
        ["password", "refresh_token", "refresh_token"]
    );
    assert_eq!(write_tokens(&server).await, ["access-1", "access-2"]);
}

#[tokio::test]
async fn a_token_request_that_stays_throttled_is_a_throttled_error() {
    // A wait longer than `max_throttle_wait` is not waited for.
    let server = server_with(
        TokenEndpoint::new(&[WEEK]).throttling(1, 0, 120),
        refusing(&[]),
    )
    .await;
    let client = build(password_builder(&server));
    let error = write(&client).await.expect_err("throttled for 2 minutes");
    assert!(
        matches!(
            error,
            Error::Throttled {
                entity: "EmailAccount",
                operation: Operation::Create,
                retry_after: Some(wait),
            } if wait == Duration::from_secs(120)
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "EmailAccount create: throttled by the server (HTTP 409); retry after 120 s"
    );
    assert!(!format!("{error:?}").contains(PASSWORD));
    // The next call does not send before the wait is over either.
    let error = write(&client).await.expect_err("still throttled");
    assert!(matches!(error, Error::Throttled { .. }), "{error:?}");
    assert_eq!(grant_types(&server).await, ["password"]);
    assert!(write_tokens(&server).await.is_empty());

    // Nor more often than `max_throttle_retries`.
    let server = server_with(
        TokenEndpoint::new(&[WEEK]).throttling(5, 0, 1),
        refusing(&[]),
    )
    .await;
    let client = build(password_builder(&server).max_throttle_retries(0));
    let error = write(&client).await.expect_err("not retried");
    assert!(matches!(error, Error::Throttled { .. }), "{error:?}");
    assert_eq!(grant_types(&server).await, ["password"]);
}
