#![doc = include_str!(concat!(env!("OUT_DIR"), "/support.md"))]

include!(concat!(env!("OUT_DIR"), "/support.rs"));
