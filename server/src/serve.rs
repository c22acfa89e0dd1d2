//! The connection loop: HTTP/1.1 with a deadline on reading each request's head, and a stop that
//! lets requests in flight finish.
//!
//! `axum::serve` gives hyper no timer, so a client that never finishes its request head (or a
//! kept-alive connection that never sends another) holds its connection for ever. hyper's own
//! header timeout closes such connections; the deadline on the body is the router's (see
//! `routes::read_request`), since hyper has none.

use std::future::Future;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// Serves `router` on `listener` until `stop` completes, then waits for the open connections to
/// finish the request they are answering. A connection whose request head is not complete
/// within `read_timeout` of its first byte being awaited is closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: axum::Router,
    read_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(read_timeout);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let socket = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((socket, _)) => socket,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let connection = http.serve_connection(
            TokioIo::new(socket),
            TowerToHyperService::new(router.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or breaks the protocol ends its own connection only.
            if let Err(error) = connection.await {
                tracing::debug!("connection ended: {error}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// After a failed `accept`: a connection that failed before it was accepted concerns only its
/// client; anything else (e.g. out of file descriptors) is waited out for a second, as
/// `axum::serve` does, rather than retried in a busy loop.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!("accept failed: {error}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
