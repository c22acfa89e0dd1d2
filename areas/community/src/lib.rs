#![doc = include_str!(concat!(env!("OUT_DIR"), "/community.md"))]

include!(concat!(env!("OUT_DIR"), "/community.rs"));
