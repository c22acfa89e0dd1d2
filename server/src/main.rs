//! `nexudus-server`: serves the Nexudus REST API locally, e.g.
//! `cargo run -p nexudus-server -- --db dev.db --port 8080`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use nexudus_server::{Config, Database, User, UsersFile};

/// A local server that behaves like the Nexudus REST API for every entity in `schema/`.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The SQLite file holding the records (created when missing); in memory when left out.
    #[arg(long)]
    db: Option<PathBuf>,
    /// The port to listen on; 0 lets the system pick one (the line printed at start names it).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    body_limit: usize,
    /// Seconds a client may take to send a request's head, and then its body; a slower client
    /// is disconnected (head) or answered 408 (body).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    read_timeout: u64,
    /// A TOML file of `[[users]]` with `username`, `password` and `roles` (e.g.
    /// `["EmailAccount-List", "EmailAccount-Read"]`, or `["Administrator"]`). Without it, one
    /// administrator, `admin@localhost`, with a password printed at start.
    #[arg(long)]
    users: Option<PathBuf>,
    /// Serve without Nexudus's rate limits.
    #[arg(long)]
    no_rate_limits: bool,
    /// The shared secret that signs webhook deliveries (`X-Nexudus-Hook-Signature`); without
    /// it, deliveries are not signed. Read from the environment, so that it stays out of the
    /// process list.
    #[arg(long, env = "NEXUDUS_WEBHOOK_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// The waits before each retry of a failed webhook delivery, in seconds (fractions allowed),
    /// comma-separated; `--webhook-retry-delays ""` never retries.
    #[arg(long, value_delimiter = ',', default_value = "10,60,300,1800,7200")]
    webhook_retry_delays: Vec<String>,
    /// How many failed delivery attempts in a row disable a webhook.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    webhook_disable_after: u32,
}

/// `--webhook-retry-delays`' values as durations.
fn retry_delays(values: &[String]) -> Result<Vec<std::time::Duration>, String> {
    values
        .iter()
        .filter(|value| !value.trim().is_empty())
        .map(|value| {
            value
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|seconds| std::time::Duration::try_from_secs_f64(seconds).ok())
                .ok_or_else(|| {
                    format!("--webhook-retry-delays: `{value}` is not a number of seconds")
                })
        })
        .collect()
}

/// The users of the users file, or one administrator with a fresh password (printed once, to
/// the terminal of whoever started the server).
fn users(file: Option<&std::path::Path>) -> Result<Vec<User>, String> {
    let Some(file) = file else {
        let password = uuid::Uuid::new_v4().simple().to_string();
        println!("administrator: admin@localhost, password {password}");
        return Ok(vec![User::administrator("admin@localhost", password)]);
    };
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    UsersFile::parse(&text)
        .map(|parsed| parsed.users)
        .map_err(|error| format!("{}: {error}", file.display()))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let users = match users(cli.users.as_deref()) {
        Ok(users) => users,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let retry_delays = match retry_delays(&cli.webhook_retry_delays) {
        Ok(delays) => delays,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let defaults = Config::default();
    let config = Config {
        database: cli.db.map_or(Database::Memory, Database::File),
        body_limit: cli.body_limit,
        read_timeout: std::time::Duration::from_secs(cli.read_timeout),
        users,
        rate_limits: (!cli.no_rate_limits)
            .then_some(defaults.rate_limits)
            .flatten(),
        webhooks: nexudus_server::Webhooks {
            secret: cli.webhook_secret,
            retry_delays,
            disable_after: cli.webhook_disable_after,
            ..defaults.webhooks.clone()
        },
        ..defaults
    };
    let listener = match tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}:{}: {error}", cli.host, cli.port);
            return ExitCode::FAILURE;
        }
    };
    // The address bound, so that `--port 0` prints the port the system picked.
    let address = listener.local_addr().map_or_else(
        |_| format!("{}:{}", cli.host, cli.port),
        |at| at.to_string(),
    );
    println!("serving the Nexudus API at http://{address}");
    match nexudus_server::serve(listener, &config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
