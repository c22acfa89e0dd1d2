//! Serde `with` modules for `DateTime<Utc>` fields: written as `YYYY-MM-DDTHH:MM:SSZ`, read leniently.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

/// Formats as `YYYY-MM-DDTHH:MM:SSZ`, keeping sub-seconds only when there are some.
fn format(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Reads RFC 3339 with any offset (converted to UTC), or a date-time without an offset, which
/// Nexudus means as UTC.
pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(value) = DateTime::parse_from_rfc3339(text) {
        return Some(value.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|naive| naive.and_utc())
}

fn parse_or_error<E: serde::de::Error>(text: &str) -> Result<DateTime<Utc>, E> {
    parse(text).ok_or_else(|| {
        E::custom(format_args!(
            "invalid date-time `{text}`: expected RFC 3339 or YYYY-MM-DDTHH:MM:SS"
        ))
    })
}

/// For `DateTime<Utc>` fields: `#[serde(with = "crate::datetime::required")]`.
pub(crate) mod required {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format(value))
    }

    #[allow(
        dead_code,
        reason = "serde `with` modules come in pairs; the tests use this half"
    )]
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        super::parse_or_error(&String::deserialize(deserializer)?)
    }
}

/// For `Option<DateTime<Utc>>` fields: `None` is JSON `null`. Add `#[serde(default)]` to accept
/// a missing field too.
pub(crate) mod option {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(
        dead_code,
        reason = "serde `with` modules come in pairs; the tests use this half"
    )]
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_str(&super::format(value)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| super::parse_or_error(&text))
            .transpose()
    }
}

#[cfg(test)]
mod tests;
