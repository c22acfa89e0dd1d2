#![doc = include_str!(concat!(env!("OUT_DIR"), "/security.md"))]

include!(concat!(env!("OUT_DIR"), "/security.rs"));
