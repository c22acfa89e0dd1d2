#![doc = include_str!(concat!(env!("OUT_DIR"), "/crm.md"))]

include!(concat!(env!("OUT_DIR"), "/crm.rs"));
