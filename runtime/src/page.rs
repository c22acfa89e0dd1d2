//! `Page`: one page of search results, read leniently.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::search::{DirectionEncoding, SortDirection};

/// One page of search results: the records, and where they sit in the whole result.
///
/// Read leniently, since the documentation generations disagree: unknown fields are ignored,
/// a missing, `null` or unreadable number is `0`, a missing flag is `false`, and `PageNumber` and
/// `PageSize`, which some responses carry instead of or besides `CurrentPage` and
/// `CurrentPageSize`, fill those when they are missing. Records in search results omit
/// collection properties (lists of `Id`s); getting one record returns them.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records of this page (`Records`).
    pub records: Vec<T>,
    /// The number of this page, from 1 (`CurrentPage`, or `PageNumber`).
    pub current_page: u64,
    /// How many records a page holds (`CurrentPageSize`, or `PageSize`).
    pub current_page_size: u64,
    /// The property the records are sorted by (`CurrentOrderField`).
    pub current_order_field: Option<String>,
    /// The sort direction of the records (`CurrentSortDirection`), read in the client's
    /// [`DirectionEncoding`] when the server writes a number (`1` is descending in `0`/`1` and
    /// ascending in `1`/`-1`); `Ascending`/`Descending` in any case. `None` when missing or
    /// unreadable.
    pub current_sort_direction: Option<SortDirection>,
    /// `CurrentSortDirection` as the server wrote it.
    pub current_sort_direction_text: Option<String>,
    /// The position of this page's first record in the whole result, from 1 (`FirstItem`).
    pub first_item: u64,
    /// The position of this page's last record in the whole result (`LastItem`).
    pub last_item: u64,
    /// How many records match the search, on all pages (`TotalItems`).
    pub total_items: u64,
    /// How many pages there are (`TotalPages`).
    pub total_pages: u64,
    /// Whether a later page exists (`HasNextPage`).
    pub has_next_page: bool,
    /// Whether an earlier page exists (`HasPreviousPage`).
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// The page with [`current_sort_direction`](Self::current_sort_direction) read from its
    /// text in `encoding`: the client's, when it made the search.
    pub(crate) fn read_direction(mut self, encoding: DirectionEncoding) -> Self {
        self.current_sort_direction = self
            .current_sort_direction_text
            .as_deref()
            .and_then(|text| encoding.decode(text));
        self
    }

    /// The same page holding `records` instead: its own, read as another type.
    pub(crate) fn with_records<U>(self, records: Vec<U>) -> Page<U> {
        Page {
            records,
            current_page: self.current_page,
            current_page_size: self.current_page_size,
            current_order_field: self.current_order_field,
            current_sort_direction: self.current_sort_direction,
            current_sort_direction_text: self.current_sort_direction_text,
            first_item: self.first_item,
            last_item: self.last_item,
            total_items: self.total_items,
            total_pages: self.total_pages,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only from an object: a derived impl would also read an array (e.g. the answer of
        // "get many") as a page with no records.
        deserializer
            .deserialize_map(PageVisitor(PhantomData))
            .map(Self::from)
    }
}

struct PageVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = RawPage<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page of search results (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        RawPage::deserialize(MapAccessDeserializer::new(map))
    }
}

/// The page as sent; every field but the records is taken as any JSON value.
#[derive(Deserialize)]
struct RawPage<T> {
    #[serde(rename = "Records", default = "Option::default")]
    records: Option<Vec<T>>,
    #[serde(rename = "CurrentPage", default)]
    current_page: Option<serde_json::Value>,
    #[serde(rename = "PageNumber", default)]
    page_number: Option<serde_json::Value>,
    #[serde(rename = "CurrentPageSize", default)]
    current_page_size: Option<serde_json::Value>,
    #[serde(rename = "PageSize", default)]
    page_size: Option<serde_json::Value>,
    #[serde(rename = "CurrentOrderField", default)]
    current_order_field: Option<serde_json::Value>,
    #[serde(rename = "CurrentSortDirection", default)]
    current_sort_direction: Option<serde_json::Value>,
    #[serde(rename = "FirstItem", default)]
    first_item: Option<serde_json::Value>,
    #[serde(rename = "LastItem", default)]
    last_item: Option<serde_json::Value>,
    #[serde(rename = "TotalItems", default)]
    total_items: Option<serde_json::Value>,
    #[serde(rename = "TotalPages", default)]
    total_pages: Option<serde_json::Value>,
    #[serde(rename = "HasNextPage", default)]
    has_next_page: Option<serde_json::Value>,
    #[serde(rename = "HasPreviousPage", default)]
    has_previous_page: Option<serde_json::Value>,
}

impl<T> From<RawPage<T>> for Page<T> {
    fn from(raw: RawPage<T>) -> Self {
        let page = Self {
            records: raw.records.unwrap_or_default(),
            current_page: count(raw.current_page.as_ref())
                .or_else(|| count(raw.page_number.as_ref()))
                .unwrap_or(0),
            current_page_size: count(raw.current_page_size.as_ref())
                .or_else(|| count(raw.page_size.as_ref()))
                .unwrap_or(0),
            current_order_field: text(raw.current_order_field.as_ref()),
            current_sort_direction: None,
            current_sort_direction_text: text(raw.current_sort_direction.as_ref()),
            first_item: count(raw.first_item.as_ref()).unwrap_or(0),
            last_item: count(raw.last_item.as_ref()).unwrap_or(0),
            total_items: count(raw.total_items.as_ref()).unwrap_or(0),
            total_pages: count(raw.total_pages.as_ref()).unwrap_or(0),
            has_next_page: flag(raw.has_next_page.as_ref()),
            has_previous_page: flag(raw.has_previous_page.as_ref()),
        };
        page.read_direction(DirectionEncoding::default())
    }
}

/// A whole number, written as a number or as text.
fn count(value: Option<&serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::Number(number) => number.as_u64(),
        serde_json::Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn text(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn flag(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(flag)) => *flag,
        Some(serde_json::Value::String(text)) => text.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
