//! A crash under load: writers create, update and delete EmailAccounts through the SDK while the
//! server, a process of its own, is killed with SIGKILL; restarted on the same database file, it
//! must hold every acknowledged write whole, and nothing unacknowledged half-written. Shared by a
//! short test (below) and `examples/server_crash.rs`, the minute-long run of
//! `scripts/server-crash.sh`.

use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use nexudus::crm::email_account::{
    EmailAccount, EmailAccountCreate, EmailAccountCreateRequired, EmailAccountFilter,
    EmailAccountUpdate, EmailAccountUpdateRequired, EmailServerType, MessageDeletionPolicy,
};
use nexudus::{Client, PageRequest, RateLimit, TryStreamExt as _};

/// What a server prints once it listens, before its URL.
const SERVING: &str = "serving the Nexudus API at ";

/// A server in a process of its own.
pub struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Runs `command`, a server that prints `serving the Nexudus API at {url}` once it
    /// listens, and waits for that line.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server process starts");
        let stdout = child.stdout.take().expect("its output is piped");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the server prints its URL before it ends")
                .expect("its output is readable");
            if let Some(url) = line.strip_prefix(SERVING) {
                break url.trim().to_owned();
            }
        };
        // The rest of its output is read, so that the server never waits on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, url }
    }

    /// Its base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Kills it with SIGKILL (`kill -9`): no shutdown, no flush, and waits until it is gone.
    pub fn kill(mut self) {
        self.child.kill().expect("the server is killed");
        self.child.wait().expect("the killed server is reaped");
    }
}

impl Drop for Server {
    /// A run that fails half-way leaves no server process behind (killing one already killed
    /// and reaped does nothing).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How to load a server.
pub struct Load {
    /// The users who write, one writer each, as `(username, password)`.
    pub users: Vec<(String, String)>,
    /// The least time between the starts of one writer's writes (the rate limits allow one a
    /// second on average).
    pub pace: Duration,
    /// When to kill the server: after this long...
    pub kill_after: Duration,
    /// ...or once this many writes were acknowledged, whichever comes first.
    pub kill_after_acknowledged: u64,
}

/// A write whose outcome the writer never learnt: in flight when the server died, or sent after.
#[derive(Clone, Debug)]
enum Write {
    Create { tag: String },
    Update { id: i64, version: u32 },
    Delete { id: i64 },
}

/// A record as its writer last had it acknowledged.
#[derive(Clone, Debug)]
struct Known {
    tag: String,
    version: u32,
    deleted: bool,
}

/// What one writer sent and was told.
#[derive(Debug, Default)]
struct Log {
    records: BTreeMap<i64, Known>,
    /// The write that got no answer, if any, and when it was sent.
    unknown: Option<Write>,
    unknown_sent: Option<Instant>,
    /// Tags of creates refused with 409: the server says it processed nothing.
    throttled_creates: Vec<String>,
    sent: u64,
    acknowledged: u64,
    throttled: u64,
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

/// The figures of a run, and every problem found.
#[derive(Debug, Default)]
pub struct Report {
    /// Writers, one per user.
    pub users: usize,
    /// Writes sent.
    pub requests: u64,
    /// Writes the server acknowledged (200, `WasSuccessful`).
    pub acknowledged: u64,
    /// Writes refused with 409 (over a rate limit), which must have stored nothing.
    pub throttled: u64,
    /// Writes that got no answer (one per writer at most): each may or may not have happened,
    /// but whole.
    pub unanswered: u64,
    /// Of those, the writes sent before the kill: in flight when it came.
    pub in_flight: u64,
    /// Acknowledged writes whose effect is not in the restarted server.
    pub lost: u64,
    /// Records whose properties come from different writes.
    pub half_written: u64,
    /// Records no acknowledged or in-flight write accounts for.
    pub unexpected: u64,
    /// Records in the restarted server.
    pub records: usize,
    /// From the first write to the kill.
    pub duration: Duration,
    /// Latencies of the acknowledged writes: the median and the 99th percentile.
    pub p50: Duration,
    /// See `p50`.
    pub p99: Duration,
    /// What went wrong, one line each: failed requests, lost or half-written records.
    pub problems: Vec<String>,
}

impl Report {
    /// Whether the server kept every acknowledged write whole and answered every request
    /// without a failure of its own.
    pub fn is_clean(&self) -> bool {
        self.lost == 0 && self.half_written == 0 && self.unexpected == 0 && self.problems.is_empty()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "users              {}", self.users)?;
        writeln!(f, "duration           {:.1} s", self.duration.as_secs_f64())?;
        writeln!(f, "requests           {}", self.requests)?;
        writeln!(f, "acknowledged       {}", self.acknowledged)?;
        writeln!(f, "throttled (409)    {}", self.throttled)?;
        writeln!(f, "unanswered         {}", self.unanswered)?;
        writeln!(f, "  in flight at kill {}", self.in_flight)?;
        writeln!(f, "lost               {}", self.lost)?;
        writeln!(f, "half-written       {}", self.half_written)?;
        writeln!(f, "unexpected         {}", self.unexpected)?;
        writeln!(f, "records after      {}", self.records)?;
        writeln!(f, "latency p50        {:.1} ms", millis(self.p50))?;
        write!(f, "latency p99        {:.1} ms", millis(self.p99))?;
        for problem in &self.problems {
            write!(f, "\nproblem: {problem}")?;
        }
        Ok(())
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// The properties a write gives a record: every text property the writer sets names the record
/// and the version, and the port follows the version, so a record mixing two writes shows it.
fn properties(tag: &str, version: u32) -> (String, i32) {
    let port = 1 + i32::try_from(version % 60_000).unwrap_or_default();
    (format!("{tag} v{version}"), port)
}

fn create_request(tag: &str) -> EmailAccountCreate {
    let (name, port) = properties(tag, 0);
    EmailAccountCreate::new(EmailAccountCreateRequired {
        business_id: 1_001,
        display_name: name.clone(),
        email_address: "crash@example.com".into(),
        incoming_server: "imap.example.com".into(),
        incoming_server_port: port,
        incoming_server_username: name.clone(),
        outgoing_server: "smtp.example.com".into(),
        outgoing_server_port: 587,
        outgoing_server_username: name,
    })
}

fn update_request(id: i64, tag: &str, version: u32) -> EmailAccountUpdate {
    let (name, port) = properties(tag, version);
    EmailAccountUpdate::new(EmailAccountUpdateRequired {
        id,
        business_id: 1_001,
        display_name: name.clone(),
        email_address: "crash@example.com".into(),
        incoming_server: "imap.example.com".into(),
        incoming_server_type: EmailServerType::Imap,
        incoming_server_port: port,
        incoming_server_username: name.clone(),
        delete_message_settings: MessageDeletionPolicy::DontDelete,
        outgoing_server: "smtp.example.com".into(),
        outgoing_server_port: 587,
        outgoing_server_username: name,
    })
}

/// The tag and version of a stored record, when it is whole: every property from one write.
fn whole(record: &EmailAccount) -> Option<(String, u32)> {
    let name = record.display_name.as_deref()?;
    let (tag, version) = name.rsplit_once(" v")?;
    let version: u32 = version.parse().ok()?;
    let (expected_name, port) = properties(tag, version);
    (record.incoming_server_username.as_deref() == Some(expected_name.as_str())
        && record.outgoing_server_username.as_deref() == Some(expected_name.as_str())
        && record.incoming_server_port == Some(port))
    .then(|| (tag.to_owned(), version))
}

/// A client that sends each write once: no retries, no waiting out a 409, no pacing of its own.
fn writer_client(url: &str, username: &str, password: &str) -> Client {
    Client::builder()
        .base_url(url)
        .basic(username, password.to_owned())
        .rate_limit(RateLimit::none())
        .max_retries(0)
        .max_throttle_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a valid client configuration")
}

/// A small generator of choices, seeded per writer, so that a run needs no randomness crate.
struct Choices(u64);

impl Choices {
    fn below(&mut self, bound: usize) -> usize {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % bound as u64).unwrap_or_default()
    }
}

/// One writer: creates, updates and deletes its own records until a write gets no answer.
async fn write(client: Client, writer: usize, pace: Duration, counts: Arc<Counts>) -> Log {
    let accounts = client.email_accounts();
    let mut log = Log::default();
    let mut choices = Choices(0x9E37_79B9_7F4A_7C15 ^ (writer as u64 + 1));
    let mut created = 0;
    let mut next = tokio::time::Instant::now();
    loop {
        tokio::time::sleep_until(next).await;
        next += pace;
        let live: Vec<i64> = log
            .records
            .iter()
            .filter(|(_, known)| !known.deleted)
            .map(|(id, _)| *id)
            .collect();
        let choice = choices.below(10);
        let write = if live.is_empty() || choice < 4 {
            created += 1;
            Write::Create {
                tag: format!("w{writer}r{created}"),
            }
        } else if choice < 8 {
            let id = live[choices.below(live.len())];
            Write::Update {
                id,
                version: log.records[&id].version + 1,
            }
        } else {
            Write::Delete {
                id: live[choices.below(live.len())],
            }
        };
        log.sent += 1;
        let started = Instant::now();
        counts.in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = match &write {
            Write::Create { tag } => accounts.create(&create_request(tag)).await,
            Write::Update { id, version } => {
                let tag = log.records[id].tag.clone();
                accounts.update(&update_request(*id, &tag, *version)).await
            }
            Write::Delete { id } => accounts.delete(*id).await,
        };
        counts.in_flight.fetch_sub(1, Ordering::SeqCst);
        match answer {
            Ok(outcome) => {
                log.latencies.push(started.elapsed());
                log.acknowledged += 1;
                counts.acknowledged.fetch_add(1, Ordering::Relaxed);
                match write {
                    Write::Create { tag } => {
                        let known = Known {
                            tag,
                            version: 0,
                            deleted: false,
                        };
                        log.records.insert(outcome.id, known);
                    }
                    Write::Update { id, version } => {
                        if let Some(known) = log.records.get_mut(&id) {
                            known.version = version;
                        }
                    }
                    Write::Delete { id } => {
                        if let Some(known) = log.records.get_mut(&id) {
                            known.deleted = true;
                        }
                    }
                }
            }
            Err(nexudus::Error::Throttled { .. }) => {
                log.throttled += 1;
                if let Write::Create { tag } = write {
                    log.throttled_creates.push(tag);
                }
            }
            // No answer: the server died with this write in flight, or before it arrived.
            Err(nexudus::Error::Transport { .. }) => {
                log.unknown = Some(write);
                log.unknown_sent = Some(started);
                return log;
            }
            Err(error) => {
                log.failures.push(format!("writer {writer}: {error}"));
                log.unknown = Some(write);
                log.unknown_sent = Some(started);
                return log;
            }
        }
    }
}

/// What the writers share with the run: how many writes were acknowledged, how many are
/// waiting for an answer.
#[derive(Default)]
struct Counts {
    acknowledged: AtomicU64,
    in_flight: AtomicU64,
}

/// Loads the server with one writer per user, kills it mid-load, restarts it with `restart`
/// (on the same database file) and checks what it holds against what was acknowledged.
pub async fn crash_and_check(
    server: Server,
    load: &Load,
    restart: impl FnOnce() -> Server,
) -> Report {
    let counts = Arc::new(Counts::default());
    let writers: Vec<_> = load
        .users
        .iter()
        .enumerate()
        .map(|(writer, (username, password))| {
            let client = writer_client(server.url(), username, password);
            tokio::spawn(write(client, writer, load.pace, counts.clone()))
        })
        .collect();
    let started = Instant::now();
    while started.elapsed() < load.kill_after
        && counts.acknowledged.load(Ordering::Relaxed) < load.kill_after_acknowledged
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // SIGKILL while the writers are still writing, at a moment when a write is in flight (paced
    // writers are mostly waiting for their next turn), or after 5 s of looking for one.
    let looking = Instant::now();
    while counts.in_flight.load(Ordering::SeqCst) == 0 && looking.elapsed() < Duration::from_secs(5)
    {
        tokio::task::yield_now().await;
    }
    let killed = Instant::now();
    server.kill();
    let duration = killed - started;
    let mut logs = Vec::new();
    for writer in writers {
        logs.push(writer.await.expect("the writer ran"));
    }

    let server = restart();
    let (username, password) = &load.users[0];
    let reader = Client::builder()
        .base_url(server.url())
        .basic(username.clone(), password.clone())
        .build()
        .expect("a valid client configuration");
    let stored: Vec<EmailAccount> = reader
        .email_accounts()
        .search_all(
            &EmailAccountFilter::new(),
            PageRequest::new().size(std::num::NonZeroU32::new(1_000).expect("not 0")),
        )
        .try_collect()
        .await
        .expect("the restarted server answers");
    server.kill();
    let mut report = check(&logs, &stored);
    report.in_flight = logs
        .iter()
        .filter(|log| log.unknown_sent.is_some_and(|sent| sent < killed))
        .count() as u64;
    report.users = load.users.len();
    report.duration = duration;
    report
}

/// Compares what the writers were told with what the restarted server holds.
fn check(logs: &[Log], stored: &[EmailAccount]) -> Report {
    let mut report = Report::default();
    let mut latencies: Vec<Duration> = Vec::new();
    for log in logs {
        report.requests += log.sent;
        report.acknowledged += log.acknowledged;
        report.throttled += log.throttled;
        report.unanswered += u64::from(log.unknown.is_some());
        report.problems.extend(log.failures.iter().cloned());
        latencies.extend(&log.latencies);
    }
    latencies.sort();
    let percentile = |p: usize| {
        latencies
            .get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    report.p50 = percentile(50);
    report.p99 = percentile(99);
    report.records = stored.len();

    let by_id: BTreeMap<i64, &EmailAccount> =
        stored.iter().map(|record| (record.id, record)).collect();
    let mut accounted = std::collections::BTreeSet::new();
    for log in logs {
        for (id, known) in &log.records {
            accounted.insert(*id);
            // What the record may be: as last acknowledged, or as the write in flight left it.
            let mut allowed = vec![(!known.deleted).then_some(known.version)];
            match log.unknown {
                Some(Write::Update {
                    id: target,
                    version,
                }) if target == *id => {
                    allowed.push(Some(version));
                }
                Some(Write::Delete { id: target }) if target == *id => allowed.push(None),
                _ => {}
            }
            let found = by_id.get(id).map(|record| whole(record));
            let state = match found {
                None => None,
                Some(Some((tag, version))) if tag == known.tag => Some(version),
                Some(_) => {
                    report.half_written += 1;
                    report
                        .problems
                        .push(format!("record {id} ({}) is not whole", known.tag));
                    continue;
                }
            };
            if !allowed.contains(&state) {
                report.lost += 1;
                report.problems.push(format!(
                    "record {id} ({}): acknowledged {}, found {}",
                    known.tag,
                    describe(allowed[0]),
                    describe(state)
                ));
            }
        }
    }
    // Every other record must be the create in flight of a writer, once and whole.
    let in_flight: Vec<&str> = logs
        .iter()
        .filter_map(|log| match &log.unknown {
            Some(Write::Create { tag }) => Some(tag.as_str()),
            _ => None,
        })
        .collect();
    let mut seen = Vec::new();
    for record in stored
        .iter()
        .filter(|record| !accounted.contains(&record.id))
    {
        match whole(record) {
            Some((tag, 0)) if in_flight.contains(&tag.as_str()) && !seen.contains(&tag) => {
                seen.push(tag);
            }
            Some(_) => {
                report.unexpected += 1;
                report.problems.push(format!(
                    "record {} ({:?}) was never acknowledged nor in flight",
                    record.id, record.display_name
                ));
            }
            None => {
                report.half_written += 1;
                report
                    .problems
                    .push(format!("record {} is not whole", record.id));
            }
        }
    }
    report
}

fn describe(state: Option<u32>) -> String {
    state.map_or("no record".into(), |version| format!("version {version}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The database file of the server process this test binary runs when re-run as one.
    const CHILD_DATABASE: &str = "NEXUDUS_CRASH_SERVER_DATABASE";
    const WRITERS: usize = 4;

    /// The users of the test's server, `crash{n}@example.com`, as `(username, password)`.
    fn users(count: usize) -> Vec<(String, String)> {
        (1..=count)
            .map(|n| {
                (
                    format!("crash{n}@example.com"),
                    format!("crash password {n}"),
                )
            })
            .collect()
    }

    /// The server of `a_server_killed_mid_load_keeps_every_acknowledged_write`, in a process of
    /// its own: this test binary, re-run with this one test and the database in the environment.
    /// Run any other way, it does nothing.
    #[tokio::test(flavor = "multi_thread")]
    #[ignore = "the server process of the crash test, which runs it"]
    async fn serve_until_killed() {
        let Some(database) = std::env::var_os(CHILD_DATABASE) else {
            return;
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a free port");
        let address = listener.local_addr().expect("bound");
        println!("{SERVING}http://{address}");
        let config = nexudus_server::Config {
            database: nexudus_server::Database::File(database.into()),
            users: users(WRITERS)
                .into_iter()
                .map(|(username, password)| nexudus_server::User::administrator(username, password))
                .collect(),
            // Fast writes: the short run is about durability, not the limits.
            rate_limits: None,
            ..nexudus_server::Config::default()
        };
        nexudus_server::serve(listener, &config)
            .await
            .expect("serves until killed");
    }

    fn server_process(database: &std::path::Path) -> Server {
        let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
        command
            .args([
                "crash::tests::serve_until_killed",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_DATABASE, database);
        Server::spawn(command)
    }

    fn stored(id: i64, name: &str, port: i32, username: &str) -> EmailAccount {
        serde_json::from_value(serde_json::json!({
            "Id": id, "DisplayName": name, "IncomingServerPort": port,
            "IncomingServerUsername": username, "OutgoingServerUsername": name,
        }))
        .expect("a record")
    }

    #[test]
    fn the_check_finds_lost_half_written_and_unexpected_records() {
        let known = |tag: &str, version, deleted| Known {
            tag: tag.into(),
            version,
            deleted,
        };
        let log = Log {
            records: BTreeMap::from([
                (1, known("w0r1", 2, false)),
                (2, known("w0r2", 0, true)),
                (3, known("w0r3", 1, false)),
                (4, known("w0r4", 0, false)),
                (5, known("w0r5", 0, false)),
            ]),
            unknown: Some(Write::Update { id: 5, version: 1 }),
            ..Log::default()
        };
        let records = [
            stored(1, "w0r1 v1", 2, "w0r1 v1"), // an acknowledged update lost
            stored(2, "w0r2 v0", 1, "w0r2 v0"), // an acknowledged delete lost
            stored(3, "w0r3 v1", 2, "w0r3 v0"), // half of one write, half of another
            stored(4, "w0r4 v0", 1, "w0r4 v0"), // as acknowledged
            stored(5, "w0r5 v1", 2, "w0r5 v1"), // as the write in flight left it
            stored(6, "w0r6 v0", 1, "w0r6 v0"), // never acknowledged nor in flight
        ];
        let report = check(&[log], &records);
        assert_eq!(
            (report.lost, report.half_written, report.unexpected),
            (2, 1, 1),
            "{report}"
        );
        assert!(!report.is_clean());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_server_killed_mid_load_keeps_every_acknowledged_write() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let database = folder.path().join("crash.db");
        let load = Load {
            users: users(WRITERS),
            pace: Duration::ZERO,
            kill_after: Duration::from_secs(5),
            kill_after_acknowledged: 150,
        };
        let report = crash_and_check(server_process(&database), &load, || {
            server_process(&database)
        })
        .await;
        println!("{report}");
        assert!(report.is_clean(), "{report}");
        assert!(
            report.acknowledged >= 20,
            "enough writes to mean something: {report}"
        );
        assert!(
            report.unanswered <= WRITERS as u64,
            "at most one unanswered write per writer: {report}"
        );
        assert!(report.records > 0, "{report}");
    }
}
