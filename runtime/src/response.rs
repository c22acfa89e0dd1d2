//! Reading a response body into memory without letting a huge or endless one exhaust it.

/// The largest response body a client reads, unless configured otherwise: 32 MiB.
///
/// Nexudus answers with single records of a few kilobytes and search pages of at most some
/// thousands of them, a few megabytes. 32 MiB leaves room for the largest such page many times
/// over, while a broken proxy or hostile server that sends without end costs each call in
/// flight at most that much memory.
pub(crate) const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;

/// The most memory set aside before any of the body has arrived: a `Content-Length` is only a
/// claim, and one near the limit must not cost that much for a body that never comes.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// Why a body was not read.
#[derive(Debug)]
pub(crate) enum BodyFailure {
    /// The connection failed or timed out before the body was complete.
    Transport(reqwest::Error),
    /// The body is larger than the limit; reading stopped there.
    TooLarge,
}

/// Reads `response`'s body as it arrives, up to `limit` bytes.
///
/// A `Content-Length` above the limit is refused before anything is read; a body without one
/// (chunked) is refused as soon as it passes the limit. Either way the connection is dropped
/// rather than drained, so no more of it is received.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyFailure> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(BodyFailure::TooLarge);
    }
    let capacity = announced
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0)
        .min(MAX_PREALLOCATION);
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(BodyFailure::Transport)? {
        if chunk.len() > limit - body.len() {
            return Err(BodyFailure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
