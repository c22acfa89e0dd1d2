//! Quickstart: log in, create, update, fetch, list and delete an EmailAccount, and see a request
//! that cannot be right refused before it is sent.
//!
//! ```text
//! cargo run -p quickstart
//! ```
//!
//! With no settings it starts a local Nexudus server in this process (`nexudus-server`: records in
//! memory, one administrator, the published rate limits) and runs against that, so it needs no
//! Nexudus account and nothing installed beyond the Rust toolchain. The same steps run against
//! Nexudus itself when a base URL and credentials are given:
//!
//! ```text
//! NEXUDUS_BASE_URL=https://spaces.nexudus.com NEXUDUS_USERNAME=admin@example.com \
//!     NEXUDUS_PASSWORD=... NEXUDUS_BUSINESS_ID=1001 cargo run -p quickstart
//! ```
//!
//! `NEXUDUS_TOTP` gives a two-factor code. It creates one EmailAccount and deletes it again.

use std::env;
use std::num::NonZeroU32;
use std::process::ExitCode;

use nexudus::TryStreamExt as _;
use nexudus::crm::email_account::{
    EmailAccountCreate, EmailAccountCreateRequired, EmailAccountFilter, EmailAccountSort,
    EmailServerType, MessageDeletionPolicy,
};
use nexudus::{Client, Error, PageRequest, SortDirection};

type Failure = Box<dyn std::error::Error>;

/// Where to run and as whom.
struct Settings {
    base_url: String,
    username: String,
    password: String,
    totp: Option<String>,
    business_id: i64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match quickstart().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("quickstart failed: {failure}");
            ExitCode::FAILURE
        }
    }
}

async fn quickstart() -> Result<(), Failure> {
    if let Ok(base_url) = env::var("NEXUDUS_BASE_URL") {
        let settings = Settings {
            base_url,
            username: setting("NEXUDUS_USERNAME")?,
            password: setting("NEXUDUS_PASSWORD")?,
            totp: env::var("NEXUDUS_TOTP").ok(),
            business_id: setting("NEXUDUS_BUSINESS_ID")?
                .parse()
                .map_err(|error| format!("NEXUDUS_BUSINESS_ID is not a number: {error}"))?,
        };
        println!("running against {}", settings.base_url);
        return run(&settings).await;
    }
    // A user of the local server only: it lives in this process's memory and goes with it.
    let (username, password) = ("admin@example.com", "a local password");
    let server = nexudus_server::start(nexudus_server::Config {
        users: vec![nexudus_server::User::administrator(username, password)],
        ..nexudus_server::Config::default()
    })
    .await?;
    println!("running against a local server at {}", server.url());
    let outcome = run(&Settings {
        base_url: server.url(),
        username: username.into(),
        password: password.into(),
        totp: None,
        business_id: 1_001,
    })
    .await;
    server.stop().await?;
    outcome
}

/// An environment variable that running against a real account needs.
fn setting(name: &str) -> Result<String, Failure> {
    env::var(name).map_err(|_| format!("{name} is not set; with NEXUDUS_BASE_URL set, NEXUDUS_USERNAME, NEXUDUS_PASSWORD and NEXUDUS_BUSINESS_ID are needed too").into())
}

async fn run(settings: &Settings) -> Result<(), Failure> {
    // The password grant: the client gets a token, and renews it when it runs out.
    let mut builder = Client::builder()
        .base_url(&settings.base_url)
        .password(settings.username.as_str(), settings.password.as_str());
    if let Some(code) = &settings.totp {
        builder = builder.totp(code.as_str());
    }
    let client = builder.build()?;
    let accounts = client.email_accounts();

    // Create: every required field is named, so none can be forgotten.
    let request = EmailAccountCreate::new(EmailAccountCreateRequired {
        business_id: settings.business_id,
        display_name: "Front desk".into(),
        email_address: "desk@example.com".into(),
        incoming_server: "imap.example.com".into(),
        incoming_server_port: 993,
        incoming_server_username: "desk".into(),
        outgoing_server: "smtp.example.com".into(),
        outgoing_server_port: 587,
        outgoing_server_username: "desk".into(),
    })
    .incoming_server_ssl(true)
    // Optional on create but required on update: set them now so later updates need nothing.
    .incoming_server_type(EmailServerType::Imap)
    .delete_message_settings(MessageDeletionPolicy::DontDelete);
    let created = accounts.create(&request).await?;
    println!("created EmailAccount {}", created.id);

    // Update: PUT replaces the whole record, so update_with fetches it and sends it back with
    // only this change.
    accounts
        .update_with(created.id, |update| update.display_name("Reception"))
        .await?;

    // Fetch: every property, and what the server keeps (Id, UniqueId, CreatedOn, UpdatedBy...).
    let fetched = accounts.get(created.id).await?;
    println!(
        "fetched EmailAccount {}: \"{}\" <{}>, updated by {}",
        fetched.id,
        fetched.display_name.as_deref().unwrap_or_default(),
        fetched.email_address.as_deref().unwrap_or_default(),
        fetched.updated_by.as_deref().unwrap_or_default(),
    );

    // Search: typed filters, one page, newest first.
    let filter = EmailAccountFilter::new()
        .business_id(settings.business_id)
        .display_name("Reception");
    let page = PageRequest::new()
        .size(NonZeroU32::new(10).expect("10 is not 0"))
        .order_by(EmailAccountSort::CreatedOn, SortDirection::Descending);
    let found = accounts.search(&filter, &page).await?;
    println!(
        "listed {} EmailAccount(s) named \"Reception\", page {} of {}",
        found.total_items, found.current_page, found.total_pages
    );

    // Every record of the location, page after page, then several of them in one request.
    let all: Vec<_> = accounts
        .search_all(
            &EmailAccountFilter::new().business_id(settings.business_id),
            PageRequest::new(),
        )
        .try_collect()
        .await?;
    let ids: Vec<i64> = all.iter().map(|record| record.id).collect();
    let some = accounts.get_many(&ids[..ids.len().min(3)]).await?;
    println!(
        "{} EmailAccount(s) in business {}, {} fetched at once",
        ids.len(),
        settings.business_id,
        some.len()
    );

    // A request that cannot be right is refused before anything is sent, with every problem in
    // the shape Nexudus uses.
    let mut invalid = request.clone().reply_to_email("not an address");
    invalid.incoming_server_port = 0;
    match accounts.create(&invalid).await {
        Err(Error::Validation { errors, .. }) => {
            for error in &errors {
                println!("refused: {error} (attempted {})", error.attempted_value);
            }
        }
        Err(other) => return Err(other.into()),
        Ok(unexpected) => {
            return Err(format!("an invalid request was accepted as {}", unexpected.id).into());
        }
    }

    accounts.delete(created.id).await?;
    println!("deleted EmailAccount {}", created.id);
    match accounts.get(created.id).await {
        Err(Error::NotFound { .. }) => println!("EmailAccount {} is gone", created.id),
        Err(other) => return Err(other.into()),
        Ok(_) => return Err(format!("EmailAccount {} is still there", created.id).into()),
    }
    Ok(())
}
