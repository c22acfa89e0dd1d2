//! Tests of the embedded catalogue: the model holds every schema of `schema/`.

use super::*;

#[test]
fn the_embedded_model_has_every_schema() {
    let model = embedded().expect("the model parses");
    // One folder per API area.
    let schemas: usize = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema"))
        .expect("the schema folder")
        .flatten()
        .filter(|area| area.path().is_dir())
        .map(|area| {
            std::fs::read_dir(area.path())
                .expect("an area's folder")
                .flatten()
                .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "yaml"))
                .count()
        })
        .sum();
    assert_eq!(model.entities.len(), schemas);
    assert!(model.is_base_field("UpdatedBy") && !model.is_base_field("DisplayName"));
}
