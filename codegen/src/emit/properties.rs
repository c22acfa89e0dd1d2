//! Emits how a record or request reads and writes its JSON properties: `serde`'s traits through
//! the runtime's `ReadProperties` and `WriteProperties`, one plain call per property.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{FieldType, Scalar};

/// One property of a generated type, as its JSON is read and written.
pub(super) struct Property<'a> {
    /// The Rust field holding it.
    pub(super) field: Ident,
    /// The JSON property name, as the server spells it.
    pub(super) wire: &'a str,
    pub(super) codec: Codec,
    /// Held in an `Option`: left out of the JSON when `None`, `None` when missing or `null`.
    pub(super) optional: bool,
}

impl Property<'_> {
    /// The `PropertyWriter` method that writes it.
    fn write_method(&self) -> TokenStream {
        match (self.codec, self.optional) {
            (Codec::Serde, false) => quote!(put),
            (Codec::Serde, true) => quote!(put_some),
            (Codec::DateTime, false) => quote!(put_date_time),
            (Codec::DateTime, true) => quote!(put_some_date_time),
            (Codec::Decimal, false) => quote!(put_decimal),
            (Codec::Decimal, true) => quote!(put_some_decimal),
        }
    }

    /// The `Properties` method that reads it into a record, where every property is optional
    /// but `Id`.
    fn read_method(&self) -> TokenStream {
        match (self.codec, self.optional) {
            (_, false) => quote!(or_default),
            (Codec::Serde, true) => quote!(optional),
            (Codec::DateTime, true) => quote!(date_time),
            (Codec::Decimal, true) => quote!(decimal),
        }
    }
}

/// How a property's value becomes JSON and back.
#[derive(Clone, Copy)]
pub(super) enum Codec {
    /// The value type's own `serde` implementation.
    Serde,
    /// Nexudus's date-time text.
    DateTime,
    /// A decimal as a JSON number.
    Decimal,
}

impl Codec {
    pub(super) fn of(ty: FieldType) -> Self {
        match ty {
            FieldType::Scalar(Scalar::DateTime) => Self::DateTime,
            FieldType::Scalar(Scalar::Decimal) => Self::Decimal,
            _ => Self::Serde,
        }
    }
}

/// `impl serde::Serialize` for `name`, writing `properties` in order.
pub(super) fn write(name: &Ident, properties: &[Property<'_>]) -> TokenStream {
    let puts = properties.iter().map(|property| {
        let Property { field, wire, .. } = property;
        let method = property.write_method();
        quote!(properties.#method(#wire, &self.#field);)
    });
    quote! {
        ::nexudus_runtime::serialize_properties!(#name);

        impl ::nexudus_runtime::WriteProperties for #name {
            fn write_properties(&self, properties: &mut ::nexudus_runtime::PropertyWriter) {
                #(#puts)*
            }
        }
    }
}

/// `impl serde::Deserialize` for the record `name`, every field read from `properties`. Every
/// property is optional but `Id`, which is 0 when missing.
pub(super) fn read(name: &Ident, properties: &[Property<'_>]) -> TokenStream {
    let fields = properties.iter().map(|property| {
        let Property { field, wire, .. } = property;
        let method = property.read_method();
        quote!(#field: properties.#method(#wire)?,)
    });
    quote! {
        ::nexudus_runtime::deserialize_properties!(#name);

        impl ::nexudus_runtime::ReadProperties for #name {
            fn read_properties(
                properties: &::nexudus_runtime::Properties<'_>,
            ) -> ::std::result::Result<Self, ::serde_json::Error> {
                ::std::result::Result::Ok(Self { #(#fields)* })
            }
        }
    }
}
