//! Search requests: `PageRequest` (page, size, sort), the wire encoding of the sort direction,
//! and the query-string helpers that generated filter types fill.

use std::num::NonZeroU32;

use chrono::{DateTime, Utc};

/// The page Nexudus answers when none is asked for; pages count from 1.
const DEFAULT_PAGE: NonZeroU32 = NonZeroU32::MIN;
/// The page size Nexudus uses when none is asked for.
const DEFAULT_SIZE: NonZeroU32 = NonZeroU32::new(25).expect("25 is not 0");

/// The order in which search results are sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// Smallest first: A to Z, oldest first.
    Ascending,
    /// Largest first: Z to A, newest first.
    Descending,
}

/// How a [`SortDirection`] is written in the `dir` query parameter of a search.
///
/// The documentation generations disagree: older pages show `1`/`-1`, others
/// `ascending`/`descending`, and the newest vendor reference says
/// `--dir <0|1>: 0 = ascending, 1 = descending`. The default is [`ZeroOne`](Self::ZeroOne),
/// the newest source's; choose another with
/// [`ClientBuilder::sort_direction_encoding`](crate::ClientBuilder::sort_direction_encoding)
/// if a server sorts the wrong way round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DirectionEncoding {
    /// `0` for ascending, `1` for descending (the default).
    #[default]
    ZeroOne,
    /// `1` for ascending, `-1` for descending.
    PlusMinusOne,
    /// `ascending` and `descending`.
    Words,
}

impl DirectionEncoding {
    /// The value of `dir` for `direction`.
    pub(crate) fn encode(self, direction: SortDirection) -> &'static str {
        match (self, direction) {
            (Self::ZeroOne, SortDirection::Ascending) => "0",
            (Self::ZeroOne, SortDirection::Descending) => "1",
            (Self::PlusMinusOne, SortDirection::Ascending) => "1",
            (Self::PlusMinusOne, SortDirection::Descending) => "-1",
            (Self::Words, SortDirection::Ascending) => "ascending",
            (Self::Words, SortDirection::Descending) => "descending",
        }
    }

    /// The direction a server wrote as `text` (a page's `CurrentSortDirection`): words in any
    /// case whatever the encoding, `0` and `-1` as the one encoding that uses them, and `1` as
    /// this encoding reads it (`Words` reads it as the default encoding does).
    pub(crate) fn decode(self, text: &str) -> Option<SortDirection> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("ascending") || text.eq_ignore_ascii_case("asc") {
            return Some(SortDirection::Ascending);
        }
        if text.eq_ignore_ascii_case("descending") || text.eq_ignore_ascii_case("desc") {
            return Some(SortDirection::Descending);
        }
        match (text, self) {
            ("0", _) => Some(SortDirection::Ascending),
            ("-1", _) => Some(SortDirection::Descending),
            ("1", Self::PlusMinusOne) => Some(SortDirection::Ascending),
            ("1", Self::ZeroOne | Self::Words) => Some(SortDirection::Descending),
            _ => None,
        }
    }
}

/// A property search results can be sorted by.
///
/// Implemented by each generated `{Entity}Sort` enum (e.g. `EmailAccountSort`), whose variants
/// are the entity's sortable properties.
pub trait SortKey: Copy {
    /// The property's wire name, sent as `orderBy`, e.g. `DisplayName`.
    fn wire_name(self) -> &'static str;
}

/// Which page of search results to fetch, how large pages are, and how they are sorted.
///
/// The defaults are the API's: page 1, 25 records a page, the server's own order. Page numbers
/// and sizes are [`NonZeroU32`]: a page 0 or a page of 0 records cannot be asked for.
///
/// ```
/// use std::num::NonZeroU32;
///
/// use nexudus::{PageRequest, SortDirection, SortKey};
///
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// enum Sort {
///     DisplayName,
/// }
///
/// impl SortKey for Sort {
///     fn wire_name(self) -> &'static str {
///         "DisplayName"
///     }
/// }
///
/// let size = NonZeroU32::new(50).expect("not 0");
/// let request = PageRequest::new()
///     .page(NonZeroU32::MIN.saturating_add(1))
///     .size(size)
///     .order_by(Sort::DisplayName, SortDirection::Descending);
/// assert_eq!(request.page_number().get(), 2);
/// assert_eq!(request.page_size(), size);
/// assert_eq!(request.order(), Some((Sort::DisplayName, SortDirection::Descending)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageRequest<S> {
    page: NonZeroU32,
    size: NonZeroU32,
    order: Option<(S, SortDirection)>,
}

impl<S> PageRequest<S> {
    /// Page 1, 25 records a page, unsorted: the API's defaults.
    pub fn new() -> Self {
        Self {
            page: DEFAULT_PAGE,
            size: DEFAULT_SIZE,
            order: None,
        }
    }

    /// The page to fetch, counting from 1.
    #[must_use]
    pub fn page(mut self, page: NonZeroU32) -> Self {
        self.page = page;
        self
    }

    /// How many records a page holds.
    #[must_use]
    pub fn size(mut self, size: NonZeroU32) -> Self {
        self.size = size;
        self
    }

    /// Sorts by `key` in `direction` (`orderBy` and `dir`).
    #[must_use]
    pub fn order_by(mut self, key: S, direction: SortDirection) -> Self {
        self.order = Some((key, direction));
        self
    }

    /// The page to fetch, counting from 1.
    pub fn page_number(&self) -> NonZeroU32 {
        self.page
    }

    /// How many records a page holds.
    pub fn page_size(&self) -> NonZeroU32 {
        self.size
    }

    /// The sort key and direction, if sorted.
    pub fn order(&self) -> Option<(S, SortDirection)>
    where
        S: Copy,
    {
        self.order
    }

    /// The same request for the following page; `None` past the last page number there is.
    pub(crate) fn next_page(&self) -> Option<Self>
    where
        S: Copy,
    {
        Some(Self {
            page: self.page.checked_add(1)?,
            ..*self
        })
    }

    /// `page`, `size`, and when sorted `orderBy` and `dir`, in that order.
    pub(crate) fn query_pairs(&self, encoding: DirectionEncoding) -> Vec<(String, String)>
    where
        S: SortKey,
    {
        let mut pairs = vec![
            ("page".to_owned(), self.page.to_string()),
            ("size".to_owned(), self.size.to_string()),
        ];
        if let Some((key, direction)) = self.order {
            pairs.push(("orderBy".to_owned(), key.wire_name().to_owned()));
            pairs.push(("dir".to_owned(), encoding.encode(direction).to_owned()));
        }
        pairs
    }
}

// By hand: a derived impl would require `S: Default`, which sort keys have no reason to be.
impl<S> Default for PageRequest<S> {
    fn default() -> Self {
        Self::new()
    }
}

/// The query-string pairs of a search's filters, in the order they are pushed; generated
/// filter types fill one. The values are percent-encoded when the request is sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the filter `name` to `value`, replacing the value it had: a filter is sent once.
    pub fn set<T: QueryValue + ?Sized>(&mut self, name: &'static str, value: &T) {
        let value = value.query_value();
        match self.pairs.iter_mut().find(|(known, _)| known == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name.to_owned(), value)),
        }
    }

    /// The pairs, in the order the filters were first set, for
    /// [`Client::search`](super::Client::search).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.pairs.clone()
    }
}

/// How a filter value is written in a query string (before percent-encoding).
///
/// Generated open enums implement it as their integer. Deliberately not implemented for
/// [`Secret`](super::Secret): a secret in a URL would end up in server and proxy logs.
pub trait QueryValue {
    /// The value as query text.
    fn query_value(&self) -> String;
}

impl QueryValue for str {
    fn query_value(&self) -> String {
        self.to_owned()
    }
}

impl QueryValue for String {
    fn query_value(&self) -> String {
        self.clone()
    }
}

/// `true` or `false`.
impl QueryValue for bool {
    fn query_value(&self) -> String {
        self.to_string()
    }
}

impl QueryValue for i32 {
    fn query_value(&self) -> String {
        self.to_string()
    }
}

impl QueryValue for i64 {
    fn query_value(&self) -> String {
        self.to_string()
    }
}

/// Plain decimal notation, never an exponent, e.g. `12.50`.
impl QueryValue for rust_decimal::Decimal {
    fn query_value(&self) -> String {
        self.to_string()
    }
}

/// `YYYY-MM-DDTHH:mm` in UTC, the form Nexudus documents for date filters. Seconds and
/// fractions are dropped: `from_..._CreatedOn` for 10:30:59 filters from 10:30:00.
impl QueryValue for DateTime<Utc> {
    fn query_value(&self) -> String {
        self.format("%Y-%m-%dT%H:%M").to_string()
    }
}

#[cfg(test)]
mod tests;
