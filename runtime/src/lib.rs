//! The hand-written runtime of the `nexudus` SDK: the HTTP client, errors, paging, validation and
//! the wire helpers that the SDK's generated entity code calls.
//!
//! Use it through `nexudus`, which re-exports its public types; this crate is its own only so
//! that the SDK's generated code and this runtime compile apart. Items hidden from these docs are
//! for generated code alone and carry no stability promise.

mod attempt;
mod auth;
mod builder;
mod client;
mod command;
// The crypto library TLS uses, and its HMAC for the SDK's webhook signatures: there only when a
// feature chose one.
#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
#[doc(hidden)]
pub mod crypto;
mod datetime;
mod endpoint;
mod error;
#[cfg(test)]
mod fixtures;
mod limit;
mod open_enum;
mod page;
mod pending;
#[doc(hidden)]
pub mod properties;
mod record;
mod response;
mod retry;
mod search;
mod secret;
mod tls;
mod validation;
mod wire;

pub use builder::ClientBuilder;
pub use client::Client;
pub use command::{Command, CommandOutcome, CommandParameter, CommandParameterInfo};
pub use endpoint::{Operation, WriteOutcome};
pub use error::{Error, ValidationOrigin};
pub use limit::{RateLimit, RateLimiter};
pub use open_enum::UnknownValue;
pub use page::Page;
pub use pending::{Pending, Records};
pub use record::{Full, Record};
pub use search::{DirectionEncoding, PageRequest, SortDirection, SortKey};
pub use secret::Secret;
pub use validation::{ValidationError, ValidationErrors};

// What generated entity code reaches as `::nexudus_runtime::...`, beside the types above.
#[doc(hidden)]
pub use {
    endpoint::{Endpoint, Endpoints},
    properties::{Properties, PropertyWriter, ReadProperties, WriteProperties},
    search::{Query, QueryValue},
    validation::{Integer, Text, Violations},
    wire::{Fetched, read_value},
};
