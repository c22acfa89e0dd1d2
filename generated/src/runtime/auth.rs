//! How requests are authenticated: a fixed bearer token, Basic, or a renewed password-grant token.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{ACCEPT, HeaderValue};
use serde::Deserialize;
use tokio::sync::RwLock;
use tokio::time::Instant;
use url::Url;

use super::endpoint::{Endpoint, excerpt};
use super::error::{Error, transport_summary};
use super::limit::RateLimiter;
use super::response::{BodyFailure, read_body};
use super::retry::{RetryPolicy, retry_after};
use super::secret::Secret;

/// How long before its expiry an access token is renewed, unless configured otherwise.
pub(crate) const DEFAULT_RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// The path of the OAuth token endpoint below the base URL.
pub(crate) const TOKEN_PATH: &str = "/api/token";

/// How requests are authenticated; chosen once, when the client is built.
pub(crate) enum Auth {
    /// `Authorization: Bearer <token>` with a token that the caller manages.
    Fixed(HeaderValue),
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        username: String,
        header: HeaderValue,
    },
    /// Tokens from `POST /api/token`, renewed before they expire and after a 401.
    Password(Box<PasswordGrant>),
}

/// The `Authorization` header for one request.
#[derive(Clone)]
pub(crate) struct Credential {
    header: HeaderValue,
    /// Which token this is, for renewable credentials; `None` when there is nothing to renew.
    generation: Option<u64>,
}

impl Credential {
    fn fixed(header: &HeaderValue) -> Self {
        Self {
            header: header.clone(),
            generation: None,
        }
    }

    /// The header value, marked sensitive.
    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }

    /// Whether a 401 answered to this credential can be met by renewing it.
    pub(crate) fn is_renewable(&self) -> bool {
        self.generation.is_some()
    }
}

impl Auth {
    /// A fixed bearer token.
    pub(crate) fn fixed(token: &Secret) -> Result<Self, String> {
        if token.expose().trim().is_empty() {
            return Err("the bearer token is empty".to_owned());
        }
        let header = sensitive_header(format!("Bearer {}", token.expose())).ok_or_else(|| {
            "the bearer token contains characters that cannot be sent in an HTTP header".to_owned()
        })?;
        Ok(Self::Fixed(header))
    }

    /// Basic authentication with a username (the e-mail address) and password.
    pub(crate) fn basic(username: String, password: &Secret) -> Result<Self, String> {
        check_username(&username, "Basic")?;
        // RFC 7617: the first colon separates the user-id from the password.
        if username.contains(':') {
            return Err("the Basic username must not contain ':'".to_owned());
        }
        if password.expose().is_empty() {
            return Err("the Basic password is empty".to_owned());
        }
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{}", password.expose()));
        let header = sensitive_header(format!("Basic {encoded}"))
            .ok_or_else(|| "the Basic credentials cannot be sent in an HTTP header".to_owned())?;
        Ok(Self::Basic { username, header })
    }

    /// The credential to send with the next request, obtaining or renewing a token if needed.
    pub(crate) async fn credential(
        &self,
        http: &reqwest::Client,
        endpoint: &Endpoint,
    ) -> Result<Credential, Error> {
        match self {
            Self::Fixed(header) | Self::Basic { header, .. } => Ok(Credential::fixed(header)),
            Self::Password(grant) => grant
                .credential(http)
                .await
                .map_err(|failure| failure.into_error(endpoint)),
        }
    }

    /// The credential to send again after `rejected` was answered with 401: a renewed token,
    /// unless another request has renewed it meanwhile.
    pub(crate) async fn renew_rejected(
        &self,
        http: &reqwest::Client,
        endpoint: &Endpoint,
        rejected: &Credential,
    ) -> Result<Credential, Error> {
        match (self, rejected.generation) {
            (Self::Password(grant), Some(generation)) => grant
                .renew_rejected(http, generation)
                .await
                .map_err(|failure| failure.into_error(endpoint)),
            _ => Ok(rejected.clone()),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed(_) => f.debug_tuple("Bearer").field(&REDACTED).finish(),
            Self::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &REDACTED)
                .finish(),
            Self::Password(grant) => grant.fmt(f),
        }
    }
}

/// Stands in for a credential in `Debug` output.
const REDACTED: Redacted = Redacted;

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The settings of a password grant, as given to the builder.
pub(crate) struct PasswordSettings {
    pub(crate) username: String,
    pub(crate) password: Secret,
    pub(crate) totp: Option<Secret>,
    pub(crate) client_id: Option<String>,
    pub(crate) renewal_margin: Duration,
    /// How throttling answers of the token endpoint are waited out, as for any request.
    pub(crate) policy: RetryPolicy,
    /// The largest answer of the token endpoint read.
    pub(crate) max_response_size: usize,
}

/// Access tokens from the password grant, shared by every clone of a client.
pub(crate) struct PasswordGrant {
    token_url: Url,
    settings: PasswordSettings,
    /// The client's rate limits: a token request is a request to Nexudus too.
    limiter: RateLimiter,
    // Read for every request; written by the one task that renews, while the others wait.
    state: RwLock<TokenState>,
}

#[derive(Default)]
struct TokenState {
    access: Option<AccessToken>,
    refresh_token: Option<Secret>,
    /// Counts the tokens obtained, so that a 401 to an already replaced token renews nothing.
    generation: u64,
    /// Until when the token endpoint asked not to be sent another request (HTTP 409 with
    /// `Retry-After`). No token request goes before then; a token due for renewal is used
    /// meanwhile, as long as it has not expired.
    throttled_until: Option<Instant>,
}

struct AccessToken {
    header: HeaderValue,
    /// From when the token is renewed before use; `None` if the server gave no lifetime.
    renew_at: Option<Instant>,
    /// When the server stops accepting it.
    expires_at: Option<Instant>,
}

impl TokenState {
    fn current(&self) -> Option<Credential> {
        self.access.as_ref().map(|access| Credential {
            header: access.header.clone(),
            generation: Some(self.generation),
        })
    }

    /// The current token, unless it is due for renewal.
    fn fresh(&self, now: Instant) -> Option<Credential> {
        let due = self
            .access
            .as_ref()
            .and_then(|access| access.renew_at)
            .is_some_and(|renew_at| now >= renew_at);
        if due { None } else { self.current() }
    }

    /// The token to send now without renewing it: the current one unless it is due for renewal,
    /// and a due one that has not expired while the token endpoint has asked for a wait. So a
    /// throttled renewal neither holds up callers nor is sent again before its time.
    fn usable(&self, now: Instant) -> Option<Credential> {
        if let Some(credential) = self.fresh(now) {
            return Some(credential);
        }
        if self.throttled_until.is_some_and(|until| now < until) {
            return self.unexpired(now);
        }
        None
    }

    /// The current token, unless it has expired.
    fn unexpired(&self, now: Instant) -> Option<Credential> {
        let expired = self
            .access
            .as_ref()
            .and_then(|access| access.expires_at)
            .is_some_and(|expires_at| now >= expires_at);
        if expired { None } else { self.current() }
    }

    fn store(&mut self, token: IssuedToken) -> Credential {
        self.generation += 1;
        let credential = Credential {
            header: token.access.header.clone(),
            generation: Some(self.generation),
        };
        self.access = Some(token.access);
        self.throttled_until = None;
        // Refresh tokens rotate: the one just used stops working once a new one is issued.
        if let Some(refresh_token) = token.refresh_token {
            self.refresh_token = Some(refresh_token);
        }
        credential
    }
}

impl PasswordGrant {
    pub(crate) fn new(
        token_url: Url,
        settings: PasswordSettings,
        limiter: RateLimiter,
    ) -> Result<Self, String> {
        check_username(&settings.username, "password grant")?;
        if settings.password.expose().is_empty() {
            return Err("the password is empty".to_owned());
        }
        if settings
            .totp
            .as_ref()
            .is_some_and(|totp| totp.expose().trim().is_empty())
        {
            return Err("the TOTP code is empty".to_owned());
        }
        if settings
            .client_id
            .as_ref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err("the client id is empty".to_owned());
        }
        Ok(Self {
            token_url,
            settings,
            limiter,
            state: RwLock::new(TokenState::default()),
        })
    }

    async fn credential(&self, http: &reqwest::Client) -> Result<Credential, Failure> {
        if let Some(credential) = self.state.read().await.usable(Instant::now()) {
            return Ok(credential);
        }
        self.renew_due(http).await
    }

    /// Renews the token found due, unless another task renewed it while this one waited.
    async fn renew_due(&self, http: &reqwest::Client) -> Result<Credential, Failure> {
        let mut state = self.state.write().await;
        let now = Instant::now();
        if let Some(credential) = state.usable(now) {
            return Ok(credential);
        }
        // Inside the renewal margin the old token still works: a renewal that fails, or that
        // the token endpoint puts off, leaves it in use, and the caller does not wait for one.
        let current = state.unexpired(now);
        match self.renew(&mut state, http, current.is_none()).await {
            Ok(credential) => Ok(credential),
            Err(failure) => current.ok_or(failure),
        }
    }

    async fn renew_rejected(
        &self,
        http: &reqwest::Client,
        rejected_generation: u64,
    ) -> Result<Credential, Failure> {
        let mut state = self.state.write().await;
        if state.generation != rejected_generation {
            if let Some(credential) = state.current() {
                return Ok(credential);
            }
        }
        self.renew(&mut state, http, true).await
    }

    /// Obtains a new token with the refresh token, or with the password when there is none
    /// or the server no longer accepts it. With `wait`, the token endpoint's throttling is
    /// waited out (see [`send`](Self::send)); without, it fails the renewal.
    async fn renew(
        &self,
        state: &mut TokenState,
        http: &reqwest::Client,
        wait: bool,
    ) -> Result<Credential, Failure> {
        // Taken, not copied: once sent, the server may rotate it even if the answer is lost.
        if let Some(refresh_token) = state.refresh_token.take() {
            let client_id = self
                .settings
                .client_id
                .as_deref()
                .unwrap_or(&self.settings.username);
            let form = [
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
                ("client_id", client_id),
            ];
            match self.send(state, http, &form, wait).await {
                Ok(token) => return Ok(state.store(token)),
                Err(failure) if failure.code.as_deref() == Some("invalid_grant") => {}
                Err(failure) => {
                    state.refresh_token = Some(refresh_token);
                    return Err(failure);
                }
            }
        }
        let settings = &self.settings;
        let mut form = vec![
            ("grant_type", "password"),
            ("username", settings.username.as_str()),
            ("password", settings.password.expose()),
        ];
        if let Some(totp) = &settings.totp {
            form.push(("totp", totp.expose()));
        }
        if let Some(client_id) = &settings.client_id {
            form.push(("client_id", client_id.as_str()));
        }
        let token = self.send(state, http, &form, wait).await?;
        Ok(state.store(token))
    }

    /// Sends a token request once the wait the token endpoint last asked for is over. A
    /// throttled request (HTTP 409 with `Retry-After`) is recorded in `state`, so that no other
    /// goes before its time, and with `wait` it is waited out and sent again like any request,
    /// within the client's `max_throttle_retries` and `max_throttle_wait`.
    async fn send(
        &self,
        state: &mut TokenState,
        http: &reqwest::Client,
        form: &[(&str, &str)],
        wait: bool,
    ) -> Result<IssuedToken, Failure> {
        let policy = &self.settings.policy;
        let mut throttled = 0_u32;
        loop {
            if let Some(until) = state.throttled_until {
                let left = until.saturating_duration_since(Instant::now());
                if !left.is_zero() {
                    if !wait || left > policy.max_throttle_wait {
                        return Err(Failure::throttled(left));
                    }
                    tokio::time::sleep_until(until).await;
                }
            }
            let failure = match self.request(http, form).await {
                Ok(token) => return Ok(token),
                Err(failure) => failure,
            };
            let Some(asked) = failure.retry_after else {
                return Err(failure);
            };
            state.throttled_until = Instant::now().checked_add(asked);
            if !wait || throttled >= policy.max_throttle_retries || asked > policy.max_throttle_wait
            {
                tracing::warn!(
                    retry_after_ms = u64::try_from(asked.as_millis()).unwrap_or(u64::MAX),
                    "token request throttled by Nexudus; not waiting"
                );
                return Err(failure);
            }
            throttled += 1;
            tracing::info!(
                retry_after_ms = u64::try_from(asked.as_millis()).unwrap_or(u64::MAX),
                "token request throttled by Nexudus; waiting before sending again"
            );
        }
    }

    /// One `POST /api/token` with a form-encoded body.
    async fn request(
        &self,
        http: &reqwest::Client,
        form: &[(&str, &str)],
    ) -> Result<IssuedToken, Failure> {
        self.limiter.acquire_request().await;
        // The lifetime counts from the request, so that a slow answer cannot outlive the token.
        let requested_at = Instant::now();
        let response = http
            .post(self.token_url.clone())
            .header(ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .map_err(Failure::transport)?;
        let status = response.status().as_u16();
        let wait = retry_after(response.headers()).filter(|_| status == 409);
        let limit = self.settings.max_response_size;
        let body = read_body(response, limit)
            .await
            .map_err(|failure| match failure {
                BodyFailure::Transport(source) => Failure::transport(source),
                BodyFailure::TooLarge => Failure::message(
                    Some(status),
                    format!(
                        "the token endpoint's answer is larger than the limit of {limit} bytes"
                    ),
                ),
            })?;
        if let Some(wait) = wait {
            return Err(Failure::throttled(wait));
        }
        token_result(status, &body, requested_at, self.settings.renewal_margin)
            .map_err(|failure| failure.scrubbed(form))
    }
}

/// Turns the token endpoint's answer into a token or the reason there is none.
fn token_result(
    status: u16,
    body: &[u8],
    requested_at: Instant,
    renewal_margin: Duration,
) -> Result<IssuedToken, Failure> {
    let failure = |code, message| Failure {
        status: Some(status),
        code,
        message,
        source: None,
        retry_after: None,
    };
    if (200..300).contains(&status) {
        // The body holds tokens, so none of it goes into an error.
        return match serde_json::from_slice::<TokenAnswer>(body) {
            Ok(answer) => answer
                .issue(requested_at, renewal_margin)
                .map_err(|message| failure(None, message)),
            Err(_) => Err(failure(
                None,
                "the token endpoint did not answer with a token".to_owned(),
            )),
        };
    }
    Err(match serde_json::from_slice::<Rejection>(body) {
        Ok(rejection) => failure(
            Some(rejection.error),
            rejection
                .error_description
                .filter(|description| !description.trim().is_empty())
                .unwrap_or_else(|| format!("the token endpoint answered HTTP {status}")),
        ),
        Err(_) => {
            let text = excerpt(body);
            let suffix = if text.trim().is_empty() {
                String::new()
            } else {
                format!(": {text}")
            };
            failure(
                None,
                format!("the token endpoint answered HTTP {status}{suffix}"),
            )
        }
    })
}

impl fmt::Debug for PasswordGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &self.settings;
        f.debug_struct("PasswordGrant")
            .field("username", &settings.username)
            .field("password", &REDACTED)
            .field("totp", &settings.totp)
            .field("client_id", &settings.client_id)
            .field("renewal_margin", &settings.renewal_margin)
            .finish_non_exhaustive()
    }
}

/// A successful answer of the token endpoint.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<Secret>,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
    refresh_token: Option<Secret>,
}

/// An OAuth error answer, e.g. `{"error": "invalid_grant", "error_description": "..."}`.
#[derive(Deserialize)]
struct Rejection {
    error: String,
    error_description: Option<String>,
}

struct IssuedToken {
    access: AccessToken,
    refresh_token: Option<Secret>,
}

impl TokenAnswer {
    fn issue(self, now: Instant, renewal_margin: Duration) -> Result<IssuedToken, String> {
        if let Some(kind) = &self.token_type {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(format!(
                    "the token endpoint issued a token of type `{kind}`; only bearer tokens are supported"
                ));
            }
        }
        let token = self
            .access_token
            .filter(|token| !token.expose().trim().is_empty())
            .ok_or_else(|| "the token endpoint's answer has no access token".to_owned())?;
        let header = sensitive_header(format!("Bearer {}", token.expose())).ok_or_else(|| {
            "the access token contains characters that cannot be sent in an HTTP header".to_owned()
        })?;
        let (renew_at, expires_at) = match lifetime(self.expires_in.as_ref()) {
            // A margin longer than the lifetime would renew on every request.
            Some(lifetime) => (
                now.checked_add(lifetime.saturating_sub(renewal_margin.min(lifetime / 2))),
                now.checked_add(lifetime),
            ),
            None => (None, None),
        };
        Ok(IssuedToken {
            access: AccessToken {
                header,
                renew_at,
                expires_at,
            },
            refresh_token: self
                .refresh_token
                .filter(|token| !token.expose().trim().is_empty()),
        })
    }
}

/// `expires_in` in seconds, as a number or a numeric string.
fn lifetime(expires_in: Option<&serde_json::Value>) -> Option<Duration> {
    let seconds = match expires_in? {
        serde_json::Value::Number(number) => number.as_f64()?,
        serde_json::Value::String(text) => text.trim().parse().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds.max(0.0)).ok()
}

/// Why no token was obtained; becomes [`Error::Auth`] once the failed call is known.
#[derive(Debug)]
struct Failure {
    status: Option<u16>,
    code: Option<String>,
    message: String,
    source: Option<reqwest::Error>,
    /// The wait the token endpoint asked for when it throttled the request.
    retry_after: Option<Duration>,
}

impl Failure {
    fn transport(source: reqwest::Error) -> Self {
        Self {
            status: None,
            code: None,
            message: format!("token request: {}", transport_summary(&source)),
            source: Some(source),
            retry_after: None,
        }
    }

    fn message(status: Option<u16>, message: String) -> Self {
        Self {
            status,
            code: None,
            message,
            source: None,
            retry_after: None,
        }
    }

    /// The token endpoint throttled the request and asked for `wait`, or had asked for a wait
    /// of which `wait` is left.
    fn throttled(wait: Duration) -> Self {
        Self {
            status: Some(409),
            code: None,
            message: "the token endpoint throttled the request".to_owned(),
            source: None,
            retry_after: Some(wait),
        }
    }

    /// Removes the secrets of the request from text the server wrote, should it echo them.
    fn scrubbed(mut self, form: &[(&str, &str)]) -> Self {
        for (name, value) in form {
            if matches!(*name, "password" | "refresh_token" | "totp") && !value.is_empty() {
                let encoded: String =
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
                self.message = self
                    .message
                    .replace(value, "[redacted]")
                    .replace(&encoded, "[redacted]");
            }
        }
        self
    }

    /// The error of the call that needed the token: [`Error::Throttled`] when the token
    /// endpoint stayed throttled, [`Error::Auth`] otherwise.
    fn into_error(self, endpoint: &Endpoint) -> Error {
        if self.retry_after.is_some() {
            return endpoint.throttled(self.retry_after);
        }
        Error::Auth {
            entity: endpoint.entity,
            operation: endpoint.operation,
            status: self.status,
            code: self.code,
            message: self.message,
            source: self.source,
        }
    }
}

fn sensitive_header(value: String) -> Option<HeaderValue> {
    let mut header = HeaderValue::try_from(value).ok()?;
    header.set_sensitive(true);
    Some(header)
}

fn check_username(username: &str, kind: &str) -> Result<(), String> {
    if username.trim().is_empty() {
        return Err(format!("the {kind} username is empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    use super::*;
    use crate::runtime::{Client, ClientBuilder, Operation, RateLimit, WriteOutcome};

    const USERNAME: &str = "desk@example.com";
    const PASSWORD: &str = "pa55-w0rd-never-shown";
    const TOTP: &str = "731902";
    const CLIENT_ID: &str = "reporting-service";
    const WEEK: u64 = 604_799;

    const CREATE: Endpoint = Endpoint {
        entity: "EmailAccount",
        operation: Operation::Create,
        path: "/api/crm/emailaccounts",
        secret_properties: &[],
    };

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
    async fn server_with(
        tokens: TokenEndpoint,
        write: impl wiremock::Respond + 'static,
    ) -> MockServer {
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
            max_response_size: crate::runtime::response::DEFAULT_MAX_RESPONSE_SIZE,
        };
        let grant = PasswordGrant::new(token_url, settings, RateLimiter::new(RateLimit::none()))
            .expect("grant");
        let http = reqwest::Client::new();
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
}
