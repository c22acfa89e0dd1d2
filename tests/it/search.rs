//! Search, get-many and commands, as generated for EmailAccount, against a real HTTP server on loopback.

use chrono::{TimeZone, Utc};
use futures_util::{StreamExt, TryStreamExt};
use nexudus::crm::email_account::{EmailAccountFilter, EmailAccountSort, EmailServerType};
use nexudus::{Client, Error, PageRequest, RateLimit, SortDirection};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::records::fetched;

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("test-token-5f2c9a")
        .rate_limit(RateLimit::none())
        .max_retries(0)
        .build()
        .expect("a valid client configuration")
}

/// A search record: the fetched record without its collection properties, with its own Id.
fn listed(id: i64) -> Value {
    let mut record = fetched();
    record["Id"] = json!(id);
    record["DisplayName"] = json!(format!("Desk {id}"));
    record
}

/// One page of `per_page` records out of `pages` pages, shaped as the API documents it.
fn page(number: u64, pages: u64, per_page: u64) -> Value {
    let first = (number - 1) * per_page + 1;
    let records: Vec<Value> = (first..first + per_page)
        .map(|id| listed(i64::try_from(id).expect("small")))
        .collect();
    json!({
        "Records": records, "CurrentPage": number, "CurrentPageSize": per_page,
        "CurrentOrderField": "Id", "CurrentSortDirection": "0",
        "FirstItem": first, "LastItem": first + per_page - 1,
        "TotalItems": pages * per_page, "TotalPages": pages,
        "HasNextPage": number < pages, "HasPreviousPage": number > 1
    })
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

#[tokio::test]
async fn a_search_sends_every_filter_range_and_paging_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crm/emailaccounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(2, 3, 2)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let at = Utc
        .with_ymd_and_hms(2025, 1, 2, 3, 4, 59)
        .single()
        .expect("a valid date");
    let filter = EmailAccountFilter::new()
        .business_id(1_001)
        .display_name("Front desk & co")
        .incoming_server_type(EmailServerType::Imap)
        .from_incoming_server_port(900)
        .to_last_check_time(at)
        .from_created_on(at);
    let request = PageRequest::new()
        .page(crate::nonzero(2))
        .size(crate::nonzero(50))
        .order_by(EmailAccountSort::DisplayName, SortDirection::Descending);

    let found = client
        .email_accounts()
        .search(&filter, &request)
        .await
        .expect("the search succeeds");

    let ids: Vec<i64> = found.records.iter().map(|record| record.id).collect();
    assert_eq!(ids, [3, 4]);
    assert_eq!(found.records[0].display_name.as_deref(), Some("Desk 3"));
    assert!(found.has_next_page);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.path(), "/api/crm/emailaccounts");
    assert_eq!(
        sent[0].url.query(),
        Some(
            "EmailAccount_Business=1001\
             &EmailAccount_DisplayName=Front+desk+%26+co\
             &EmailAccount_IncomingServerType=1\
             &from_EmailAccount_IncomingServerPort=900\
             &to_EmailAccount_LastCheckTime=2025-01-02T03%3A04\
             &from_EmailAccount_CreatedOn=2025-01-02T03%3A04\
             &page=2&size=50&orderBy=DisplayName&dir=1"
        )
    );
}

#[tokio::test]
async fn an_empty_filter_sends_only_the_default_paging() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 1, 1)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    client
        .email_accounts()
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("the search succeeds");
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.query(), Some("page=1&size=25"));
}

#[tokio::test]
async fn search_all_walks_three_pages_in_order() {
    let server = MockServer::start().await;
    for number in 1..=3 {
        Mock::given(method("GET"))
            .and(path("/api/crm/emailaccounts"))
            .and(query_param("page", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(number, 3, 2)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    let filter = EmailAccountFilter::new().active(true);

    let records: Vec<_> = client
        .email_accounts()
        .search_all(&filter, PageRequest::new().size(crate::nonzero(2)))
        .try_collect()
        .await
        .expect("every page is read");

    let ids: Vec<i64> = records.iter().map(|record| record.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|request| request.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "EmailAccount_Active=true&page=1&size=2",
            "EmailAccount_Active=true&page=2&size=2",
            "EmailAccount_Active=true&page=3&size=2",
        ]
    );
}

#[tokio::test]
async fn search_all_asks_for_a_page_only_when_it_is_needed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 3, 2)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let accounts = client.email_accounts();
    let first: Vec<_> = accounts
        .search_all(
            &EmailAccountFilter::new(),
            PageRequest::new().size(crate::nonzero(2)),
        )
        .take(2)
        .collect()
        .await;
    assert_eq!(first.len(), 2);
    assert_eq!(
        requests(&server).await.len(),
        1,
        "the two records of page 1 need no second request"
    );
}

#[tokio::test]
async fn get_many_sends_the_ids_as_a_list_and_reads_partial_records() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crm/emailaccounts/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([listed(1), listed(3)])))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let records = client
        .email_accounts()
        .get_many(&[1, 2, 3])
        .await
        .expect("the records are read");

    let ids: Vec<i64> = records.iter().map(|record| record.id).collect();
    assert_eq!(ids, [1, 3]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.query(), Some("id=%5B1%2C2%2C3%5D"));
    let decoded: Vec<(String, String)> = sent[0].url.query_pairs().into_owned().collect();
    assert_eq!(decoded, [("id".to_owned(), "[1,2,3]".to_owned())]);
}

#[tokio::test]
async fn get_many_of_no_ids_sends_nothing() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let records = client
        .email_accounts()
        .get_many(&[])
        .await
        .expect("nothing to read");
    assert!(records.is_empty());
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn get_many_answering_an_object_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 1, 1)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let error = client
        .email_accounts()
        .get_many(&[1])
        .await
        .expect_err("a page is not a list of records");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}
