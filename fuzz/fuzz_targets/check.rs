//! libFuzzer target: any bytes as a schema file must satisfy `property::check_schema_bytes`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../property.rs"]
mod property;

thread_local! {
    static FOLDER: tempfile::TempDir = tempfile::tempdir().expect("a temporary folder");
}

fuzz_target!(|bytes: &[u8]| {
    FOLDER.with(|folder| {
        if let Err(broken) = property::check_schema_bytes(folder.path(), bytes) {
            panic!("{broken}");
        }
    });
});
