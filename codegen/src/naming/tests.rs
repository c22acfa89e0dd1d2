//! Tests of the naming rules: field, enum and keyword identifiers.

use super::*;

#[test]
fn field_names_keep_acronyms_and_digits_readable() {
    assert_eq!(field_name("IncomingServerSSL"), "incoming_server_ssl");
    assert_eq!(field_name("Office365AccessToken"), "office365_access_token");
    assert_eq!(field_name("BusinessId"), "business_id");
    assert_eq!(field_name("3DModel"), "field_3d_model");
}

#[test]
fn enum_names_drop_the_e_prefix_only_before_a_capital() {
    assert_eq!(enum_name("eEmailServerType"), "EmailServerType");
    assert_eq!(enum_name("eMessageDeletionPolicy"), "MessageDeletionPolicy");
    assert_eq!(enum_name("email"), "Email");
    assert_eq!(variant_name("2Factor"), "V2factor");
}

#[test]
#[cfg(feature = "generate")]
fn keywords_become_raw_or_suffixed_identifiers() {
    assert_eq!(ident("type").to_string(), "r#type");
    assert_eq!(ident("self").to_string(), "self_");
    assert_eq!(ident("name").to_string(), "name");
    assert_eq!(link_name(&ident("type")), "type");
    assert_eq!(link_name(&ident("self")), "self_");
}

#[test]
fn only_ascii_identifiers_are_identifiers() {
    assert!(is_identifier("Office365AccessToken"));
    assert!(!is_identifier("Display Name"));
    assert!(!is_identifier("9Lives"));
}
