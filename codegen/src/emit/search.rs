//! Emits what a search takes: the filter struct (`EmailAccountFilter`) and the sort keys (`EmailAccountSort`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, value_type};
use crate::ir::{Entity, FieldType, Filter, Scalar};
use crate::naming::{ident, variant_name};

/// `EmailAccountFilter`: a setter per filter over the query pairs it makes.
///
/// The pairs live in one runtime `Query` rather than in a field per filter: a setter is then one
/// call, and no per-entity code turns fields back into a query string.
pub(super) fn filter(entity: &Entity) -> TokenStream {
    let name = format_ident!("{}", entity.filter_type());
    let filters = entity.filters();
    let type_doc = doc(&format!(
        "What a search of {entity} records matches: every filter that is set must hold.\n\n\
         Start from [`{name}::new`] (no filter: every record) and set filters with the \
         setters; setting one again replaces its value. Equality filters are sent as \
         `{entity}_{{Property}}` (a foreign key without its `Id` suffix: `BusinessId` is \
         `{entity}_Business`); ranges on numbers and dates as `from_{entity}_{{Property}}` and \
         `to_{entity}_{{Property}}`, both bounds included. Dates are sent to the minute \
         (`YYYY-MM-DDTHH:mm`, UTC): seconds are dropped. Secret and list properties cannot be \
         filtered on.",
        entity = entity.name,
    ));
    let setters = filters.iter().map(|filter| setter(entity, filter));
    quote! {
        #type_doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[derive(::std::default::Default)]
        pub struct #name {
            query: ::nexudus_runtime::Query,
        }

        impl #name {
            /// No filter: a search with it matches every record.
            #[inline]
            pub fn new() -> Self {
                <Self as ::std::default::Default>::default()
            }

            #(#setters)*
        }
    }
}

/// A filter's setter; enums go as their integer.
fn setter(entity: &Entity, filter: &Filter) -> TokenStream {
    let name = ident(&filter.rust_name);
    let wire = &filter.wire_name;
    let setter_doc = doc(&format!(
        "{}\n\nQuery parameter `{wire}`.",
        filter.description
    ));
    // Text is only read into the query string, so any string reference will do.
    let (parameter, sent) = match filter.ty {
        FieldType::Scalar(Scalar::String) => (
            quote!(impl ::std::convert::AsRef<str>),
            quote!(value.as_ref()),
        ),
        FieldType::Enum(_) => (
            value_type(entity, filter.ty, false),
            quote!(&i64::from(value)),
        ),
        _ => (value_type(entity, filter.ty, false), quote!(&value)),
    };
    quote! {
        #setter_doc
        #[must_use]
        #[inline]
        pub fn #name(mut self, value: #parameter) -> Self {
            self.query.set(#wire, #sent);
            self
        }
    }
}

/// `EmailAccountSort`: the base fields a search can sort by, then every sortable field.
pub(super) fn sort(entity: &Entity) -> TokenStream {
    let name = format_ident!("{}", entity.sort_type());
    let keys: Vec<(String, String)> = entity
        .sort_keys()
        .into_iter()
        .map(|key| (key.wire_name, key.description))
        .collect();
    let variants: Vec<_> = keys
        .iter()
        .map(|(wire, _)| ident(&variant_name(wire)))
        .collect();
    let variant_docs = keys
        .iter()
        .map(|(wire, description)| doc(&format!("`{wire}`: {description}")));
    let wires = keys.iter().map(|(wire, _)| wire);
    let type_doc = doc(&format!(
        "A property a search of {} records can be ordered by, sent as `orderBy`.",
        entity.name
    ));
    quote! {
        #type_doc
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
        #[derive(::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
        }

        impl ::nexudus_runtime::SortKey for #name {
            #[inline]
            fn wire_name(self) -> &'static str {
                match self {
                    #( Self::#variants => #wires, )*
                }
            }
        }
    }
}
