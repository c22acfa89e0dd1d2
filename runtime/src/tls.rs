//! TLS for the HTTP client: rustls with the crypto provider a Cargo feature chooses, and the
//! operating system's certificate verifier.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls_platform_verifier::Verifier;

/// The rustls client configuration of every request: TLS 1.2 and 1.3, certificates checked by
/// the operating system's verifier (plus `extra_roots`), and HTTP/2 (with the `http2` feature) or
/// HTTP/1.1 by ALPN. The error says what is wrong, naming the extra root at fault.
pub(super) fn client_config(
    extra_roots: &[CertificateDer<'static>],
) -> Result<rustls::ClientConfig, String> {
    // Each root on its own first: the verifier's own error would name neither the certificate
    // nor the call that gave it, and would speak of a "peer" certificate.
    for (index, root) in extra_roots.iter().enumerate() {
        rustls::RootCertStore::empty()
            .add(root.clone())
            .map_err(|error| {
                format!(
                    "root certificate {} of {} (`root_certificate`) is not one DER-encoded X.509 \
                     certificate ({error}); for a PEM file, give its base64 body decoded",
                    index + 1,
                    extra_roots.len()
                )
            })?;
    }
    verified(extra_roots).map_err(|error| error.to_string())
}

/// [`client_config`], once each extra root is known to parse.
fn verified(
    extra_roots: &[CertificateDer<'static>],
) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(provider()?);
    let verifier = if extra_roots.is_empty() {
        Verifier::new(Arc::clone(&provider))?
    } else {
        with_extra_roots(extra_roots, Arc::clone(&provider))?
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        // rustls calls any verifier but its own WebPKI one "dangerous"; this is the platform's.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // A configuration handed to reqwest is used as it is: the protocols must be offered here.
    config.alpn_protocols = alpn_protocols(cfg!(feature = "http2"));
    Ok(config)
}

/// The protocols offered by ALPN, in order of preference: HTTP/2 first when the client speaks
/// it (`http2`: reqwest's HTTP/2 is a feature), then HTTP/1.1.
fn alpn_protocols(http2: bool) -> Vec<Vec<u8>> {
    let mut protocols = Vec::with_capacity(2);
    if http2 {
        protocols.push(b"h2".to_vec());
    }
    protocols.push(b"http/1.1".to_vec());
    protocols
}

/// The chosen crypto library's provider (`crypto.rs`). With none (a runtime built for an area
/// crate alone: `nexudus` refuses to compile without one), an error.
fn provider() -> Result<rustls::crypto::CryptoProvider, rustls::Error> {
    #[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
    {
        Ok(crate::crypto::tls_provider())
    }
    #[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
    {
        Err(rustls::Error::General(
            "no crypto provider: this build has neither the `tls-aws-lc` nor the `tls-ring` \
             feature"
                .to_owned(),
        ))
    }
}

#[cfg(not(target_os = "android"))]
fn with_extra_roots(
    extra_roots: &[CertificateDer<'static>],
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<Verifier, rustls::Error> {
    Verifier::new_with_extra_roots(extra_roots.iter().cloned(), provider)
}

/// Android's verifier takes no roots of the application's.
#[cfg(target_os = "android")]
fn with_extra_roots(
    _: &[CertificateDer<'static>],
    _: Arc<rustls::crypto::CryptoProvider>,
) -> Result<Verifier, rustls::Error> {
    Err(rustls::Error::General(
        "extra root certificates are not supported on Android".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::alpn_protocols;

    #[test]
    fn http2_is_offered_first_and_only_when_the_client_speaks_it() {
        assert_eq!(alpn_protocols(true), [&b"h2"[..], b"http/1.1"]);
        assert_eq!(alpn_protocols(false), [&b"http/1.1"[..]]);
    }
}
