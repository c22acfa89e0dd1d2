//! Webhooks: the signature Nexudus puts on each delivery, checked over the body's bytes in
//! constant time, and the body decoded into the record type its action carries.
//!
//! Nothing here depends on a web framework: a receiver hands over the body's bytes, the
//! `X-Nexudus-Hook-Signature` header's value and the action the URL was registered for, and
//! gets an [`Event`] back.
//!
//! ```
//! use nexudus::webhook::{Event, Receiver};
//!
//! # fn handle(body: &[u8], signature: Option<&[u8]>) -> Result<(), nexudus::webhook::WebhookError> {
//! let receiver = Receiver::new("the account's shared secret");
//! // The action is the one the webhook's URL was registered for, e.g. `/hooks/CoworkerCreate`.
//! match receiver.receive("CoworkerCreate", body, signature)? {
//!     #[cfg(feature = "spaces")]
//!     Event::CoworkerCreate(coworker) => println!("new member {}", coworker.id),
//!     other => println!("{}: {other:?}", other.action()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The signature is HMAC-SHA256 keyed with the shared secret, as uppercase hexadecimal, as
//! Nexudus's article "Verifying Webhooks Created via the API" (help.nexudus.com) shows it: the
//! code there computes it over the body and the secret encoded as ASCII, which turns each
//! character outside ASCII into `?`. A body with such characters (a member called José) is
//! therefore signed as if it said `Jos?`: [`Receiver::verify`] accepts the HMAC of the bytes as
//! sent and the HMAC of that ASCII form, and nothing else.

use std::fmt;

use nexudus_runtime::crypto::{self, HMAC_SHA256_LENGTH};

use crate::Secret;

include!(concat!(env!("OUT_DIR"), "/webhooks.rs"));

/// The header that carries a delivery's signature.
pub const SIGNATURE_HEADER: &str = "X-Nexudus-Hook-Signature";

/// The length of a signature: an HMAC-SHA256 in hexadecimal.
const SIGNATURE_LENGTH: usize = 2 * HMAC_SHA256_LENGTH;

/// Checks and decodes webhook deliveries: one per shared secret.
///
/// Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct Receiver {
    /// `None` when deliveries are taken unsigned (see [`Receiver::unsigned`]).
    secret: Option<Secret>,
}

impl Receiver {
    /// A receiver that accepts only deliveries signed with `secret`, the account's shared
    /// secret.
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self {
            secret: Some(secret.into()),
        }
    }

    /// A receiver that takes deliveries without checking any signature, for an account that
    /// has no shared secret (Nexudus then signs nothing). Anyone who can reach the URL can
    /// then send it anything: prefer a secret.
    pub fn unsigned() -> Self {
        Self { secret: None }
    }

    /// Checks `signature` (the `X-Nexudus-Hook-Signature` header's value, `None` when the
    /// request has none) against `body`, the request's bytes exactly as received. The
    /// comparison takes the same time wherever the signatures differ.
    ///
    /// A receiver made with [`Receiver::unsigned`] accepts anything.
    pub fn verify(&self, body: &[u8], signature: Option<&[u8]>) -> Result<(), WebhookError> {
        let Some(secret) = &self.secret else {
            return Ok(());
        };
        let signature = signature.ok_or(WebhookError::MissingSignature)?;
        let expected = decode_signature(signature)?;
        let key = ascii_form(secret.expose().as_bytes());
        // The HMAC of the bytes as sent, and of the ASCII form Nexudus signs when they are not
        // all ASCII: both are computed and compared in full, so that the time taken does not
        // depend on which one matched.
        let as_sent = crypto::hmac_sha256_verify(&key, body, &expected);
        let as_ascii = if body.is_ascii() {
            false
        } else {
            crypto::hmac_sha256_verify(&key, &ascii_form(body), &expected)
        };
        if as_sent | as_ascii {
            Ok(())
        } else {
            Err(WebhookError::SignatureMismatch)
        }
    }

    /// Checks the signature (as [`Receiver::verify`]) and decodes `body`, a JSON array holding
    /// one record, into the record type `action` carries. `action` is the `eWebhookAction` name
    /// the webhook was created with (`CoworkerCreate`, in any letter case), which the receiver
    /// knows from the URL it registered: Nexudus does not send it. An action no schema maps is
    /// [`Event::Other`], with the record as JSON.
    pub fn receive(
        &self,
        action: &str,
        body: &[u8],
        signature: Option<&[u8]>,
    ) -> Result<Event, WebhookError> {
        self.verify(body, signature)?;
        decode(action, body)
    }
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// Decodes `body` (a JSON array holding one record) into the record type `action` carries,
/// without checking any signature: for a body already verified, or read back from a log.
pub fn decode(action: &str, body: &[u8]) -> Result<Event, WebhookError> {
    let payload_error = |message: &str| WebhookError::Payload {
        action: action.to_owned(),
        message: message.to_owned(),
    };
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|source| WebhookError::Decode {
            action: action.to_owned(),
            source,
        })?;
    let record = match value {
        serde_json::Value::Array(mut records) => {
            if records.len() != 1 {
                return Err(payload_error(&format!(
                    "expected an array holding one record, found {} records",
                    records.len()
                )));
            }
            records.remove(0)
        }
        // Read leniently, as records are: a bare record is the record.
        record @ serde_json::Value::Object(_) => record,
        _ => return Err(payload_error("expected a JSON array holding one record")),
    };
    if !record.is_object() {
        return Err(payload_error(
            "the array holds something other than a record",
        ));
    }
    Event::from_record(action, record).map_err(|source| WebhookError::Decode {
        action: action.to_owned(),
        source,
    })
}

/// The signature of `body` with `secret`, as Nexudus computes it: HMAC-SHA256 of the ASCII
/// form of both, in uppercase hexadecimal. For tests of a receiver, and for a sender that
/// stands in for Nexudus.
pub fn sign(secret: &Secret, body: &[u8]) -> String {
    let key = ascii_form(secret.expose().as_bytes());
    hex::encode_upper(crypto::hmac_sha256(&key, &ascii_form(body)))
}

/// The bytes a signature spells in hexadecimal (either letter case).
fn decode_signature(signature: &[u8]) -> Result<[u8; HMAC_SHA256_LENGTH], WebhookError> {
    let signature = signature.trim_ascii();
    if signature.len() != SIGNATURE_LENGTH {
        return Err(WebhookError::MalformedSignature {
            reason: format!(
                "expected {SIGNATURE_LENGTH} hexadecimal digits, found {} bytes",
                signature.len()
            ),
        });
    }
    let mut bytes = [0; HMAC_SHA256_LENGTH];
    hex::decode_to_slice(signature, &mut bytes).map_err(|_| WebhookError::MalformedSignature {
        reason: format!("expected {SIGNATURE_LENGTH} hexadecimal digits, found other characters"),
    })?;
    Ok(bytes)
}

/// What .NET's `ASCIIEncoding` makes of text: every character outside ASCII becomes `?`.
/// Bytes that are not UTF-8 count as one character each.
fn ascii_form(bytes: &[u8]) -> Vec<u8> {
    if bytes.is_ascii() {
        return bytes.to_vec();
    }
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
        .collect()
}

/// Why a webhook delivery was refused.
///
/// Messages never hold the secret, the signature sent or the body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request carries no `X-Nexudus-Hook-Signature` header, and the receiver has a secret.
    #[error(
        "webhook: the request has no {SIGNATURE_HEADER} header; Nexudus signs every delivery when the account has a shared secret"
    )]
    MissingSignature,

    /// The header is not 64 hexadecimal digits.
    #[error("webhook: the {SIGNATURE_HEADER} header is not a signature: {reason}")]
    MalformedSignature {
        /// What is wrong with it.
        reason: String,
    },

    /// The signature does not match the body: the body was changed on the way, or it was
    /// signed with another secret.
    #[error(
        "webhook: the {SIGNATURE_HEADER} signature does not match the body (a changed body, or another secret)"
    )]
    SignatureMismatch,

    /// The body is not JSON, or the record does not have the shape of the action's record
    /// type.
    #[error("webhook {action}: the body cannot be decoded: {source}")]
    Decode {
        /// The action, as the receiver gave it.
        action: String,
        /// What did not match.
        #[source]
        source: serde_json::Error,
    },

    /// The body is JSON, but not an array holding one record.
    #[error("webhook {action}: {message}")]
    Payload {
        /// The action, as the receiver gave it.
        action: String,
        /// What the body holds instead.
        message: String,
    },
}

#[cfg(test)]
mod tests;
