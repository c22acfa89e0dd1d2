//! Tests of the date-time serde modules: what is written, and what is read leniently.

use chrono::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::*;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    #[serde(rename = "CreatedOn", with = "required")]
    created_on: DateTime<Utc>,
    #[serde(rename = "LastCheckTime", default, with = "option")]
    last_check_time: Option<DateTime<Utc>>,
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid test date")
}

fn read(created_on: &str) -> Result<DateTime<Utc>, serde_json::Error> {
    serde_json::from_value::<Record>(json!({ "CreatedOn": created_on })).map(|r| r.created_on)
}

#[test]
fn writes_whole_seconds_with_z() {
    let record = Record {
        created_on: utc(2025, 1, 15, 10, 30, 0),
        last_check_time: Some(utc(2024, 12, 31, 23, 59, 59)),
    };
    assert_eq!(
        serde_json::to_value(&record).expect("serialize"),
        json!({"CreatedOn": "2025-01-15T10:30:00Z", "LastCheckTime": "2024-12-31T23:59:59Z"})
    );
}

#[test]
fn writes_sub_seconds_only_when_present() {
    let millis = utc(2025, 1, 15, 10, 30, 0) + chrono::Duration::milliseconds(250);
    assert_eq!(format(&millis), "2025-01-15T10:30:00.250Z");
    let micros = utc(2025, 1, 15, 10, 30, 0) + chrono::Duration::microseconds(5);
    assert_eq!(format(&micros), "2025-01-15T10:30:00.000005Z");
}

#[test]
fn round_trips() {
    for value in [
        utc(2025, 1, 15, 10, 30, 0),
        utc(1999, 2, 28, 0, 0, 1) + chrono::Duration::nanoseconds(123_456_789),
    ] {
        let record = Record {
            created_on: value,
            last_check_time: Some(value),
        };
        let json = serde_json::to_string(&record).expect("serialize");
        let back: Record = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, record, "{json}");
    }
}

#[test]
fn reads_offsets_as_utc() {
    assert_eq!(
        read("2025-01-15T12:30:00+02:00").expect("offset"),
        utc(2025, 1, 15, 10, 30, 0)
    );
    assert_eq!(
        read("2025-01-15T10:30:00Z").expect("zulu"),
        utc(2025, 1, 15, 10, 30, 0)
    );
}

#[test]
fn reads_naive_date_times_as_utc() {
    assert_eq!(
        read("2025-01-15T10:30:00").expect("naive"),
        utc(2025, 1, 15, 10, 30, 0)
    );
    assert_eq!(
        read("2025-01-15T10:30:00.1234567").expect("naive with .NET ticks"),
        utc(2025, 1, 15, 10, 30, 0) + chrono::Duration::nanoseconds(123_456_700)
    );
}

#[test]
fn rejects_what_is_not_a_date_time() {
    for bad in ["", "yesterday", "2025-13-01T00:00:00Z", "2025-01-15"] {
        let error = read(bad).expect_err(bad);
        assert!(error.to_string().contains("invalid date-time"), "{error}");
    }
    assert!(serde_json::from_value::<Record>(json!({"CreatedOn": 5})).is_err());
}

#[test]
fn optional_is_null_or_missing() {
    let record = Record {
        created_on: utc(2025, 1, 15, 10, 30, 0),
        last_check_time: None,
    };
    assert_eq!(
        serde_json::to_value(&record).expect("serialize")["LastCheckTime"],
        json!(null)
    );
    let missing: Record =
        serde_json::from_value(json!({"CreatedOn": "2025-01-15T10:30:00Z"})).expect("missing");
    assert_eq!(missing, record);
    let null: Record =
        serde_json::from_value(json!({"CreatedOn": "2025-01-15T10:30:00Z", "LastCheckTime": null}))
            .expect("null");
    assert_eq!(null, record);
}
