//! The crash run of `scripts/server-crash.sh`: a minute of concurrent creates, updates and deletes
//! by several users against a `nexudus-server` process with the rate limits on, a SIGKILL
//! mid-load, a restart on the same database file, and a check that every acknowledged write is
//! there and whole. Prints the figures; exits non-zero on any loss.
//!
//! `server_crash SERVER USERS_FILE DATABASE SECONDS`: the server binary, its users file (every
//! user writes), the SQLite file (created), and how long to load before the kill.

#[path = "../it/crash.rs"]
mod crash;

use std::process::{Command, ExitCode};
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [server, users_file, database, seconds] = arguments.as_slice() else {
        eprintln!("usage: server_crash SERVER USERS_FILE DATABASE SECONDS");
        return ExitCode::FAILURE;
    };
    let Ok(seconds) = seconds.parse::<u64>() else {
        eprintln!("SECONDS must be a whole number, not {seconds}");
        return ExitCode::FAILURE;
    };
    let text = std::fs::read_to_string(users_file).expect("the users file is readable");
    let users = nexudus_server::UsersFile::parse(&text)
        .expect("the users file parses")
        .users
        .into_iter()
        .map(|user| (user.username, user.password))
        .collect();
    let process = || {
        let mut command = Command::new(server);
        command.args(["--port", "0", "--db", database, "--users", users_file]);
        crash::Server::spawn(command)
    };
    let load = crash::Load {
        users,
        // The published write limit is 60 a minute per user: one a second, a little slower so
        // that the server's clock and ours may differ.
        pace: Duration::from_millis(1_050),
        kill_after: Duration::from_secs(seconds),
        kill_after_acknowledged: u64::MAX,
    };
    let report = crash::crash_and_check(process(), &load, process).await;
    println!("{report}");
    if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
