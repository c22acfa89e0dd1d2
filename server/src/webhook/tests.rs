use super::*;

#[test]
fn the_signature_is_nexudus_s_hmac_sha256_in_uppercase_hex() {
    // RFC 4231, test case 2.
    assert_eq!(
        sign("Jefe", b"what do ya want for nothing?"),
        "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"
    );
    // Characters outside ASCII are signed as `?`, as .NET's ASCIIEncoding makes them.
    assert_eq!(sign("k", "José 😀".as_bytes()), sign("k", b"Jos? ?"));
}

#[test]
fn the_secret_stays_out_of_debug() {
    let config = Webhooks {
        secret: Some("hunter2-hook".into()),
        ..Webhooks::default()
    };
    let debug = format!("{config:?}");
    assert!(!debug.contains("hunter2-hook"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
}

#[test]
fn writes_fire_the_actions_their_names_end_with() {
    let catalogue = crate::catalogue::embedded().expect("the model");
    let store = Store::open(&crate::store::Database::Memory).expect("a store");
    let outbox = Outbox::new(&catalogue, &store).expect("an outbox");
    assert_eq!(
        outbox.fired[&("Coworker".to_owned(), Operation::Create)],
        [3]
    );
    assert_eq!(
        outbox.fired[&("Booking".to_owned(), Operation::Update)],
        [7]
    );
    assert_eq!(
        outbox.fired[&("Checkin".to_owned(), Operation::Delete)],
        [49]
    );
    assert!(outbox.fires("Visitor", Operation::Delete));
    // CoworkerInvoicePaid (21) and the other invoice events follow no plain write.
    let invoice: Vec<i64> = [Operation::Create, Operation::Update, Operation::Delete]
        .into_iter()
        .filter_map(|write| outbox.fired.get(&("CoworkerInvoice".to_owned(), write)))
        .flatten()
        .copied()
        .collect();
    assert_eq!(invoice, [16, 18, 17]);
    assert!(!outbox.fires("EmailAccount", Operation::Create));
}
