//! The local server under hostile requests, over real sockets (raw TCP where an HTTP client could
//! not send the bytes): each gets a clean 4xx, stores and changes nothing, and the server goes on
//! answering; slow clients are cut off without holding up anyone else.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use nexudus::crm::email_account::EmailAccountFilter;
use nexudus::{Client, PageRequest};
use nexudus_server::{Config, RunningServer};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::server::{ADMIN, PASSWORD, config, start};

const ACCOUNTS: &str = "/api/crm/emailaccounts";

/// Longer than any request here takes, short enough that a hang fails the test rather than CI.
const PATIENCE: Duration = Duration::from_secs(20);

/// An answer read off a socket.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Sends `request` as it is, on a connection of its own, and reads until the server closes the
/// connection: the answer, or `None` when it closed without one. Writing goes on beside reading,
/// since the server may answer (and stop reading) before a large request is all sent.
async fn exchange(server: &RunningServer, request: Vec<u8>) -> Option<Answer> {
    let socket = TcpStream::connect(server.address())
        .await
        .expect("connects");
    let (mut reader, mut writer) = socket.into_split();
    let writing = tokio::spawn(async move {
        // The server may close the connection before taking it all: that is its answer.
        let _ = writer.write_all(&request).await;
        writer
    });
    let mut received = Vec::new();
    let read = tokio::time::timeout(PATIENCE, reader.read_to_end(&mut received))
        .await
        .expect("the server answers or closes the connection in time");
    // A reset after the answer (the server closed with bytes of ours unread) keeps what came.
    if read.is_err() && received.is_empty() {
        return None;
    }
    drop(writing.await);
    parse(&received)
}

fn parse(received: &[u8]) -> Option<Answer> {
    let end = received
        .windows(4)
        .position(|window| window == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&received[..end]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(Answer {
        status,
        head,
        body: received[end + 4..].to_vec(),
    })
}

/// A request as bytes: `Host`, `Connection: close`, the bearer token when there is one, and a
/// `Content-Length` when there is a body.
fn request(method: &str, target: &[u8], token: Option<&str>, body: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = format!("{method} ").into_bytes();
    bytes.extend_from_slice(target);
    bytes.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(token) = token {
        bytes.extend_from_slice(format!("Authorization: Bearer {token}\r\n").as_bytes());
    }
    if let Some(body) = body {
        bytes.extend_from_slice(
            format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            )
            .as_bytes(),
        );
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body.unwrap_or_default());
    bytes
}

/// A bearer token for the administrator, from the password grant.
async fn token(server: &RunningServer) -> String {
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/api/token", server.url()))
        .form(&[
            ("grant_type", "password"),
            ("username", ADMIN),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("tokens");
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// What an answer must be.
#[derive(Clone, Copy, Debug)]
enum Expected {
    /// This status, with a Nexudus error body: `WasSuccessful: false` and a `Message`, and for a
    /// 400 every problem in `Errors`.
    Nexudus(u16),
    /// This status, answered by the HTTP layer before any route (no Nexudus body to give).
    Protocol(u16),
    /// 401 with a `Message`, as every refusal of credentials.
    Unauthorized,
    /// A search page with this many records in all.
    Page(u64),
    /// 400 with an OAuth error (`{"error", "error_description"}`), as `/api/token` refuses.
    OAuth,
}

impl Expected {
    /// Whether `answer` is what was expected; what is wrong otherwise.
    fn check(self, answer: &Answer) -> Result<(), String> {
        let status = match self {
            Expected::Nexudus(status) | Expected::Protocol(status) => status,
            Expected::Unauthorized => 401,
            Expected::Page(_) => 200,
            Expected::OAuth => 400,
        };
        if answer.status != status {
            return Err(format!("status {}, not {status}", answer.status));
        }
        let json = answer.json();
        match self {
            Expected::Nexudus(status) => {
                let json = json.ok_or("not a JSON body")?;
                if json["WasSuccessful"] != false || !json["Message"].is_string() {
                    return Err(format!("not a Nexudus error: {json:.200}"));
                }
                if status == 400 && json["Errors"].as_array().is_none_or(Vec::is_empty) {
                    return Err(format!("a 400 without Errors: {json:.200}"));
                }
            }
            Expected::Unauthorized => {
                if !json.is_some_and(|json| json["Message"].is_string()) {
                    return Err("a 401 without a Message".into());
                }
            }
            Expected::Page(total) => {
                let json = json.ok_or("not a JSON body")?;
                if json["TotalItems"] != total {
                    return Err(format!("TotalItems {}, not {total}", json["TotalItems"]));
                }
            }
            Expected::OAuth => {
                if !json.is_some_and(|json| json["error"].is_string()) {
                    return Err("not an OAuth error".into());
                }
            }
            Expected::Protocol(_) => {}
        }
        Ok(())
    }
}

/// `{"DisplayName": ..}` nested `depth` objects deep under `CustomFields`.
fn deep_object(depth: usize) -> Vec<u8> {
    let mut body = String::from(r#"{"CustomFields": "#);
    body.push_str(&r#"{"a": "#.repeat(depth));
    body.push('1');
    body.push_str(&"}".repeat(depth + 1));
    body.into_bytes()
}

/// A valid create with `display_name` as the raw JSON text of its name (quotes included).
fn create_named(display_name: &str) -> Vec<u8> {
    format!(
        r#"{{"BusinessId": 1001, "DisplayName": {display_name}, "EmailAddress": "desk@example.com",
            "IncomingServer": "imap.example.com", "IncomingServerPort": 993,
            "IncomingServerUsername": "desk", "OutgoingServer": "smtp.example.com",
            "OutgoingServerPort": 587, "OutgoingServerUsername": "desk"}}"#
    )
    .into_bytes()
}

/// An update of the record `id` (raw JSON text) with a valid body otherwise.
fn update_of(id: &str, display_name: &str) -> Vec<u8> {
    let create = String::from_utf8(create_named(display_name)).expect("UTF-8");
    format!(
        r#"{{"Id": {id}, "IncomingServerType": 1, "DeleteMessageSettings": 1, {}"#,
        &create[1..]
    )
    .into_bytes()
}

/// `body` with its first `from` replaced by `to`: for bytes a `String` cannot hold.
fn swap(body: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = body
        .windows(from.len())
        .position(|window| window == from)
        .expect("the bytes to replace are there");
    let mut swapped = body[..at].to_vec();
    swapped.extend_from_slice(to);
    swapped.extend_from_slice(&body[at + from.len()..]);
    swapped
}

/// Every hostile request: what it is, its bytes, and the answer it must get.
fn corpus(token: &str, id: i64) -> Vec<(String, Vec<u8>, Expected)> {
    let auth = Some(token);
    let get = |target: &str| request("GET", target.as_bytes(), auth, None);
    let post = |body: &[u8]| request("POST", ACCOUNTS.as_bytes(), auth, Some(body));
    let put = |body: &[u8]| request("PUT", ACCOUNTS.as_bytes(), auth, Some(body));
    let delete = |target: &str| request("DELETE", target.as_bytes(), auth, None);
    let search = |query: &str| get(&format!("{ACCOUNTS}?{query}"));
    let with_head = |extra: &str, target: &str| {
        let mut bytes = get(target);
        let at = bytes.len() - 2;
        bytes.splice(at..at, extra.bytes());
        bytes
    };
    let mut cases: Vec<(&str, Vec<u8>, Expected)> = vec![
        // JSON bodies.
        (
            "POST: 100,000 nested arrays",
            post("[".repeat(100_000).as_bytes()),
            Expected::Nexudus(400),
        ),
        (
            "POST: CustomFields 10,000 objects deep",
            post(&deep_object(10_000)),
            Expected::Nexudus(400),
        ),
        (
            "POST: a 2 MiB body (limit 1 MiB)",
            post(&create_named(&format!("\"{}\"", "x".repeat(2 << 20)))),
            Expected::Nexudus(400),
        ),
        (
            "POST: Content-Length 10 GB, 2 bytes sent",
            {
                let mut bytes = request("POST", ACCOUNTS.as_bytes(), auth, None);
                let at = bytes.len() - 2;
                bytes.splice(at..at, *b"Content-Length: 10000000000\r\n");
                bytes.extend_from_slice(b"{}");
                bytes
            },
            Expected::Nexudus(400),
        ),
        (
            "POST: 20,000 unknown properties",
            post(
                format!(
                    "{{{}}}",
                    (0..20_000)
                        .map(|n| format!("\"P{n}\": {n}"))
                        .collect::<Vec<_>>()
                        .join(",")
                )
                .as_bytes(),
            ),
            Expected::Nexudus(400),
        ),
        (
            "POST: invalid UTF-8 in a string",
            post(&swap(create_named("\"Desk XX\""), b"XX", b"\xFF\xFE")),
            Expected::Nexudus(400),
        ),
        (
            "POST: a lone surrogate, \\ud800",
            post(&create_named(r#""Desk \ud800""#)),
            Expected::Nexudus(400),
        ),
        (
            "POST: a raw NUL byte in a string",
            post(&create_named("\"Desk \0\"")),
            Expected::Nexudus(400),
        ),
        (
            "POST: \\u0000 in DisplayName",
            post(&create_named(r#""Desk \u0000 more""#)),
            Expected::Nexudus(400),
        ),
        (
            "POST: \\u0000 deep in CustomFields",
            post(&{
                let mut body = create_named("\"Desk\"");
                body.pop();
                body.extend_from_slice(br#", "CustomFields": {"Floor": ["a\u0000"]}}"#);
                body
            }),
            Expected::Nexudus(400),
        ),
        (
            "POST: a number 1e400",
            post(br#"{"IncomingServerPort": 1e400}"#),
            Expected::Nexudus(400),
        ),
        (
            "POST: BusinessId 99999999999999999999",
            post(&{
                let body = String::from_utf8(create_named("\"Desk\"")).expect("UTF-8");
                body.replace("1001", "99999999999999999999").into_bytes()
            }),
            Expected::Nexudus(400),
        ),
        (
            "POST: DisplayName twice, in two letter cases",
            post(&{
                let mut body = create_named("\"Desk\"");
                body.pop();
                body.extend_from_slice(br#", "displayname": "Other"}"#);
                body
            }),
            Expected::Nexudus(400),
        ),
        (
            "POST: SQL as the body",
            post(b"'; DROP TABLE records; --"),
            Expected::Nexudus(400),
        ),
        (
            "POST: chunked, chunk size not hex",
            {
                let mut bytes = request("POST", ACCOUNTS.as_bytes(), auth, None);
                let at = bytes.len() - 2;
                bytes.splice(at..at, *b"Transfer-Encoding: chunked\r\n");
                bytes.extend_from_slice(b"zz\r\n{}\r\n0\r\n\r\n");
                bytes
            },
            Expected::Nexudus(400),
        ),
        (
            "POST: chunked, chunk size 2^72",
            {
                let mut bytes = request("POST", ACCOUNTS.as_bytes(), auth, None);
                let at = bytes.len() - 2;
                bytes.splice(at..at, *b"Transfer-Encoding: chunked\r\n");
                bytes.extend_from_slice(b"1000000000000000000\r\n{}\r\n0\r\n\r\n");
                bytes
            },
            Expected::Nexudus(400),
        ),
        (
            "POST: two different Content-Lengths",
            {
                let mut bytes = request("POST", ACCOUNTS.as_bytes(), auth, None);
                let at = bytes.len() - 2;
                bytes.splice(at..at, *b"Content-Length: 2\r\nContent-Length: 3\r\n");
                bytes.extend_from_slice(b"{} ");
                bytes
            },
            Expected::Protocol(400),
        ),
        (
            "POST: Content-Length -1",
            {
                let mut bytes = request("POST", ACCOUNTS.as_bytes(), auth, None);
                let at = bytes.len() - 2;
                bytes.splice(at..at, *b"Content-Length: -1\r\n");
                bytes
            },
            Expected::Protocol(400),
        ),
        // Updates aimed at the one record.
        (
            "PUT: Id \"1 OR 1=1\"",
            put(&update_of("\"1 OR 1=1\"", "\"Changed\"")),
            Expected::Nexudus(400),
        ),
        (
            "PUT: Id 99999999999999999999",
            put(&update_of("99999999999999999999", "\"Changed\"")),
            Expected::Nexudus(400),
        ),
        (
            "PUT: Id -1",
            put(&update_of("-1", "\"Changed\"")),
            Expected::Nexudus(404),
        ),
        (
            "PUT: the record, with \\u0000 in DisplayName",
            put(&update_of(&id.to_string(), r#""Changed\u0000""#)),
            Expected::Nexudus(400),
        ),
        (
            "PUT: the record, 2 MiB",
            put(&update_of(
                &id.to_string(),
                &format!("\"{}\"", "x".repeat(2 << 20)),
            )),
            Expected::Nexudus(400),
        ),
        // Ids in the path.
        (
            "GET: id ..%2F..%2Fetc%2Fpasswd",
            get(&format!("{ACCOUNTS}/..%2F..%2Fetc%2Fpasswd")),
            Expected::Nexudus(404),
        ),
        (
            "GET: id ../../../etc/passwd (no route)",
            get(&format!("{ACCOUNTS}/../../../etc/passwd")),
            Expected::Protocol(404),
        ),
        (
            "DELETE: id {id}%2F..%2F2",
            delete(&format!("{ACCOUNTS}/{id}%2F..%2F2")),
            Expected::Nexudus(404),
        ),
        (
            "DELETE: id {id};DROP TABLE records",
            delete(&format!("{ACCOUNTS}/{id}%3BDROP%20TABLE%20records")),
            Expected::Nexudus(404),
        ),
        (
            "DELETE: id {id} OR 1=1",
            delete(&format!("{ACCOUNTS}/{id}%20OR%201%3D1")),
            Expected::Nexudus(404),
        ),
        (
            "GET: id 99999999999999999999",
            get(&format!("{ACCOUNTS}/99999999999999999999")),
            Expected::Nexudus(404),
        ),
        (
            "GET: id -9223372036854775808",
            get(&format!("{ACCOUNTS}/-9223372036854775808")),
            Expected::Nexudus(404),
        ),
        (
            "GET: id %FF (not UTF-8)",
            get(&format!("{ACCOUNTS}/%FF")),
            Expected::Nexudus(404),
        ),
        (
            "GET: id %00",
            get(&format!("{ACCOUNTS}/%00")),
            Expected::Nexudus(404),
        ),
        (
            "GET: a raw 0xFF byte in the path",
            request("GET", b"/api/crm/emailaccounts/\xFF", auth, None),
            Expected::Protocol(400),
        ),
        (
            "GET: a raw NUL byte in the path",
            request("GET", b"/api/crm/emailaccounts/\0", auth, None),
            Expected::Protocol(400),
        ),
        (
            "GET: a 70,000-byte path",
            get(&format!("{ACCOUNTS}/{}", "1".repeat(70_000))),
            Expected::Protocol(414),
        ),
        // Paging and ordering.
        (
            "search: page=99999999999999999999",
            search("page=99999999999999999999"),
            Expected::Nexudus(400),
        ),
        (
            "search: page=18446744073709551615",
            search("page=18446744073709551615"),
            Expected::Nexudus(400),
        ),
        (
            "search: page=4294967296",
            search("page=4294967296"),
            Expected::Nexudus(400),
        ),
        (
            "search: page=4294967295&size=1000 (the last page)",
            search("page=4294967295&size=1000"),
            Expected::Page(1),
        ),
        ("search: page=-1", search("page=-1"), Expected::Nexudus(400)),
        ("search: page=0", search("page=0"), Expected::Nexudus(400)),
        (
            "search: size=99999999999",
            search("size=99999999999"),
            Expected::Nexudus(400),
        ),
        ("search: size=-5", search("size=-5"), Expected::Nexudus(400)),
        (
            "search: page=%FF",
            search("page=%FF"),
            Expected::Nexudus(400),
        ),
        (
            "search: orderBy=Id;DROP TABLE records",
            search("orderBy=Id%3BDROP%20TABLE%20records"),
            Expected::Nexudus(400),
        ),
        (
            "search: orderBy=(SELECT 1)",
            search("orderBy=(SELECT%201)"),
            Expected::Nexudus(400),
        ),
        // Filters.
        (
            "search: EmailAccount_DisplayName=' OR '1'='1",
            search("EmailAccount_DisplayName=%27%20OR%20%271%27%3D%271"),
            Expected::Page(0),
        ),
        (
            "search: EmailAccount_DisplayName=x\") OR 1=1 --",
            search("EmailAccount_DisplayName=x%22)%20OR%201%3D1%20--"),
            Expected::Page(0),
        ),
        (
            "search: EmailAccount_Business=1001 OR 1=1",
            search("EmailAccount_Business=1001%20OR%201%3D1"),
            Expected::Nexudus(400),
        ),
        (
            "search: a filter named EmailAccount_DisplayName'--",
            search("EmailAccount_DisplayName%27--=x"),
            Expected::Nexudus(400),
        ),
        (
            "search: EmailAccount_DisplayName=%00",
            search("EmailAccount_DisplayName=Desk%00"),
            Expected::Nexudus(400),
        ),
        (
            "search: from_EmailAccount_CreatedOn=2025-13-45T99:99",
            search("from_EmailAccount_CreatedOn=2025-13-45T99%3A99"),
            Expected::Nexudus(400),
        ),
        (
            "search: Charge_DiscountAmount=NaN",
            get("/api/billing/charges?Charge_DiscountAmount=NaN"),
            Expected::Nexudus(400),
        ),
        (
            "search: from_Charge_DiscountAmount=inf",
            get("/api/billing/charges?from_Charge_DiscountAmount=inf"),
            Expected::Nexudus(400),
        ),
        (
            "get many: id=[1) OR (1=1]",
            get(&format!("{ACCOUNTS}/?id=%5B1)%20OR%20(1%3D1%5D")),
            Expected::Nexudus(400),
        ),
        (
            "get many: id=[99999999999999999999]",
            get(&format!("{ACCOUNTS}/?id=%5B99999999999999999999%5D")),
            Expected::Nexudus(400),
        ),
        (
            "get many: id 10,000 arrays deep",
            get(&format!("{ACCOUNTS}/?id={}", "%5B".repeat(10_000))),
            Expected::Nexudus(400),
        ),
        // Headers.
        (
            "GET: 200 headers",
            with_head(
                &(0..200)
                    .map(|n| format!("X-Bomb-{n}: {n}\r\n"))
                    .collect::<String>(),
                ACCOUNTS,
            ),
            Expected::Protocol(431),
        ),
        (
            "GET: one 1 MiB header",
            with_head(&format!("X-Bomb: {}\r\n", "x".repeat(1 << 20)), ACCOUNTS),
            Expected::Protocol(431),
        ),
        (
            "GET: a 200 KB bearer token",
            request("GET", ACCOUNTS.as_bytes(), Some(&"t".repeat(200_000)), None),
            Expected::Unauthorized,
        ),
        (
            "GET: a NUL byte in a header value",
            with_head("X-Nul: a\0b\r\n", ACCOUNTS),
            Expected::Protocol(400),
        ),
        (
            "GET: Authorization with a 0xFF byte",
            {
                let mut bytes = request("GET", ACCOUNTS.as_bytes(), None, None);
                let at = bytes.len() - 2;
                bytes.splice(at..at, *b"Authorization: Bearer \xFF\xFE\r\n");
                bytes
            },
            Expected::Unauthorized,
        ),
        (
            "PATCH: the collection",
            request("PATCH", ACCOUNTS.as_bytes(), auth, Some(b"{}")),
            Expected::Protocol(405),
        ),
    ];
    // The token endpoint.
    let form = |body: &[u8]| {
        let mut bytes = format!(
            "POST /api/token HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        bytes
    };
    cases.push((
        "token: a 2 MiB form",
        form(format!("grant_type=password&username={}", "a".repeat(2 << 20)).as_bytes()),
        Expected::OAuth,
    ));
    cases.push((
        "token: NUL in the password",
        form(format!("grant_type=password&username={ADMIN}&password=%00").as_bytes()),
        Expected::OAuth,
    ));
    cases
        .into_iter()
        .map(|(name, bytes, expected)| (name.replace("{id}", &id.to_string()), bytes, expected))
        .collect()
}

/// Every record of EmailAccount and of Charge, as JSON, read over HTTP.
async fn everything(client: &Client) -> (Vec<Value>, u64) {
    let accounts = client
        .email_accounts()
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("searched");
    let mut records = Vec::new();
    for record in &accounts.records {
        let full = client.email_accounts().get(record.id).await.expect("read");
        records.push(Value::Object(full.json().clone()));
    }
    let charges = client
        .charges()
        .search(
            &nexudus::billing::charge::ChargeFilter::new(),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    (records, charges.total_items)
}

#[tokio::test]
async fn hostile_requests_get_a_clean_4xx_and_change_nothing() {
    let (server, client) = start(config()).await;
    let id = client
        .email_accounts()
        .create(&crate::client::valid_create())
        .await
        .expect("created")
        .id;
    let before = everything(&client).await;
    assert_eq!(before.0.len(), 1);
    let token = token(&server).await;

    let mut table = String::from("| input | answer | expected |\n| --- | --- | --- |\n");
    let mut wrong = Vec::new();
    for (name, bytes, expected) in corpus(&token, id) {
        let answer = exchange(&server, bytes).await;
        let verdict = match &answer {
            Some(answer) => expected.check(answer),
            None => Err("closed without an answer".into()),
        };
        let shown = answer.as_ref().map_or("no answer".into(), |answer| {
            let message = answer
                .json()
                .and_then(|json| json["Errors"][0]["Message"].as_str().map(str::to_owned))
                .or_else(|| {
                    answer
                        .json()
                        .and_then(|json| json["Message"].as_str().map(str::to_owned))
                })
                .unwrap_or_default();
            format!("{} {message:.60}", answer.status)
        });
        let _ = writeln!(table, "| {name} | {shown} | {expected:?} |");
        if let Err(why) = verdict {
            wrong.push(format!(
                "{name}: {why}; {:.300}",
                answer.map_or(String::new(), |answer| format!(
                    "{} {}",
                    answer.head,
                    String::from_utf8_lossy(&answer.body)
                ))
            ));
        }
    }
    println!("{table}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Nothing was written, changed or deleted, and the server still answers as before.
    let after = everything(&client).await;
    assert_eq!(after, before, "the store is as it was");
    let fetched = exchange(
        &server,
        request(
            "GET",
            format!("{ACCOUNTS}/{id}").as_bytes(),
            Some(&token),
            None,
        ),
    )
    .await
    .expect("answered");
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json().expect("a record")["Id"], json!(id));
    server.stop().await.expect("stops");
}

/// What became of a dripping client.
struct Dripped {
    /// The server's answer, if it sent one before closing.
    answer: Option<Answer>,
    /// Whether every byte was sent: the server waited for all of them.
    all_sent: bool,
}

/// A client that sends `head`, then `drip` a byte at a time, `every` apart, until it is all
/// sent or the server closes the connection; then reads what the server answered.
async fn drip(server: &RunningServer, head: Vec<u8>, drip: Vec<u8>, every: Duration) -> Dripped {
    let socket = TcpStream::connect(server.address())
        .await
        .expect("connects");
    let (mut reader, mut writer) = socket.into_split();
    let reading = tokio::spawn(async move {
        let mut received = Vec::new();
        let _ = tokio::time::timeout(PATIENCE, reader.read_to_end(&mut received)).await;
        received
    });
    let mut all_sent = writer.write_all(&head).await.is_ok();
    for byte in drip {
        // In short steps, so that a connection the server closed ends the drip at once.
        let next = Instant::now() + every;
        while Instant::now() < next && !reading.is_finished() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if reading.is_finished() || writer.write_all(&[byte]).await.is_err() {
            all_sent = false;
            break;
        }
    }
    // A server that waited for everything has answered by now, or never will.
    let received = tokio::time::timeout(PATIENCE, reading)
        .await
        .expect("the server closes the connection in time")
        .expect("the reading task ran");
    Dripped {
        answer: parse(&received),
        all_sent,
    }
}

/// A create whose body is to be dripped: its head, and a valid body of about 300 bytes.
fn dripped_create(token: &str) -> (Vec<u8>, Vec<u8>) {
    let body = create_named("\"Dripped\"");
    let mut head = request("POST", ACCOUNTS.as_bytes(), Some(token), Some(&body));
    head.truncate(head.len() - body.len());
    (head, body)
}

/// A request head that never ends: a header line to drip, 300 times over.
fn endless_head() -> (Vec<u8>, Vec<u8>) {
    (
        format!("GET {ACCOUNTS} HTTP/1.1\r\nHost: localhost\r\n").into_bytes(),
        b"X-Drip: 1\r\n".repeat(300),
    )
}

#[tokio::test]
async fn clients_dripping_requests_do_not_hold_up_others() {
    // A deadline far longer than this test, and drips slower still (a dripped body would take
    // 33 s), so that every drip stays open throughout, however slow the machine.
    let (server, client) = start(Config {
        read_timeout: Duration::from_secs(120),
        ..config()
    })
    .await;
    let token = token(&server).await;
    let mut drips = Vec::new();
    for _ in 0..8 {
        let (head, body) = dripped_create(&token);
        let (endless, lines) = endless_head();
        for (head, rest) in [(head, body), (endless, lines)] {
            let address = server.address();
            drips.push(tokio::spawn(async move {
                let socket = TcpStream::connect(address).await.expect("connects");
                let (_reader, mut writer) = socket.into_split();
                writer.write_all(&head).await.expect("sent");
                for byte in rest {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    if writer.write_all(&[byte]).await.is_err() {
                        break;
                    }
                }
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let accounts = client.email_accounts();
    for round in 0..5 {
        let mut request = crate::client::valid_create();
        request.display_name = format!("Served {round}");
        let id = accounts.create(&request).await.expect("created").id;
        accounts.get(id).await.expect("read");
    }
    let page = accounts
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("searched");
    assert_eq!(
        page.total_items, 5,
        "only the served creates, no dripped one"
    );
    assert!(
        drips.iter().all(|drip| !drip.is_finished()),
        "the dripping clients were still sending while others were served"
    );
    for drip in &drips {
        drip.abort();
    }
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn slow_clients_are_cut_off_at_the_read_deadline() {
    let config = Config {
        read_timeout: Duration::from_secs(1),
        ..config()
    };
    let (server, client) = start(config).await;
    let token = token(&server).await;
    let every = Duration::from_millis(100);
    let started = Instant::now();
    let (head, body) = dripped_create(&token);
    let (endless, lines) = endless_head();
    let form = format!("grant_type=password&username={ADMIN}&password={PASSWORD}").repeat(5);
    let token_head = format!(
        "POST /api/token HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        form.len()
    );
    let (body_drip, head_drip, idle, token_drip) = tokio::join!(
        drip(&server, head, body, every),
        drip(&server, endless, lines, every),
        drip(&server, Vec::new(), vec![b'G'], Duration::from_secs(60)),
        drip(&server, token_head.into_bytes(), form.into_bytes(), every),
    );
    // Each would take 30 s or more if the server waited; the deadline is 1 s.
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "{:?}",
        started.elapsed()
    );

    assert!(!body_drip.all_sent, "the body was cut off");
    let answer = body_drip.answer.expect("a dripped body is answered");
    Expected::Nexudus(408)
        .check(&answer)
        .unwrap_or_else(|why| panic!("{why}: {answer:?}"));
    assert!(!head_drip.all_sent, "the head was cut off");
    assert!(
        head_drip.answer.is_none(),
        "a head cut off is a closed connection"
    );
    assert!(!idle.all_sent, "an idle connection is closed");
    assert!(!token_drip.all_sent, "the token request was cut off");
    let answer = token_drip.answer.expect("a dripped form is answered");
    assert_eq!(answer.status, 408);
    assert_eq!(
        answer.json().expect("a JSON body")["error"],
        "invalid_request",
        "as OAuth refuses"
    );

    let page = client
        .email_accounts()
        .search(&EmailAccountFilter::new(), &PageRequest::new())
        .await
        .expect("the server still answers");
    assert_eq!(page.total_items, 0, "the dripped create stored nothing");
    server.stop().await.expect("stops");
}
