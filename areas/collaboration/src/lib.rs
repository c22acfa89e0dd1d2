#![doc = include_str!(concat!(env!("OUT_DIR"), "/collaboration.md"))]

include!(concat!(env!("OUT_DIR"), "/collaboration.rs"));
