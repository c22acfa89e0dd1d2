//! Entity commands: what `GET .../commands` lists, the parameters `POST .../runcommand` sends,
//! and what running one answers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

/// A command an entity offers, as listed by `GET /api/{area}/{plural}/commands`.
///
/// Commands are actions beyond create, update and delete (send a test e-mail, resend an
/// invoice); run one by its [`key`](Self::key). Read leniently: unknown properties are ignored,
/// and a missing or `null` property reads as empty, `false` or `0`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Command {
    /// The key that runs the command, e.g. `COMMAND_KEY_1` (`Key`).
    #[serde(rename = "Key", default, deserialize_with = "or_default")]
    pub key: String,
    /// The name shown to people (`Name`).
    #[serde(rename = "Name", default, deserialize_with = "or_default")]
    pub name: String,
    /// Whether at least one record `Id` must be given (`NeedsEntitiesToRun`).
    #[serde(
        rename = "NeedsEntitiesToRun",
        default,
        deserialize_with = "or_default"
    )]
    pub needs_entities_to_run: bool,
    /// Whether exactly one record `Id` must be given (`AppliesOnlyToOneEntity`).
    #[serde(
        rename = "AppliesOnlyToOneEntity",
        default,
        deserialize_with = "or_default"
    )]
    pub applies_only_to_one_entity: bool,
    /// Whether more than one record `Id` must be given (`AppliesOnlyToMultipleEntities`).
    #[serde(
        rename = "AppliesOnlyToMultipleEntities",
        default,
        deserialize_with = "or_default"
    )]
    pub applies_only_to_multiple_entities: bool,
    /// Where the command sorts among the others (`Order`).
    #[serde(rename = "Order", default, deserialize_with = "or_default")]
    pub order: i64,
    /// The parameters to send with it (`RequiresParameters`); empty when it takes none.
    #[serde(
        rename = "RequiresParameters",
        default,
        deserialize_with = "or_default"
    )]
    pub parameters: Vec<CommandParameterInfo>,
}

/// A parameter a [`Command`] requires: its name and type, as listed (`{"Name", "Type"}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CommandParameterInfo {
    /// The parameter's name (`Name`).
    #[serde(rename = "Name", default, deserialize_with = "or_default")]
    pub name: String,
    /// The parameter's type as Nexudus names it (`Type`), e.g. `DateTime`.
    #[serde(rename = "Type", default, deserialize_with = "or_default")]
    pub type_name: String,
}

/// A parameter value sent when running a command: `{"Name", "Type", "Value"}` on the wire.
///
/// The value is always sent as a string, whatever the type: a date as `2026-04-03T00:00:00Z`,
/// a number as `100`, a flag as `true`. Use the name and type the command listing gives
/// ([`CommandParameterInfo`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct CommandParameter {
    /// The parameter's name (`Name`).
    #[serde(rename = "Name")]
    pub name: String,
    /// The parameter's type as Nexudus names it (`Type`).
    #[serde(rename = "Type")]
    pub type_name: String,
    /// The value, as text (`Value`).
    #[serde(rename = "Value")]
    pub value: String,
}

impl CommandParameter {
    /// A parameter with this name, type and value.
    pub fn new(
        name: impl Into<String>,
        type_name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            type_name: type_name.into(),
            value: value.into(),
        }
    }
}

/// What a successful command run answers.
///
/// Unlike a create, a command need not name a record: the server may answer `"Value": {}`, or
/// `{"Id": 10605}`, or something else the command defines, so `value` is kept as JSON.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CommandOutcome {
    /// The server's message, e.g. `The command was run correctly.` (`Message`).
    pub message: Option<String>,
    /// Whatever the command returned (`Value`); `None` when it was missing or `null`.
    pub value: Option<serde_json::Value>,
    /// When the server says the records were changed (`UpdatedOn`); `None` if missing or
    /// unreadable.
    pub updated_on: Option<DateTime<Utc>>,
    /// Who the server says changed them (`UpdatedBy`).
    pub updated_by: Option<String>,
}

/// The body of `POST .../runcommand`. `Parameters` is always present, `[]` when there are none.
#[derive(Serialize)]
pub(crate) struct RunCommandBody<'a> {
    #[serde(rename = "Key")]
    pub(crate) key: &'a str,
    #[serde(rename = "Ids")]
    pub(crate) ids: &'a [i64],
    #[serde(rename = "Parameters")]
    pub(crate) parameters: &'a [CommandParameter],
}

/// Reads `null` as the default value too, not only a missing property.
fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests;
