//! A program written as a project outside this workspace would write it, against the packaged
//! crates only: it logs in to a `nexudus-server` with the password grant, creates, finds, reads,
//! updates and deletes an EmailAccount, and exits non-zero on any failure.
//!
//! `scripts/consumer.sh` builds it with `nexudus = { default-features = false, features = ["crm"] }`
//! and runs it against a server installed from its own package.

use std::process::ExitCode;

use nexudus::crm::email_account::{
    EmailAccountCreate, EmailAccountCreateRequired, EmailAccountFilter, EmailAccountSort,
    EmailServerType, MessageDeletionPolicy,
};
use nexudus::{Client, PageRequest, SortDirection};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("NEXUDUS_BASE_URL")?;
    let client = Client::builder()
        .base_url(base_url.as_str())
        .password(std::env::var("NEXUDUS_USERNAME")?, std::env::var("NEXUDUS_PASSWORD")?)
        .build()?;
    let accounts = client.email_accounts();

    let request = EmailAccountCreate::new(EmailAccountCreateRequired {
        business_id: 1_001,
        display_name: "Packaged front desk".into(),
        email_address: "desk@example.com".into(),
        incoming_server: "imap.example.com".into(),
        incoming_server_port: 993,
        incoming_server_username: "desk".into(),
        outgoing_server: "smtp.example.com".into(),
        outgoing_server_port: 587,
        outgoing_server_username: "desk".into(),
    })
    // Optional when creating, required when updating.
    .incoming_server_type(EmailServerType::Imap)
    .delete_message_settings(MessageDeletionPolicy::DontDelete);
    let created = accounts.create(&request).await?;
    println!("created EmailAccount {}", created.id);

    let filter = EmailAccountFilter::new().display_name("Packaged front desk");
    let page = PageRequest::new().order_by(EmailAccountSort::DisplayName, SortDirection::Ascending);
    let found = accounts.search(&filter, &page).await?;
    let ids: Vec<i64> = found.records.iter().map(|record| record.id).collect();
    if ids != [created.id] {
        return Err(format!("the search found {ids:?}, not [{}]", created.id).into());
    }
    println!("found EmailAccount {} by its name", created.id);

    accounts
        .update_with(created.id, |update| update.display_name("Packaged reception"))
        .await?;
    let fetched = accounts.get(created.id).await?;
    if fetched.display_name.as_deref() != Some("Packaged reception") {
        return Err(format!("the update was not kept: {:?}", fetched.display_name).into());
    }
    println!("updated EmailAccount {}", created.id);

    accounts.delete(created.id).await?;
    match accounts.get(created.id).await {
        Err(nexudus::Error::NotFound { .. }) => {}
        other => return Err(format!("the deleted record answered {other:?}").into()),
    }
    println!("deleted EmailAccount {}", created.id);
    Ok(())
}
