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
mod tests {
    use super::*;

    const VALUE: &str = "s3cr3t-t0ken";

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new(VALUE);
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{secret:#?}"), "[redacted]");

        #[derive(Debug)]
        #[allow(dead_code, reason = "only read through Debug")]
        struct Holder {
            password: Option<Secret>,
        }
        let holder = format!(
            "{:?}",
            Holder {
                password: Some(secret)
            }
        );
        assert!(!holder.contains(VALUE), "{holder}");
    }

    #[test]
    fn expose_and_conversions_keep_the_value() {
        assert_eq!(Secret::new(VALUE).expose(), VALUE);
        assert_eq!(Secret::from(VALUE.to_owned()).expose(), VALUE);
        assert_eq!(Secret::from(VALUE), Secret::new(VALUE));
        assert_ne!(Secret::from("a"), Secret::from("b"));
    }

    #[test]
    fn serializes_as_a_plain_json_string() {
        let json = serde_json::to_string(&Secret::new(VALUE)).expect("serialize");
        assert_eq!(json, format!("\"{VALUE}\""));
        let back: Secret = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back.expose(), VALUE);
        assert!(serde_json::from_str::<Secret>("42").is_err());
    }
}
