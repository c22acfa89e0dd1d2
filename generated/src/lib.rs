//! A typed async client for the Nexudus Spaces REST API.
//!
//! Each entity lives in a module of its API area, e.g. `crm::email_account`. Its record type
//! (`EmailAccount`), request types (`EmailAccountCreate`, `EmailAccountUpdate`) and their
//! validators, search filters (`EmailAccountFilter`, `EmailAccountSort`) and the client methods
//! (`client.email_accounts().search(..)`, `.get(..)`, `.get_many(..)`, `.create(..)`,
//! `.update(..)`, `.update_with(..)`, `.delete(..)`, and commands where the entity has them) are
//! generated at build time from the YAML schemas in `schema/`; the HTTP client, errors and
//! helpers they call are hand-written (the `nexudus-runtime` crate) and re-exported here.
//!
//! ```no_run
//! use nexudus::crm::email_account::{EmailAccountCreate, EmailAccountCreateRequired};
//!
//! # async fn run() -> Result<(), nexudus::Error> {
//! let client = nexudus::Client::new("a bearer token")?;
//! // Every field the API requires is named here; leaving one out does not compile.
//! let request = EmailAccountCreate::new(EmailAccountCreateRequired {
//!     business_id: 1_001,
//!     display_name: "Front desk".into(),
//!     email_address: "desk@example.com".into(),
//!     incoming_server: "imap.example.com".into(),
//!     incoming_server_port: 993,
//!     incoming_server_username: "desk".into(),
//!     outgoing_server: "smtp.example.com".into(),
//!     outgoing_server_port: 587,
//!     outgoing_server_username: "desk".into(),
//! })
//! .incoming_server_ssl(true);
//!
//! match client.email_accounts().create(&request).await {
//!     Ok(created) => println!("created EmailAccount {}", created.id),
//!     // Checked before sending, or rejected by Nexudus: every {PropertyName, Message} at once.
//!     Err(nexudus::Error::Validation { errors, .. }) => {
//!         for error in &errors {
//!             eprintln!("{}: {}", error.property_name, error.message);
//!         }
//!     }
//!     Err(other) => return Err(other),
//! }
//! # Ok(())
//! # }
//! ```

// Without a TLS provider no request could be sent: say so when building, not when connecting.
#[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
compile_error!(
    "nexudus needs a TLS crypto provider: enable the feature `tls-aws-lc` (the default) or \
     `tls-ring`, e.g. `nexudus = { version = \"0.1\", default-features = false, features = \
     [\"spaces\", \"tls-ring\"] }`"
);

mod client;
// Its signatures are the TLS provider's HMAC: without a provider, the error above is the only one.
#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
pub mod webhook;

/// The date-time crate of the public API (`chrono` 0.4): records and date filters hold
/// `chrono::DateTime<chrono::Utc>`, so no dependency of your own is needed to build one.
pub use chrono;
/// The extension traits of the streams `search_all` answers (`futures-util` 0.3), for
/// `search_all(..).try_collect().await` and the like: `use nexudus::TryStreamExt as _;`.
pub use futures_util::{StreamExt, TryStreamExt};
/// The decimal crate of the public API (`rust_decimal` 1): money is a `rust_decimal::Decimal`.
pub use rust_decimal;

pub use client::{Client, ClientBuilder};
pub use nexudus_runtime::{
    Command, CommandOutcome, CommandParameter, CommandParameterInfo, DirectionEncoding, Error,
    Full, Operation, Page, PageRequest, Pending, RateLimit, RateLimiter, Record, Records, Secret,
    SortDirection, SortKey, UnknownValue, ValidationError, ValidationErrors, ValidationOrigin,
    WriteOutcome,
};

include!(concat!(env!("OUT_DIR"), "/areas.rs"));
