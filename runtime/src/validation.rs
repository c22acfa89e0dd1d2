//! Validation errors in the Nexudus shape, the `Violations` collector and secret redaction.

use std::fmt;

use nexudus_codegen::model::rules;
use serde::{Deserialize, Deserializer, Serialize};

use super::secret::Secret;

/// One rule a request broke, as reported by Nexudus or found before sending.
///
/// This is the element of the `Errors` array of a Nexudus write response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationError {
    /// The wire name of the property, e.g. `DisplayName`.
    #[serde(rename = "PropertyName", default, deserialize_with = "string_or_null")]
    pub property_name: String,
    /// What is wrong, e.g. `is a required field`.
    #[serde(rename = "Message", default, deserialize_with = "string_or_null")]
    pub message: String,
    /// The value that was sent; JSON `null` when it was missing or is a secret.
    #[serde(rename = "AttemptedValue", default)]
    pub attempted_value: serde_json::Value,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.property_name.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.property_name, self.message)
        }
    }
}

// Servers are not always tidy: a null name or message is read as empty rather than failing
// the whole response.
fn string_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// Every rule a request broke; a JSON array of [`ValidationError`] on the wire.
///
/// `Display` lists them as `Prop: message; Prop2: message`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    /// Iterates over the errors in the order they were reported.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// The number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors as a slice.
    pub fn as_slice(&self) -> &[ValidationError] {
        &self.0
    }

    /// The errors as a vector.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.0
    }
}

impl From<Vec<ValidationError>> for ValidationErrors {
    fn from(errors: Vec<ValidationError>) -> Self {
        Self(errors)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Replaces the attempted value of every error about a secret property with JSON `null`.
///
/// Property names are compared without regard to case, and a server name with a prefix
/// (`Account.IncomingServerPassword`) matches on its last segment.
pub(crate) fn redact_secrets(errors: &mut ValidationErrors, secret_properties: &[&str]) {
    for error in &mut errors.0 {
        let name = error.property_name.rsplit('.').next().unwrap_or_default();
        if secret_properties
            .iter()
            .any(|secret| secret.eq_ignore_ascii_case(name))
        {
            error.attempted_value = serde_json::Value::Null;
        }
    }
}

/// A text property's value as `validate()` hands it to [`Violations`]: given or not, secret or
/// not, so that a generated check reads `violations.not_blank("Type", &self.r#type)` whatever
/// the field's type.
pub trait Text {
    /// The text, when there is one.
    fn text(&self) -> Option<&str>;
}

impl Text for str {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Secret {
    fn text(&self) -> Option<&str> {
        Some(self.expose())
    }
}

impl<T: Text> Text for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Text::text)
    }
}

/// An integer property's value as `validate()` hands it to [`Violations`]: given or not.
pub trait Integer {
    /// The value, when there is one.
    fn integer(&self) -> Option<i64>;
}

impl Integer for i32 {
    fn integer(&self) -> Option<i64> {
        Some(i64::from(*self))
    }
}

impl Integer for i64 {
    fn integer(&self) -> Option<i64> {
        Some(*self)
    }
}

impl<T: Integer> Integer for Option<T> {
    fn integer(&self) -> Option<i64> {
        self.as_ref().and_then(Integer::integer)
    }
}

/// Collects every rule a request breaks, so that one call reports all of them.
#[derive(Debug)]
pub struct Violations {
    secret_properties: &'static [&'static str],
    errors: Vec<ValidationError>,
}

impl Violations {
    /// Starts an empty collection; values of `secret_properties` are never kept in it.
    pub fn new(secret_properties: &'static [&'static str]) -> Self {
        Self {
            secret_properties,
            errors: Vec::new(),
        }
    }

    /// Requires a value for a field the API requires: at least one non-whitespace character.
    /// The message is the one Nexudus gives for a missing required field.
    pub fn required(&mut self, property: &'static str, value: &(impl Text + ?Sized)) {
        let value = value.text().unwrap_or_default();
        if let Some(message) = rules::required(value) {
            self.push(property, message.to_owned(), value.into());
        }
    }

    /// Requires at least one non-whitespace character in a value, if one was given.
    pub fn not_blank(&mut self, property: &'static str, value: &(impl Text + ?Sized)) {
        if let Some(value) = value.text() {
            if let Some(message) = rules::not_blank(value) {
                self.push(property, message.to_owned(), value.into());
            }
        }
    }

    /// Requires a syntactically valid email address, if a value was given.
    ///
    /// A blank value passes: whether the field may be empty is for [`Violations::not_blank`]
    /// to say, and one mistake should give one error.
    pub fn email(&mut self, property: &'static str, value: &(impl Text + ?Sized)) {
        if let Some(value) = value.text() {
            if let Some(message) = rules::email(value) {
                self.push(property, message.to_owned(), value.into());
            }
        }
    }

    /// Requires `min <= value <= max`, if a value was given.
    pub fn between(&mut self, property: &'static str, value: &impl Integer, min: i64, max: i64) {
        if let Some(value) = value.integer() {
            self.range(property, value, Some(min), Some(max));
        }
    }

    /// Requires `min <= value`, if a value was given.
    pub fn at_least(&mut self, property: &'static str, value: &impl Integer, min: i64) {
        if let Some(value) = value.integer() {
            self.range(property, value, Some(min), None);
        }
    }

    /// Requires `value <= max`, if a value was given.
    pub fn at_most(&mut self, property: &'static str, value: &impl Integer, max: i64) {
        if let Some(value) = value.integer() {
            self.range(property, value, None, Some(max));
        }
    }

    /// Requires `min <= value <= max`; a missing bound is not checked. Generated code calls the
    /// forms that name their bounds: [`between`](Self::between), [`at_least`](Self::at_least),
    /// [`at_most`](Self::at_most).
    pub fn range(
        &mut self,
        property: &'static str,
        value: i64,
        min: Option<i64>,
        max: Option<i64>,
    ) {
        if let Some(message) = rules::range(value, min, max) {
            self.push(property, message, value.into());
        }
    }

    /// Requires a value that a record may have left out, e.g. when a fetched record becomes an
    /// update request.
    pub fn present(&mut self, property: &'static str, present: bool) {
        if !present {
            self.push(
                property,
                "is missing from the record".to_owned(),
                serde_json::Value::Null,
            );
        }
    }

    /// `Ok` when nothing was found, otherwise every error, with secret values removed.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            return Ok(());
        }
        Err(self.into_errors())
    }

    /// Every error collected so far, with secret values removed.
    pub fn into_errors(self) -> ValidationErrors {
        let mut errors = ValidationErrors(self.errors);
        redact_secrets(&mut errors, self.secret_properties);
        errors
    }

    fn push(&mut self, property: &'static str, message: String, attempted: serde_json::Value) {
        // Secret values are dropped at once, so not even `Debug` of the collection shows them.
        let attempted = if self.secret_properties.contains(&property) {
            serde_json::Value::Null
        } else {
            attempted
        };
        self.errors.push(ValidationError {
            property_name: property.to_owned(),
            message,
            attempted_value: attempted,
        });
    }
}

#[cfg(test)]
mod tests;
