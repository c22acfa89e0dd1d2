//! The verdicts and messages of the value rules, in one place: the SDK's client-side validation
//! and the local server both call these functions, so the server answers in the SDK's words by
//! construction, not by convention.

/// The message for a required field that is missing, `null` or blank: the one Nexudus gives.
pub const REQUIRED: &str = "is a required field";

/// The message of a `not_blank` rule.
pub const NOT_BLANK: &str = "must not be blank";

/// The message of an `email` rule.
pub const NOT_AN_EMAIL: &str = "is not a valid email address";

/// Whether `text` has no character but whitespace.
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// A required string: [`REQUIRED`] when it is blank.
pub fn required(text: &str) -> Option<&'static str> {
    is_blank(text).then_some(REQUIRED)
}

/// A `not_blank` rule: [`NOT_BLANK`] when the given text is blank.
pub fn not_blank(text: &str) -> Option<&'static str> {
    is_blank(text).then_some(NOT_BLANK)
}

/// An `email` rule: [`NOT_AN_EMAIL`] when the text is not an e-mail address. Blank text passes:
/// whether a field may be empty is for [`required`] or [`not_blank`] to say, so that one mistake
/// gives one error.
pub fn email(text: &str) -> Option<&'static str> {
    (!is_blank(text) && !email_address::EmailAddress::is_valid(text)).then_some(NOT_AN_EMAIL)
}

/// A `range` rule, both bounds included and a missing bound not checked: what is wrong with
/// `value`, if anything (`must be between 1 and 65535`, `must be at least 0`, `must be at most
/// 10`).
pub fn range(value: i64, min: Option<i64>, max: Option<i64>) -> Option<String> {
    let too_small = min.is_some_and(|min| value < min);
    let too_large = max.is_some_and(|max| value > max);
    if !(too_small || too_large) {
        return None;
    }
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("must be between {min} and {max}")),
        (Some(min), None) => Some(format!("must be at least {min}")),
        (None, Some(max)) => Some(format!("must be at most {max}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests;
