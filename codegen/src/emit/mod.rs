//! Turns the IR into Rust token streams: one file per entity, each area crate's root that includes
//! them, and the SDK's re-exports of the areas and accessors of the entities.
//!
//! Methods that only set a field or hand their arguments to the runtime (setters, filters, client
//! methods, enum conversions) are `#[inline]`: such a function is compiled in the crate that calls
//! it, when it calls it, rather than in the SDK for every entity whether used or not. It took the
//! SDK crate's code generation from 29 s to 9 s (BENCHMARKS.md, "Compile time").

mod client;
mod enums;
mod properties;
mod record;
mod requests;
mod search;
mod webhook;

pub(crate) use client::accessors;
pub(crate) use webhook::{FILE as WEBHOOKS_FILE, events as webhook_events};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Area, Entity, FieldType, Operation, Scalar, Write};
use crate::naming::ident;

/// The items of one entity's module: its enums, request types, validators and client methods.
pub(crate) fn entity(entity: &Entity) -> TokenStream {
    let enums = entity.enums.iter().map(enums::open_enum);
    let record = record::record(entity);
    let searches = entity.operations.contains(&Operation::Search);
    let filter = searches.then(|| search::filter(entity));
    let sort = searches.then(|| search::sort(entity));
    let requests = entity
        .writes()
        .map(|write| requests::request(entity, write));
    let from_record = entity
        .writes()
        .any(|write| write == Write::Update)
        .then(|| record::from_record(entity));
    let client = client::handle(entity);
    quote! {
        #(#enums)*
        #record
        #filter
        #sort
        #(#requests)*
        #from_record
        #client
    }
}

/// An area crate's root (`crm.rs`): one module per entity of the area, each including its file.
pub(crate) fn area_modules<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> TokenStream {
    let modules = entities.into_iter().map(|entity| {
        let doc = doc(&entity.description);
        let module = ident(&entity.module);
        let file = format!("/{}", entity_file_path(entity));
        quote! {
            #doc
            pub mod #module {
                include!(concat!(env!("OUT_DIR"), #file));
            }
        }
    });
    quote! { #(#modules)* }
}

/// An area crate's documentation (`crm.md`), which the SDK shows as its `crm` module's.
pub(crate) fn area_doc(area: Area) -> String {
    format!(
        "{}\n\nCompiled with the `{}` feature of `nexudus`, one of the default `full` set.\n",
        area.description, area.name
    )
}

/// The SDK's modules of the enabled areas: each area crate, re-exported under the area's name
/// (`nexudus::crm`, the crate `nexudus-crm`).
pub(crate) fn area_reexports(areas: &[Area]) -> TokenStream {
    let reexports = areas.iter().map(|area| {
        let name = ident(area.name);
        let krate = format_ident!("nexudus_{}", area.name);
        quote! {
            #[doc(inline)]
            pub use ::#krate as #name;
        }
    });
    quote! { #(#reexports)* }
}

/// Where an entity's file goes, relative to the output folder: `crm/email_account.rs`.
pub(crate) fn entity_file_path(entity: &Entity) -> String {
    format!("{}/{}.rs", entity.area.name, entity.module)
}

/// `#[doc]` attributes for a block of text, one per line, so rustdoc sees the paragraphs.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The Rust type holding one value of a field (without the `Option` of optional fields).
pub(crate) fn value_type(entity: &Entity, ty: FieldType, secret: bool) -> TokenStream {
    match ty {
        FieldType::Scalar(Scalar::String) if secret => quote!(::nexudus_runtime::Secret),
        FieldType::Scalar(scalar) => scalar_type(scalar),
        FieldType::Enum(index) => {
            let name = ident(&entity.enums[index].rust_name);
            quote!(#name)
        }
        FieldType::List(item) => {
            let item = scalar_type(item);
            quote!(::std::vec::Vec<#item>)
        }
    }
}

/// A setter's parameter type and the expression storing it: text takes `impl Into<String>` (or
/// `Into<Secret>`), so callers can pass a `&str`; other values are taken as they are.
pub(crate) fn setter_parameter(value: TokenStream, ty: FieldType) -> (TokenStream, TokenStream) {
    match ty {
        FieldType::Scalar(Scalar::String) => (
            quote!(impl ::std::convert::Into<#value>),
            quote!(value.into()),
        ),
        _ => (value, quote!(value)),
    }
}

fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::Int32 => quote!(i32),
        Scalar::Int64 => quote!(i64),
        Scalar::Decimal => quote!(::rust_decimal::Decimal),
        Scalar::Bool => quote!(bool),
        Scalar::String => quote!(::std::string::String),
        Scalar::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
    }
}
