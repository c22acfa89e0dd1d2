//! A search's query string read into a store query: paging, order and the entity's filters,
//! with every problem reported at once.

use nexudus_codegen::model::{Bound, EntityModel, Scalar, ValueType};
use serde_json::Value;

use crate::store::{Comparison, Condition, Query as SearchQuery};
use crate::validate::{NUL_MESSAGE, Problem, parse_date_time};

/// The largest page a search answers.
const MAX_PAGE_SIZE: u64 = 1_000;

/// The largest page number a search takes: the largest the SDK can ask for (a `NonZeroU32`).
/// With it, the offset of a page (at most 2^32 x 1,000) fits SQLite's 64-bit integers; a page
/// beyond any record is an empty one.
const MAX_PAGE: u64 = u32::MAX as u64;

/// A page number or size: a whole number from 1 to `max`, or the message saying so.
fn count(value: &str, max: u64) -> Result<u64, String> {
    value
        .parse::<u64>()
        .ok()
        .filter(|number| (1..=max).contains(number))
        .ok_or_else(|| format!("must be a whole number from 1 to {max}"))
}

/// Reads a search's query string: paging, order, and the entity's filters; every problem at once.
pub(crate) fn search_query(
    entity: &EntityModel,
    query: &[(String, String)],
) -> Result<SearchQuery, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut search = SearchQuery {
        conditions: Vec::new(),
        order_by: "Id".into(),
        descending: false,
        page: 1,
        size: 25,
    };
    let problem = |name: &str, message: &str, value: &str| Problem {
        property: name.to_owned(),
        message: message.to_owned(),
        attempted: Value::from(value),
    };
    for (name, value) in query {
        match name.as_str() {
            "page" => match count(value, MAX_PAGE) {
                Ok(page) => search.page = page,
                Err(message) => problems.push(problem(name, &message, value)),
            },
            "size" => match count(value, MAX_PAGE_SIZE) {
                Ok(size) => search.size = size,
                Err(message) => problems.push(problem(name, &message, value)),
            },
            "orderBy" => {
                if entity.sort_keys.iter().any(|key| key == value) {
                    search.order_by.clone_from(value);
                } else {
                    problems.push(problem(
                        name,
                        "is not a property the search can order by",
                        value,
                    ));
                }
            }
            // `0`/`1` as the newest reference documents, the words too; `-1` is descending.
            "dir" => match value.to_ascii_lowercase().as_str() {
                "0" | "asc" | "ascending" => search.descending = false,
                "1" | "-1" | "desc" | "descending" => search.descending = true,
                _ => problems.push(problem(
                    name,
                    "must be 0 (ascending) or 1 (descending)",
                    value,
                )),
            },
            _ if value.contains('\0') => problems.push(problem(name, NUL_MESSAGE, value)),
            _ => match condition(entity, name, value) {
                Ok(condition) => search.conditions.push(condition),
                Err(message) => problems.push(problem(name, &message, value)),
            },
        }
    }
    if problems.is_empty() {
        Ok(search)
    } else {
        Err(problems)
    }
}

/// The condition of one filter parameter, typed as its property.
fn condition(entity: &EntityModel, name: &str, value: &str) -> Result<Condition, String> {
    let filter = entity
        .filters
        .iter()
        .find(|filter| filter.parameter == name)
        .ok_or_else(|| format!("is not a filter of {}", entity.name))?;
    let comparison = match filter.bound {
        Bound::Equal => Comparison::Equal,
        Bound::From => Comparison::AtLeast,
        Bound::To => Comparison::AtMost,
    };
    let ty = entity
        .field(&filter.field)
        .map(|field| field.ty.clone())
        .unwrap_or(ValueType::Scalar(Scalar::DateTime));
    let mut to_the_minute = false;
    let value: rusqlite::types::Value = match ty {
        ValueType::Scalar(Scalar::Int32 | Scalar::Int64) | ValueType::Enum(_) => value
            .parse::<i64>()
            .map_err(|_| "must be an integer".to_owned())?
            .into(),
        // `NaN` and `inf` parse as f64 but are no number a property holds.
        ValueType::Scalar(Scalar::Decimal) => value
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .ok_or_else(|| "must be a number".to_owned())?
            .into(),
        ValueType::Scalar(Scalar::Bool) => match value {
            "true" => 1_i64.into(),
            "false" => 0_i64.into(),
            _ => return Err("must be true or false".into()),
        },
        ValueType::Scalar(Scalar::String) => value.to_owned().into(),
        ValueType::Scalar(Scalar::DateTime) => {
            let at = parse_date_time(value)
                .ok_or_else(|| "must be a date-time, YYYY-MM-DDTHH:mm".to_owned())?;
            to_the_minute = true;
            at.format("%Y-%m-%dT%H:%M").to_string().into()
        }
        ValueType::List(_) => return Err("cannot be filtered on".into()),
    };
    Ok(Condition {
        property: filter.field.clone(),
        comparison,
        value,
        to_the_minute,
    })
}
