//! `Client`: the SDK's client, the runtime's with an accessor for every entity of the enabled
//! API areas (`client.email_accounts()`), which the generated `accessors.rs` adds.

use std::fmt;

use url::Url;

use crate::{Error, Secret};

/// An authenticated connection to the Nexudus API; each entity's operations are reached through
/// an accessor named after it, e.g. `email_accounts()` (with the `crm` area).
///
/// Cloning is cheap and clones share one connection pool and, with a password grant, one access
/// token: when it is due for renewal, one request renews it while the others wait. So create one
/// `Client` and pass clones around. `Debug` shows the base URL and any username, but never a
/// password or token.
#[derive(Clone)]
pub struct Client {
    /// What every generated handle calls: the runtime's client.
    pub(crate) runtime: nexudus_runtime::Client,
}

/// Configures a [`Client`]: credentials (exactly one kind), base URL, timeout, retries, rate
/// limit, TLS roots and user agent, checked when it is built.
pub type ClientBuilder = nexudus_runtime::ClientBuilder<Client>;

impl Client {
    /// A client for `https://spaces.nexudus.com` with a bearer token and default settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the token is empty or cannot be sent in a header, or if the HTTP
    /// client cannot be set up (for example when no TLS root certificates can be loaded).
    pub fn new(token: impl Into<Secret>) -> Result<Self, Error> {
        Self::builder().bearer_token(token).build()
    }

    /// A builder to set the base URL, credentials, timeout and user agent.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that API paths are appended to.
    pub fn base_url(&self) -> &Url {
        self.runtime.base_url()
    }
}

/// What [`ClientBuilder::build`] makes of the runtime's client.
impl From<nexudus_runtime::Client> for Client {
    fn from(runtime: nexudus_runtime::Client) -> Self {
        Self { runtime }
    }
}

include!(concat!(env!("OUT_DIR"), "/accessors.rs"));

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.runtime, f)
    }
}

#[cfg(test)]
mod tests;
