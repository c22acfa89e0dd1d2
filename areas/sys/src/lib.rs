#![doc = include_str!(concat!(env!("OUT_DIR"), "/sys.md"))]

include!(concat!(env!("OUT_DIR"), "/sys.rs"));
