//! Tests of the IR-to-model conversion on the EmailAccount schema: its facts and its filters.

use super::*;

fn email_account() -> EntityModel {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/crm/EmailAccount.yaml");
    let model = model(&schema).unwrap_or_else(|problems| panic!("{problems}"));
    assert!(model.base_fields.iter().any(|name| name == "UpdatedBy"));
    model.entities.into_iter().next().expect("one entity")
}

#[test]
fn the_model_has_the_schemas_facts() {
    let entity = email_account();
    assert_eq!(
        (
            entity.name.as_str(),
            entity.area.as_str(),
            entity.path.as_str()
        ),
        ("EmailAccount", "crm", "/api/crm/emailaccounts")
    );
    assert!(entity.supports(Operation::GetMany) && !entity.supports(Operation::Commands));
    let port = entity.field("IncomingServerPort").expect("a field");
    assert_eq!(port.ty, ValueType::Scalar(Scalar::Int32));
    assert_eq!(port.presence(Operation::Create), Presence::Required);
    assert_eq!(
        port.rules,
        [Rule::Range {
            min: Some(1),
            max: Some(65535)
        }]
    );
    assert_eq!(
        port.checks(Operation::Update),
        [Check::Range {
            min: Some(1),
            max: Some(65535)
        }]
    );
    let email = entity.field("EmailAddress").expect("a field");
    assert_eq!(
        email.checks(Operation::Create),
        [Check::Required, Check::Email],
        "a required string is not blank, then its rules"
    );
    let reply_to = entity.field("ReplyToEmail").expect("a field");
    assert_eq!(reply_to.checks(Operation::Create), [Check::Email]);
    assert_eq!(reply_to.checks(Operation::Get), []);
    let kind = entity.field("IncomingServerType").expect("a field");
    assert_eq!(kind.ty, ValueType::Enum("eEmailServerType".into()));
    assert_eq!(
        (kind.create, kind.update),
        (Presence::Optional, Presence::Required)
    );
    assert!(
        entity
            .field("GoogleAccessToken")
            .is_some_and(|field| field.secret)
    );
    assert_eq!(
        entity.field("Id").map(|id| (id.create, id.update)),
        Some((Presence::Absent, Presence::Required))
    );
}

#[test]
fn filters_name_the_property_they_compare_and_how() {
    let entity = email_account();
    let find = |parameter: &str| {
        entity
            .filters
            .iter()
            .find(|filter| filter.parameter == parameter)
            .map(|filter| (filter.field.as_str(), filter.bound))
    };
    assert_eq!(
        find("EmailAccount_Business"),
        Some(("BusinessId", Bound::Equal))
    );
    assert_eq!(
        find("to_EmailAccount_IncomingServerPort"),
        Some(("IncomingServerPort", Bound::To))
    );
    assert_eq!(
        find("from_EmailAccount_CreatedOn"),
        Some(("CreatedOn", Bound::From))
    );
    assert_eq!(
        find("EmailAccount_GoogleAccessToken"),
        None,
        "secrets are never filters"
    );
    assert_eq!(entity.sort_keys[..3], ["Id", "CreatedOn", "UpdatedOn"]);
    assert!(entity.sort_keys.iter().any(|key| key == "DisplayName"));
}
