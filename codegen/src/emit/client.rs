//! Emits an entity's client handle (`client.email_accounts()`) and one method per write operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use crate::ir::{Entity, Write};
use crate::naming::ident;

pub(super) fn handle(entity: &Entity) -> TokenStream {
    let writes: Vec<Write> = entity.writes().collect();
    if writes.is_empty() {
        return TokenStream::new();
    }
    let handle = format_ident!("{}", entity.handle_type());
    let accessor = ident(&entity.accessor);
    let secrets = entity.secret_properties();
    let handle_doc = doc(&format!(
        "{} records at `{}`, from [`Client::{}`](crate::Client::{}).",
        entity.name, entity.path, entity.accessor, entity.accessor
    ));
    let accessor_doc = doc(&format!("{} records: {}", entity.name, entity.description));
    let endpoints = writes.iter().map(|write| endpoint(entity, *write));
    let methods = writes.iter().map(|write| method(entity, *write));
    quote! {
        /// JSON properties whose values are secret: never shown in `Debug` output or errors.
        const SECRET_PROPERTIES: &[&str] = &[#(#secrets),*];

        #(#endpoints)*

        #handle_doc
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
        pub struct #handle<'client> {
            client: &'client crate::Client,
        }

        impl crate::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl #handle<'_> {
            #(#methods)*
        }
    }
}

fn endpoint_name(write: Write) -> proc_macro2::Ident {
    format_ident!("{}", write.title().to_uppercase())
}

fn endpoint(entity: &Entity, write: Write) -> TokenStream {
    let name = endpoint_name(write);
    let entity_name = &entity.name;
    let path = &entity.path;
    let operation = format_ident!("{}", write.title());
    quote! {
        const #name: crate::runtime::Endpoint = crate::runtime::Endpoint {
            entity: #entity_name,
            operation: crate::runtime::Operation::#operation,
            path: #path,
            secret_properties: SECRET_PROPERTIES,
        };
    }
}

fn method(entity: &Entity, write: Write) -> TokenStream {
    let endpoint = endpoint_name(write);
    let request = format_ident!("{}", entity.request_type(write));
    let verb = format_ident!("{}", write.verb());
    let http = match write {
        Write::Create => "POST",
        Write::Update => "PUT",
    };
    let outcome = match write {
        Write::Create => "the new record's `Id`",
        Write::Update => "the record's `Id`",
    };
    let method_doc = doc(&format!(
        "`{http} {path}`: {what}.\n\n\
         Runs [`{request}::validate`] first and sends nothing if it fails. Answers {outcome} \
         on success; [`Error::Validation`](crate::Error::Validation) with every \
         `{{PropertyName, Message, AttemptedValue}}` when the request is invalid or the server \
         rejects it (HTTP 400, or `WasSuccessful: false`); another [`Error`](crate::Error) \
         variant for any other failure.",
        path = entity.path,
        what = match write {
            Write::Create => format!("creates one {} record", entity.name),
            Write::Update => format!(
                "replaces every field of the {} record whose `Id` the request carries",
                entity.name
            ),
        },
    ));
    quote! {
        #method_doc
        pub async fn #verb(
            &self,
            request: &#request,
        ) -> ::std::result::Result<crate::WriteOutcome, crate::Error> {
            request.validate().map_err(|errors| #endpoint.rejected(errors))?;
            self.client.write(&#endpoint, #endpoint.encode(request)?).await
        }
    }
}
