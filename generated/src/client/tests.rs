//! Tests of the SDK's client over the runtime's: what it adds is reached, what it wraps shows.

use super::*;

const TOKEN: &str = "a-bearer-token-secret";

#[test]
fn new_uses_the_nexudus_host() {
    let client = Client::new(TOKEN).expect("client");
    assert_eq!(client.base_url().as_str(), "https://spaces.nexudus.com/");
}

#[test]
fn the_builder_makes_the_sdk_client_with_its_settings() {
    let client: Client = Client::builder()
        .base_url("http://127.0.0.1:9/nexudus")
        .basic("desk@example.com", "a password")
        .build()
        .expect("client");
    assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/nexudus");
    let debug = format!("{client:?}");
    assert!(debug.contains("desk@example.com"), "{debug}");
    assert!(!debug.contains("a password"), "{debug}");
}
