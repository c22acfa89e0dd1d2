//! `UnknownValue`: the integer carried by the `Unknown` variant of open (wire-integer) enums.

/// An enum value the SDK does not know by name, kept so it can be sent back unchanged.
///
/// Nexudus sends enums as integers and its documentation does not list every value. Generated
/// enums have an `Unknown(UnknownValue)` variant for such integers. An `UnknownValue` is only
/// created when converting an integer that matches no named variant, so it never stands for a
/// value that also has a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(i64);

impl UnknownValue {
    // Crate-private so that `Unknown` can only be built by the enum's own `From<i64>`.
    #[doc(hidden)]
    pub fn new(value: i64) -> Self {
        Self(value)
    }

    /// The integer sent by the server.
    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests;
