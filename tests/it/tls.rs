//! The client over TLS: an HTTPS front (rustls, a certificate for `localhost` from a test
//! authority) forwards to the local server. Proves the SDK's TLS set-up (the certificate chain
//! and host name are checked, HTTP/2 and HTTP/1.1 are offered), not anything about Nexudus.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use nexudus::{Client, Error, RateLimit};
use nexudus_server::RunningServer;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

use crate::client::valid_create;
use crate::server::{ADMIN, PASSWORD, config};

/// An HTTPS front of a plain HTTP server: what each handshake's client offered by ALPN.
struct Front {
    url: String,
    authority: CertificateDer<'static>,
    offered: Arc<Mutex<Vec<Vec<Vec<u8>>>>>,
    forwarded: Arc<Mutex<usize>>,
}

/// A certificate authority, a certificate it signs for `localhost`, and a rustls server with it
/// that forwards every connection to `backend`. It speaks HTTP/1.1 only, as the backend does.
async fn https_front(backend: SocketAddr) -> Front {
    let authority_key = rcgen::KeyPair::generate().expect("a key");
    let mut authority = rcgen::CertificateParams::new(Vec::<String>::new()).expect("parameters");
    authority.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    authority
        .distinguished_name
        .push(rcgen::DnType::CommonName, "nexudus test authority");
    let authority =
        rcgen::CertifiedIssuer::self_signed(authority, authority_key).expect("an authority");
    let key = rcgen::KeyPair::generate().expect("a key");
    let certificate = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .expect("parameters")
        .signed_by(&key, &authority)
        .expect("a certificate");

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("a server configuration");
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    let server = Arc::new(server);

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let offered = Arc::new(Mutex::new(Vec::new()));
    let forwarded = Arc::new(Mutex::new(0));
    let (offers, count) = (Arc::clone(&offered), Arc::clone(&forwarded));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (server, offers, count) =
                (Arc::clone(&server), Arc::clone(&offers), Arc::clone(&count));
            tokio::spawn(async move {
                let acceptor = rustls::server::Acceptor::default();
                let Ok(start) = tokio_rustls::LazyConfigAcceptor::new(acceptor, tcp).await else {
                    return;
                };
                let protocols = start
                    .client_hello()
                    .alpn()
                    .map(|protocols| protocols.map(<[u8]>::to_vec).collect())
                    .unwrap_or_default();
                offers.lock().expect("not poisoned").push(protocols);
                // A client that rejects the certificate ends here, before any request.
                let Ok(mut tls) = start.into_stream(server).await else {
                    return;
                };
                *count.lock().expect("not poisoned") += 1;
                let Ok(mut plain) = TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    Front {
        url: format!("https://localhost:{port}"),
        authority: authority.der().clone(),
        offered,
        forwarded,
    }
}

fn client(front: &Front, trusted: bool) -> Client {
    let builder = Client::builder()
        .base_url(&front.url)
        .password(ADMIN, PASSWORD)
        .rate_limit(RateLimit::none())
        .max_retries(0);
    let builder = if trusted {
        builder.root_certificate(front.authority.to_vec())
    } else {
        builder
    };
    builder.build().expect("a valid client configuration")
}

/// A local server and an HTTPS front of it. The server stops when the first is dropped.
async fn started() -> (RunningServer, Front) {
    let server = nexudus_server::start(config())
        .await
        .expect("the server starts");
    let url = reqwest::Url::parse(&server.url()).expect("the server's URL");
    let backend = format!("127.0.0.1:{}", url.port().expect("a port"))
        .parse()
        .expect("an address");
    let front = https_front(backend).await;
    (server, front)
}

#[tokio::test]
async fn a_trusted_authority_carries_every_operation_over_https() {
    let (_server, front) = started().await;
    let trusting = client(&front, true);

    let created = trusting
        .email_accounts()
        .create(&valid_create())
        .await
        .expect("created over HTTPS");
    let fetched = trusting
        .email_accounts()
        .get(created.id)
        .await
        .expect("read back over HTTPS");
    assert_eq!(fetched.display_name.as_deref(), Some("Front desk"));
    assert!(*front.forwarded.lock().expect("not poisoned") >= 1);
    let offered = front.offered.lock().expect("not poisoned").clone();
    assert!(!offered.is_empty());
    for protocols in offered {
        assert_eq!(
            protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()],
            "HTTP/2 first, then HTTP/1.1"
        );
    }
}

#[tokio::test]
async fn an_unknown_authority_is_refused_before_anything_is_sent() {
    let (_server, front) = started().await;
    let untrusting = client(&front, false);

    let error = untrusting
        .email_accounts()
        .create(&valid_create())
        .await
        .expect_err("the certificate is not trusted");
    let chain = std::iter::successors(Some(&error as &dyn std::error::Error), |error| {
        error.source()
    })
    .map(ToString::to_string)
    .collect::<Vec<_>>()
    .join(": ");
    assert!(
        matches!(error, Error::Auth { .. } | Error::Transport { .. }),
        "{error:?}"
    );
    assert!(chain.contains("certificate"), "{chain}");
    // Every handshake failed, so no request (not even the token's) reached the server.
    assert!(!front.offered.lock().expect("not poisoned").is_empty());
    assert_eq!(
        *front.forwarded.lock().expect("not poisoned"),
        0,
        "no TLS session, no request"
    );
}

#[test]
fn a_root_certificate_that_does_not_parse_is_a_configuration_error() {
    let builder = Client::builder()
        .bearer_token("a token")
        .root_certificate(b"not a certificate".to_vec());
    let debug = format!("{builder:?}");
    assert!(debug.contains("root_certificates: 1 extra"), "{debug}");
    let error = builder.build().expect_err("an invalid certificate");
    let Error::Config { message } = &error else {
        panic!("{error:?}");
    };
    assert!(message.starts_with("could not set up TLS"), "{message}");
    assert!(
        message.contains("root certificate 1 of 1 (`root_certificate`)"),
        "{message}"
    );
}
