//! Every EmailAccount operation end to end: log in, create, rename, fetch, search, page through,
//! get several at once, delete, and a validation error that is caught before anything is sent.
//!
//! ```text
//! NEXUDUS_USERNAME=admin@example.com NEXUDUS_PASSWORD=... NEXUDUS_BUSINESS_ID=1001 \
//!     cargo run -p nexudus --example email_accounts
//! ```
//!
//! `NEXUDUS_BASE_URL` points it at another server (default `https://spaces.nexudus.com`) and
//! `NEXUDUS_TOTP` gives a two-factor code. It creates one EmailAccount and deletes it again.

use std::env;

use futures_util::TryStreamExt as _;
use nexudus::crm::email_account::{
    EmailAccountCreate, EmailAccountCreateRequired, EmailAccountFilter, EmailAccountSort,
    EmailServerType, MessageDeletionPolicy,
};
use nexudus::{Client, Error, PageRequest, SortDirection};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder =
        Client::builder().password(env::var("NEXUDUS_USERNAME")?, env::var("NEXUDUS_PASSWORD")?);
    if let Ok(base_url) = env::var("NEXUDUS_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    if let Ok(code) = env::var("NEXUDUS_TOTP") {
        builder = builder.totp(code);
    }
    let client = builder.build()?;
    let business_id: i64 = env::var("NEXUDUS_BUSINESS_ID")?.parse()?;
    let accounts = client.email_accounts();

    // Create: every required field is named, so none can be forgotten.
    let request = EmailAccountCreate::new(EmailAccountCreateRequired {
        business_id,
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

    // Update: PUT replaces the whole record, so update_with fetches it and changes one field.
    accounts
        .update_with(created.id, |update| {
            update.display_name = "Reception".into();
        })
        .await?;
    let fetched = accounts.get(created.id).await?;
    println!("renamed to {:?}", fetched.display_name);

    // Search: typed filters, one page, newest first.
    let filter = EmailAccountFilter::new()
        .business_id(business_id)
        .display_name("Reception");
    let page = PageRequest::new()
        .size(10)
        .order_by(EmailAccountSort::CreatedOn, SortDirection::Descending);
    let found = accounts.search(&filter, &page).await?;
    println!(
        "{} matching record(s), page {} of {}",
        found.total_items, found.current_page, found.total_pages
    );

    // Every record of the location, page after page.
    let all: Vec<_> = accounts
        .search_all(
            &EmailAccountFilter::new().business_id(business_id),
            PageRequest::new(),
        )
        .try_collect()
        .await?;
    let ids: Vec<i64> = all.iter().map(|record| record.id).collect();
    println!("{} EmailAccount(s) in the location", ids.len());

    // Several records in one request; they are partial, so they cannot become an update.
    let some = accounts.get_many(&ids[..ids.len().min(3)]).await?;
    println!("fetched {} at once", some.len());

    // A request that cannot be right is refused before anything is sent.
    let invalid = request.clone().reply_to_email("not an address");
    match accounts.create(&invalid).await {
        Err(Error::Validation { errors, .. }) => {
            for error in &errors {
                println!("refused: {}: {}", error.property_name, error.message);
            }
        }
        other => println!("unexpected: {other:?}"),
    }

    accounts.delete(created.id).await?;
    println!("deleted EmailAccount {}", created.id);
    Ok(())
}
