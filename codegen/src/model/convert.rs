//! The checked IR as the model: what [`model`] answers.

use std::path::Path;

use super::{
    Bound, Check, EntityModel, FieldModel, FilterModel, Model, Operation, Presence, Rule, Scalar,
    ValueType, WebhookActionModel, WritableBaseField,
};
use crate::Diagnostics;
use crate::ir::{self, FieldType};

/// Checks the schemas in `input` (a schema file or a folder of them) and answers them as a
/// [`Model`]; on failure, every problem found, as [`generate`](crate::generate) reports them.
pub fn model(input: &Path) -> Result<Model, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let raw = crate::load::load(input, &mut diagnostics);
    let Some(ir) = crate::check::check(raw, &mut diagnostics) else {
        return Err(diagnostics);
    };
    Ok(Model {
        base_fields: ir::BASE_FIELDS
            .iter()
            .map(|base| base.wire_name.to_owned())
            .collect(),
        writable_base_fields: ir::writable_base_fields()
            .map(|base| WritableBaseField {
                name: base.wire_name.to_owned(),
                ty: match base.ty {
                    ir::BaseType::Id => Some(Scalar::Int64),
                    ir::BaseType::Bool => Some(Scalar::Bool),
                    ir::BaseType::String => Some(Scalar::String),
                    ir::BaseType::DateTime => Some(Scalar::DateTime),
                    ir::BaseType::Json => None,
                },
            })
            .collect(),
        entities: ir.entities.iter().map(entity).collect(),
    })
}

fn entity(entity: &ir::Entity) -> EntityModel {
    let fields: Vec<FieldModel> = entity
        .fields
        .iter()
        .map(|field| FieldModel {
            name: field.wire_name.clone(),
            ty: value_type(entity, field.ty),
            create: presence(field.create),
            update: presence(field.update),
            secret: field.secret,
            default: field.default,
            rules: field.rules.iter().map(rule).collect(),
            create_checks: field.checks(ir::Write::Create).iter().map(check).collect(),
            update_checks: field.checks(ir::Write::Update).iter().map(check).collect(),
        })
        .collect();
    let filters = entity
        .filters()
        .into_iter()
        .map(|filter| FilterModel {
            bound: bound(filter.bound),
            parameter: filter.wire_name,
            field: filter.field,
        })
        .collect();
    let sort_keys = entity
        .sort_keys()
        .into_iter()
        .map(|key| key.wire_name)
        .collect();
    EntityModel {
        name: entity.name.clone(),
        area: entity.area.name.to_owned(),
        path: entity.path.clone(),
        operations: entity.operations.iter().map(|op| operation(*op)).collect(),
        fields,
        filters,
        sort_keys,
        webhook_actions: entity
            .webhook_actions
            .iter()
            .map(|action| WebhookActionModel {
                name: action.name.clone(),
                value: action.value,
                fired_by: action.fired_by().map(operation),
            })
            .collect(),
    }
}

fn value_type(entity: &ir::Entity, ty: FieldType) -> ValueType {
    match ty {
        FieldType::Scalar(scalar_type) => ValueType::Scalar(scalar(scalar_type)),
        FieldType::Enum(index) => ValueType::Enum(
            entity
                .enums
                .get(index)
                .map(|schema_enum| schema_enum.wire_name.clone())
                .unwrap_or_default(),
        ),
        FieldType::List(scalar_type) => ValueType::List(scalar(scalar_type)),
    }
}

fn scalar(scalar: ir::Scalar) -> Scalar {
    match scalar {
        ir::Scalar::Int32 => Scalar::Int32,
        ir::Scalar::Int64 => Scalar::Int64,
        ir::Scalar::Decimal => Scalar::Decimal,
        ir::Scalar::Bool => Scalar::Bool,
        ir::Scalar::String => Scalar::String,
        ir::Scalar::DateTime => Scalar::DateTime,
    }
}

fn presence(presence: ir::Presence) -> Presence {
    match presence {
        ir::Presence::Required => Presence::Required,
        ir::Presence::Optional => Presence::Optional,
        ir::Presence::Absent => Presence::Absent,
    }
}

fn rule(rule: &ir::Rule) -> Rule {
    match rule {
        ir::Rule::NotBlank { .. } => Rule::NotBlank,
        ir::Rule::Range { min, max, .. } => Rule::Range {
            min: *min,
            max: *max,
        },
        ir::Rule::Email { .. } => Rule::Email,
    }
}

fn check(check: &ir::Check<'_>) -> Check {
    match check {
        ir::Check::Required => Check::Required,
        ir::Check::NotBlank { .. } => Check::NotBlank,
        ir::Check::Range { min, max, .. } => Check::Range {
            min: *min,
            max: *max,
        },
        ir::Check::Email { .. } => Check::Email,
    }
}

fn bound(bound: ir::Bound) -> Bound {
    match bound {
        ir::Bound::Equal => Bound::Equal,
        ir::Bound::From => Bound::From,
        ir::Bound::To => Bound::To,
    }
}

fn operation(operation: ir::Operation) -> Operation {
    match operation {
        ir::Operation::Search => Operation::Search,
        ir::Operation::Get => Operation::Get,
        ir::Operation::GetMany => Operation::GetMany,
        ir::Operation::Create => Operation::Create,
        ir::Operation::Update => Operation::Update,
        ir::Operation::Delete => Operation::Delete,
        ir::Operation::Commands => Operation::Commands,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email_account() -> EntityModel {
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/EmailAccount.yaml");
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
}
