//! The hand-written runtime that generated entity code calls: client, errors and wire helpers.

mod attempt;
mod auth;
mod builder;
mod client;
mod command;
pub(crate) mod datetime;
mod endpoint;
mod error;
#[cfg(test)]
mod fixtures;
mod limit;
mod open_enum;
mod page;
mod pending;
pub(crate) mod properties;
mod record;
mod response;
mod retry;
mod search;
mod secret;
mod tls;
mod validation;
pub mod webhook;
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

// Generated entity code reaches these as `crate::runtime::...`; a schema folder that uses none
// of them (no write operations) would otherwise warn.
#[allow(unused_imports, reason = "used by generated entity code")]
pub(crate) use {
    endpoint::Endpoints,
    properties::{
        Properties, PropertyWriter, ReadProperties, WriteProperties, deserialize_properties,
        serialize_properties,
    },
    search::{Query, QueryValue},
    wire::{Fetched, read_value},
};
