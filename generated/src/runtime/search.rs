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
#[allow(dead_code, reason = "called by generated entity code")]
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

#[allow(dead_code, reason = "called by generated entity code")]
impl Query {
    /// No filters.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Sets the filter `name` to `value`, replacing the value it had: a filter is sent once.
    pub(crate) fn set<T: QueryValue + ?Sized>(&mut self, name: &'static str, value: &T) {
        let value = value.query_value();
        match self.pairs.iter_mut().find(|(known, _)| known == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name.to_owned(), value)),
        }
    }

    /// The pairs, in the order the filters were first set, for
    /// [`Client::search`](super::Client::search).
    pub(crate) fn to_pairs(&self) -> Vec<(String, String)> {
        self.pairs.clone()
    }
}

/// How a filter value is written in a query string (before percent-encoding).
///
/// Generated open enums implement it as their integer. Deliberately not implemented for
/// [`Secret`](super::Secret): a secret in a URL would end up in server and proxy logs.
#[allow(dead_code, reason = "called by generated entity code")]
pub(crate) trait QueryValue {
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
mod tests {
    use chrono::TimeZone;
    use rust_decimal::Decimal;

    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Sort {
        DisplayName,
        CreatedOn,
    }

    impl SortKey for Sort {
        fn wire_name(self) -> &'static str {
            match self {
                Self::DisplayName => "DisplayName",
                Self::CreatedOn => "CreatedOn",
            }
        }
    }

    #[test]
    fn a_direction_is_read_back_in_each_encoding() {
        use DirectionEncoding::{PlusMinusOne, Words, ZeroOne};
        use SortDirection::{Ascending, Descending};
        for encoding in [ZeroOne, PlusMinusOne, Words] {
            for direction in [Ascending, Descending] {
                let written = encoding.encode(direction);
                assert_eq!(encoding.decode(written), Some(direction), "{written}");
            }
            assert_eq!(encoding.decode(" Descending "), Some(Descending));
            assert_eq!(encoding.decode("ASC"), Some(Ascending));
            assert_eq!(encoding.decode("sideways"), None);
        }
        assert_eq!(
            ZeroOne.decode("-1"),
            Some(Descending),
            "only one encoding writes -1"
        );
        assert_eq!(
            PlusMinusOne.decode("0"),
            Some(Ascending),
            "only one encoding writes 0"
        );
        assert_eq!(
            Words.decode("1"),
            Some(Descending),
            "read as the default encoding"
        );
    }

    /// Not `Default`, not `Debug`: `PageRequest::default` must not need either.
    #[derive(Clone, Copy)]
    struct Bare;

    impl SortKey for Bare {
        fn wire_name(self) -> &'static str {
            "Bare"
        }
    }

    fn n(value: u32) -> NonZeroU32 {
        NonZeroU32::new(value).expect("not 0")
    }

    fn strings(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn defaults_are_the_apis() {
        let request = PageRequest::<Sort>::new();
        assert_eq!(
            (request.page_number(), request.page_size(), request.order()),
            (n(1), n(25), None)
        );
        assert_eq!(PageRequest::<Sort>::default(), request);
        let bare = PageRequest::<Bare>::default();
        assert_eq!(
            strings(&bare.query_pairs(DirectionEncoding::default())),
            [("page", "1"), ("size", "25")]
        );
        assert_eq!(DirectionEncoding::default(), DirectionEncoding::ZeroOne);
    }

    #[test]
    fn builders_set_and_the_last_order_wins() {
        let request = PageRequest::new()
            .page(n(3))
            .size(n(100))
            .order_by(Sort::CreatedOn, SortDirection::Ascending)
            .order_by(Sort::DisplayName, SortDirection::Descending);
        assert_eq!(request.page_number(), n(3));
        assert_eq!(request.page_size(), n(100));
        assert_eq!(
            request.order(),
            Some((Sort::DisplayName, SortDirection::Descending))
        );
        assert_eq!(
            strings(&request.query_pairs(DirectionEncoding::ZeroOne)),
            [
                ("page", "3"),
                ("size", "100"),
                ("orderBy", "DisplayName"),
                ("dir", "1")
            ]
        );
        let next = request.next_page().expect("page 4 exists");
        assert_eq!(next, request.page(n(4)));
        assert_eq!(request.page(NonZeroU32::MAX).next_page(), None);
    }

    #[test]
    fn every_encoding_writes_both_directions() {
        let cases = [
            (DirectionEncoding::ZeroOne, "0", "1"),
            (DirectionEncoding::PlusMinusOne, "1", "-1"),
            (DirectionEncoding::Words, "ascending", "descending"),
        ];
        for (encoding, ascending, descending) in cases {
            assert_eq!(encoding.encode(SortDirection::Ascending), ascending);
            assert_eq!(encoding.encode(SortDirection::Descending), descending);
        }
    }

    #[test]
    fn query_keeps_filters_in_the_order_first_set_and_a_reset_replaces_the_value() {
        let mut query = Query::new();
        query.set("EmailAccount_DisplayName", "Front desk");
        query.set("EmailAccount_Business", &1_001_i64);
        query.set("EmailAccount_IncomingServerPort", &993_i32);
        query.set("EmailAccount_IncomingServerSSL", &false);
        query.set("EmailAccount_Active", &true);
        query.set("EmailAccount_Name", &"owned".to_owned());
        query.set("from_Product_Price", &Decimal::new(1250, 2));
        query.set("to_Product_Price", &Decimal::new(-5, 0));
        query.set("EmailAccount_Business", &2_002_i64);
        assert_eq!(
            strings(&query.to_pairs()),
            [
                ("EmailAccount_DisplayName", "Front desk"),
                ("EmailAccount_Business", "2002"),
                ("EmailAccount_IncomingServerPort", "993"),
                ("EmailAccount_IncomingServerSSL", "false"),
                ("EmailAccount_Active", "true"),
                ("EmailAccount_Name", "owned"),
                ("from_Product_Price", "12.50"),
                ("to_Product_Price", "-5"),
            ]
        );
        assert!(Query::new().to_pairs().is_empty());
    }

    #[test]
    fn dates_are_written_to_the_minute_in_utc() {
        let moment = Utc
            .with_ymd_and_hms(2025, 1, 2, 3, 4, 59)
            .single()
            .expect("valid date");
        assert_eq!(moment.query_value(), "2025-01-02T03:04");
        let offset = chrono::FixedOffset::east_opt(2 * 3600)
            .and_then(|zone| zone.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).single())
            .expect("valid date");
        assert_eq!(offset.with_timezone(&Utc).query_value(), "2025-12-31T21:30");
        let big = Decimal::from_i128_with_scale(123_456_789_000_000_000_000, 0);
        assert_eq!(big.query_value(), "123456789000000000000");
    }
}
