//! How generated records and requests read and write their JSON properties: one property at a
//! time, through [`Properties`] and [`PropertyWriter`], instead of code derived per type.
//!
//! A derived `Deserialize` is a visitor generic over the data format, with a field enum and a
//! sequence and a map reader, type-checked for each of the catalogue's types; a derived
//! `Serialize` is generic too. Here a type's own code is a list of plain calls, one per
//! property, and the generic step ([`deserialize`], [`serialize`]) is one function that every
//! type shares: the JSON object is read or made first, then the properties. A record is read
//! whatever the letter case of its property names, as Nexudus reads them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::datetime;
use super::wire::find;

/// A type read from its JSON object property by property (every generated record).
pub trait ReadProperties: Sized {
    /// Reads the type from `properties`, failing on the first property that does not fit.
    fn read_properties(properties: &Properties<'_>) -> Result<Self, serde_json::Error>;
}

/// A type written as a JSON object property by property (every generated record and request).
pub trait WriteProperties {
    /// Writes each property that has a value, in declaration order.
    fn write_properties(&self, properties: &mut PropertyWriter);
}

/// The properties of one JSON object, found whatever their letter case: the exact spelling
/// when present, otherwise the first key equal to it but for case.
pub struct Properties<'a> {
    object: &'a Map<String, Value>,
}

impl<'a> Properties<'a> {
    /// The properties of `object`.
    pub(crate) fn new(object: &'a Map<String, Value>) -> Self {
        Self { object }
    }

    fn value(&self, name: &str) -> Option<&'a Value> {
        find(self.object, name).and_then(|key| self.object.get(key))
    }

    /// `name`'s value; `None` when the object lacks it or holds `null`.
    pub fn optional<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.value(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value)
                .map(Some)
                .map_err(|error| in_property(name, &error)),
        }
    }

    /// `name`'s value, or the type's default when the object lacks it (`null` does not fit).
    pub fn or_default<T: DeserializeOwned + Default>(
        &self,
        name: &str,
    ) -> Result<T, serde_json::Error> {
        match self.value(name) {
            None => Ok(T::default()),
            Some(value) => T::deserialize(value).map_err(|error| in_property(name, &error)),
        }
    }

    /// `name`'s date-time, RFC 3339 or Nexudus's `YYYY-MM-DDTHH:MM:SS` (read as UTC).
    pub fn date_time(&self, name: &str) -> Result<Option<DateTime<Utc>>, serde_json::Error> {
        match self.value(name) {
            None => Ok(None),
            Some(value) => {
                datetime::option::deserialize(value).map_err(|error| in_property(name, &error))
            }
        }
    }

    /// `name`'s decimal, written by Nexudus as a JSON number.
    pub fn decimal(&self, name: &str) -> Result<Option<Decimal>, serde_json::Error> {
        match self.value(name) {
            None => Ok(None),
            Some(value) => rust_decimal::serde::float_option::deserialize(value)
                .map_err(|error| in_property(name, &error)),
        }
    }
}

/// `error`, saying which property it is about.
fn in_property(name: &str, error: &serde_json::Error) -> serde_json::Error {
    serde_json::Error::custom(format_args!("property `{name}`: {error}"))
}

/// The properties of a JSON object being written, in the order they are put.
#[derive(Default)]
pub struct PropertyWriter {
    properties: Vec<(&'static str, Value)>,
    /// The first value that would not serialize; writing goes on, the object is not made.
    error: Option<serde_json::Error>,
}

impl PropertyWriter {
    /// The properties `value` writes, in order; the first value that does not serialize fails
    /// them all. Taking `value` as a trait object, it is compiled once for every type.
    pub(crate) fn of(value: &dyn WriteProperties) -> Result<Self, serde_json::Error> {
        let mut writer = Self::default();
        value.write_properties(&mut writer);
        match writer.error.take() {
            Some(error) => Err(error),
            None => Ok(writer),
        }
    }

    /// The properties as a JSON object, whose keys are in its own order.
    pub(crate) fn into_object(self) -> Map<String, Value> {
        self.properties
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect()
    }

    fn push(&mut self, name: &'static str, value: Result<Value, serde_json::Error>) {
        match value {
            Ok(value) => self.properties.push((name, value)),
            Err(error) => {
                self.error.get_or_insert(in_property(name, &error));
            }
        }
    }

    /// Writes `value` as property `name`.
    pub fn put<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.push(name, serde_json::to_value(value));
    }

    /// Writes `value` as property `name` when it has one; leaves the property out otherwise.
    pub fn put_some<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.put(name, value);
        }
    }

    /// Writes a date-time as RFC 3339 text in UTC.
    pub fn put_date_time(&mut self, name: &'static str, value: &DateTime<Utc>) {
        let value = datetime::required::serialize(value, serde_json::value::Serializer);
        self.push(name, value);
    }

    /// [`put_date_time`](Self::put_date_time) when there is a value.
    pub fn put_some_date_time(&mut self, name: &'static str, value: &Option<DateTime<Utc>>) {
        if let Some(value) = value {
            self.put_date_time(name, value);
        }
    }

    /// Writes a decimal as a JSON number, as Nexudus reads money.
    pub fn put_decimal(&mut self, name: &'static str, value: &Decimal) {
        let value = rust_decimal::serde::float::serialize(value, serde_json::value::Serializer);
        self.push(name, value);
    }

    /// [`put_decimal`](Self::put_decimal) when there is a value.
    pub fn put_some_decimal(&mut self, name: &'static str, value: &Option<Decimal>) {
        if let Some(value) = value {
            self.put_decimal(name, value);
        }
    }
}

/// The JSON object of the properties, in the order they were put.
impl Serialize for PropertyWriter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.properties.iter().map(|(name, value)| (name, value)))
    }
}

/// Deserializes `T` through its JSON object: the one generic step every record type shares.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: ReadProperties,
    D: Deserializer<'de>,
{
    let object = Map::deserialize(deserializer)?;
    T::read_properties(&Properties::new(&object)).map_err(D::Error::custom)
}

/// Serializes `value` as a JSON object of its properties: the one generic step every record and
/// request type shares.
pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: WriteProperties,
    S: Serializer,
{
    PropertyWriter::of(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}

/// `impl serde::Serialize` for a generated type, through its [`WriteProperties`].
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_properties {
    ($type:ty) => {
        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::properties::serialize(self, serializer)
            }
        }
    };
}

/// `impl serde::Deserialize` for a generated record, through its [`ReadProperties`].
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_properties {
    ($type:ty) => {
        impl<'de> ::serde::Deserialize<'de> for $type {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::properties::deserialize(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests;
