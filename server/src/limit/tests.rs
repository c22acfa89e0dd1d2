//! Tests of the per-user rate limits: a user over a quota waits, the others do not.

use super::*;

#[test]
fn a_user_over_a_quota_waits_and_others_do_not() {
    let limiter = Limiter::new(&Limits {
        all: vec![every(Duration::from_secs(60), 2)],
        writes: vec![every(Duration::from_secs(60), 1)],
    });
    assert!(limiter.check("a@example.com", true).is_ok());
    let wait = limiter
        .check("A@example.com", true)
        .expect_err("one write a minute");
    assert!(
        wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    assert!(
        limiter.check("a@example.com", false).is_ok(),
        "reads have their own room"
    );
    assert!(
        limiter.check("a@example.com", false).is_err(),
        "two requests a minute"
    );
    assert!(limiter.check("b@example.com", true).is_ok(), "per user");
}
