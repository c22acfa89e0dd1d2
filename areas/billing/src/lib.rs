#![doc = include_str!(concat!(env!("OUT_DIR"), "/billing.md"))]

include!(concat!(env!("OUT_DIR"), "/billing.rs"));
