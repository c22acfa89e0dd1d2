//! `Secret`: a string (token, password) that never shows in `Debug` or `Display` output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A sensitive string, such as an access token or a mailbox password.
///
/// `Debug` and `Display` print `[redacted]`, so a `Secret` can sit inside structs that derive
/// `Debug` without leaking into logs. On the wire it is a plain JSON string.
/// Call [`Secret::expose`] to read the value when it really is needed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the value itself. Take care not to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests;
