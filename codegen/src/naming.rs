//! The one place that turns Nexudus names into Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; a field named after one becomes a raw identifier (`r#type`).
#[cfg(feature = "generate")]
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; these get a trailing underscore instead.
#[cfg(feature = "generate")]
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// The variant of the generated webhook `Event` that holds an action no schema maps: no mapped
/// action's variant may take its name.
pub(crate) const OTHER_EVENT: &str = "Other";

/// Methods the generated request and filter types define beside a setter per field (`new`,
/// `validate`, `from_record`): a field whose setter would take one of these names needs a
/// `rust_name`. Trait methods are not here: generated code calls them by their trait's path
/// (`<Self as ::std::default::Default>::default()`), so a setter named `default` cannot shadow
/// them.
pub(crate) const REQUEST_METHODS: &[&str] = &["new", "validate", "from_record"];

/// The methods of `nexudus::Client`, beside which every entity gets an accessor
/// (`email_accounts`): an entity whose accessor would take one of these names needs another
/// path. A test reads the SDK's `impl Client` to keep this list whole.
pub(crate) const CLIENT_METHODS: &[&str] = &["base_url", "builder", "new"];

/// Names Rust reserves for types: an entity cannot be called `Self`.
pub(crate) const NOT_TYPE_NAMES: &[&str] = &["Self"];

/// The snake_case Rust name of a field: `IncomingServerSSL` -> `incoming_server_ssl`.
pub(crate) fn field_name(wire: &str) -> String {
    let snake = wire.to_snake_case();
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("field_{snake}")
    } else {
        snake
    }
}

/// The private field of an update request that remembers the record it was made from.
/// [`field_name`] never starts a name with an underscore, so no schema field can take it.
#[cfg(feature = "generate")]
pub(crate) fn fetched_field() -> proc_macro2::Ident {
    proc_macro2::Ident::new("__fetched", proc_macro2::Span::call_site())
}

/// The Rust type name of a schema enum: the `e` prefix Nexudus uses is dropped
/// (`eEmailServerType` -> `EmailServerType`).
pub(crate) fn enum_name(wire: &str) -> String {
    let mut chars = wire.chars();
    let stripped = match (chars.next(), chars.next()) {
        (Some('e'), Some(second)) if second.is_ascii_uppercase() => &wire[1..],
        _ => wire,
    };
    stripped.to_upper_camel_case()
}

/// The Rust variant name of an enum member: `DontDelete` stays, `dont delete` -> `DontDelete`.
pub(crate) fn variant_name(wire: &str) -> String {
    let camel = wire.to_upper_camel_case();
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

/// The identifier to emit for `name`: raw when it is a keyword, `name_` when it cannot be raw.
#[cfg(feature = "generate")]
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    if NOT_RAW.contains(&name) {
        proc_macro2::Ident::new(&format!("{name}_"), span)
    } else if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, span)
    } else {
        proc_macro2::Ident::new(name, span)
    }
}

/// How a rustdoc link names `ident`: keywords as written, since links do not take raw
/// identifiers (`Self::type`, not `Self::r#type`).
#[cfg(feature = "generate")]
pub(crate) fn link_name(ident: &proc_macro2::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// The client method of an entity's collection path: the entity's words with the last one
/// replaced by the path's plural of it (`EmailAccount`, `emailaccounts` -> `email_accounts`;
/// `Country`, `countries` -> `countries`). `None` when `plural` is not the lower-case plural of
/// `entity`.
pub(crate) fn accessor(entity: &str, plural: &str) -> Option<String> {
    let words = words(entity);
    let (last, leading) = words.split_last()?;
    let prefix = leading.concat();
    // `Country` -> `countries`: a final `y` may become `ies`.
    let y_plural = last
        .strip_suffix('y')
        .map(|stem| format!("{stem}ies"))
        .unwrap_or_else(|| last.clone());
    let plural_last = plural.strip_prefix(prefix.as_str()).filter(|rest| {
        (rest.starts_with(last.as_str()) || rest.starts_with(y_plural.as_str()))
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })?;
    let mut accessor_words = leading.to_vec();
    accessor_words.push(plural_last.to_owned());
    Some(accessor_words.join("_"))
}

/// `EmailAccounts`: the type of the handle an accessor answers.
pub(crate) fn handle_type(accessor: &str) -> String {
    accessor.to_upper_camel_case()
}

/// `EmailAccountCreate` (`write` is `Create` or `Update`).
pub(crate) fn request_type(entity: &str, write: &str) -> String {
    format!("{entity}{write}")
}

/// `EmailAccountCreateRequired`: the fields a caller must give.
pub(crate) fn required_type(entity: &str, write: &str) -> String {
    format!("{entity}{write}Required")
}

/// `EmailAccountFilter`: the search filters.
pub(crate) fn filter_type(entity: &str) -> String {
    format!("{entity}Filter")
}

/// `EmailAccountSort`: the properties a search can be ordered by.
pub(crate) fn sort_type(entity: &str) -> String {
    format!("{entity}Sort")
}

/// Every type name the generator gives an entity: the record, the handle, the request types,
/// the filter and the sort keys. An enum of the entity may take none of them.
pub(crate) fn entity_type_names(entity: &str, accessor: &str) -> [String; 8] {
    [
        entity.to_owned(),
        handle_type(accessor),
        request_type(entity, "Create"),
        required_type(entity, "Create"),
        request_type(entity, "Update"),
        required_type(entity, "Update"),
        filter_type(entity),
        sort_type(entity),
    ]
}

/// Whether `name` can be used as written for an identifier (ASCII letters, digits, `_`).
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Splits an UpperCamelCase entity name into lower-case words: `EmailAccount` -> `email`, `account`.
pub(crate) fn words(name: &str) -> Vec<String> {
    name.to_snake_case().split('_').map(str::to_owned).collect()
}

#[cfg(test)]
mod tests;
