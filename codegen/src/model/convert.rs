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
    crate::check::checked(input).map(|(ir, _)| convert(&ir))
}

/// The checked IR as plain data: what the IR decides (checks per write, filters, sort keys) is
/// read here, not decided again.
fn convert(ir: &ir::Ir) -> Model {
    Model {
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
    }
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
mod tests;
