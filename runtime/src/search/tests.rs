//! Tests of searches: `PageRequest`, the direction encodings and `Query` on their own, and over
//! loopback HTTP the exact query string and paging through all results lazily.

use std::time::Duration;

use chrono::TimeZone;
use futures_util::StreamExt as _;
use rust_decimal::Decimal;
use serde_json::json;
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::properties::{Properties, ReadProperties};
use super::*;
use crate::deserialize_properties;
use crate::endpoint::Endpoint;
use crate::fixtures::{EMAIL_ACCOUNTS, requests};
use crate::{Client, ClientBuilder, Error, Operation, RateLimit, Record};

const TOKEN: &str = "tok-5ea4c4-search";

const SEARCH: Endpoint = EMAIL_ACCOUNTS.search;

fn n(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).expect("not 0")
}

/// What generated `{Entity}Sort` enums look like.
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

/// A search record, reduced to what the tests look at.
#[derive(Debug, PartialEq)]
struct Account {
    id: i64,
}

impl ReadProperties for Account {
    fn read_properties(properties: &Properties<'_>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: properties.or_default("Id")?,
        })
    }
}

deserialize_properties!(Account);

impl Record for Account {
    const PROPERTIES: &'static [&'static str] = &["Id"];
    const NOT_UPDATED: &'static [&'static str] = &[];
}

/// A client for `server` without client-side rate limits or retry delays.
fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_backoff(Duration::from_millis(1))
        .rate_limit(RateLimit::none())
}

fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().expect("valid test client")
}

/// The raw query string of each request, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    requests(server)
        .await
        .iter()
        .map(|request| request.url.query().unwrap_or_default().to_owned())
        .collect()
}

/// A page of search results holding records with these ids.
fn page_of(ids: &[i64], has_next_page: bool) -> ResponseTemplate {
    let records: Vec<_> = ids
        .iter()
        .map(|id| json!({"Id": id, "DisplayName": format!("Account {id}")}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "Records": records,
        "CurrentPageSize": 2,
        "TotalItems": 5,
        "HasNextPage": has_next_page,
    }))
}

/// A server that answers `GET ?page=N` with `pages[N - 1]`, and 404 for any other page.
async fn server_with_pages(pages: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    for (index, answer) in pages.into_iter().enumerate() {
        Mock::given(method("GET"))
            .and(path("/api/crm/emailaccounts"))
            .and(query_param("page", (index + 1).to_string()))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    server
}

fn ids(results: Vec<Result<Account, Error>>) -> Vec<i64> {
    results
        .into_iter()
        .map(|result| result.expect("a record").id)
        .collect()
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

#[tokio::test]
async fn search_sends_the_filters_then_paging_and_sorting_and_reads_the_page() {
    let server = server_with_pages(vec![page_of(&[1], false), page_of(&[7, 8], true)]).await;
    let client = client_for(&server);
    let mut filters = Query::new();
    // Set twice: the second value replaces the first, in the first one's place.
    filters.set("EmailAccount_DisplayName", "a first value");
    let from = Utc
        .with_ymd_and_hms(2025, 1, 2, 3, 4, 5)
        .single()
        .expect("valid date");
    filters.set("from_EmailAccount_CreatedOn", &from);
    filters.set("EmailAccount_IncomingServerSSL", &true);
    filters.set("EmailAccount_DisplayName", "Front desk & co+1");
    let request = PageRequest::new()
        .page(n(2))
        .size(n(50))
        .order_by(Sort::DisplayName, SortDirection::Descending);
    let page = client
        .search::<Account, _>(&SEARCH, filters.to_pairs(), &request)
        .await
        .expect("page 2");
    assert_eq!(page.records, [Account { id: 7 }, Account { id: 8 }]);
    assert!(page.has_next_page);
    assert_eq!(page.total_items, 5);

    let first = client
        .search::<Account, Sort>(&SEARCH, Vec::new(), &PageRequest::new())
        .await
        .expect("page 1");
    assert_eq!(first.records, [Account { id: 1 }]);
    assert!(!first.has_next_page);

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.method.as_str() == "GET"));
    assert!(
        sent.iter()
            .all(|r| r.url.path() == "/api/crm/emailaccounts")
    );
    assert_eq!(
        queries(&server).await,
        [
            "EmailAccount_DisplayName=Front+desk+%26+co%2B1\
             &from_EmailAccount_CreatedOn=2025-01-02T03%3A04\
             &EmailAccount_IncomingServerSSL=true\
             &page=2&size=50&orderBy=DisplayName&dir=1",
            "page=1&size=25",
        ]
    );
}

#[tokio::test]
async fn each_direction_encoding_writes_dir_its_own_way() {
    let server = server_with_pages(vec![page_of(&[], false)]).await;
    let cases = [
        (None, "0", "1"),
        (Some(DirectionEncoding::ZeroOne), "0", "1"),
        (Some(DirectionEncoding::PlusMinusOne), "1", "-1"),
        (Some(DirectionEncoding::Words), "ascending", "descending"),
    ];
    let mut expected = Vec::new();
    for (encoding, ascending, descending) in cases {
        let builder = builder_for(&server);
        let client = match encoding {
            Some(encoding) => builder.sort_direction_encoding(encoding),
            None => builder,
        }
        .build()
        .expect("client");
        for (direction, dir) in [
            (SortDirection::Ascending, ascending),
            (SortDirection::Descending, descending),
        ] {
            let request = PageRequest::new().order_by(Sort::CreatedOn, direction);
            client
                .search::<Account, _>(&SEARCH, Vec::new(), &request)
                .await
                .expect("empty page");
            expected.push(format!("page=1&size=25&orderBy=CreatedOn&dir={dir}"));
        }
    }
    assert_eq!(queries(&server).await, expected);
}

#[tokio::test]
async fn a_page_s_sort_direction_is_read_in_the_client_s_encoding() {
    let answer = ResponseTemplate::new(200).set_body_json(json!({
        "Records": [], "CurrentSortDirection": "1"
    }));
    let server = server_with_pages(vec![answer]).await;
    for (encoding, read) in [
        (DirectionEncoding::ZeroOne, SortDirection::Descending),
        (DirectionEncoding::PlusMinusOne, SortDirection::Ascending),
    ] {
        let client = builder_for(&server)
            .sort_direction_encoding(encoding)
            .build()
            .expect("client");
        let page = client
            .search::<Account, Sort>(&SEARCH, Vec::new(), &PageRequest::new())
            .await
            .expect("a page");
        assert_eq!(page.current_sort_direction, Some(read), "{encoding:?}");
        assert_eq!(page.current_sort_direction_text.as_deref(), Some("1"));
    }
}

#[tokio::test]
async fn search_all_yields_every_record_of_every_page_in_order() {
    let server = server_with_pages(vec![
        page_of(&[1, 2], true),
        page_of(&[3, 4], true),
        // Page 4 has no mock: following past a page without a next one fails the test.
        page_of(&[5], false),
    ])
    .await;
    let client = client_for(&server);
    let filters = vec![("EmailAccount_Business".to_owned(), "1001".to_owned())];
    let request = PageRequest::new()
        .size(n(2))
        .order_by(Sort::DisplayName, SortDirection::Ascending);
    let all: Vec<_> = client
        .search_all::<Account, _>(&SEARCH, filters.clone(), request)
        .collect()
        .await;
    assert_eq!(ids(all), [1, 2, 3, 4, 5]);
    assert_eq!(
        queries(&server).await,
        [1, 2, 3].map(|page| format!(
            "EmailAccount_Business=1001&page={page}&size=2&orderBy=DisplayName&dir=0"
        ))
    );

    // From a later page on, with its size and order.
    let server = server_with_pages(vec![
        page_of(&[1, 2], true),
        page_of(&[3, 4], true),
        page_of(&[5], false),
    ])
    .await;
    let client = client_for(&server);
    let all: Vec<_> = client
        .search_all::<Account, _>(&SEARCH, Vec::new(), request.page(n(2)))
        .collect()
        .await;
    assert_eq!(ids(all), [3, 4, 5]);
    assert_eq!(
        queries(&server).await,
        [
            "page=2&size=2&orderBy=DisplayName&dir=0",
            "page=3&size=2&orderBy=DisplayName&dir=0"
        ]
    );
}

#[tokio::test]
async fn search_all_asks_for_a_page_only_when_its_records_are_wanted() {
    let server = server_with_pages(vec![
        page_of(&[1, 2], true),
        page_of(&[3, 4], true),
        page_of(&[5], false),
    ])
    .await;
    let client = client_for(&server);
    let mut stream = std::pin::pin!(client.search_all::<Account, Sort>(
        &SEARCH,
        Vec::new(),
        PageRequest::new().size(n(2))
    ));
    assert_eq!(requests(&server).await.len(), 0, "nothing before polling");
    let first = stream.next().await.expect("a record").expect("ok");
    assert_eq!(first.id, 1);
    assert_eq!(requests(&server).await.len(), 1);
    let second = stream.next().await.expect("a record").expect("ok");
    assert_eq!(second.id, 2);
    assert_eq!(
        requests(&server).await.len(),
        1,
        "page 1 is not used up yet"
    );
    let third = stream.next().await.expect("a record").expect("ok");
    assert_eq!(third.id, 3);
    assert_eq!(queries(&server).await, ["page=1&size=2", "page=2&size=2"]);

    // A consumer that stops after the first record costs one request.
    let server = server_with_pages(vec![page_of(&[1, 2], true), page_of(&[3, 4], false)]).await;
    let client = client_for(&server);
    let first: Vec<_> = client
        .search_all::<Account, Sort>(&SEARCH, Vec::new(), PageRequest::new())
        .take(1)
        .collect()
        .await;
    assert_eq!(ids(first), [1]);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_page_without_records_ends_the_stream_even_if_it_claims_a_next_one() {
    let server = server_with_pages(vec![
        page_of(&[1], true),
        page_of(&[], true),
        page_of(&[99], false),
    ])
    .await;
    let client = client_for(&server);
    let all: Vec<_> = client
        .search_all::<Account, Sort>(&SEARCH, Vec::new(), PageRequest::new())
        .collect()
        .await;
    assert_eq!(ids(all), [1]);
    assert_eq!(queries(&server).await, ["page=1&size=25", "page=2&size=25"]);

    // The same when the very first page is empty.
    let server = server_with_pages(vec![page_of(&[], true), page_of(&[99], false)]).await;
    let all: Vec<_> = client_for(&server)
        .search_all::<Account, Sort>(&SEARCH, Vec::new(), PageRequest::new())
        .collect()
        .await;
    assert!(all.is_empty(), "{all:?}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_once_and_ends_it() {
    let server = server_with_pages(vec![
        page_of(&[1, 2], true),
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
        page_of(&[5], false),
    ])
    .await;
    // Reads are retried after a 5xx; without retries the count below is exact.
    let client = builder_for(&server).max_retries(0).build().expect("client");
    let all: Vec<_> = client
        .search_all::<Account, Sort>(&SEARCH, Vec::new(), PageRequest::new())
        .collect()
        .await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[0].as_ref().map(|a| a.id).ok(), Some(1));
    assert_eq!(all[1].as_ref().map(|a| a.id).ok(), Some(2));
    assert!(
        matches!(
            &all[2],
            Err(Error::ServerError {
                status: 500,
                operation: Operation::Search,
                ..
            })
        ),
        "{all:?}"
    );
    assert_eq!(queries(&server).await, ["page=1&size=25", "page=2&size=25"]);

    // A record that does not fit is an error too, and also the last item.
    let server = server_with_pages(vec![
        ResponseTemplate::new(200).set_body_json(json!({
            "Records": [{"Id": 1}, {"Id": "not a number"}],
            "HasNextPage": true
        })),
        page_of(&[3], false),
    ])
    .await;
    let all: Vec<_> = client_for(&server)
        .search_all::<Account, Sort>(&SEARCH, Vec::new(), PageRequest::new())
        .collect()
        .await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        matches!(&all[0], Err(Error::Decode { status: 200, .. })),
        "{all:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn search_failures_are_typed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"Id": 1}])))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .search::<Account, Sort>(&SEARCH, Vec::new(), &PageRequest::new())
        .await
        .expect_err("an array is not a page");
    assert!(
        matches!(
            &error,
            Error::Decode {
                status: 200,
                operation: Operation::Search,
                ..
            }
        ),
        "{error:?}"
    );
}

const GET_MANY: Endpoint = EMAIL_ACCOUNTS.get_many;

#[tokio::test]
async fn get_many_sends_the_ids_as_one_list_and_none_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crm/emailaccounts/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"Id": 1}, {"Id": -3}])))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let records: Vec<Account> = client
        .get_many(&GET_MANY, &[1, 2, -3])
        .await
        .expect("records");
    assert_eq!(records, [Account { id: 1 }, Account { id: -3 }]);
    let none: Vec<Account> = client.get_many(&GET_MANY, &[]).await.expect("no ids");
    assert!(none.is_empty());
    assert_eq!(queries(&server).await, ["id=%5B1%2C2%2C-3%5D"]);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(page_of(&[1], false))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .get_many::<Account>(&GET_MANY, &[1])
        .await
        .expect_err("a page is not a list");
    assert!(
        matches!(
            &error,
            Error::Decode {
                operation: Operation::GetMany,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn searches_are_send() {
    fn assert_send<T: Send>(_: T) {}
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token(TOKEN)
        .build()
        .expect("client");
    let request = PageRequest::<Sort>::new();
    assert_send(client.search::<Account, _>(&SEARCH, Vec::new(), &request));
    assert_send(client.search_all::<Account, _>(&SEARCH, Vec::new(), request));
    assert_send(client.get_many::<Account>(&GET_MANY, &[1]));
}
