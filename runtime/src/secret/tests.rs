//! Tests of `Secret`: never shown, kept whole, serialized as a plain string.

use super::*;

const VALUE: &str = "s3cr3t-t0ken";

#[test]
fn debug_and_display_never_show_the_value() {
    let secret = Secret::new(VALUE);
    assert_eq!(format!("{secret:?}"), "[redacted]");
    assert_eq!(format!("{secret}"), "[redacted]");
    assert_eq!(format!("{secret:#?}"), "[redacted]");

    #[derive(Debug)]
    #[allow(dead_code, reason = "only read through Debug")]
    struct Holder {
        password: Option<Secret>,
    }
    let holder = format!(
        "{:?}",
        Holder {
            password: Some(secret)
        }
    );
    assert!(!holder.contains(VALUE), "{holder}");
}

#[test]
fn expose_and_conversions_keep_the_value() {
    assert_eq!(Secret::new(VALUE).expose(), VALUE);
    assert_eq!(Secret::from(VALUE.to_owned()).expose(), VALUE);
    assert_eq!(Secret::from(VALUE), Secret::new(VALUE));
    assert_ne!(Secret::from("a"), Secret::from("b"));
}

#[test]
fn serializes_as_a_plain_json_string() {
    let json = serde_json::to_string(&Secret::new(VALUE)).expect("serialize");
    assert_eq!(json, format!("\"{VALUE}\""));
    let back: Secret = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back.expose(), VALUE);
    assert!(serde_json::from_str::<Secret>("42").is_err());
}
