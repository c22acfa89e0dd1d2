#![doc = include_str!(concat!(env!("OUT_DIR"), "/content.md"))]

include!(concat!(env!("OUT_DIR"), "/content.rs"));
