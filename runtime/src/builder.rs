//! `ClientBuilder`: a client's configuration, credentials and defaults, checked when it is built.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::attempt::join;
use super::auth::{Auth, DEFAULT_RENEWAL_MARGIN, PasswordGrant, PasswordSettings, TOKEN_PATH};
use super::client::{Client, Shared};
use super::error::Error;
use super::limit::{RateLimit, RateLimiter};
use super::response::DEFAULT_MAX_RESPONSE_SIZE;
use super::retry::RetryPolicy;
use super::search::DirectionEncoding;
use super::secret::Secret;

/// The Nexudus host used when no base URL is configured.
const DEFAULT_BASE_URL: &str = "https://spaces.nexudus.com";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_USER_AGENT: &str = concat!("nexudus-rs/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`], or the SDK's client that wraps one (`C`).
///
/// Exactly one kind of credentials is required: a fixed [`bearer_token`](Self::bearer_token), a
/// [`password`](Self::password) grant whose tokens the client obtains and renews itself, or
/// [`basic`](Self::basic) authentication. Everything else has a default.
/// `Debug` never shows a password, TOTP code or token.
#[derive(Clone, Debug)]
pub struct ClientBuilder<C = Client> {
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
    root_certificates: RootCertificates,
    /// What [`build`](Self::build) answers: a function type, so that the builder is `Send` and
    /// `Sync` whatever `C` is.
    client: std::marker::PhantomData<fn() -> C>,
}

/// Certificate authorities trusted besides the operating system's (DER). `Debug` counts them
/// rather than printing kilobytes of each.
#[derive(Clone, Default)]
struct RootCertificates(Vec<rustls::pki_types::CertificateDer<'static>>);

impl std::fmt::Debug for RootCertificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} extra", self.0.len())
    }
}

impl<C> Default for ClientBuilder<C> {
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
            root_certificates: RootCertificates::default(),
            client: std::marker::PhantomData,
        }
    }
}

impl<C: From<Client>> ClientBuilder<C> {
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

    /// Trusts a certificate authority besides the operating system's: `der` is one certificate
    /// in DER form (a PEM file's base64 body, decoded). For a proxy that inspects TLS, or a
    /// test server. Call it again to add more.
    ///
    /// A certificate that does not parse fails [`build`](Self::build) with [`Error::Config`].
    pub fn root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates
            .0
            .push(rustls::pki_types::CertificateDer::from(der.into()));
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
    pub fn build(self) -> Result<C, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        let limiter = self
            .limiter
            .clone()
            .unwrap_or_else(|| RateLimiter::new(self.rate_limit));
        let auth = self.auth(&base_url, &limiter)?;

        let tls = super::tls::client_config(&self.root_certificates.0)
            .map_err(|message| config(&format!("could not set up TLS: {message}")))?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
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

        Ok(C::from(Client {
            http,
            shared: Arc::new(Shared {
                base_url,
                auth,
                policy: self.policy,
                limiter,
                max_response_size: self.max_response_size,
                direction_encoding: self.direction_encoding,
            }),
        }))
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

pub(super) fn parse_base_url(text: &str) -> Result<Url, Error> {
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

pub(super) fn config(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}

/// An error and its causes on one line.
pub(super) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
