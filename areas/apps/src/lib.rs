#![doc = include_str!(concat!(env!("OUT_DIR"), "/apps.md"))]

include!(concat!(env!("OUT_DIR"), "/apps.rs"));
