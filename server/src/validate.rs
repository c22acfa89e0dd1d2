//! Checks a create or update body against its entity's schema and answers every problem at once,
//! in the Nexudus shape, with the SDK's wording for the rules both sides check.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use nexudus_codegen::model::{
    Check, EntityModel, Model, Operation, Presence, Scalar, ValueType, rules,
};
use serde::Serialize;
use serde_json::{Map, Value};

/// One problem with a request, as Nexudus reports it in a 400 answer's `Errors`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// The property at fault; empty for the body as a whole.
    #[serde(rename = "PropertyName")]
    pub property: String,
    /// What is wrong, e.g. `is a required field`.
    #[serde(rename = "Message")]
    pub message: String,
    /// The value that was sent (`null` when missing, or when the property is secret).
    #[serde(rename = "AttemptedValue")]
    pub attempted: Value,
}

impl Problem {
    fn new(property: &str, message: impl Into<String>, attempted: Value) -> Self {
        Self {
            property: property.to_owned(),
            message: message.into(),
            attempted,
        }
    }

    /// A problem with the body as a whole (not JSON, not an object, too large).
    pub(crate) fn body(message: impl Into<String>) -> Self {
        Self::new("", message, Value::Null)
    }
}

/// The problem of text with a NUL character in it, stored or searched for. SQLite documents
/// "the result of expressions involving strings with embedded NULs" as undefined, so such text
/// could not be searched for reliably; it is refused instead of stored.
pub(crate) const NUL_MESSAGE: &str = "must not contain the NUL character (U+0000)";

/// Whether `value` has a NUL character in any text of it, property names included.
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        // serde_json refuses documents nested deeper than 128, so this recursion is bounded.
        Value::Object(object) => object
            .iter()
            .any(|(name, value)| name.contains('\0') || has_nul(value)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// The checked body of a write: the entity's own fields, each converted to its stored form
/// (date-times in UTC as `YYYY-MM-DDTHH:MM:SSZ`), and the `Id` an update names.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) fields: Map<String, Value>,
    pub(crate) id: Option<i64>,
}

/// Checks `body`, the raw bytes of a create or update of `entity`: valid JSON, an object, no
/// unknown property, every required property there and not `null`, every value of its type and
/// within its rules, no text with a NUL character. Property names are read whatever their letter case, as Nexudus reads them,
/// and stored under the schema's spelling. The writable base properties (`SystemId`,
/// `LocalizationDetails`, `CustomFields`) are kept with the entity's own; those the server
/// maintains (`UniqueId`, `CreatedOn`, ...) are ignored. Every problem is reported, in schema
/// order, then the unknown properties.
pub(crate) fn check_write(
    catalogue: &Model,
    entity: &EntityModel,
    write: Operation,
    body: &[u8],
) -> Result<Checked, Vec<Problem>> {
    let mut object = json_object(body)?;
    let mut problems = Vec::new();
    let mut fields = Map::new();
    let mut id = None;
    for field in &entity.fields {
        let presence = field.presence(write);
        let given = take(&mut object, &field.name);
        if presence == Presence::Absent {
            if let Some(value) = given.filter(|value| !value.is_null()) {
                problems.push(Problem::new(
                    &field.name,
                    format!("cannot be set by {}", operation_name(write)),
                    attempted(field.secret, &value),
                ));
            }
            continue;
        }
        let value = match given {
            Some(Value::Null) | None => match (presence, field.default) {
                (Presence::Required, Some(default)) => Value::from(default),
                (Presence::Required, None) => {
                    problems.push(Problem::new(&field.name, rules::REQUIRED, Value::Null));
                    continue;
                }
                _ => continue,
            },
            Some(value) if has_nul(&value) => {
                problems.push(Problem::new(
                    &field.name,
                    NUL_MESSAGE,
                    attempted(field.secret, &value),
                ));
                continue;
            }
            Some(value) => value,
        };
        let stored = match typed(&field.ty, &value) {
            Ok(stored) => stored,
            Err(expected) => {
                problems.push(Problem::new(
                    &field.name,
                    format!("must be {expected}"),
                    attempted(field.secret, &value),
                ));
                continue;
            }
        };
        let before = problems.len();
        for check in field.checks(write) {
            if let Some(message) = broken(check, &stored) {
                problems.push(Problem::new(
                    &field.name,
                    message,
                    attempted(field.secret, &stored),
                ));
            }
        }
        if problems.len() > before {
            continue;
        }
        if field.name == "Id" {
            id = stored.as_i64();
        } else {
            fields.insert(field.name.clone(), stored);
        }
    }
    for (name, value) in object {
        if let Some(base) = catalogue.writable_base_field(&name) {
            if value.is_null() {
                continue;
            }
            if has_nul(&value) {
                problems.push(Problem::new(&base.name, NUL_MESSAGE, value));
                continue;
            }
            // `SystemId` is text; `LocalizationDetails` and `CustomFields` are kept as sent.
            let stored = match base.ty {
                Some(scalar) => typed_scalar(scalar, &value),
                None => Ok(value.clone()),
            };
            match stored {
                Ok(stored) => {
                    fields.insert(base.name.clone(), stored);
                }
                Err(expected) => {
                    problems.push(Problem::new(
                        &base.name,
                        format!("must be {expected}"),
                        value,
                    ));
                }
            }
            continue;
        }
        if catalogue.is_base_field(&name) {
            continue;
        }
        problems.push(Problem::new(
            &name,
            format!("is not a property of {}", entity.name),
            value,
        ));
    }
    if problems.is_empty() {
        Ok(Checked { fields, id })
    } else {
        Err(problems)
    }
}

/// Removes the property `name` from `object`: spelled exactly, or else in any letter case.
fn take(object: &mut Map<String, Value>, name: &str) -> Option<Value> {
    if let Some(value) = object.remove(name) {
        return Some(value);
    }
    let key = object
        .keys()
        .find(|key| key.eq_ignore_ascii_case(name))?
        .clone();
    object.remove(&key)
}

fn operation_name(write: Operation) -> &'static str {
    match write {
        Operation::Create => "a create",
        _ => "an update",
    }
}

/// What a problem shows of a value: nothing of a secret.
fn attempted(secret: bool, value: &Value) -> Value {
    if secret { Value::Null } else { value.clone() }
}

/// `value` in its stored form when it has type `ty`; otherwise what was expected.
fn typed(ty: &ValueType, value: &Value) -> Result<Value, String> {
    match ty {
        ValueType::Scalar(scalar) => typed_scalar(*scalar, value).map_err(str::to_owned),
        ValueType::Enum(name) => value
            .as_i64()
            .map(Value::from)
            .ok_or_else(|| format!("an integer value of {name}")),
        ValueType::List(scalar) => {
            let Value::Array(items) = value else {
                return Err(format!("a list of {}", scalar_name(*scalar)));
            };
            items
                .iter()
                .map(|item| typed_scalar(*scalar, item))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
                .map_err(|_| format!("a list of {}", scalar_name(*scalar)))
        }
    }
}

fn typed_scalar(scalar: Scalar, value: &Value) -> Result<Value, &'static str> {
    let expected = scalar_name(scalar);
    let ok = match scalar {
        Scalar::Int32 => value
            .as_i64()
            .is_some_and(|number| i32::try_from(number).is_ok()),
        Scalar::Int64 => value.as_i64().is_some(),
        Scalar::Decimal => value.is_number(),
        Scalar::Bool => value.is_boolean(),
        Scalar::String => value.is_string(),
        Scalar::DateTime => {
            return value
                .as_str()
                .and_then(parse_date_time)
                .map(|at| Value::from(stored_date_time(at)))
                .ok_or(expected);
        }
    };
    if ok { Ok(value.clone()) } else { Err(expected) }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Int32 => "a 32-bit integer",
        Scalar::Int64 => "an integer",
        Scalar::Decimal => "a number",
        Scalar::Bool => "true or false",
        Scalar::String => "text",
        Scalar::DateTime => "a date-time (ISO 8601)",
    }
}

/// An ISO-8601 date-time: with an offset (`2025-01-02T03:04:05+01:00`, `...Z`), or without one,
/// read as UTC as Nexudus writes them.
pub(crate) fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| naive.and_utc())
}

/// The one form date-times are stored in, so that text order is time order.
pub(crate) fn stored_date_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The message of a failed check, in the SDK's words: the generator decided the checks and the
/// SDK calls the same verdicts.
fn broken(check: &Check, value: &Value) -> Option<String> {
    let message = match check {
        Check::Required => value.as_str().and_then(rules::required),
        Check::NotBlank => value.as_str().and_then(rules::not_blank),
        Check::Range { min, max } => return rules::range(value.as_i64()?, *min, *max),
        Check::Email => value.as_str().and_then(rules::email),
    };
    message.map(str::to_owned)
}

/// The body as a JSON object, or the one problem that it is not one.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, Vec<Problem>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(vec![Problem::body("the body must be a JSON object")]),
        Err(error) => Err(vec![Problem::body(format!(
            "the body is not valid JSON: {error}"
        ))]),
    }
}

/// Every problem of a run-command body (`{"Key", "Ids", "Parameters"}`) of `entity`. There is
/// always one: a well-formed body still names a command this server does not know, since
/// commands are set up per account and no schema lists them.
pub(crate) fn check_run_command(entity: &EntityModel, body: &[u8]) -> Vec<Problem> {
    let object = match json_object(body) {
        Ok(object) => object,
        Err(problems) => return problems,
    };
    let mut problems = Vec::new();
    match object.get("Key") {
        None | Some(Value::Null) => {
            problems.push(Problem::new("Key", rules::REQUIRED, Value::Null));
        }
        Some(Value::String(key)) if rules::is_blank(key) => {
            problems.push(Problem::new(
                "Key",
                rules::NOT_BLANK,
                Value::from(key.as_str()),
            ));
        }
        Some(key @ Value::String(_)) => problems.push(Problem::new(
            "Key",
            format!(
                "is not a command of {}: this server knows no commands",
                entity.name
            ),
            key.clone(),
        )),
        Some(other) => problems.push(Problem::new("Key", "must be a string", other.clone())),
    }
    match object.get("Ids") {
        None | Some(Value::Null) => {}
        Some(Value::Array(ids)) if ids.iter().all(Value::is_i64) => {}
        Some(other) => problems.push(Problem::new(
            "Ids",
            "must be a list of Ids, e.g. [1,2,3]",
            other.clone(),
        )),
    }
    match object.get("Parameters") {
        None | Some(Value::Null) => {}
        Some(Value::Array(parameters)) if parameters.iter().all(Value::is_object) => {}
        Some(other) => problems.push(Problem::new(
            "Parameters",
            "must be a list of {\"Name\", \"Type\", \"Value\"} objects",
            other.clone(),
        )),
    }
    for (name, value) in &object {
        if !["Key", "Ids", "Parameters"].contains(&name.as_str()) {
            problems.push(Problem::new(
                name,
                "is not a property of a command request",
                value.clone(),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests;
