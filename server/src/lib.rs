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
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let server = nexudus_server::start(nexudus_server::Config::default()).await?;
//! println!("serving at {}", server.url());
//! server.stop().await?;
//! # Ok(())
//! # }
//! ```

mod catalogue;
mod routes;
mod store;
mod validate;

use std::net::SocketAddr;
use std::sync::Arc;

pub use store::{Database, StoreError};
pub use validate::Problem;

/// How a server is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the records live: a SQLite file, or memory.
    pub database: Database,
    /// The largest request body accepted, in bytes; larger ones get a 400.
    pub body_limit: usize,
}

impl Default for Config {
    /// Records in memory, bodies up to 1 MiB.
    fn default() -> Self {
        Self {
            database: Database::Memory,
            body_limit: 1 << 20,
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

/// The router of a server with this configuration, ready for `axum::serve`.
pub fn router(config: &Config) -> Result<axum::Router, Error> {
    let state = routes::AppState {
        catalogue: Arc::new(catalogue::Catalogue::embedded()?),
        store: store::Store::open(&config.database)?,
        body_limit: config.body_limit,
    };
    Ok(routes::router(state))
}

/// Serves on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, config: &Config) -> Result<(), Error> {
    axum::serve(listener, router(config)?).await?;
    Ok(())
}

/// A server running in this process, on a port of its own.
#[derive(Debug)]
pub struct RunningServer {
    address: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Starts a server on `127.0.0.1` with a port the system picks, in the background of the
/// current tokio runtime: what tests and the quickstart use.
pub async fn start(config: Config) -> Result<RunningServer, Error> {
    let router = router(&config)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let address = listener.local_addr()?;
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                // A dropped sender stops the server too.
                let _ = stopped.await;
            })
            .await
    });
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
        match self.task.await {
            Ok(result) => Ok(result?),
            Err(error) => Err(Error::Io(std::io::Error::other(error))),
        }
    }
}
