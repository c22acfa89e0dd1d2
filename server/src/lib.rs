//! A local server that behaves like the Nexudus REST API for every entity in `schema/`, with the
//! records in SQLite: for trying an integration, and for testing one, without a Nexudus account.
//!
//! Every entity and operation the schemas declare has its route at the Nexudus path: search
//! (filters, ranges, paging, ordering, the list envelope), get one, get many, create, update (a
//! full replacement) and delete, answering with the write envelope (`WasSuccessful`, `Message`,
//! `Value.Id`). Writes are checked against the schema, and every problem comes back at once as a
//! Nexudus 400 (`Errors: [{PropertyName, Message, AttemptedValue}]`); nothing is stored unless
//! the whole request is valid. The server keeps `Id`, `UniqueId`, `CreatedOn`, `UpdatedOn` and
//! `UpdatedBy` itself.
//!
//! Callers authenticate as with Nexudus: a token from `POST /api/token` (password or refresh
//! grant, form-encoded; refresh tokens rotate; tokens expire) or Basic credentials. Each route
//! needs its `{Entity}-{Action}` role (`List`, `Read`, `Create`, `Edit`, `Delete`) or
//! `Administrator`, and answers 401 otherwise. Nexudus's published rate limits apply per user
//! (409 with `Retry-After`), unless switched off.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = nexudus_server::Config {
//!     users: vec![nexudus_server::User::administrator("admin@example.com", "change me")],
//!     ..nexudus_server::Config::default()
//! };
//! let server = nexudus_server::start(config).await?;
//! println!("serving at {}", server.url());
//! server.stop().await?;
//! # Ok(())
//! # }
//! ```

mod auth;
mod authorized;
mod catalogue;
mod failure;
mod limit;
mod query;
mod routes;
mod serve;
mod store;
mod validate;
mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;

pub use auth::{ADMINISTRATOR, User, UsersFile};
pub use limit::{Limits, every};
pub use store::{Database, StoreError};
pub use validate::Problem;
pub use webhook::{SIGNATURE_HEADER, Webhooks};

/// How a server is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the records live: a SQLite file, or memory.
    pub database: Database,
    /// The largest request body accepted, in bytes; larger ones get a 400.
    pub body_limit: usize,
    /// How long a client may take to send a request's head, and then its body. A head that is
    /// not complete in time closes the connection (as does a kept-alive connection left idle
    /// that long); a body that is not, a 408. Slow clients then hold no connection for long.
    pub read_timeout: std::time::Duration,
    /// Who may call the API, with their roles; a request by anyone else gets 401.
    pub users: Vec<User>,
    /// How long an access token from `/api/token` is valid.
    pub token_lifetime: std::time::Duration,
    /// The rate limits per user; `None` switches them off.
    pub rate_limits: Option<Limits>,
    /// How the webhooks created through the `WebHook` entity are delivered: the shared secret
    /// that signs them, the retries, when a failing webhook is disabled.
    pub webhooks: Webhooks,
}

impl Default for Config {
    /// Records in memory, bodies up to 1 MiB, 30 s to send a request's head and 30 s for its
    /// body, no users, tokens valid for 604,799 s (as Nexudus's), and Nexudus's published rate
    /// limits; webhooks unsigned, retried after 10 s, 1 min, 5 min, 30 min and 2 h, and
    /// disabled after 10 failed attempts in a row ([`Webhooks::default`]).
    fn default() -> Self {
        Self {
            database: Database::Memory,
            body_limit: 1 << 20,
            read_timeout: std::time::Duration::from_secs(30),
            users: Vec::new(),
            token_lifetime: std::time::Duration::from_secs(604_799),
            rate_limits: Some(Limits::nexudus()),
            webhooks: Webhooks::default(),
        }
    }
}

impl User {
    /// A user with the `Administrator` role, who may do everything.
    pub fn administrator(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            roles: vec![ADMINISTRATOR.to_owned()],
        }
    }
}

/// Why a server could not start or stopped with a failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The embedded schema model does not parse (a build problem).
    #[error("the embedded schema model does not parse: {0}")]
    Model(#[from] serde_json::Error),
    /// The socket could not be bound, or serving failed.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

/// The router of a server with this configuration, ready for `axum::serve`. It bounds the time
/// a request's body may take; the deadline on its head is [`serve`]'s and [`start`]'s, since
/// `axum::serve` sets none. Called within a tokio runtime, it starts there the task that
/// delivers webhooks, which ends once the router and its clones are dropped.
pub fn router(config: &Config) -> Result<axum::Router, Error> {
    let catalogue = catalogue::embedded()?;
    let store = store::Store::open(&config.database)?;
    let outbox = Arc::new(webhook::Outbox::new(&catalogue, &store)?);
    // The delivery task writes through a store that fires nothing, and ends with the router.
    webhook::spawn(store.clone(), &outbox, config.webhooks.clone());
    let state = routes::AppState {
        catalogue: Arc::new(catalogue),
        store: store.with_outbox(outbox),
        body_limit: config.body_limit,
        read_timeout: config.read_timeout,
        auth: Arc::new(auth::Auth::new(config.users.clone(), config.token_lifetime)),
        limiter: config
            .rate_limits
            .as_ref()
            .map(|limits| Arc::new(limit::Limiter::new(limits))),
    };
    Ok(routes::router(state))
}

/// Serves on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, config: &Config) -> Result<(), Error> {
    serve::serve(
        listener,
        router(config)?,
        config.read_timeout,
        std::future::pending(),
    )
    .await;
    Ok(())
}

/// A server running in this process, on a port of its own.
#[derive(Debug)]
pub struct RunningServer {
    address: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts a server on `127.0.0.1` with a port the system picks, in the background of the
/// current tokio runtime: what tests and the quickstart use.
pub async fn start(config: Config) -> Result<RunningServer, Error> {
    let router = router(&config)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let address = listener.local_addr()?;
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve::serve(
        listener,
        router,
        config.read_timeout,
        async move {
            // A dropped sender stops the server too.
            let _ = stopped.await;
        },
    ));
    Ok(RunningServer {
        address,
        shutdown,
        task,
    })
}

impl RunningServer {
    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Its base URL, e.g. `http://127.0.0.1:49152`, for `ClientBuilder::base_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for it.
    pub async fn stop(self) -> Result<(), Error> {
        let _ = self.shutdown.send(());
        self.task
            .await
            .map_err(|error| Error::Io(std::io::Error::other(error)))
    }
}
