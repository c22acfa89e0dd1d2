//! Property names as the server spells them: records are read whatever the letter case, and an
//! update made from a fetched record sends that record back with only the caller's changes.
//!
//! Nexudus reads and answers JSON property names without regard to letter case, and a schema
//! may spell one differently from the server (`BillToTaxIdNumber` for `BillToTaxIDNumber`), or
//! not know it at all. Reading maps such a spelling onto the schema's; the update path keeps
//! the object as fetched, so a gap in a schema can never make a full-replacement `PUT` clear a
//! value on the server.

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::endpoint::Endpoint;
use super::error::Error;
use super::properties::{Properties, PropertyWriter, WriteProperties};
use super::record::{Full, Record};

/// The key of `object` that spells `name`: `name` itself when present, otherwise the first key
/// equal to it but for letter case.
pub(crate) fn find<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a String> {
    object
        .get_key_value(name)
        .map(|(key, _)| key)
        .or_else(|| object.keys().find(|key| key.eq_ignore_ascii_case(name)))
}

/// Whether `properties` holds `name` in any letter case.
pub(crate) fn knows(properties: &[&str], name: &str) -> bool {
    properties
        .iter()
        .any(|property| property.eq_ignore_ascii_case(name))
}

/// Reads a record from its JSON object, taking each property the record type knows under
/// whatever letter case the object spells it (`find`'s choice when several do).
pub(crate) fn read<T: Record>(object: &Map<String, Value>) -> Result<T, serde_json::Error> {
    T::read_properties(&Properties::new(object))
}

/// A record read from a JSON value, whatever the letter case of its property names: how a
/// webhook's payload becomes its record.
pub fn read_value<T: Record>(value: Value) -> Result<T, serde_json::Error> {
    read(&Map::deserialize(value)?)
}

/// What an update request made from a fetched record remembers of it, so that its body is that
/// record with only the caller's changes; empty for a request built by hand.
///
/// Kept behind an `Arc`: update requests are cloned freely, the fetched object need not be.
#[derive(Clone, Default, PartialEq)]
pub struct Fetched(Option<Arc<Baseline>>);

#[derive(PartialEq)]
struct Baseline {
    /// The fetched object without the properties no update sends.
    record: Map<String, Value>,
    /// The request as it was made from the record, before the caller changed anything.
    request: Map<String, Value>,
}

impl Fetched {
    /// Remembers `record` and `request`, the update just made from it.
    pub fn new<T: Record>(record: &Full<T>, request: &dyn WriteProperties) -> Self {
        Self::remember(record.json(), T::NOT_UPDATED, request)
    }

    /// [`new`](Self::new), compiled once for every record type.
    fn remember(
        record: &Map<String, Value>,
        not_updated: &[&str],
        request: &dyn WriteProperties,
    ) -> Self {
        let mut kept = record.clone();
        kept.retain(|key, _| !knows(not_updated, key));
        // Were the request not to serialize, every property would count as changed: the body is
        // then the request over the fetched object, and encoding it reports the failure.
        let request = PropertyWriter::of(request)
            .map(PropertyWriter::into_object)
            .unwrap_or_default();
        Self(Some(Arc::new(Baseline {
            record: kept,
            request,
        })))
    }

    /// The body of the update `request`: the request itself when it was built by hand;
    /// otherwise the fetched record, with each property the caller changed since the request
    /// was made written under the server's spelling (`null` for one the caller unset).
    pub fn encode(
        &self,
        endpoint: &Endpoint,
        request: &dyn WriteProperties,
    ) -> Result<Vec<u8>, Error> {
        let Some(baseline) = &self.0 else {
            return endpoint.encode_request(request);
        };
        let now = PropertyWriter::of(request)
            .map_err(|source| endpoint.encode_error(source))?
            .into_object();
        let mut body = baseline.record.clone();
        let mut write = |name: &str, value: Value| {
            let key = find(&body, name).map_or_else(|| name.to_owned(), String::clone);
            body.insert(key, value);
        };
        for (name, value) in &now {
            if baseline.request.get(name) != Some(value) {
                write(name, value.clone());
            }
        }
        for name in baseline.request.keys() {
            if !now.contains_key(name) {
                write(name, Value::Null);
            }
        }
        endpoint.encode(&body)
    }
}

/// Shows whether the request was made from a fetched record, never a value: the record may
/// hold secrets.
impl fmt::Debug for Fetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(baseline) => write!(f, "Fetched {{ properties: {} }}", baseline.record.len()),
            None => f.write_str("NotFetched"),
        }
    }
}

#[cfg(test)]
mod tests;
