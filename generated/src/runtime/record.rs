//! `Full` and `Partial`: markers for how complete a fetched record is.
//!
//! Nexudus answers with two shapes of the same record: getting one record returns every
//! property, while search and "get many" leave out the collection properties (lists of `Id`s).
//! An update is a full replacement (`PUT`), so building one from a record that lacks those lists
//! would silently empty them on the server. Record types therefore carry their completeness as a
//! type parameter (`EmailAccount<K = Full>`), and only a `Full` record can become an update.

use std::fmt::Debug;
use std::hash::Hash;

/// A record fetched by `get`: every property the API returns, collection properties included.
///
/// The default kind of record types (`EmailAccount` is `EmailAccount<Full>`). Only full records
/// can be turned into a full-replacement update.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Full;

/// A record from search or "get many": collection properties (lists of `Id`s) are omitted.
///
/// Such a record must never become a full-replacement `PUT`, which would clear every list it
/// lacks; get the record by its `Id` to update it.
///
/// A fetched record converts into an update request:
///
/// ```no_run
/// # async fn run(client: nexudus::Client) -> Result<(), nexudus::Error> {
/// use nexudus::crm::email_account::EmailAccountUpdate;
///
/// let full = client.email_accounts().get(1).await?;
/// let update = EmailAccountUpdate::from_record(&full);
/// # Ok(())
/// # }
/// ```
///
/// A partial one does not compile:
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Partial;

/// The kind parameter of record types: [`Full`] or [`Partial`], and nothing else.
///
/// Sealed: it cannot be implemented outside this crate, so code generic over a record's kind
/// can rely on there being exactly these two. The supertraits let generated record types
/// derive `Clone`, `Debug`, `PartialEq` and the like for either kind.
pub trait Completeness:
    private::Sealed + Clone + Copy + Debug + Default + PartialEq + Eq + Hash + Send + Sync + 'static
{
}

impl Completeness for Full {}
impl Completeness for Partial {}

mod private {
    /// The supertrait that seals [`Completeness`](super::Completeness): public, so that it may
    /// bound a public trait, but in a private module, so that nobody outside can name it.
    pub trait Sealed {}

    impl Sealed for super::Full {}
    impl Sealed for super::Partial {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only compiles for kinds that are `Completeness`.
    fn kind_name<K: Completeness>(_: K) -> &'static str {
        std::any::type_name::<K>()
            .rsplit("::")
            .next()
            .unwrap_or_default()
    }

    #[test]
    fn both_markers_are_kinds_and_distinct_types() {
        assert_eq!(kind_name(Full), "Full");
        assert_eq!(kind_name(Partial), "Partial");
        assert_eq!(std::mem::size_of::<Full>(), 0);
        assert_eq!(std::mem::size_of::<Partial>(), 0);
        assert_ne!(
            std::any::TypeId::of::<Full>(),
            std::any::TypeId::of::<Partial>()
        );
    }
}
