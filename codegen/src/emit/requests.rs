//! Emits a write request: its body type, the struct of fields a caller must give, setters and `validate()`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::properties::{self, Codec, Property};
use super::{doc, setter_parameter, value_type};
use crate::ir::{Check, Entity, Field, FieldType, Presence, Write};
use crate::naming::ident;

pub(super) fn request(entity: &Entity, write: Write) -> TokenStream {
    let name = format_ident!("{}", entity.request_type(write));
    let required_name = format_ident!("{}", entity.required_type(write));
    let fields: Vec<&Field> = entity.fields_for(write).collect();
    let demanded: Vec<&Field> = fields
        .iter()
        .copied()
        .filter(|field| field.demanded(write))
        .collect();

    let method = write.http_method();
    let type_doc = doc(&format!(
        "The body of `{method} {path}`: {verb} one {entity} record.\n\n\
         Build it with [`{name}::new`] from the fields the API requires, then set optional \
         fields with the setter methods or the public fields. [`{name}::validate`] checks what \
         the types cannot; the client runs it before sending.{from_record}",
        path = entity.path,
        verb = if write == Write::Create {
            "creates"
        } else {
            "replaces"
        },
        entity = entity.name,
        from_record = if write == Write::Create {
            ""
        } else {
            "\n\n`PUT` is a full replacement: a request built by hand clears every property the \
             update takes and it leaves unset. Made from a fetched record with \
             `from_record` (or by `update_with`), it sends that record back with only the \
             properties changed since."
        },
    ));
    let body_fields = fields.iter().map(|field| body_field(entity, field, write));
    let properties: Vec<Property<'_>> = fields
        .iter()
        .map(|field| Property {
            field: ident(&field.rust_name),
            wire: &field.wire_name,
            codec: Codec::of(field.ty),
            optional: is_optional(field, write),
        })
        .collect();
    let serialize = properties::write(&name, &properties);
    let required_doc = doc(&format!(
        "The fields that [`{name}::new`] needs: those the API requires for {} and that have no \
         documented default. Leaving one out is a compile-time error.",
        write.verb(),
    ));
    let required_fields = demanded.iter().map(|field| {
        let field_doc = field_doc(entity, field, write);
        let field_name = ident(&field.rust_name);
        let ty = value_type(entity, field.ty, field.secret);
        quote! { #field_doc pub #field_name: #ty, }
    });
    let new_doc = doc(&format!(
        "Starts a request from the required fields; optional fields start unset{}.",
        if fields
            .iter()
            .any(|field| field.presence(write) == Presence::Required && field.default.is_some())
        {
            " and fields with a documented default start at it"
        } else {
            ""
        }
    ));
    let destructured = demanded.iter().map(|field| ident(&field.rust_name));
    let initialisers = fields.iter().map(|field| initialiser(entity, field, write));
    // A create's demanded fields are given to `new`; an update has a setter for every field
    // but `Id`, so that the closure of `update_with` changes any of them in one chain.
    let setters = fields
        .iter()
        .filter(|field| match write {
            Write::Create => !field.demanded(write),
            Write::Update => field.wire_name != "Id",
        })
        .map(|field| setter(entity, field, write));
    let validate = validate(entity, &fields, write);
    let (fetched_field, fetched_initialiser) = match write {
        Write::Create => (TokenStream::new(), TokenStream::new()),
        Write::Update => {
            let fetched = crate::naming::fetched_field();
            (
                quote! {
                    // The record `from_record` made the request from, so that the body is that
                    // record with only the caller's changes; empty for a request built by hand.
                    #fetched: ::nexudus_runtime::Fetched,
                },
                quote!(#fetched: ::std::default::Default::default(),),
            )
        }
    };
    quote! {
        #type_doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#body_fields)*
            #fetched_field
        }

        #serialize

        #required_doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        pub struct #required_name {
            #(#required_fields)*
        }

        impl #name {
            #new_doc
            #[inline]
            pub fn new(required: #required_name) -> Self {
                let #required_name { #(#destructured),* } = required;
                Self { #(#initialisers)* #fetched_initialiser }
            }

            #(#setters)*

            #validate
        }
    }
}

/// Whether the body type holds the field in an `Option` (left out of the JSON when unset).
fn is_optional(field: &Field, write: Write) -> bool {
    field.presence(write) == Presence::Optional
}

fn body_field(entity: &Entity, field: &Field, write: Write) -> TokenStream {
    let field_doc = field_doc(entity, field, write);
    let name = ident(&field.rust_name);
    let value = value_type(entity, field.ty, field.secret);
    if is_optional(field, write) {
        quote! {
            #field_doc
            pub #name: ::std::option::Option<#value>,
        }
    } else {
        quote! {
            #field_doc
            pub #name: #value,
        }
    }
}

/// The rustdoc of a field: the schema's description, then what a caller needs to know.
fn field_doc(entity: &Entity, field: &Field, write: Write) -> TokenStream {
    let mut text = field.description.clone();
    let presence = match (field.presence(write), field.default) {
        (Presence::Required, Some(default)) => {
            format!("required; sent as `{default}` unless set")
        }
        (Presence::Required, None) => "required".to_owned(),
        _ => "optional; left out of the body when unset".to_owned(),
    };
    text.push_str(&format!(
        "\n\nJSON property `{}`, {presence}.",
        field.wire_name
    ));
    if let FieldType::Enum(index) = field.ty {
        text.push_str(&format!(" See [`{}`].", entity.enums[index].rust_name));
    }
    if field.secret {
        text.push_str(" A secret: `Debug` output and errors never show it.");
    }
    let checks = field.checks(write);
    if !checks.is_empty() {
        text.push_str("\n\nChecked by `validate()`:");
        for check in checks {
            text.push_str(&format!("\n- {}", check.describe()));
        }
    }
    if let Some(notes) = &field.notes {
        text.push_str(&format!("\n\n{notes}"));
    }
    doc(&text)
}

fn initialiser(entity: &Entity, field: &Field, write: Write) -> TokenStream {
    let name = ident(&field.rust_name);
    if field.demanded(write) {
        return quote!(#name,);
    }
    match (field.presence(write), field.default) {
        (Presence::Required, Some(default)) => {
            let literal = Literal::i64_unsuffixed(default);
            let value = match field.ty {
                FieldType::Enum(index) => {
                    let enum_name = ident(&entity.enums[index].rust_name);
                    quote!(#enum_name::from(#literal))
                }
                _ => quote!(#literal),
            };
            quote!(#name: #value,)
        }
        _ => quote!(#name: ::std::option::Option::None,),
    }
}

fn setter(entity: &Entity, field: &Field, write: Write) -> TokenStream {
    let name = ident(&field.rust_name);
    let summary = field.description.lines().next().unwrap_or_default();
    let setter_doc = doc(&format!(
        "Sets [`{}`](Self::{}): {summary}",
        field.rust_name,
        crate::naming::link_name(&name)
    ));
    let value = value_type(entity, field.ty, field.secret);
    let (parameter, converted) = setter_parameter(value, field.ty);
    let stored = if is_optional(field, write) {
        quote!(::std::option::Option::Some(#converted))
    } else {
        converted
    };
    quote! {
        #setter_doc
        #[must_use]
        #[inline]
        pub fn #name(mut self, value: #parameter) -> Self {
            self.#name = #stored;
            self
        }
    }
}

fn validate(entity: &Entity, fields: &[&Field], write: Write) -> TokenStream {
    let name = entity.request_type(write);
    let statements: Vec<TokenStream> = fields
        .iter()
        .filter_map(|field| validate_field(field, write))
        .collect();
    let validate_doc = doc(&format!(
        "Checks what the types cannot (blank required text, declared ranges and formats) and \
         returns every violation, each as `{{PropertyName, Message, AttemptedValue}}` like a \
         Nexudus 400 answer. [`{name}`] values that fail are never sent."
    ));
    let body = if statements.is_empty() {
        quote!(::std::result::Result::Ok(()))
    } else {
        quote! {
            let mut violations = ENDPOINTS.violations();
            #(#statements)*
            violations.finish()
        }
    };
    quote! {
        #validate_doc
        pub fn validate(&self) -> ::std::result::Result<(), ::nexudus_runtime::ValidationErrors> {
            #body
        }
    }
}

/// One call per check, each reading as what it checks (`violations.between("Port", &self.port,
/// 1, 65535)`): the runtime takes the field as it is, given or not, secret or not.
fn validate_field(field: &Field, write: Write) -> Option<TokenStream> {
    let checks = field.checks(write);
    if checks.is_empty() {
        return None;
    }
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let calls = checks.iter().map(|check| match check {
        Check::Required => quote!(violations.required(#wire, &self.#name);),
        Check::NotBlank { .. } => quote!(violations.not_blank(#wire, &self.#name);),
        Check::Email { .. } => quote!(violations.email(#wire, &self.#name);),
        Check::Range { min, max, .. } => {
            let literal = |bound: i64| Literal::i64_unsuffixed(bound);
            match (min, max) {
                (Some(min), Some(max)) => {
                    let (min, max) = (literal(*min), literal(*max));
                    quote!(violations.between(#wire, &self.#name, #min, #max);)
                }
                (Some(min), None) => {
                    let min = literal(*min);
                    quote!(violations.at_least(#wire, &self.#name, #min);)
                }
                (None, Some(max)) => {
                    let max = literal(*max);
                    quote!(violations.at_most(#wire, &self.#name, #max);)
                }
                // `check` refuses a range without a bound.
                (None, None) => TokenStream::new(),
            }
        }
    });
    Some(quote!(#(#calls)*))
}
