//! Emits `Event`: the record type each webhook action carries, from each entity's
//! `webhook_actions`.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc;
use crate::ir::{Entity, Operation};
use crate::naming::ident;

/// The path of the generated file, relative to the output folder.
pub(crate) const FILE: &str = "webhooks.rs";

/// `Event` with one variant per action the `entities` (those of the enabled areas) list, and
/// `Other` for every other action.
pub(crate) fn events<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> TokenStream {
    let other = ident(crate::naming::OTHER_EVENT);
    let mut variants = Vec::new();
    let mut decode_arms = Vec::new();
    let mut name_arms = Vec::new();
    let mut names = Vec::new();
    for entity in entities {
        let record = format!(
            "crate::{}::{}::{}",
            entity.area.name, entity.module, entity.name
        );
        let (area, module, name) = (
            ident(entity.area.name),
            ident(&entity.module),
            ident(&entity.name),
        );
        let record_path = quote!(crate::#area::#module::#name);
        for action in &entity.webhook_actions {
            let variant = ident(&action.rust_name);
            let when = match action.fired_by() {
                Some(Operation::Create) => "The local server sends it when the API creates one.",
                Some(Operation::Update) => "The local server sends it when the API updates one.",
                Some(Operation::Delete) => {
                    "The local server sends it, with the record as it was, when the API deletes one."
                }
                _ => "No plain write through the API fires it; Nexudus sends it on its own event.",
            };
            let variant_doc = doc(&format!(
                "`{}` ({}): a [`{}`]({record}) record (inferred from the action's name).\n\n{when}",
                action.name, action.value, entity.name
            ));
            variants.push(quote! {
                #variant_doc
                #variant(::std::boxed::Box<#record_path>),
            });
            let lower = action.name.to_ascii_lowercase();
            decode_arms.push(quote! {
                #lower => ::nexudus_runtime::read_value::<#record_path>(record)
                    .map(|record| Self::#variant(::std::boxed::Box::new(record))),
            });
            let name = &action.name;
            name_arms.push(quote!(Self::#variant(_) => #name,));
            names.push(name.clone());
        }
    }
    let table = doc(
        "A webhook's payload, decoded into the record type its action carries.\n\n\
         Nexudus posts a JSON array holding the record concerned; which record type each action \
         sends is not documented, and the schemas infer it from the action's name \
         (`CoworkerCreate` a `Coworker`, `CoworkerInvoicePaid` a `CoworkerInvoice`). An action \
         they do not map, and one whose entity is in an API area this build leaves out, is \
         [`Event::Other`], with the record as JSON.",
    );
    let names_doc = doc(
        "The actions that decode into a record type in this build (their `eWebhookAction` \
         names), in schema order.",
    );
    quote! {
        #table
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// Any other action: its name as the receiver gave it, and the record as JSON.
            #other {
                /// The action, as given to [`Receiver::receive`](crate::webhook::Receiver::receive).
                action: ::std::string::String,
                /// The record the body holds.
                record: ::serde_json::Value,
            },
        }

        impl Event {
            /// The record of `action` (an `eWebhookAction` name, in any letter case), read as the
            /// record type the action carries, whatever the letter case of its property names.
            #[allow(clippy::match_single_binding, reason = "no action may be mapped")]
            pub(crate) fn from_record(
                action: &str,
                record: ::serde_json::Value,
            ) -> ::std::result::Result<Self, ::serde_json::Error> {
                match action.to_ascii_lowercase().as_str() {
                    #(#decode_arms)*
                    _ => ::std::result::Result::Ok(Self::#other {
                        action: ::std::borrow::ToOwned::to_owned(action),
                        record,
                    }),
                }
            }

            /// The action's `eWebhookAction` name, e.g. `CoworkerCreate`; for
            /// [`Event::Other`], as the receiver gave it.
            #[allow(clippy::match_single_binding, reason = "no action may be mapped")]
            pub fn action(&self) -> &str {
                match self {
                    #(#name_arms)*
                    Self::#other { action, .. } => action,
                }
            }
        }

        #names_doc
        pub const MAPPED_ACTIONS: &[&str] = &[#(#names),*];
    }
}
