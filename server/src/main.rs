//! `nexudus-server`: serves the Nexudus REST API locally, e.g.
//! `cargo run -p nexudus-server -- --db dev.db --port 8080`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use nexudus_server::{Config, Database};

/// A local server that behaves like the Nexudus REST API for every entity in `schema/`.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The SQLite file holding the records (created when missing); in memory when left out.
    #[arg(long)]
    db: Option<PathBuf>,
    /// The port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    body_limit: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = Config {
        database: cli.db.map_or(Database::Memory, Database::File),
        body_limit: cli.body_limit,
    };
    let listener = match tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}:{}: {error}", cli.host, cli.port);
            return ExitCode::FAILURE;
        }
    };
    println!(
        "serving the Nexudus API at http://{}:{}",
        cli.host, cli.port
    );
    match nexudus_server::serve(listener, &config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
