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
mod tests;
