//! [`Record`], what every record type tells the runtime about its JSON, and [`Full`], a record
//! fetched on its own, kept whole as the server sent it.
//!
//! Nexudus answers with two shapes of the same record: getting one record returns every
//! property, while search and "get many" leave out the collection properties (lists of `Id`s).
//! An update is a full replacement (`PUT`), so building one from a record that lacks those lists
//! would silently empty them on the server. `get` therefore answers `Full<EmailAccount>`, and
//! `EmailAccountUpdate::from_record` takes only that: a searched `EmailAccount` cannot become an
//! update by mistake. A `Full` record also keeps the JSON object it was read from, properties
//! this version does not know included, so that an update made from it sends them back as they
//! were. Record types themselves stay plain structs, so each is compiled once.

use std::fmt;
use std::ops::Deref;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::properties::ReadProperties;
use super::wire;

/// A record type of the API (`EmailAccount`, `Coworker`, ...): the JSON properties it knows.
///
/// Every generated record type implements it. The client reads a property whatever its letter
/// case (as Nexudus's own server does), and an update made from a fetched record leaves out
/// exactly the properties listed in [`NOT_UPDATED`](Self::NOT_UPDATED).
///
/// It is implemented by the generated record types alone: the runtime reads them through a
/// trait of its own that no other crate can implement.
pub trait Record: DeserializeOwned + ReadProperties {
    /// Every JSON property the record type holds, base properties included, spelled as its
    /// schema spells them.
    const PROPERTIES: &'static [&'static str];
    /// The properties an update made from a fetched record does not send: those the server
    /// keeps itself (`UniqueId`, `CreatedOn`, `UpdatedOn`, `UpdatedBy`, `IsNew`,
    /// `ToStringText`) and those no update takes (read-only and create-only properties).
    const NOT_UPDATED: &'static [&'static str];
}

/// A record fetched by `get`: every property the API returns, collection properties included,
/// and the JSON object it was read from.
///
/// It reads like the record itself (it dereferences to it), and only a `Full` record converts
/// into an update request. It keeps every property of the answer, also those this version does
/// not know and those spelled in another letter case than the schema's
/// ([`json`](Self::json), [`property`](Self::property)); an update made from it sends them
/// back unchanged. It serializes as that JSON object and deserializes from one, so that a full
/// record can be stored and read back whole.
///
/// A fetched record converts into an update request:
///
/// ```no_run
/// # async fn run(client: nexudus::Client) -> Result<(), nexudus::Error> {
/// use nexudus::crm::email_account::EmailAccountUpdate;
///
/// let full = client.email_accounts().get(1).await?;
/// println!("{}", full.display_name.as_deref().unwrap_or_default());
/// println!("{:?}", full.property("SomeNewProperty"));
/// let update = EmailAccountUpdate::from_record(&full);
/// # Ok(())
/// # }
/// ```
///
/// A record from a search or a get-many, which lacks collection properties, does not compile:
///
/// ```compile_fail
/// # async fn run(client: nexudus::Client) -> Result<(), nexudus::Error> {
/// use nexudus::crm::email_account::EmailAccountUpdate;
///
/// let listed = client.email_accounts().get_many(&[1]).await?;
/// let update = EmailAccountUpdate::from_record(&listed[0]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq)]
pub struct Full<T> {
    record: T,
    json: Map<String, Value>,
}

impl<T> Full<T> {
    /// `record`, read from `json`, the object the server answered.
    pub(crate) fn new(record: T, json: Map<String, Value>) -> Self {
        Self { record, json }
    }

    /// The record itself, giving up the proof that it is complete and the JSON it came from.
    pub fn into_inner(self) -> T {
        self.record
    }

    /// The JSON object as the server sent it: every property, with the server's spelling.
    ///
    /// It may hold secrets the record type keeps in [`Secret`](crate::Secret), in clear.
    pub fn json(&self) -> &Map<String, Value> {
        &self.json
    }

    /// The value of the property `name` as the server sent it, whatever its letter case:
    /// the way to read a property this version's record type does not have.
    pub fn property(&self, name: &str) -> Option<&Value> {
        wire::find(&self.json, name).and_then(|key| self.json.get(key))
    }
}

impl<T: Record> Full<T> {
    /// The names of the properties the server sent that the record type does not know, in any
    /// letter case.
    pub fn unknown_properties(&self) -> impl Iterator<Item = &str> + '_ {
        self.json
            .keys()
            .filter(|key| !wire::knows(T::PROPERTIES, key))
            .map(String::as_str)
    }
}

impl<T> Deref for Full<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.record
    }
}

impl<T> AsRef<T> for Full<T> {
    fn as_ref(&self) -> &T {
        &self.record
    }
}

/// The record, and the names (never the values) of the properties it does not know: the JSON
/// may hold secrets.
impl<T: Record + fmt::Debug> fmt::Debug for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Full")
            .field("record", &self.record)
            .field(
                "unknown_properties",
                &self.unknown_properties().collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<T> Serialize for Full<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de, T: Record> Deserialize<'de> for Full<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Map::deserialize(deserializer)?;
        let record = wire::read(&json).map_err(serde::de::Error::custom)?;
        Ok(Self { record, json })
    }
}

#[cfg(test)]
mod tests;
