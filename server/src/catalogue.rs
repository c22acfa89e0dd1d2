//! The entities the server serves: the checked schemas of `schema/`, embedded at build time.

use nexudus_codegen::model::Model;

/// The generator's model of every schema, as the build script wrote it.
const MODEL_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/model.json"));

/// The embedded model. It was checked when the server was built, so a failure here means the
/// build and the model's types disagree: reported, not panicked on.
pub(crate) fn embedded() -> Result<Model, serde_json::Error> {
    serde_json::from_str(MODEL_JSON)
}

#[cfg(test)]
mod tests;
