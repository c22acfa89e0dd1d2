//! The attempt loop every request goes through: authorize, keep to the rate limit, send, read an
//! answer no larger than the limit, then retry, wait out throttling or give up as the policy and
//! Nexudus say.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::Instant;
use tracing::Instrument as _;
use url::Url;

use super::auth::Credential;
use super::builder::config;
use super::client::Client;
use super::endpoint::Endpoint;
use super::error::{Error, transport_summary};
use super::response::{BodyFailure, read_body};
use super::retry::{backoff, random, retry_after};

impl Client {
    /// `{base}{path}` followed by `segments`, each percent-encoded as one path segment.
    pub(super) fn url<'a>(
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
    pub(super) async fn execute(
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

    pub(super) async fn attempts(
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
    pub(super) async fn attempt(
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
    pub(super) async fn authorize(&self, endpoint: &Endpoint) -> Result<Credential, Error> {
        self.shared.auth.credential(&self.http, endpoint).await
    }

    pub(super) async fn send_once(
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

/// A response read to its end.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) retry_after: Option<Duration>,
    pub(super) body: Vec<u8>,
}

impl Answer {
    /// The wait asked for, when this is Nexudus throttling: HTTP 409 with `Retry-After`.
    fn throttled(&self) -> Option<Duration> {
        self.retry_after.filter(|_| self.status == 409)
    }
}

/// Why one attempt has no answer.
pub(super) enum AttemptFailure {
    /// The request could not be sent or its answer not read; maybe worth another attempt.
    Transport(reqwest::Error),
    /// Final, e.g. no token could be obtained.
    Failed(Error),
}

pub(super) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Appends `path` to the base URL, whether or not the base ends with `/` or has a path.
pub(super) fn join(base_url: &Url, path: &str) -> Result<Url, Error> {
    let mut url = base_url.clone();
    url.path_segments_mut()
        .map_err(|()| config("the base URL cannot have a path appended"))?
        .pop_if_empty()
        .extend(path.split('/').filter(|segment| !segment.is_empty()));
    Ok(url)
}
