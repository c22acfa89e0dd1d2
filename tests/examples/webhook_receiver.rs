//! A webhook receiver with axum: `POST /hooks/{action}` verifies each delivery's signature and
//! decodes it into the record type of its action. Register one webhook per action, with the
//! action's name at the end of its URL (`https://hooks.example.com/hooks/CoworkerCreate`).
//!
//! ```sh
//! NEXUDUS_WEBHOOK_SECRET=... cargo run -p nexudus-tests --example webhook_receiver
//! ```
//!
//! Against the local server: start it with the same `NEXUDUS_WEBHOOK_SECRET`, create a `WebHook`
//! with `Active: true` and `URL: http://127.0.0.1:3000/hooks/CoworkerCreate`, then a Coworker.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use nexudus::webhook::{Event, Receiver, SIGNATURE_HEADER};

async fn hook(
    State(receiver): State<Arc<Receiver>>,
    Path(action): Path<String>,
    headers: HeaderMap,
    body: Bytes, // the bytes exactly as sent: the signature covers them
) -> StatusCode {
    let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
    match receiver.receive(&action, &body, signature) {
        Ok(Event::CoworkerCreate(coworker)) => {
            println!("new member {}: {:?}", coworker.id, coworker.full_name);
            StatusCode::OK
        }
        Ok(Event::BookingUpdate(booking)) => {
            println!("booking {} changed: {:?}", booking.id, booking.from_time);
            StatusCode::OK
        }
        Ok(other) => {
            println!("{}: {other:?}", other.action());
            StatusCode::OK
        }
        // A 2xx would tell Nexudus the delivery arrived; anything else counts as a failure.
        Err(error) => {
            eprintln!("refused: {error}");
            StatusCode::UNAUTHORIZED
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let secret = std::env::var("NEXUDUS_WEBHOOK_SECRET").unwrap_or_default();
    let receiver = if secret.is_empty() {
        eprintln!("NEXUDUS_WEBHOOK_SECRET is not set: taking deliveries unsigned");
        Receiver::unsigned()
    } else {
        Receiver::new(secret)
    };
    let app = axum::Router::new()
        .route("/hooks/{action}", post(hook))
        .with_state(Arc::new(receiver));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "receiving webhooks at http://{}/hooks/{{action}}",
        listener.local_addr()?
    );
    axum::serve(listener, app).await
}
