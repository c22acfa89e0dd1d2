//! The entities the server serves: the checked schemas of `schema/`, embedded at build time.

use nexudus_codegen::model::{EntityModel, Model};

/// The generator's model of every schema, as the build script wrote it.
const MODEL_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/model.json"));

/// Every entity, and the base fields the server maintains on each record.
#[derive(Debug)]
pub(crate) struct Catalogue {
    pub(crate) entities: Vec<EntityModel>,
    pub(crate) base_fields: Vec<String>,
}

impl Catalogue {
    /// The embedded catalogue. It was checked when the server was built, so a failure here
    /// means the build and the model's types disagree: reported, not panicked on.
    pub(crate) fn embedded() -> Result<Self, serde_json::Error> {
        let model: Model = serde_json::from_str(MODEL_JSON)?;
        Ok(Self {
            entities: model.entities,
            base_fields: model.base_fields,
        })
    }

    /// Whether `name` is a base field (`UniqueId`, `CreatedOn`, ...), which the server keeps
    /// itself and never takes from a request body.
    pub(crate) fn is_base_field(&self, name: &str) -> bool {
        self.base_fields.iter().any(|base| base == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_has_every_schema() {
        let catalogue = Catalogue::embedded().expect("the model parses");
        let schemas = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema"))
            .expect("the schema folder")
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "yaml"))
            .count();
        assert_eq!(catalogue.entities.len(), schemas);
        assert!(catalogue.is_base_field("UpdatedBy") && !catalogue.is_base_field("DisplayName"));
    }
}
