//! The crypto library a feature chooses, in one place: rustls's provider, and the HMAC-SHA256 of
//! webhook signatures, so that they need no crypto crate of their own. aws-lc-rs when
//! `tls-aws-lc` is on, whatever else is: it offers post-quantum hybrid key exchange first.
//! Otherwise ring, which builds in a fraction of the time.

#[cfg(feature = "tls-aws-lc")]
use {aws_lc_rs::hmac, rustls::crypto::aws_lc_rs as rustls_crypto};
#[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
use {ring::hmac, rustls::crypto::ring as rustls_crypto};

/// rustls's crypto provider, from the chosen library.
pub(crate) fn tls_provider() -> rustls::crypto::CryptoProvider {
    rustls_crypto::default_provider()
}

/// The length of an HMAC-SHA256 tag, in bytes.
pub const HMAC_SHA256_LENGTH: usize = 32;

/// The HMAC-SHA256 of `message` keyed with `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; HMAC_SHA256_LENGTH] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), message);
    let mut bytes = [0; HMAC_SHA256_LENGTH];
    bytes.copy_from_slice(tag.as_ref());
    bytes
}

/// Whether `tag` is the HMAC-SHA256 of `message` keyed with `key`, compared in constant time.
pub fn hmac_sha256_verify(key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), message, tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    const TAG: [u8; 32] = [
        0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75,
        0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec,
        0x38, 0x43,
    ];
    const KEY: &[u8] = b"Jefe";
    const DATA: &[u8] = b"what do ya want for nothing?";

    #[test]
    fn the_tag_is_the_one_rfc_4231_gives() {
        assert_eq!(hmac_sha256(KEY, DATA), TAG);
    }

    #[test]
    fn verify_takes_only_the_exact_tag() {
        assert!(hmac_sha256_verify(KEY, DATA, &TAG));
        let mut changed = TAG;
        changed[31] ^= 1;
        assert!(!hmac_sha256_verify(KEY, DATA, &changed));
        assert!(
            !hmac_sha256_verify(KEY, DATA, &TAG[..31]),
            "a shortened tag"
        );
        assert!(!hmac_sha256_verify(b"Jeff", DATA, &TAG), "another key");
        assert!(!hmac_sha256_verify(
            KEY,
            b"what do ya want for something?",
            &TAG
        ));
    }
}
