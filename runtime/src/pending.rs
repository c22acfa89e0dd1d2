//! [`Pending`] and [`Records`]: the one future and the one stream type every entity's client
//! methods answer.
//!
//! Each is a boxed runtime future behind a named type. Were every method of every entity to
//! answer `impl Future + Send` instead, the compiler would prove `Send` anew for each entity's
//! instance of the runtime's state machine, some 1,900 times across the catalogue; a named type
//! is proven once, in the runtime's generic code. A read is one exchange, the same future for
//! every record type, and a plain function that reads its answer as the record type: only that
//! function is compiled per record type. The box costs one allocation per API call, next to a
//! network round trip.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::client::Answered;
use super::error::Error;

/// An API call on its way: `.await` it for the answer.
///
/// Every client method answers one (`client.email_accounts().get(id)` is a
/// `Pending<'_, Full<EmailAccount>>`). Nothing is sent until it is first polled, except that
/// writes validate and serialize their request when the method is called: an invalid request
/// fails at the first poll without any request made. It is `Send`, so it can be spawned onto a
/// multi-threaded runtime, and `Unpin`, so it can be polled in a `select!` without pinning.
#[must_use = "a call does nothing until it is awaited"]
pub struct Pending<'a, T>(State<'a, T>);

/// The network part of a read, the same future whatever record type its answer is read as.
pub(crate) type Exchange<'a> = Pin<Box<dyn Future<Output = Result<Answered, Error>> + Send + 'a>>;

enum State<'a, T> {
    /// A call whose future answers `T` itself: a write or a command, one type each.
    Call(Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>),
    /// An exchange, then `read` turns its answer into a `T`.
    Read {
        exchange: Exchange<'a>,
        read: fn(Answered) -> Result<T, Error>,
    },
    /// An answer known without a request; `None` once it has been taken.
    Ready(Option<Result<T, Error>>),
}

impl<'a, T> Pending<'a, T> {
    /// Boxes `future`: the runtime's async code, whatever its type.
    pub(crate) fn new(future: impl Future<Output = Result<T, Error>> + Send + 'a) -> Self {
        Self(State::Call(Box::pin(future)))
    }

    /// `exchange`, its answer read by `read`.
    pub(crate) fn read(exchange: Exchange<'a>, read: fn(Answered) -> Result<T, Error>) -> Self {
        Self(State::Read { exchange, read })
    }

    /// A call answered without a request.
    pub(crate) fn ready(result: Result<T, Error>) -> Self {
        Self(State::Ready(Some(result)))
    }
}

// No part of a `Pending` is ever pinned through it: the futures it holds are boxed, and a ready
// answer is moved out whole.
impl<T> Unpin for Pending<'_, T> {}

impl<T> Future for Pending<'_, T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            State::Call(call) => call.as_mut().poll(cx),
            State::Read { exchange, read } => exchange
                .as_mut()
                .poll(cx)
                .map(|answered| answered.and_then(*read)),
            State::Ready(result) => {
                Poll::Ready(result.take().expect("a Pending polled after it completed"))
            }
        }
    }
}

impl<T> fmt::Debug for Pending<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pending")
    }
}

/// Every record a search matches, page after page, as a stream (what `search_all` answers).
///
/// Use the stream traits `nexudus` re-exports: `use nexudus::TryStreamExt as _;`, then
/// `.try_collect::<Vec<_>>().await` or `.try_next().await` one record at a time. The next page
/// is requested only once the records before it have been consumed. It is `Send` and `Unpin`.
#[must_use = "a stream does nothing until it is polled"]
pub struct Records<'a, T>(Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>);

impl<'a, T> Records<'a, T> {
    /// Boxes `stream`: the runtime's paging stream, whatever its type.
    pub(crate) fn new(stream: impl Stream<Item = Result<T, Error>> + Send + 'a) -> Self {
        Self(Box::pin(stream))
    }
}

impl<T> Stream for Records<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T> fmt::Debug for Records<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Records")
    }
}
