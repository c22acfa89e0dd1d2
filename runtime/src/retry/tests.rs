//! Tests of when a request is sent again: `Retry-After` and the backoff.

use reqwest::header::HeaderValue;

use super::*;

fn headers(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("header"));
    headers
}

#[test]
fn retry_after_reads_seconds_and_dates() {
    assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
    assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
    assert_eq!(retry_after(&HeaderMap::new()), None);
    assert_eq!(retry_after(&headers("soon")), None);
    assert_eq!(retry_after(&headers("-3")), None);
    assert_eq!(
        retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT")),
        Some(Duration::ZERO),
        "a date in the past"
    );
    let later = (Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
    let wait = retry_after(&headers(&later)).expect("a date");
    assert!(
        wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );
}

#[test]
fn backoff_doubles_stays_in_its_band_and_is_capped() {
    let base = Duration::from_millis(200);
    // Without jitter: half of 200 ms, 400 ms, 800 ms.
    assert_eq!(backoff(base, 1, 0), Duration::from_millis(100));
    assert_eq!(backoff(base, 2, 0), Duration::from_millis(200));
    assert_eq!(backoff(base, 3, 0), Duration::from_millis(400));
    // With the largest jitter: the whole doubled delay.
    assert_eq!(backoff(base, 3, 400_000_000), Duration::from_millis(800));
    for _ in 0..100 {
        let delay = backoff(base, 2, random());
        assert!(
            delay >= Duration::from_millis(200) && delay <= Duration::from_millis(400),
            "{delay:?}"
        );
    }
    assert!(backoff(base, 40, u64::MAX) <= MAX_BACKOFF);
    assert_eq!(backoff(base, 40, 0), MAX_BACKOFF / 2);
    assert_eq!(backoff(Duration::ZERO, 1, random()), Duration::ZERO);
    let draws: std::collections::HashSet<u64> = (0..10).map(|_| random()).collect();
    assert!(draws.len() > 1, "the jitter varies");
}
