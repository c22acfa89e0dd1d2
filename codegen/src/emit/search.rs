//! Emits what a search takes: the filter struct (`EmailAccountFilter`) and the sort keys (`EmailAccountSort`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, setter_parameter, value_type};
use crate::ir::{Entity, FieldType, Filter};
use crate::naming::{ident, variant_name};

/// `EmailAccountFilter`: one optional field per filter, setters, and the query it makes.
pub(super) fn filter(entity: &Entity) -> TokenStream {
    let name = format_ident!("{}", entity.filter_type());
    let filters = entity.filters();
    let type_doc = doc(&format!(
        "What a search of {entity} records matches: every filter that is set must hold.\n\n\
         Start from [`{name}::new`] (no filter: every record) and set filters with the \
         setters. Equality filters are sent as `{entity}_{{Property}}` (a foreign key without \
         its `Id` suffix: `BusinessId` is `{entity}_Business`); ranges on numbers and dates as \
         `from_{entity}_{{Property}}` and `to_{entity}_{{Property}}`, both bounds included. \
         Dates are sent to the minute (`YYYY-MM-DDTHH:mm`, UTC): seconds are dropped. Secret \
         and list properties cannot be filtered on.",
        entity = entity.name,
    ));
    let fields = filters.iter().map(|filter| {
        let field_doc = doc(&format!(
            "{}\n\nQuery parameter `{}`.",
            filter.description, filter.wire_name
        ));
        let field_name = ident(&filter.rust_name);
        let ty = value_type(entity, filter.ty, false);
        quote! {
            #field_doc
            pub #field_name: ::std::option::Option<#ty>,
        }
    });
    let setters = filters.iter().map(|filter| setter(entity, filter));
    let pushes = filters.iter().map(push);
    quote! {
        #type_doc
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::default::Default,
            ::std::cmp::PartialEq,
        )]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// No filter: a search with it matches every record.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*

            /// The query-string pairs of the filters that are set.
            fn query(&self) -> ::std::vec::Vec<(::std::string::String, ::std::string::String)> {
                #[allow(unused_mut, reason = "an entity may have no filters of its own")]
                let mut query = crate::runtime::Query::new();
                #(#pushes)*
                query.into_pairs()
            }
        }
    }
}

fn setter(entity: &Entity, filter: &Filter) -> TokenStream {
    let name = ident(&filter.rust_name);
    let setter_doc = doc(&format!(
        "Sets [`{}`](Self::{name}): {}",
        filter.rust_name, filter.description
    ));
    let value = value_type(entity, filter.ty, false);
    let (parameter, converted) = setter_parameter(value, filter.ty);
    quote! {
        #setter_doc
        #[must_use]
        pub fn #name(mut self, value: #parameter) -> Self {
            self.#name = ::std::option::Option::Some(#converted);
            self
        }
    }
}

/// The statement adding one filter to the query when it is set; enums go as their integer.
fn push(filter: &Filter) -> TokenStream {
    let name = ident(&filter.rust_name);
    let wire = &filter.wire_name;
    let value = match filter.ty {
        FieldType::Enum(_) => quote!(self.#name.map(i64::from).as_ref()),
        _ => quote!(self.#name.as_ref()),
    };
    quote!(query.push(#wire, #value);)
}

/// `EmailAccountSort`: the base fields a search can sort by, then every sortable field.
pub(super) fn sort(entity: &Entity) -> TokenStream {
    let name = format_ident!("{}", entity.sort_type());
    let base = [
        ("Id", "The record's Id: the order when none is asked for."),
        ("CreatedOn", "When the record was created."),
        ("UpdatedOn", "When the record was last changed."),
    ]
    .map(|(wire, description)| (wire.to_owned(), description.to_owned()));
    let keys: Vec<(String, String)> = base
        .into_iter()
        .chain(
            entity
                .fields
                .iter()
                .filter(|field| field.is_sortable())
                .map(|field| {
                    let summary = field.description.lines().next().unwrap_or_default();
                    (field.wire_name.clone(), summary.to_owned())
                }),
        )
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
        #[derive(
            ::std::clone::Clone,
            ::std::marker::Copy,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
        )]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
        }

        impl crate::SortKey for #name {
            fn wire_name(self) -> &'static str {
                match self {
                    #( Self::#variants => #wires, )*
                }
            }
        }
    }
}
