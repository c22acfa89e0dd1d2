//! Emits the record type (`EmailAccount`), read leniently, and its conversion into an update request.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::properties::{self, Codec, Property};
use super::{doc, value_type};
use crate::ir::{BASE_FIELDS, BaseType, Entity, Field, FieldType, Presence, Scalar, Write};
use crate::naming::ident;

pub(super) fn record(entity: &Entity) -> TokenStream {
    let name = format_ident!("{}", entity.name);
    let type_doc = doc(&format!(
        "One {name} record as the API returns it.\n\n{}\n\nRead leniently: property names whatever \
         their letter case, as Nexudus reads them; properties this version does not know are not \
         in the struct (a [`Full`](nexudus_runtime::Full) record keeps them), enum values it does not list \
         are kept, and every property the API may leave out or send as `null` is an `Option`.\n\n\
         Search and get-many answer it without collection properties; `get` answers it whole, \
         wrapped in [`Full`](nexudus_runtime::Full), the only form that converts into an update request, \
         since `PUT` replaces every property.",
        entity.description,
        name = entity.name,
    ));
    let mut properties = Vec::new();
    let base = BASE_FIELDS.iter().map(|base| {
        let field_name = ident(&crate::naming::field_name(base.wire_name));
        let wire = base.wire_name;
        let field_doc = doc(&format!("{}\n\nJSON property `{wire}`.", base.description));
        let (ty, codec) = match base.ty {
            BaseType::Id => (quote!(i64), Codec::Serde),
            BaseType::Bool => (quote!(bool), Codec::Serde),
            BaseType::String => (quote!(::std::string::String), Codec::Serde),
            BaseType::DateTime => (quote!(::chrono::DateTime<::chrono::Utc>), Codec::DateTime),
            BaseType::Json => (quote!(::serde_json::Value), Codec::Serde),
        };
        // `Id` is always there; 0 when a record comes without one.
        let optional = !matches!(base.ty, BaseType::Id);
        let ty = if optional {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        };
        (field_doc, field_name, wire, ty, codec, optional)
    });
    let fields = record_fields(entity).map(|field| {
        let field_doc = doc(&format!(
            "{}\n\nJSON property `{}`.",
            field.description, field.wire_name
        ));
        let ty = value_type(entity, field.ty, field.secret);
        let ty = quote!(::std::option::Option<#ty>);
        let codec = Codec::of(field.ty);
        let name = ident(&field.rust_name);
        (field_doc, name, field.wire_name.as_str(), ty, codec, true)
    });
    let declarations: Vec<TokenStream> = base
        .chain(fields)
        .map(|(field_doc, field, wire, ty, codec, optional)| {
            let declaration = quote! {
                #field_doc
                pub #field: #ty,
            };
            properties.push(Property {
                field,
                wire,
                codec,
                optional,
            });
            declaration
        })
        .collect();
    let read = properties::read(&name, &properties);
    let write = properties::write(&name, &properties);
    let properties = entity.properties();
    let not_updated = entity.not_updated();
    quote! {
        #type_doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#declarations)*
        }

        #read

        #write

        impl ::nexudus_runtime::Record for #name {
            const PROPERTIES: &'static [&'static str] = &[#(#properties),*];
            const NOT_UPDATED: &'static [&'static str] = &[#(#not_updated),*];
        }
    }
}

/// The entity's own fields on the record: all but `Id`, which is a base field.
fn record_fields(entity: &Entity) -> impl Iterator<Item = &Field> + '_ {
    entity.fields.iter().filter(|field| field.wire_name != "Id")
}

/// The expression reading a field's value off `record`: cloned, unless the type is `Copy`.
fn read(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let copy = match field.ty {
        FieldType::Scalar(Scalar::String) | FieldType::List(_) => false,
        FieldType::Scalar(_) | FieldType::Enum(_) => true,
    };
    if copy {
        quote!(record.#name)
    } else {
        quote!(record.#name.clone())
    }
}

/// `EmailAccountUpdate::from_record`: an update that sends a fetched record back with only the
/// caller's changes, so a caller changes only what it means to change with the PUT.
pub(super) fn from_record(entity: &Entity) -> TokenStream {
    let record = format_ident!("{}", entity.name);
    let request = format_ident!("{}", entity.request_type(Write::Update));
    let required = format_ident!("{}", entity.required_type(Write::Update));
    let fields: Vec<&Field> = entity.fields_for(Write::Update).collect();
    let demanded: Vec<&Field> = fields
        .iter()
        .copied()
        .filter(|field| field.demanded(Write::Update) && field.wire_name != "Id")
        .collect();
    let names: Vec<_> = demanded
        .iter()
        .map(|field| ident(&field.rust_name))
        .collect();
    let wires = demanded.iter().map(|field| &field.wire_name);
    let values: Vec<_> = demanded.iter().map(|field| read(field)).collect();
    let extras = fields
        .iter()
        .filter(|field| !field.demanded(Write::Update) && field.wire_name != "Id")
        .map(|field| {
            let name = ident(&field.rust_name);
            let value = read(field);
            if field.presence(Write::Update) == Presence::Required {
                // A documented default stays in place when the record has no value.
                quote!(request.#name = #value.unwrap_or(request.#name);)
            } else {
                quote!(request.#name = #value;)
            }
        });
    let id = fields
        .iter()
        .find(|field| field.wire_name == "Id")
        .map(|field| ident(&field.rust_name));
    // The values are bound in a match arm that reads nothing else, so a field named like the
    // `record` parameter cannot shadow it where it is read.
    let new_request = if names.is_empty() {
        quote!(Self::new(#required { #id: record.id }))
    } else {
        quote! {
            match ( record.id, #( #values, )* ) {
                ( #id, #( ::std::option::Option::Some(#names), )* ) => {
                    Self::new(#required { #id, #(#names),* })
                }
                _ => {
                    let mut violations = ENDPOINTS.violations();
                    #( violations.present(#wires, record.#names.is_some()); )*
                    return ::std::result::Result::Err(violations.into_errors());
                }
            }
        }
    };
    let method_doc = doc(&format!(
        "A request that sends `record` back with only what the caller changes afterwards.\n\n\
         The body of the `PUT` it makes equals the record as fetched ([`Full::json`]\
         (nexudus_runtime::Full::json)), except for the properties the caller changed on the request \
         (written under the server's spelling; one set to `None` is sent as `null`) and those \
         the server keeps itself or no update takes ({not_updated}), which are left out. \
         Everything else goes back as it came: `Id`, {carried}, properties this version does \
         not know, and properties the server spells in another letter case than the schema. So \
         a gap in the schema cannot make the update clear a value on the server.\n\n\
         It takes a full record, fetched on its own: a partial one (from a search or a \
         get-many) lacks collection properties, which the update would clear.\n\n\
         Fails with every required property the record lacks, as `{{PropertyName, Message}}`.",
        not_updated = code_list(entity.not_updated()),
        carried = code_list(
            crate::ir::writable_base_fields()
                .map(|base| base.wire_name)
                .collect(),
        ),
    ));
    let fetched = crate::naming::fetched_field();
    quote! {
        impl #request {
            #method_doc
            pub fn from_record(
                record: &::nexudus_runtime::Full<#record>,
            ) -> ::std::result::Result<Self, ::nexudus_runtime::ValidationErrors> {
                let mut request = #new_request;
                #(#extras)*
                request.#fetched = ::nexudus_runtime::Fetched::new(record, &request);
                ::std::result::Result::Ok(request)
            }
        }
    }
}

/// Names as code spans, comma-separated: `` `UniqueId`, `CreatedOn` ``.
fn code_list(names: Vec<&str>) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
