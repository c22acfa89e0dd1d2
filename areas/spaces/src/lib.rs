#![doc = include_str!(concat!(env!("OUT_DIR"), "/spaces.md"))]

include!(concat!(env!("OUT_DIR"), "/spaces.rs"));
