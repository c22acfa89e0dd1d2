//! A loopback HTTP/1.1 server that misbehaves on purpose, written on a bare TCP socket: it can
//! reset a connection, fall silent, drip a body or send one without end, which a mock server
//! built on a full HTTP stack cannot.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// What the server does with one request.
pub(crate) enum Reply {
    /// Sends these bytes (a whole response) and waits for the next request on the connection.
    Send(Vec<u8>),
    /// Sends these bytes, then closes the connection normally.
    SendAndClose(Vec<u8>),
    /// Sends these bytes, then resets the connection (TCP RST).
    SendAndReset(Vec<u8>),
    /// Sends nothing and keeps the connection open.
    Silence,
    /// Sends `head`, then `body` one byte every `every`.
    Drip {
        head: Vec<u8>,
        body: Vec<u8>,
        every: Duration,
    },
    /// Sends a 200 with `total` bytes of filler (spaces), announced in `Content-Length` or
    /// sent in chunks, from one small buffer so that the server needs no memory for it.
    Stream { total: u64, chunked: bool },
}

/// One request as it arrived.
#[derive(Clone, Debug)]
pub(crate) struct Arrival {
    /// When its head had been read, counted from the server's start.
    pub(crate) at: Duration,
    pub(crate) method: String,
    pub(crate) path: String,
}

/// What the server saw and did.
#[derive(Default)]
pub(crate) struct Log {
    arrivals: Mutex<Vec<Arrival>>,
    /// Bytes of streamed bodies written to sockets.
    streamed: AtomicU64,
}

pub(crate) struct RawServer {
    pub(crate) address: SocketAddr,
    log: Arc<Log>,
}

impl RawServer {
    /// A server on a free loopback port that answers the `n`th request (from 0) with
    /// `reply(n, request)`. It runs until the test's runtime ends.
    pub(crate) async fn start(
        reply: impl Fn(usize, &Arrival) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("an address");
        let log = Arc::new(Log::default());
        let reply = Arc::new(reply);
        let started = Instant::now();
        let server_log = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, reply) = (Arc::clone(&server_log), Arc::clone(&reply));
                tokio::spawn(async move {
                    // Errors end the connection: a client that hangs up is no failure here.
                    let _ = serve(stream, started, &log, &*reply).await;
                });
            }
        });
        Self { address, log }
    }

    pub(crate) fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request received so far, in order of arrival.
    pub(crate) fn arrivals(&self) -> Vec<Arrival> {
        self.log.arrivals.lock().expect("not poisoned").clone()
    }

    /// Bytes of streamed bodies written so far.
    pub(crate) fn streamed(&self) -> u64 {
        self.log.streamed.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    started: Instant,
    log: &Log,
    reply: &(dyn Fn(usize, &Arrival) -> Reply + Send + Sync),
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some(arrival) = read_request(&mut stream, &mut buffer, started).await? else {
            return Ok(());
        };
        let index = {
            let mut arrivals = log.arrivals.lock().expect("not poisoned");
            arrivals.push(arrival.clone());
            arrivals.len() - 1
        };
        match reply(index, &arrival) {
            Reply::Send(bytes) => stream.write_all(&bytes).await?,
            Reply::SendAndClose(bytes) => {
                stream.write_all(&bytes).await?;
                stream.shutdown().await?;
                return Ok(());
            }
            Reply::SendAndReset(bytes) => {
                stream.write_all(&bytes).await?;
                stream.flush().await?;
                // Give the bytes time to leave before the reset discards what is unsent.
                tokio::time::sleep(Duration::from_millis(20)).await;
                stream.set_zero_linger()?;
                return Ok(());
            }
            Reply::Silence => {
                std::future::pending::<()>().await;
            }
            Reply::Drip { head, body, every } => {
                stream.write_all(&head).await?;
                for byte in body {
                    tokio::time::sleep(every).await;
                    stream.write_all(&[byte]).await?;
                }
            }
            Reply::Stream { total, chunked } => {
                stream_body(&mut stream, total, chunked, log).await?;
            }
        }
    }
}

/// Reads one request head (and its body, when it has a `Content-Length`); `None` once the
/// client has closed the connection.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    started: Instant,
) -> std::io::Result<Option<Arrival>> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        let mut chunk = [0_u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let at = started.elapsed();
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let path = words.next().unwrap_or_default().to_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0_u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    buffer.drain(..head_end + length);
    Ok(Some(Arrival { at, method, path }))
}

async fn stream_body(
    stream: &mut TcpStream,
    total: u64,
    chunked: bool,
    log: &Log,
) -> std::io::Result<()> {
    const PIECE: usize = 64 * 1024;
    let head = if chunked {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_owned()
    } else {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {total}\r\n\r\n"
        )
    };
    stream.write_all(head.as_bytes()).await?;
    let filler = vec![b' '; PIECE];
    let mut left = total;
    while left > 0 {
        let size = usize::try_from(left).map_or(PIECE, |left| left.min(PIECE));
        if chunked {
            stream.write_all(format!("{size:x}\r\n").as_bytes()).await?;
        }
        stream.write_all(&filler[..size]).await?;
        if chunked {
            stream.write_all(b"\r\n").await?;
        }
        log.streamed.fetch_add(size as u64, Ordering::SeqCst);
        left -= size as u64;
    }
    if chunked {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    Ok(())
}

/// A complete response with `status` and `body`, its length announced.
pub(crate) fn response(status: u16, reason: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
