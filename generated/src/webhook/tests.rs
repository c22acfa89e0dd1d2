use super::*;

const SECRET: &str = "s3cr3t-hook-key";
const BODY: &[u8] = br#"[{"Id":42,"FullName":"Ada","Email":"ada@example.com"}]"#;

fn signature(body: &[u8]) -> String {
    sign(&Secret::new(SECRET), body)
}

#[test]
fn the_signature_is_uppercase_hex_hmac_sha256_of_the_body() {
    // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    assert_eq!(
        sign(&Secret::new("Jefe"), b"what do ya want for nothing?"),
        "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"
    );
}

#[test]
fn a_signed_body_is_accepted_in_either_letter_case_and_with_spaces_around() {
    let receiver = Receiver::new(SECRET);
    let upper = signature(BODY);
    assert!(receiver.verify(BODY, Some(upper.as_bytes())).is_ok());
    let lower = upper.to_ascii_lowercase();
    assert!(receiver.verify(BODY, Some(lower.as_bytes())).is_ok());
    let padded = format!(" {upper} ");
    assert!(receiver.verify(BODY, Some(padded.as_bytes())).is_ok());
}

#[test]
fn a_missing_signature_is_its_own_error() {
    let error = Receiver::new(SECRET)
        .verify(BODY, None)
        .expect_err("refused");
    assert!(matches!(error, WebhookError::MissingSignature), "{error:?}");
    assert!(error.to_string().contains("X-Nexudus-Hook-Signature"));
}

#[test]
fn a_malformed_signature_is_its_own_error_and_never_a_panic() {
    let receiver = Receiver::new(SECRET);
    let good = signature(BODY);
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"abc".to_vec(),
        good.as_bytes()[..62].to_vec(),
        format!("{good}00").into_bytes(),
        format!("{}ZZ", &good[..62]).into_bytes(),
        format!("sha256={}", &good[..57]).into_bytes(),
        vec![0xff; 64],
        "é".repeat(32).into_bytes(),
    ];
    for case in cases {
        let error = receiver.verify(BODY, Some(&case)).expect_err("refused");
        assert!(
            matches!(error, WebhookError::MalformedSignature { .. }),
            "{case:?}: {error:?}"
        );
    }
}

#[test]
fn a_changed_body_or_another_secret_does_not_match() {
    let good = signature(BODY);
    let tampered = br#"[{"Id":43,"FullName":"Ada","Email":"ada@example.com"}]"#;
    let error = Receiver::new(SECRET)
        .verify(tampered, Some(good.as_bytes()))
        .expect_err("refused");
    assert!(
        matches!(error, WebhookError::SignatureMismatch),
        "{error:?}"
    );
    let error = Receiver::new("another secret")
        .verify(BODY, Some(good.as_bytes()))
        .expect_err("refused");
    assert!(
        matches!(error, WebhookError::SignatureMismatch),
        "{error:?}"
    );
    // One bit off in the signature.
    let mut flipped = good.into_bytes();
    flipped[63] = if flipped[63] == b'0' { b'1' } else { b'0' };
    let error = Receiver::new(SECRET)
        .verify(BODY, Some(&flipped))
        .expect_err("refused");
    assert!(
        matches!(error, WebhookError::SignatureMismatch),
        "{error:?}"
    );
}

#[test]
fn text_outside_ascii_verifies_as_sent_and_as_nexudus_signs_it() {
    let body = r#"[{"Id":1,"FullName":"José Núñez 😀"}]"#.as_bytes();
    let receiver = Receiver::new(SECRET);
    // Nexudus's code signs the ASCII form: `Jos? N??ez ?`.
    let nexudus = signature(body);
    let ascii = br#"[{"Id":1,"FullName":"Jos? N??ez ?"}]"#;
    assert_eq!(nexudus, signature(ascii));
    assert!(receiver.verify(body, Some(nexudus.as_bytes())).is_ok());
    // A sender that signs the bytes as sent is accepted too.
    let as_sent = hex::encode_upper(crypto::hmac_sha256(SECRET.as_bytes(), body));
    assert_ne!(as_sent, nexudus);
    assert!(receiver.verify(body, Some(as_sent.as_bytes())).is_ok());
    // The ASCII form itself is a different body when sent as such, and the signature of the
    // bytes as sent does not cover it.
    assert!(receiver.verify(ascii, Some(as_sent.as_bytes())).is_err());
}

#[test]
fn an_unsigned_receiver_takes_any_signature_or_none() {
    let receiver = Receiver::unsigned();
    assert!(receiver.verify(BODY, None).is_ok());
    assert!(receiver.verify(BODY, Some(b"nonsense")).is_ok());
}

#[test]
fn the_secret_never_shows_in_debug_or_errors() {
    let receiver = Receiver::new(SECRET);
    let debug = format!("{receiver:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    let good = signature(BODY);
    for body in [&b"[]"[..], b"{", b"[1]", br#"[{"Id":"x"}]"#] {
        for signature in [None, Some(&b"zz"[..]), Some(good.as_bytes())] {
            if let Err(error) = receiver.receive("CoworkerCreate", body, signature) {
                let text = format!("{error} {error:?}");
                assert!(!text.contains(SECRET), "{text}");
                assert!(!text.contains(&good), "{text}");
            }
        }
    }
}

#[test]
fn a_body_that_is_not_one_record_is_a_clear_error() {
    for (body, expected) in [
        (&b"not json"[..], "cannot be decoded"),
        (b"[]", "found 0 records"),
        (br#"[{"Id":1},{"Id":2}]"#, "found 2 records"),
        (b"[1]", "something other than a record"),
        (b"42", "expected a JSON array holding one record"),
    ] {
        let error = decode("SendWelcomeEmail", body).expect_err("refused");
        let message = error.to_string();
        assert!(
            message.starts_with("webhook SendWelcomeEmail: "),
            "{message}"
        );
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn an_action_no_schema_maps_decodes_as_json() {
    let event = decode("SendWelcomeEmail", BODY).expect("decodes");
    assert_eq!(event.action(), "SendWelcomeEmail");
    // A `match`, not `let ... else`: with no area on, `Other` is the enum's only variant.
    let (action, record) = match event {
        Event::Other { action, record } => (action, record),
        #[allow(
            unreachable_patterns,
            reason = "reachable whenever an area maps an action"
        )]
        mapped => panic!("not mapped: {mapped:?}"),
    };
    assert_eq!(action, "SendWelcomeEmail");
    assert_eq!(record["FullName"], "Ada");
    // A name Nexudus does not have decodes the same way, for actions added after this version.
    assert!(matches!(
        decode("SomethingNew", BODY),
        Ok(Event::Other { .. })
    ));
}

#[cfg(feature = "spaces")]
#[test]
fn a_mapped_action_decodes_into_its_record_type_in_any_letter_case() {
    let receiver = Receiver::new(SECRET);
    let good = signature(BODY);
    for action in ["CoworkerCreate", "coworkercreate", "COWORKERCREATE"] {
        let event = receiver
            .receive(action, BODY, Some(good.as_bytes()))
            .expect("decodes");
        assert_eq!(event.action(), "CoworkerCreate");
        let Event::CoworkerCreate(coworker) = event else {
            panic!("a Coworker: {event:?}");
        };
        assert_eq!(coworker.id, 42);
        assert_eq!(coworker.full_name.as_deref(), Some("Ada"));
    }
    // Property names are read whatever their letter case, as the client reads records.
    let respelled = br#"[{"id":43,"FULLNAME":"Grace"}]"#;
    let Ok(Event::CoworkerCreate(coworker)) = decode("CoworkerCreate", respelled) else {
        panic!("a Coworker");
    };
    assert_eq!(
        (coworker.id, coworker.full_name.as_deref()),
        (43, Some("Grace"))
    );
    // A bare record is read too.
    let bare = br#"{"Id":7}"#;
    assert!(matches!(
        decode("BookingUpdate", bare),
        Ok(Event::BookingUpdate(booking)) if booking.id == 7
    ));
    // A record of the wrong shape is a decode error naming the action.
    let error = decode("CoworkerCreate", br#"[{"Id":"forty-two"}]"#).expect_err("refused");
    assert!(matches!(error, WebhookError::Decode { .. }), "{error:?}");
    assert!(error.to_string().starts_with("webhook CoworkerCreate: "));
}

#[test]
fn the_signature_is_checked_before_the_body_is_read() {
    let error = Receiver::new(SECRET)
        .receive(
            "CoworkerCreate",
            b"not json",
            Some(signature(BODY).as_bytes()),
        )
        .expect_err("refused");
    assert!(
        matches!(error, WebhookError::SignatureMismatch),
        "{error:?}"
    );
}

#[test]
fn every_mapped_action_decodes_a_minimal_record() {
    for action in MAPPED_ACTIONS {
        let event = decode(action, br#"[{"Id":5}]"#).expect("decodes");
        assert_eq!(event.action(), *action);
        assert!(!matches!(event, Event::Other { .. }), "{action} is mapped");
    }
}
