//! `Client` and `ClientBuilder`: configuration, credentials and the HTTP call of a write.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::Instant;
use tracing::Instrument as _;
use url::Url;

use super::auth::{
    Auth, Credential, DEFAULT_RENEWAL_MARGIN, PasswordGrant, PasswordSettings, TOKEN_PATH,
};
use super::command::{Command, CommandOutcome, CommandParameter, RunCommandBody};
use super::endpoint::{Endpoint, Operation, WriteOutcome};
use super::error::{Error, transport_summary};
use super::limit::{RateLimit, RateLimiter};
use super::page::Page;
use super::record::{Full, Record};
use super::response::{BodyFailure, DEFAULT_MAX_RESPONSE_SIZE, read_body};
use super::retry::{RetryPolicy, backoff, random, retry_after};
use super::search::{DirectionEncoding, PageRequest, SortKey};
use super::secret::Secret;
use super::validation::Violations;
use super::wire::Lenient;

/// The Nexudus host used when no base URL is configured.
const DEFAULT_BASE_URL: &str = "https://spaces.nexudus.com";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_USER_AGENT: &str = concat!("nexudus-rs/", env!("CARGO_PKG_VERSION"));

/// An authenticated connection to the Nexudus API.
///
/// Cloning is cheap and clones share one connection pool and, with a password grant, one access
/// token: when it is due for renewal, one request renews it while the others wait. So create one
/// `Client` and pass clones around. `Debug` shows the base URL and any username, but never a
/// password or token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    shared: Arc<Shared>,
}

struct Shared {
    base_url: Url,
    auth: Auth,
    policy: RetryPolicy,
    limiter: RateLimiter,
    max_response_size: usize,
    direction_encoding: DirectionEncoding,
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
    /// Generated code passes `&SEARCH`, a reference to a `const`, which is `'static`; the
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

    /// `{base}{path}` followed by `segments`, each percent-encoded as one path segment.
    fn url<'a>(
        &self,
        endpoint: &Endpoint,
        segments: impl IntoIterator<Item = &'a str>,
    ) -> Result<Url, Error> {
        let mut url = join(&self.shared.base_url, endpoint.path)?;
        url.path_segments_mut()
            .map_err(|()| config("the base URL cannot have a path appended"))?
            .extend(segments);
        Ok(url)
    }

    /// Sends a request until it has an answer to interpret: waits out throttling, and retries
    /// connection errors and 5xx answers where that is safe. The request, all its attempts
    /// included, is one `nexudus.request` span.
    async fn execute(
        &self,
        endpoint: &Endpoint,
        url: Url,
        body: Option<Vec<u8>>,
    ) -> Result<Answer, Error> {
        let method = endpoint.operation.method();
        // The path only: a query string can carry search filters such as e-mail addresses.
        let span = tracing::info_span!(
            "nexudus.request",
            entity = endpoint.entity,
            operation = %endpoint.operation,
            method = %method,
            path = url.path(),
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts(endpoint, &method, &url, body.as_deref(), &span)
            .instrument(span.clone())
            .await;
        span.record("elapsed_ms", millis(started.elapsed()));
        result
    }

    async fn attempts(
        &self,
        endpoint: &Endpoint,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
        span: &tracing::Span,
    ) -> Result<Answer, Error> {
        let policy = &self.shared.policy;
        // Only these may be repeated after the server may have acted on them.
        let idempotent = *method != Method::POST;
        let (mut attempt, mut throttled, mut failed) = (0_u32, 0_u32, 0_u32);
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let delay = match self.attempt(endpoint, method, url, body).await {
                Ok(answer) => {
                    span.record("status", answer.status);
                    if let Some(wait) = answer.throttled() {
                        // A throttled request was not processed, so even a POST is sent again.
                        if throttled >= policy.max_throttle_retries
                            || wait > policy.max_throttle_wait
                        {
                            tracing::warn!(
                                retry_after_ms = millis(wait),
                                "throttled by Nexudus; giving up"
                            );
                            return Err(endpoint.throttled(Some(wait)));
                        }
                        throttled += 1;
                        tracing::info!(
                            retry_after_ms = millis(wait),
                            "throttled by Nexudus; waiting before sending again"
                        );
                        wait
                    } else if idempotent
                        && (500..600).contains(&answer.status)
                        && failed < policy.max_retries
                    {
                        failed += 1;
                        let delay = backoff(policy.backoff, failed, random());
                        tracing::warn!(
                            status = answer.status,
                            delay_ms = millis(delay),
                            "server error; retrying"
                        );
                        delay
                    } else {
                        return Ok(answer);
                    }
                }
                Err(AttemptFailure::Transport(source)) => {
                    // A POST is repeated only when it never reached the server: a connection
                    // that could not be opened. After that, Nexudus may have created the record
                    // even though no answer arrived.
                    let retry = idempotent || source.is_connect();
                    if !retry || failed >= policy.max_retries {
                        return Err(endpoint.transport_error(source));
                    }
                    failed += 1;
                    let delay = backoff(policy.backoff, failed, random());
                    tracing::warn!(
                        error = transport_summary(&source),
                        delay_ms = millis(delay),
                        "request failed; retrying"
                    );
                    delay
                }
                Err(AttemptFailure::Failed(error)) => return Err(error),
            };
            tokio::time::sleep(delay).await;
        }
    }

    /// Sends the request once and reads the answer. When a renewable token is refused with
    /// 401, renews it once and sends the request once more; that second answer stands.
    async fn attempt(
        &self,
        endpoint: &Endpoint,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<Answer, AttemptFailure> {
        let credential = self
            .authorize(endpoint)
            .await
            .map_err(AttemptFailure::Failed)?;
        let mut response = self
            .send_once(method, url, &credential, body)
            .await
            .map_err(AttemptFailure::Transport)?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED && credential.is_renewable() {
            let renewed = self
                .shared
                .auth
                .renew_rejected(&self.http, endpoint, &credential)
                .await
                .map_err(AttemptFailure::Failed)?;
            tracing::debug!("token refused; sending again with a renewed token");
            response = self
                .send_once(method, url, &renewed, body)
                .await
                .map_err(AttemptFailure::Transport)?;
        }
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let limit = self.shared.max_response_size;
        let body = read_body(response, limit)
            .await
            .map_err(|failure| match failure {
                BodyFailure::Transport(source) => AttemptFailure::Transport(source),
                BodyFailure::TooLarge => AttemptFailure::Failed(endpoint.too_large(status, limit)),
            })?;
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// The `Authorization` header for the next request, obtaining or renewing a token if needed.
    async fn authorize(&self, endpoint: &Endpoint) -> Result<Credential, Error> {
        self.shared.auth.credential(&self.http, endpoint).await
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &Url,
        credential: &Credential,
        body: Option<&[u8]>,
    ) -> Result<reqwest::Response, reqwest::Error> {
        self.shared.limiter.acquire(method).await;
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .header(AUTHORIZATION, credential.header().clone())
            .header(ACCEPT, "application/json");
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        request.send().await
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

/// A response read to its end.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Answer {
    /// The wait asked for, when this is Nexudus throttling: HTTP 409 with `Retry-After`.
    fn throttled(&self) -> Option<Duration> {
        self.retry_after.filter(|_| self.status == 409)
    }
}

/// Why one attempt has no answer.
enum AttemptFailure {
    /// The request could not be sent or its answer not read; maybe worth another attempt.
    Transport(reqwest::Error),
    /// Final, e.g. no token could be obtained.
    Failed(Error),
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Appends `path` to the base URL, whether or not the base ends with `/` or has a path.
fn join(base_url: &Url, path: &str) -> Result<Url, Error> {
    let mut url = base_url.clone();
    url.path_segments_mut()
        .map_err(|()| config("the base URL cannot have a path appended"))?
        .pop_if_empty()
        .extend(path.split('/').filter(|segment| !segment.is_empty()));
    Ok(url)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url.as_str())
            .field("auth", &self.shared.auth)
            .finish()
    }
}

/// Configures a [`Client`].
///
/// Exactly one kind of credentials is required: a fixed [`bearer_token`](Self::bearer_token), a
/// [`password`](Self::password) grant whose tokens the client obtains and renews itself, or
/// [`basic`](Self::basic) authentication. Everything else has a default.
/// `Debug` never shows a password, TOTP code or token.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Secret>,
    password: Option<(String, Secret)>,
    basic: Option<(String, Secret)>,
    totp: Option<Secret>,
    client_id: Option<String>,
    renewal_margin: Duration,
    timeout: Duration,
    user_agent: String,
    policy: RetryPolicy,
    rate_limit: RateLimit,
    /// A limiter shared with other clients; when set, `rate_limit` is not used.
    limiter: Option<RateLimiter>,
    max_response_size: usize,
    direction_encoding: DirectionEncoding,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: None,
            password: None,
            basic: None,
            totp: None,
            client_id: None,
            renewal_margin: DEFAULT_RENEWAL_MARGIN,
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            policy: RetryPolicy::default(),
            rate_limit: RateLimit::nexudus_default(),
            limiter: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            direction_encoding: DirectionEncoding::default(),
        }
    }
}

impl ClientBuilder {
    /// The URL API paths are appended to; default `https://spaces.nexudus.com`.
    /// A path prefix (`https://proxy.example/nexudus`) is kept.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = url.as_ref().to_owned();
        self
    }

    /// A fixed access token, sent as `Authorization: Bearer <token>` (from `POST /api/token`).
    ///
    /// The client does not renew it: once it expires, calls fail with [`Error::Unauthorized`].
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sign in with the password grant of `POST /api/token`, with the user's e-mail address.
    ///
    /// The client obtains an access token before its first call and renews it with the refresh
    /// token shortly before it expires (see [`renewal_margin`](Self::renewal_margin)), and once
    /// when a call is answered with 401, after which that call is sent again. When the refresh
    /// token is no longer accepted, it signs in with the password again.
    pub fn password(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.password = Some((username.into(), password.into()));
        self
    }

    /// The two-factor code sent with the [`password`](Self::password) grant, for accounts that
    /// have two-factor authentication on. It is sent again whenever the client has to sign in
    /// with the password, so it only helps until the first token can be renewed.
    pub fn totp(mut self, code: impl Into<Secret>) -> Self {
        self.totp = Some(code.into());
        self
    }

    /// The OAuth `client_id` of the [`password`](Self::password) grant. Token renewals send it
    /// too; without it they send the username, as Nexudus expects.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// How long before its expiry a [`password`](Self::password)-grant token is renewed;
    /// default 60 seconds. For tokens that live less than twice as long, half their lifetime.
    pub fn renewal_margin(mut self, margin: Duration) -> Self {
        self.renewal_margin = margin;
        self
    }

    /// Basic authentication: `Authorization: Basic base64(username:password)` on every call,
    /// with the user's e-mail address. No token is requested.
    pub fn basic(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.basic = Some((username.into(), password.into()));
        self
    }

    /// The limit for one attempt of a request, from connecting until the last byte of the body
    /// has arrived, however slowly it comes; default 30 seconds. It applies to token requests
    /// too. A request that runs out of time fails with [`Error::Transport`] ("the request timed
    /// out"), unless it may be retried (see [`max_retries`](Self::max_retries)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How often a throttled request is sent again; default 3.
    ///
    /// Nexudus throttles with HTTP 409 and `Retry-After: <seconds>`; such a request was not
    /// processed, so the client waits as told and sends it again, whatever its method. When it
    /// is still throttled after this many retries, the call fails with [`Error::Throttled`].
    /// `0` turns waiting off. A 409 without `Retry-After` is a conflict, never retried.
    pub fn max_throttle_retries(mut self, retries: u32) -> Self {
        self.policy.max_throttle_retries = retries;
        self
    }

    /// The longest `Retry-After` the client waits for; default 60 seconds. A throttling answer
    /// that asks for more (an hourly or daily limit) fails at once with [`Error::Throttled`],
    /// which carries the wait asked for.
    pub fn max_throttle_wait(mut self, wait: Duration) -> Self {
        self.policy.max_throttle_wait = wait;
        self
    }

    /// How often a request that failed to connect, timed out or was answered with HTTP 5xx is
    /// sent again; default 2, `0` turns retries off.
    ///
    /// Only idempotent requests (reads, updates, deletes) are retried after they may have
    /// reached the server; a create or a command (`POST`) is retried only when no connection
    /// could be opened, so that it is never carried out twice.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.policy.max_retries = retries;
        self
    }

    /// The delay before the first retry of [`max_retries`](Self::max_retries); default 250 ms.
    /// It doubles for each further retry (at most 10 seconds), and a random part of up to half
    /// of it spreads out clients that failed at the same moment.
    pub fn retry_backoff(mut self, delay: Duration) -> Self {
        self.policy.backoff = delay;
        self
    }

    /// How fast requests may be sent; default `RateLimit::nexudus_default()`: at most 60 writes
    /// per minute and one request per 100 ms, Nexudus's published limits, with a margin of
    /// 20 ms. A request waits until it may go. `RateLimit::none()` switches client-side limiting
    /// off. Clones of the client share the limits; other clients do not (see
    /// [`rate_limiter`](Self::rate_limiter)). Replaces an earlier `rate_limiter`.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self.limiter = None;
        self
    }

    /// Keeps to a limiter that other clients share, instead of limits of this client's own;
    /// replaces an earlier [`rate_limit`](Self::rate_limit).
    ///
    /// Nexudus counts its limits per account, so clients built separately for one account need
    /// this to stay within them together: each keeping to the limits on its own, they would
    /// together send more than the account may. Clones of one client need nothing: they share
    /// its limiter already. See [`RateLimiter`].
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The largest response body read, in bytes; default 32 MiB (`32 * 1024 * 1024`).
    ///
    /// Nexudus's answers (a record, a page of search results) are far smaller, so a larger one
    /// is a broken proxy or server, and reading it whole could exhaust memory. The body is read
    /// as it arrives and reading stops once it passes the limit (at once when `Content-Length`
    /// announces more), with [`Error::ResponseTooLarge`]; the request is not sent again. It
    /// applies to token requests too. `usize::MAX` switches the limit off.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// How the sort direction of a search is written in its `dir` parameter; default
    /// [`DirectionEncoding::ZeroOne`] (`0` ascending, `1` descending), as the newest vendor
    /// reference documents. Older documentation shows other encodings; switch to one of them
    /// if a server sorts the wrong way round.
    pub fn sort_direction_encoding(mut self, encoding: DirectionEncoding) -> Self {
        self.direction_encoding = encoding;
        self
    }

    /// The `User-Agent` header; default `nexudus-rs/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Checks the settings and creates the client. No request is sent: a password grant signs
    /// in on the first call.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no credentials or more than one kind were given, a credential is
    /// empty or not sendable in a header, [`totp`](Self::totp) or [`client_id`](Self::client_id)
    /// is set without [`password`](Self::password), the base URL is not an `http`/`https` URL
    /// without credentials, query or fragment, or the HTTP client cannot be set up. The message
    /// never contains a password or token.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        let limiter = self
            .limiter
            .clone()
            .unwrap_or_else(|| RateLimiter::new(self.rate_limit));
        let auth = self.auth(&base_url, &limiter)?;

        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent)
            // A redirected POST becomes a GET without its body; better to report the redirect.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| {
                config(&format!(
                    "could not set up the HTTP client: {}",
                    chain(&error)
                ))
            })?;

        Ok(Client {
            http,
            shared: Arc::new(Shared {
                base_url,
                auth,
                policy: self.policy,
                limiter,
                max_response_size: self.max_response_size,
                direction_encoding: self.direction_encoding,
            }),
        })
    }

    /// The one kind of credentials configured.
    fn auth(&self, base_url: &Url, limiter: &RateLimiter) -> Result<Auth, Error> {
        let given: Vec<&str> = [
            self.token
                .as_ref()
                .map(|_| "a bearer token (`bearer_token`)"),
            self.password
                .as_ref()
                .map(|_| "a password grant (`password`)"),
            self.basic.as_ref().map(|_| "Basic credentials (`basic`)"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() > 1 {
            return Err(config(&format!(
                "conflicting credentials: {} were given; configure exactly one",
                given.join(" and ")
            )));
        }
        if self.password.is_none() && (self.totp.is_some() || self.client_id.is_some()) {
            return Err(config(
                "`totp` and `client_id` apply only to a password grant; call `password` too",
            ));
        }
        let auth = if let Some(token) = &self.token {
            Auth::fixed(token)
        } else if let Some((username, password)) = &self.password {
            let settings = PasswordSettings {
                username: username.clone(),
                password: password.clone(),
                totp: self.totp.clone(),
                client_id: self.client_id.clone(),
                renewal_margin: self.renewal_margin,
                policy: self.policy,
                max_response_size: self.max_response_size,
            };
            PasswordGrant::new(join(base_url, TOKEN_PATH)?, settings, limiter.clone())
                .map(|grant| Auth::Password(Box::new(grant)))
        } else if let Some((username, password)) = &self.basic {
            Auth::basic(username.clone(), password)
        } else {
            return Err(config(
                "credentials are required: a bearer token (`bearer_token`), \
                 a password grant (`password`) or Basic credentials (`basic`)",
            ));
        };
        auth.map_err(|message| config(&message))
    }
}

fn parse_base_url(text: &str) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|error| config(&format!("invalid base URL: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(config("the base URL must use http or https"));
    }
    // Credentials in the URL would show wherever the base URL is printed.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config(
            "the base URL must not contain credentials; configure them on the builder",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config("the base URL must not have a query or fragment"));
    }
    Ok(url)
}

fn config(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}

/// An error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
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
