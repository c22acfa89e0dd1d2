//! `Error`: the one error type of the SDK, and `ValidationOrigin`.

use std::fmt;

use super::endpoint::Operation;
use super::validation::ValidationErrors;

/// Where a validation failure was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValidationOrigin {
    /// The request was checked before sending and nothing was sent.
    Client,
    /// Nexudus refused the request (HTTP 400, or a response with `WasSuccessful: false`).
    Server,
}

impl fmt::Display for ValidationOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Client => "client-side",
            Self::Server => "server",
        })
    }
}

/// Everything that can go wrong when calling Nexudus.
///
/// Messages name the entity and the operation, e.g.
/// `EmailAccount create: rejected by server validation (1 error): DisplayName: is a required field`.
/// Values of secret properties never appear in an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke validation rules, found either before sending or by the server.
    #[error("{entity} {operation}: rejected by {origin} validation{}", validation_details(message.as_deref(), errors))]
    Validation {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// Whether the client or the server found the problem.
        origin: ValidationOrigin,
        /// The server's summary message, when it sent one.
        message: Option<String>,
        /// Every broken rule; may be empty when the server sent only a message.
        errors: ValidationErrors,
    },

    /// The server answered with an HTTP status the SDK does not interpret as a result, e.g. a
    /// redirect, or a 409 without `Retry-After` (a conflict, not throttling).
    #[error(
        "{entity} {operation}: unexpected HTTP status {status}{}",
        body_suffix(body)
    )]
    Status {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The HTTP status code.
        status: u16,
        /// The start of the response body (at most about 512 characters).
        body: String,
    },

    /// The server answered 403: the credentials were accepted but lack a permission.
    #[error("{entity} {operation}: forbidden (HTTP 403){}", body_suffix(body))]
    Forbidden {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The start of the response body (at most about 512 characters).
        body: String,
    },

    /// The server answered 404: no record with that `Id`, or no such path.
    #[error("{entity} {operation}: not found (HTTP 404){}", body_suffix(body))]
    NotFound {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The start of the response body (at most about 512 characters).
        body: String,
    },

    /// Nexudus throttled the request (HTTP 409 with `Retry-After`) more often than the client
    /// is configured to wait and send it again, or asked for a longer wait than it is configured
    /// to obey. A throttled request was not processed. The same holds for the token request a
    /// call with a password grant needed first: then nothing was sent for the call itself.
    #[error("{entity} {operation}: throttled by the server (HTTP 409){}", wait_suffix(*retry_after))]
    Throttled {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The wait the last answer asked for, when it said.
        retry_after: Option<std::time::Duration>,
    },

    /// The server failed (HTTP 5xx), after any retries the request was allowed.
    #[error(
        "{entity} {operation}: server error (HTTP {status}){}",
        body_suffix(body)
    )]
    ServerError {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The HTTP status code, from 500 to 599.
        status: u16,
        /// The start of the response body (at most about 512 characters).
        body: String,
    },

    /// The server answered 401: the credentials were refused or lack a permission.
    ///
    /// With a password grant this is the answer to the request sent again with a renewed token.
    #[error("{entity} {operation}: unauthorized (HTTP 401){}", body_suffix(body))]
    Unauthorized {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The start of the response body (at most about 512 characters).
        body: String,
    },

    /// No access token could be obtained from `POST /api/token`, so nothing was sent for the call.
    ///
    /// Never contains the password, the TOTP code or a token.
    #[error(
        "{entity} {operation}: could not authenticate{}: {message}",
        code_suffix(code.as_deref())
    )]
    Auth {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The OAuth error code, e.g. `invalid_grant` or `two_factor_auth_check`, when the token
        /// endpoint sent one.
        code: Option<String>,
        /// The server's `error_description`, or what else went wrong.
        message: String,
        /// The HTTP status of the token endpoint's answer; `None` when none was received.
        status: Option<u16>,
        /// The HTTP client error, when the token request could not be completed.
        #[source]
        source: Option<reqwest::Error>,
    },

    /// The request could not be sent or the response could not be read (connection, TLS, timeout).
    #[error("{entity} {operation}: {}", transport_summary(source))]
    Transport {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// The response was not the JSON the SDK expected.
    #[error(
        "{entity} {operation}: could not decode the HTTP {status} response{}",
        body_suffix(excerpt)
    )]
    Decode {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The HTTP status code of the response.
        status: u16,
        /// The start of the response body (at most about 512 characters).
        excerpt: String,
        /// What did not match.
        #[source]
        source: serde_json::Error,
    },

    /// The response body was larger than the client accepts (see
    /// `ClientBuilder::max_response_size`). Reading stopped at the limit, or before reading when
    /// `Content-Length` announced more; the request is not sent again.
    #[error(
        "{entity} {operation}: the HTTP {status} response is larger than the limit of {limit} bytes"
    )]
    ResponseTooLarge {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The HTTP status code of the response.
        status: u16,
        /// The limit in bytes that the body passed.
        limit: usize,
    },

    /// The request could not be turned into JSON.
    #[error("{entity} {operation}: could not encode the request body")]
    Encode {
        /// The entity, e.g. `EmailAccount`.
        entity: &'static str,
        /// The operation that was attempted.
        operation: Operation,
        /// The serializer error.
        #[source]
        source: serde_json::Error,
    },

    /// The client could not be configured (bad base URL, missing or conflicting credentials,
    /// HTTP client setup).
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The validation errors, when the request was rejected by validation.
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        match self {
            Self::Validation { errors, .. } => Some(errors),
            _ => None,
        }
    }

    /// The HTTP status of the response, for [`Error::Status`], [`Error::ServerError`],
    /// [`Error::Decode`], [`Error::ResponseTooLarge`], [`Error::Unauthorized`],
    /// [`Error::Forbidden`], [`Error::NotFound`] and [`Error::Throttled`], and of the token
    /// endpoint's answer for [`Error::Auth`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. }
            | Self::ServerError { status, .. }
            | Self::Decode { status, .. }
            | Self::ResponseTooLarge { status, .. } => Some(*status),
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::NotFound { .. } => Some(404),
            Self::Throttled { .. } => Some(409),
            Self::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// The entity the failed call was about; `None` for [`Error::Config`].
    pub fn entity(&self) -> Option<&'static str> {
        match self {
            Self::Validation { entity, .. }
            | Self::Status { entity, .. }
            | Self::ServerError { entity, .. }
            | Self::Unauthorized { entity, .. }
            | Self::Forbidden { entity, .. }
            | Self::NotFound { entity, .. }
            | Self::Throttled { entity, .. }
            | Self::Auth { entity, .. }
            | Self::Transport { entity, .. }
            | Self::Decode { entity, .. }
            | Self::ResponseTooLarge { entity, .. }
            | Self::Encode { entity, .. } => Some(entity),
            Self::Config { .. } => None,
        }
    }

    /// The operation that failed; `None` for [`Error::Config`].
    pub fn operation(&self) -> Option<Operation> {
        match self {
            Self::Validation { operation, .. }
            | Self::Status { operation, .. }
            | Self::ServerError { operation, .. }
            | Self::Unauthorized { operation, .. }
            | Self::Forbidden { operation, .. }
            | Self::NotFound { operation, .. }
            | Self::Throttled { operation, .. }
            | Self::Auth { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Decode { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::Encode { operation, .. } => Some(*operation),
            Self::Config { .. } => None,
        }
    }
}

fn validation_details(message: Option<&str>, errors: &ValidationErrors) -> String {
    // With errors present the server's message only repeats them, so it is left out.
    match (errors.len(), message) {
        (0, Some(message)) if !message.trim().is_empty() => format!(": {message}"),
        (0, _) => " (no details given)".to_owned(),
        (1, _) => format!(" (1 error): {errors}"),
        (count, _) => format!(" ({count} errors): {errors}"),
    }
}

pub(super) fn transport_summary(source: &reqwest::Error) -> &'static str {
    if source.is_timeout() {
        "the request timed out"
    } else if source.is_connect() {
        "could not connect to the server"
    } else {
        "the request failed before a complete response was received"
    }
}

fn wait_suffix(retry_after: Option<std::time::Duration>) -> String {
    match retry_after {
        Some(wait) if wait.subsec_millis() == 0 => format!("; retry after {} s", wait.as_secs()),
        Some(wait) => format!("; retry after {:.1} s", wait.as_secs_f64()),
        None => String::new(),
    }
}

fn code_suffix(code: Option<&str>) -> String {
    code.map(|code| format!(" ({code})")).unwrap_or_default()
}

fn body_suffix(body: &str) -> String {
    if body.trim().is_empty() {
        " with an empty body".to_owned()
    } else {
        format!(": {body}")
    }
}

#[cfg(test)]
mod tests;
