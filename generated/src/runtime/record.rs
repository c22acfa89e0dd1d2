//! `Full`: a record fetched on its own, the only kind that may become a full-replacement update.
//!
//! Nexudus answers with two shapes of the same record: getting one record returns every
//! property, while search and "get many" leave out the collection properties (lists of `Id`s).
//! An update is a full replacement (`PUT`), so building one from a record that lacks those lists
//! would silently empty them on the server. `get` therefore answers `Full<EmailAccount>`, and
//! `EmailAccountUpdate::from_record` takes only that: a searched `EmailAccount` cannot become an
//! update by mistake. Record types themselves stay plain structs, so each is compiled once.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A record fetched by `get`: every property the API returns, collection properties included.
///
/// It reads like the record itself (it dereferences to it), and only a `Full` record converts
/// into a full-replacement update request. `get` answers one; it also serializes and
/// deserializes as the bare record, so that a full record can be stored and read back.
///
/// A fetched record converts into an update request:
///
/// ```no_run
/// # async fn run(client: nexudus::Client) -> Result<(), nexudus::Error> {
/// use nexudus::crm::email_account::EmailAccountUpdate;
///
/// let full = client.email_accounts().get(1).await?;
/// println!("{}", full.display_name.as_deref().unwrap_or_default());
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Full<T>(T);

impl<T> Full<T> {
    /// Wraps a record the crate fetched on its own.
    pub(crate) fn new(record: T) -> Self {
        Self(record)
    }

    /// The record itself, giving up the proof that it is complete.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Full<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> AsRef<T> for Full<T> {
    fn as_ref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Record {
        #[serde(rename = "Name")]
        name: String,
    }

    #[test]
    fn a_full_record_reads_and_serializes_as_the_record_itself() {
        let record = Record {
            name: "Front desk".into(),
        };
        let full = Full::new(record.clone());
        assert_eq!(full.name, "Front desk");
        assert_eq!(full.as_ref(), &record);
        assert_eq!(
            serde_json::to_string(&full).ok(),
            serde_json::to_string(&record).ok()
        );
        let stored = serde_json::to_string(&full).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Full<Record>>(&stored).ok(),
            Some(full.clone())
        );
        assert_eq!(full.into_inner(), record);
    }
}
