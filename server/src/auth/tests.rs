//! Tests of the token endpoint and of who may ask: grants, token rotation, expiry, refusals.

use super::*;

fn auth(lifetime: Duration) -> Auth {
    Auth::new(
        vec![
            User {
                username: "admin@example.com".into(),
                password: "s3cret".into(),
                roles: vec![ADMINISTRATOR.into()],
            },
            User {
                username: "reader@example.com".into(),
                password: "r3ad".into(),
                roles: vec!["EmailAccount-List".into(), "EmailAccount-Read".into()],
            },
        ],
        lifetime,
    )
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[test]
fn a_password_grant_gives_a_bearer_token_and_a_refresh_token_that_rotates() {
    let auth = auth(Duration::from_secs(60));
    let tokens = auth
        .grant(&form(&[
            ("grant_type", "password"),
            ("username", "admin@example.com"),
            ("password", "s3cret"),
        ]))
        .expect("granted");
    assert_eq!(tokens.expires_in, 60);
    let bearer = format!("Bearer {}", tokens.access_token);
    assert!(auth.authenticate(Some(&bearer)).is_some());
    let refreshed = auth
        .grant(&form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &tokens.refresh_token),
        ]))
        .expect("refreshed");
    assert_ne!(refreshed.refresh_token, tokens.refresh_token);
    let reused = auth.grant(&form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", &tokens.refresh_token),
    ]));
    assert_eq!(
        reused.map(|_| ()).map_err(|e| e.error),
        Err("invalid_grant")
    );
}

#[test]
fn bad_passwords_expired_tokens_and_missing_roles_are_refused() {
    let auth = auth(Duration::ZERO);
    let wrong = auth.grant(&form(&[
        ("grant_type", "password"),
        ("username", "admin@example.com"),
        ("password", "guess"),
    ]));
    assert_eq!(wrong.map(|_| ()).map_err(|e| e.error), Err("invalid_grant"));
    let tokens = auth
        .grant(&form(&[
            ("grant_type", "password"),
            ("username", "admin@example.com"),
            ("password", "s3cret"),
        ]))
        .expect("granted");
    let bearer = format!("Bearer {}", tokens.access_token);
    assert!(
        auth.authenticate(Some(&bearer)).is_none(),
        "expired at once"
    );

    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("reader@example.com:r3ad")
    );
    assert!(
        auth.authorize(Some(&basic), "EmailAccount", Action::Read)
            .is_ok()
    );
    assert_eq!(
        auth.authorize(Some(&basic), "EmailAccount", Action::Create)
            .map(|_| ()),
        Err(Refusal::MissingRole("EmailAccount-Create".into()))
    );
    assert_eq!(
        auth.authorize(None, "EmailAccount", Action::Read)
            .map(|_| ()),
        Err(Refusal::Unauthenticated)
    );
    let user = auth.users[0].clone();
    assert!(!format!("{user:?}").contains("s3cret"));
}
