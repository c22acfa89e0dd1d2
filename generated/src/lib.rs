//! A typed async client for the Nexudus Spaces REST API.
//!
//! The request types, validators and client methods of every entity are generated at build time
//! from the YAML schemas in `schema/`; the HTTP client, errors and helpers they call are
//! hand-written and re-exported here.

mod runtime;

pub use runtime::{
    Client, ClientBuilder, Error, Operation, Secret, UnknownValue, ValidationError,
    ValidationErrors, ValidationOrigin, WriteOutcome,
};

include!(concat!(env!("OUT_DIR"), "/entities.rs"));
