//! Emits open enums: named variants for the values the schema lists, `Unknown` for any other.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::doc;
use crate::ir::Enum;
use crate::naming::ident;

pub(super) fn open_enum(schema_enum: &Enum) -> TokenStream {
    let name = ident(&schema_enum.rust_name);
    let type_doc = doc(&format!(
        "{}\n\nNexudus enum `{}`, sent as an integer. Values this version does not list are kept as \
         [`{}::Unknown`] and sent back unchanged.",
        schema_enum.description, schema_enum.wire_name, schema_enum.rust_name
    ));
    let variants: Vec<_> = schema_enum
        .values
        .iter()
        .map(|member| ident(&member.rust_name))
        .collect();
    let values: Vec<_> = schema_enum
        .values
        .iter()
        .map(|member| Literal::i64_unsuffixed(member.value))
        .collect();
    let variant_docs = schema_enum.values.iter().map(|member| {
        let text = match &member.description {
            Some(description) => format!("`{}`: {description}", member.value),
            None => format!("`{}`: {}.", member.value, member.wire_name),
        };
        doc(&text)
    });
    // With no listed values every integer is unknown; a match with only the catch-all arm
    // would be noise (and a lint).
    let from_integer = if values.is_empty() {
        quote!(Self::Unknown(::nexudus_runtime::UnknownValue::new(value)))
    } else {
        quote! {
            match value {
                #( #values => Self::#variants, )*
                other => Self::Unknown(::nexudus_runtime::UnknownValue::new(other)),
            }
        }
    };
    quote! {
        #type_doc
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
        #[derive(::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[derive(::serde::Serialize, ::serde::Deserialize)]
        #[serde(from = "i64", into = "i64")]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
            /// A value this version of the SDK does not list; it round-trips unchanged.
            Unknown(::nexudus_runtime::UnknownValue),
        }

        impl ::std::convert::From<i64> for #name {
            #[inline]
            fn from(value: i64) -> Self {
                #from_integer
            }
        }

        impl ::std::convert::From<#name> for i64 {
            #[inline]
            fn from(value: #name) -> Self {
                match value {
                    #( #name::#variants => #values, )*
                    #name::Unknown(unknown) => unknown.get(),
                }
            }
        }
    }
}
