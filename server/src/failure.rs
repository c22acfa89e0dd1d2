//! `Failure`: why a request failed, answered in the Nexudus shape (400 with every problem, 401,
//! 404, 408, 409 with `Retry-After`, 500), so handlers return `Result<_, Failure>` and `?`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::store::StoreError;
use crate::validate::Problem;

/// A failed request, answered in the Nexudus shape.
pub(crate) enum Failure {
    /// 400 with every problem.
    Invalid(Vec<Problem>),
    /// 404: no such record.
    NotFound(String),
    /// 500: the storage failed.
    Storage(String),
    /// 401: no valid credentials, or not the role the route needs.
    Unauthorized(String),
    /// 409 with `Retry-After`: over a rate limit.
    Throttled(std::time::Duration),
    /// 408: the body did not arrive within this time.
    TooSlow(std::time::Duration),
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Self::Storage(error.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Invalid(problems) => {
                let message = problems
                    .iter()
                    .map(|problem| {
                        if problem.property.is_empty() {
                            problem.message.clone()
                        } else {
                            format!("{}: {}", problem.property, problem.message)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let body = json!({
                    "Message": message, "Value": null, "Errors": problems, "WasSuccessful": false,
                });
                (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
            }
            Failure::NotFound(message) => (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"Message": message, "WasSuccessful": false})),
            )
                .into_response(),
            Failure::Storage(message) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(json!({"Message": message, "WasSuccessful": false})),
            )
                .into_response(),
            Failure::Unauthorized(message) => (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"Message": message})),
            )
                .into_response(),
            // The connection is closed: the rest of the body may still be on its way.
            Failure::TooSlow(timeout) => (
                StatusCode::REQUEST_TIMEOUT,
                [(header::CONNECTION, "close")],
                axum::Json(json!({
                    "Message": format!(
                        "The request body did not arrive within {} s.",
                        timeout.as_secs_f64()
                    ),
                    "WasSuccessful": false,
                })),
            )
                .into_response(),
            // An empty body, as Nexudus throttles; whole seconds, rounded up.
            Failure::Throttled(wait) => {
                let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                (
                    StatusCode::CONFLICT,
                    [(header::RETRY_AFTER, seconds.max(1).to_string())],
                )
                    .into_response()
            }
        }
    }
}
