//! `Client`: the operations generated entity code calls (search, get, get many, writes, delete,
//! commands), each going through the attempt loop of `attempt.rs`.

use std::fmt;
use std::sync::Arc;

use futures_core::Stream;
use url::Url;

use super::attempt::{Answer, join};
use super::auth::Auth;
use super::builder::ClientBuilder;
use super::command::{Command, CommandOutcome, CommandParameter, RunCommandBody};
use super::endpoint::{Endpoint, Operation, WriteOutcome};
use super::error::Error;
use super::limit::RateLimiter;
use super::page::Page;
use super::record::{Full, Record};
use super::retry::RetryPolicy;
use super::search::{DirectionEncoding, PageRequest, SortKey};
use super::secret::Secret;
use super::validation::Violations;
use super::wire::Lenient;

/// An authenticated connection to the Nexudus API.
///
/// Cloning is cheap and clones share one connection pool and, with a password grant, one access
/// token: when it is due for renewal, one request renews it while the others wait. So create one
/// `Client` and pass clones around. `Debug` shows the base URL and any username, but never a
/// password or token.
#[derive(Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) shared: Arc<Shared>,
}

/// What clones of a client share: its configuration, credentials and limiter.
pub(super) struct Shared {
    pub(super) base_url: Url,
    pub(super) auth: Auth,
    pub(super) policy: RetryPolicy,
    pub(super) limiter: RateLimiter,
    pub(super) max_response_size: usize,
    pub(super) direction_encoding: DirectionEncoding,
}

impl Client {
    /// A client for `https://spaces.nexudus.com` with a bearer token and default settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the token is empty or cannot be sent in a header, or if the HTTP
    /// client cannot be set up (for example when no TLS root certificates can be loaded).
    pub fn new(token: impl Into<Secret>) -> Result<Self, Error> {
        Self::builder().bearer_token(token).build()
    }

    /// A builder to set the base URL, credentials, timeout and user agent.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that API paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.shared.base_url
    }

    /// Sends a create or update and interprets the write envelope that comes back.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn write(
        &self,
        endpoint: &Endpoint,
        body: Vec<u8>,
    ) -> Result<WriteOutcome, Error> {
        let url = join(&self.shared.base_url, endpoint.path)?;
        let answer = self.execute(endpoint, url, Some(body)).await?;
        endpoint.write_result(answer.status, &answer.body)
    }

    /// [`write`](Self::write) of a body that may have failed to be made (a request refused by
    /// its validation, or one that would not serialize): that failure is answered as it is, and
    /// nothing is sent.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn write_checked(
        &self,
        endpoint: &Endpoint,
        body: Result<Vec<u8>, Error>,
    ) -> Result<WriteOutcome, Error> {
        self.write(endpoint, body?).await
    }

    /// Fetches one record, `GET {path}/{id}`, answered with every property.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn get<T: Record>(
        &self,
        endpoint: &Endpoint,
        id: i64,
    ) -> Result<Full<T>, Error> {
        let answer = self.read_answer(endpoint, Some(id), &[]).await?;
        endpoint.decode(answer.status, &answer.body)
    }

    /// The body of [`read_answer`](Self::read_answer), for tests of the raw exchange.
    #[cfg(test)]
    pub(crate) async fn read(
        &self,
        endpoint: &Endpoint,
        id: Option<i64>,
        query: &[(String, String)],
    ) -> Result<Vec<u8>, Error> {
        Ok(self.read_answer(endpoint, id, query).await?.body)
    }

    /// Sends a `GET` (search, get, get many, commands) and answers a 2xx response, whose status
    /// [`Endpoint::decode`] reports should the body not parse.
    ///
    /// The URL is `{base}{path}`, then `/commands` for [`Operation::Commands`], `/` for
    /// [`Operation::GetMany`] (as documented: `.../?id=[1,2]`), then `/{id}` when `id` is given,
    /// then `query` form-encoded. Search filters and sorting are `query` pairs; their values may
    /// hold anything (`2025-01-02T03:04`, `[1,2]`), they are encoded here.
    async fn read_answer(
        &self,
        endpoint: &Endpoint,
        id: Option<i64>,
        query: &[(String, String)],
    ) -> Result<Answer, Error> {
        let suffix = match endpoint.operation {
            Operation::Commands => Some("commands"),
            Operation::GetMany => Some(""),
            _ => None,
        };
        let id = id.map(|id| id.to_string());
        let mut url = self.url(endpoint, suffix.into_iter().chain(id.as_deref()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let answer = self.execute(endpoint, url, None).await?;
        if (200..300).contains(&answer.status) {
            Ok(answer)
        } else {
            Err(endpoint.status_error(answer.status, &answer.body))
        }
    }

    /// Fetches one page of search results: `GET {path}?{filters}&page=..&size=..`, then
    /// `&orderBy=..&dir=..` when `page` is sorted, with `dir` written in the client's
    /// [`DirectionEncoding`].
    ///
    /// `query` holds the filters' pairs (a [`Query`](super::Query)), sent first and in order.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn search<T: Record, S: SortKey>(
        &self,
        endpoint: &Endpoint,
        mut query: Vec<(String, String)>,
        page: &PageRequest<S>,
    ) -> Result<Page<T>, Error> {
        query.extend(page.query_pairs(self.shared.direction_encoding));
        let answer = self.read_answer(endpoint, None, &query).await?;
        let page: Page<Lenient<T>> = endpoint.decode(answer.status, &answer.body)?;
        Ok(page
            .map(|Lenient(record)| record)
            .read_direction(self.shared.direction_encoding))
    }

    /// Every record of every page of a search, one at a time, from `page`'s page number on,
    /// with its size and order.
    ///
    /// Pages are fetched lazily: nothing is sent until the stream is first polled, and the next
    /// page only once the caller has taken every record of the current one. The stream goes on
    /// while a page says `HasNextPage: true`. An error (a refused page or size too) is yielded
    /// once, and then the stream ends.
    ///
    /// Generated code passes `&ENDPOINTS.search`, a field of a `const`, which is `'static`; the
    /// stream keeps a copy of the endpoint.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) fn search_all<'a, T, S>(
        &'a self,
        endpoint: &'a Endpoint,
        filters: Vec<(String, String)>,
        page: PageRequest<S>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'a
    where
        T: Record + Send + 'a,
        S: SortKey + Send + Sync + 'a,
    {
        let state = SearchAll {
            endpoint: *endpoint,
            filters,
            records: Vec::new().into_iter(),
            next: Some(page),
        };
        futures_util::stream::unfold(Some(state), move |state| async move {
            // `None` once an error has been yielded.
            let mut state = state?;
            loop {
                if let Some(record) = state.records.next() {
                    return Some((Ok(record), Some(state)));
                }
                let request = state.next.take()?;
                let page = match self
                    .search::<T, S>(&state.endpoint, state.filters.clone(), &request)
                    .await
                {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), None)),
                };
                // A page without records ends the search even if it claims a next one: were a
                // server to say so for every page, following it would never end.
                if page.has_next_page && !page.records.is_empty() {
                    state.next = request.next_page();
                }
                state.records = page.records.into_iter();
            }
        })
    }

    /// Reads several records by their `Id`s in one request: `GET {path}/?id=[1,2,3]`, answered
    /// with a JSON array of partial records. Ids with no record are simply missing from it.
    /// No `ids` answer an empty list without sending anything.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn get_many<T: Record>(
        &self,
        endpoint: &Endpoint,
        ids: &[i64],
    ) -> Result<Vec<T>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let query = [("id".to_owned(), format!("[{list}]"))];
        let answer = self.read_answer(endpoint, None, &query).await?;
        let records: Vec<Lenient<T>> = endpoint.decode(answer.status, &answer.body)?;
        Ok(records.into_iter().map(|Lenient(record)| record).collect())
    }

    /// Lists the commands an entity offers: `GET {path}/commands`, a JSON array of
    /// [`Command`]. `endpoint` is the entity's [`Operation::Commands`] endpoint.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn commands(&self, endpoint: &Endpoint) -> Result<Vec<Command>, Error> {
        let answer = self.read_answer(endpoint, None, &[]).await?;
        endpoint.decode(answer.status, &answer.body)
    }

    /// Sends `DELETE {path}/{id}` and interprets the write envelope that comes back. When the
    /// envelope carries no `Value.Id`, the outcome has the `id` that was deleted.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn delete(&self, endpoint: &Endpoint, id: i64) -> Result<WriteOutcome, Error> {
        let url = self.url(endpoint, [id.to_string().as_str()])?;
        let answer = self.execute(endpoint, url, None).await?;
        endpoint.outcome(answer.status, &answer.body, Some(id))
    }

    /// Runs the command `key` on the records `ids`: `POST {path}/runcommand` with the JSON body
    /// `{"Key", "Ids", "Parameters"}` (`Parameters` is `[]` when there are none), and interprets
    /// the write envelope that comes back. Never retried once it may have reached the server.
    ///
    /// A blank `key` is refused with a client-side [`Error::Validation`] and nothing is sent.
    /// `ids` may be empty: some commands need no records. `WasSuccessful: false` or a 400 with
    /// the envelope is a server-side [`Error::Validation`], as for writes.
    #[allow(dead_code, reason = "called by generated entity code")]
    pub(crate) async fn run_command(
        &self,
        endpoint: &Endpoint,
        key: &str,
        ids: &[i64],
        parameters: &[CommandParameter],
    ) -> Result<CommandOutcome, Error> {
        let mut violations = Violations::new(endpoint.secret_properties);
        violations.not_blank("Key", key);
        violations
            .finish()
            .map_err(|errors| endpoint.rejected(errors))?;
        let body = endpoint.encode(&RunCommandBody {
            key,
            ids,
            parameters,
        })?;
        let url = self.url(endpoint, ["runcommand"])?;
        let answer = self.execute(endpoint, url, Some(body)).await?;
        endpoint.command_outcome(answer.status, &answer.body)
    }
}

/// Where [`Client::search_all`] is between polls.
struct SearchAll<T, S> {
    endpoint: Endpoint,
    filters: Vec<(String, String)>,
    /// The records of the current page not yet yielded.
    records: std::vec::IntoIter<T>,
    /// The page to fetch once `records` is used up; `None` after the last page.
    next: Option<PageRequest<S>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url.as_str())
            .field("auth", &self.shared.auth)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    use super::*;
    use crate::runtime::{Operation, RateLimit, ValidationOrigin};

    const TOKEN: &str = "tok-7f3a9c-super-secret";

    const CREATE: Endpoint = Endpoint {
        entity: "EmailAccount",
        operation: Operation::Create,
        path: "/api/crm/emailaccounts",
        secret_properties: &["IncomingServerPassword"],
    };

    const UPDATE: Endpoint = Endpoint {
        operation: Operation::Update,
        ..CREATE
    };

    /// The 200 example response of the "Create EmailAccount" documentation page.
    const CREATED: &str = r#"{
  "Status": 200,
  "Message": "EmailAccount was successfully created.",
  "Value": {
    "Id": 87654321
  },
  "OpenInDialog": false,
  "OpenInWindow": false,
  "RedirectURL": null,
  "JavaScript": null,
  "UpdatedOn": "2025-01-15T10:30:00Z",
  "UpdatedBy": "admin@example.com",
  "Errors": null,
  "WasSuccessful": true
}"#;

    /// The request body of the documented cURL example for create.
    fn create_body() -> serde_json::Value {
        json!({
            "BusinessId": 0,
            "DisplayName": "",
            "EmailAddress": "",
            "IncomingServer": "",
            "IncomingServerPort": 0,
            "IncomingServerUsername": "",
            "OutgoingServer": "",
            "OutgoingServerPort": 0,
            "OutgoingServerUsername": "",
            "LastMessageId": 0,
            "ErrorCount": 0
        })
    }

    async fn server_answering(response: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        server
    }

    /// A client without client-side rate limits, which these tests are not about.
    fn client_for(base_url: &str) -> Client {
        Client::builder()
            .base_url(base_url)
            .bearer_token(TOKEN)
            .rate_limit(RateLimit::none())
            .build()
            .expect("valid test client")
    }

    async fn only_request(server: &MockServer) -> Request {
        let mut requests = server
            .received_requests()
            .await
            .expect("request recording is on");
        assert_eq!(requests.len(), 1, "exactly one request is sent");
        requests.remove(0)
    }

    fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
        request.headers.get(name).and_then(|v| v.to_str().ok())
    }

    async fn write_with(
        endpoint: &Endpoint,
        response: ResponseTemplate,
    ) -> (Result<WriteOutcome, Error>, MockServer) {
        let server = server_answering(response).await;
        let body = serde_json::to_vec(&create_body()).expect("body");
        let result = client_for(&server.uri()).write(endpoint, body).await;
        (result, server)
    }

    #[tokio::test]
    async fn create_sends_an_authenticated_json_post_and_returns_the_outcome() {
        let (result, server) = write_with(
            &CREATE,
            ResponseTemplate::new(200).set_body_raw(CREATED, "application/json"),
        )
        .await;

        let outcome = result.expect("documented success");
        assert_eq!(outcome.id, 87654321);
        assert_eq!(
            outcome.message.as_deref(),
            Some("EmailAccount was successfully created.")
        );
        assert_eq!(outcome.updated_by.as_deref(), Some("admin@example.com"));
        assert_eq!(
            outcome.updated_on.map(|t| t.to_rfc3339()),
            Some("2025-01-15T10:30:00+00:00".to_owned())
        );

        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), "/api/crm/emailaccounts");
        assert_eq!(request.url.query(), None);
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(header(&request, "authorization"), Some(bearer.as_str()));
        assert_eq!(header(&request, "content-type"), Some("application/json"));
        assert_eq!(header(&request, "accept"), Some("application/json"));
        assert_eq!(
            header(&request, "user-agent"),
            Some(concat!("nexudus-rs/", env!("CARGO_PKG_VERSION")))
        );
        let sent: serde_json::Value = request.body_json().expect("JSON body");
        assert_eq!(sent, create_body());
    }

    #[tokio::test]
    async fn update_sends_a_put_below_a_path_prefix() {
        for suffix in ["/prefix", "/prefix/"] {
            let server = server_answering(
                ResponseTemplate::new(200).set_body_raw(CREATED, "application/json"),
            )
            .await;
            let client = client_for(&format!("{}{suffix}", server.uri()));
            client
                .write(&UPDATE, br#"{"Id":87654321}"#.to_vec())
                .await
                .expect("success");
            let request = only_request(&server).await;
            assert_eq!(request.method.as_str(), "PUT");
            assert_eq!(
                request.url.path(),
                "/prefix/api/crm/emailaccounts",
                "{suffix}"
            );
            assert_eq!(request.body, br#"{"Id":87654321}"#);
        }
    }

    #[tokio::test]
    async fn base_url_with_trailing_slash_adds_no_double_slash() {
        let server =
            server_answering(ResponseTemplate::new(200).set_body_raw(CREATED, "application/json"))
                .await;
        let client = client_for(&format!("{}/", server.uri()));
        client
            .write(&CREATE, b"{}".to_vec())
            .await
            .expect("success");
        assert_eq!(
            only_request(&server).await.url.path(),
            "/api/crm/emailaccounts"
        );
    }

    #[tokio::test]
    async fn a_400_with_two_errors_is_server_validation_with_both() {
        let body = json!({
            "Message": "DisplayName: is a required field\r\nIncomingServerPassword: is too short",
            "Value": null,
            "Errors": [
                {"AttemptedValue": null, "Message": "is a required field", "PropertyName": "DisplayName"},
                {"AttemptedValue": "hunter2", "Message": "is too short", "PropertyName": "IncomingServerPassword"}
            ],
            "WasSuccessful": false
        });
        let (result, _server) =
            write_with(&CREATE, ResponseTemplate::new(400).set_body_json(body)).await;
        let error = result.expect_err("400");
        let Error::Validation {
            entity,
            operation,
            origin,
            message,
            errors,
        } = &error
        else {
            panic!("expected Validation, got {error:?}");
        };
        assert_eq!(*entity, "EmailAccount");
        assert_eq!(*operation, Operation::Create);
        assert_eq!(*origin, ValidationOrigin::Server);
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.starts_with("DisplayName"))
        );
        let names: Vec<&str> = errors.iter().map(|e| e.property_name.as_str()).collect();
        assert_eq!(names, ["DisplayName", "IncomingServerPassword"]);
        assert_eq!(errors.as_slice()[1].attempted_value, json!(null));
        assert_eq!(
            error.to_string(),
            "EmailAccount create: rejected by server validation (2 errors): \
             DisplayName: is a required field; IncomingServerPassword: is too short"
        );
        assert!(!format!("{error:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn a_200_that_was_not_successful_is_server_validation() {
        let (result, _server) = write_with(
            &UPDATE,
            ResponseTemplate::new(200).set_body_json(json!({
                "Status": 200,
                "Message": "You have reached the maximum number of mailboxes.",
                "Value": null,
                "Errors": null,
                "WasSuccessful": false
            })),
        )
        .await;
        let error = result.expect_err("WasSuccessful false");
        assert!(
            matches!(
                &error,
                Error::Validation {
                    origin: ValidationOrigin::Server,
                    operation: Operation::Update,
                    message: Some(m),
                    errors,
                    ..
                } if m == "You have reached the maximum number of mailboxes." && errors.is_empty()
            ),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_500_to_a_create_is_a_server_error_and_never_sent_again() {
        let (result, server) = write_with(
            &CREATE,
            ResponseTemplate::new(500).set_body_string("Internal Server Error"),
        )
        .await;
        let error = result.expect_err("500");
        assert!(
            matches!(&error, Error::ServerError { status: 500, body, .. } if body == "Internal Server Error"),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(500));
        assert_eq!(
            error.to_string(),
            "EmailAccount create: server error (HTTP 500): Internal Server Error"
        );
        assert_eq!(only_request(&server).await.method.as_str(), "POST");
    }

    #[tokio::test]
    async fn a_conflict_without_retry_after_and_redirects_are_status_errors() {
        let (result, server) = write_with(&CREATE, ResponseTemplate::new(409)).await;
        let error = result.expect_err("409");
        assert!(
            matches!(&error, Error::Status { status: 409, .. }),
            "{error:?}"
        );
        only_request(&server).await;

        let (result, server) = write_with(
            &CREATE,
            ResponseTemplate::new(302).insert_header("Location", "/elsewhere"),
        )
        .await;
        assert_eq!(result.expect_err("302").status(), Some(302));
        assert_eq!(only_request(&server).await.method.as_str(), "POST");
    }

    #[tokio::test]
    async fn a_non_json_200_is_a_decode_error_with_an_excerpt() {
        let page = format!("<html><body>{}</body></html>", "maintenance ".repeat(100));
        let (result, _server) = write_with(
            &CREATE,
            ResponseTemplate::new(200).set_body_string(page.clone()),
        )
        .await;
        let error = result.expect_err("HTML");
        let Error::Decode {
            status, excerpt, ..
        } = &error
        else {
            panic!("expected Decode, got {error:?}");
        };
        assert_eq!(*status, 200);
        assert!(excerpt.starts_with("<html><body>maintenance"));
        assert!(excerpt.chars().count() <= 513, "{}", excerpt.len());
        assert!(page.len() > 1000);
    }

    #[tokio::test]
    async fn unreachable_server_and_timeout_are_transport_errors() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let client = client_for(&format!("http://{address}"));
        let error = client
            .write(&CREATE, b"{}".to_vec())
            .await
            .expect_err("nothing listens");
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "EmailAccount create: could not connect to the server"
        );
        assert!(!format!("{error:?} {error}").contains(TOKEN));

        let server = server_answering(
            ResponseTemplate::new(200)
                .set_body_raw(CREATED, "application/json")
                .set_delay(Duration::from_secs(5)),
        )
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token(TOKEN)
            .timeout(Duration::from_millis(200))
            .rate_limit(RateLimit::none())
            .build()
            .expect("client");
        let error = client
            .write(&CREATE, b"{}".to_vec())
            .await
            .expect_err("too slow");
        let Error::Transport { source, .. } = &error else {
            panic!("expected Transport, got {error:?}");
        };
        assert!(source.is_timeout(), "{source:?}");
        assert_eq!(
            error.to_string(),
            "EmailAccount create: the request timed out"
        );
    }

    #[test]
    fn debug_shows_the_base_url_but_never_the_token() {
        let client = client_for("http://127.0.0.1:9/prefix");
        let debug = format!("{client:?}");
        assert!(debug.contains("http://127.0.0.1:9/prefix"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
        assert!(!debug.contains(TOKEN), "{debug}");

        let builder = Client::builder().bearer_token(TOKEN);
        assert!(!format!("{builder:?}").contains(TOKEN));
    }

    #[test]
    fn new_uses_the_nexudus_host() {
        let client = Client::new(TOKEN).expect("client");
        assert_eq!(client.base_url().as_str(), "https://spaces.nexudus.com/");
    }

    #[test]
    fn is_send_sync_and_writes_are_send() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        fn assert_send<T: Send>(_: T) {}
        assert_send_sync::<Client>();
        assert_send_sync::<Error>();
        let client = client_for("http://127.0.0.1:9");
        assert_send(client.write(&CREATE, Vec::new()));
    }

    #[test]
    fn bad_configuration_is_a_config_error_without_the_token() {
        let cases = [
            (Client::builder(), "credentials are required"),
            (
                Client::builder()
                    .bearer_token(TOKEN)
                    .password("desk@example.com", TOKEN),
                "conflicting credentials: a bearer token (`bearer_token`) and \
                 a password grant (`password`) were given; configure exactly one",
            ),
            (
                Client::builder()
                    .password("desk@example.com", TOKEN)
                    .basic("desk@example.com", TOKEN),
                "a password grant (`password`) and Basic credentials (`basic`) were given",
            ),
            (
                Client::builder().bearer_token(TOKEN).totp("123456"),
                "`totp` and `client_id` apply only to a password grant",
            ),
            (
                Client::builder()
                    .basic("desk@example.com", TOKEN)
                    .client_id("app"),
                "`totp` and `client_id` apply only to a password grant",
            ),
            (
                Client::builder().password("desk@example.com", ""),
                "the password is empty",
            ),
            (
                Client::builder().password(" ", TOKEN),
                "the password grant username is empty",
            ),
            (
                Client::builder()
                    .password("desk@example.com", TOKEN)
                    .totp(" "),
                "the TOTP code is empty",
            ),
            (
                Client::builder()
                    .password("desk@example.com", TOKEN)
                    .client_id(""),
                "the client id is empty",
            ),
            (
                Client::builder().basic("desk:front@example.com", TOKEN),
                "must not contain ':'",
            ),
            (
                Client::builder().basic("desk@example.com", ""),
                "the Basic password is empty",
            ),
            (
                Client::builder().bearer_token("  "),
                "bearer token is empty",
            ),
            (
                Client::builder().bearer_token(format!("{TOKEN}\n")),
                "cannot be sent in an HTTP header",
            ),
            (
                Client::builder().bearer_token(TOKEN).base_url("not a url"),
                "invalid base URL",
            ),
            (
                Client::builder()
                    .bearer_token(TOKEN)
                    .base_url("ftp://example.com"),
                "http or https",
            ),
            (
                Client::builder()
                    .bearer_token(TOKEN)
                    .base_url("https://me:pw@example.com"),
                "credentials",
            ),
            (
                Client::builder()
                    .bearer_token(TOKEN)
                    .base_url("https://example.com/?x=1"),
                "query or fragment",
            ),
            (
                Client::builder()
                    .bearer_token(TOKEN)
                    .user_agent("bad\nagent"),
                "could not set up the HTTP client",
            ),
        ];
        for (builder, expected) in cases {
            let error = builder.build().expect_err(expected);
            let text = error.to_string();
            assert!(matches!(error, Error::Config { .. }), "{error:?}");
            assert!(text.contains(expected), "{text}");
            assert!(!text.contains(TOKEN) && !format!("{error:?}").contains(TOKEN));
        }
    }
}
