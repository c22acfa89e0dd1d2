//! Emits an entity's client handle (`client.email_accounts()`) and one method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use crate::ir::{Entity, Operation, Write};
use crate::naming::ident;

pub(super) fn handle(entity: &Entity) -> TokenStream {
    let writes: Vec<Write> = entity.writes().collect();
    let get = entity.operations.contains(&Operation::Get);
    let delete = entity.operations.contains(&Operation::Delete);
    if writes.is_empty() && !get && !delete {
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
    let get_method = get.then(|| get_one(entity));
    let delete_method = delete.then(|| delete_one(entity));
    let update_with = (get && writes.contains(&Write::Update)).then(|| update_with(entity));
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
            #get_method
            #(#methods)*
            #update_with
            #delete_method
        }
    }
}

/// A constant describing one operation for the runtime, e.g. `const GET: Endpoint = ...`.
fn operation_endpoint(entity: &Entity, name: &str, operation: &str) -> TokenStream {
    let name = format_ident!("{name}");
    let operation = format_ident!("{operation}");
    let entity_name = &entity.name;
    let path = &entity.path;
    quote! {
        const #name: crate::runtime::Endpoint = crate::runtime::Endpoint {
            entity: #entity_name,
            operation: crate::runtime::Operation::#operation,
            path: #path,
            secret_properties: SECRET_PROPERTIES,
        };
    }
}

fn get_one(entity: &Entity) -> TokenStream {
    let record = format_ident!("{}", entity.name);
    let endpoint = operation_endpoint(entity, "GET", "Get");
    let method_doc = doc(&format!(
        "`GET {}/{{id}}`: the {} record with this Id, with every property.\n\n\
         [`Error::NotFound`](crate::Error::NotFound) when there is none.",
        entity.path, entity.name
    ));
    quote! {
        #method_doc
        pub async fn get(&self, id: i64) -> ::std::result::Result<#record, crate::Error> {
            #endpoint
            let body = self.client.read(&GET, ::std::option::Option::Some(id), &[]).await?;
            GET.decode(200, &body)
        }
    }
}

fn delete_one(entity: &Entity) -> TokenStream {
    let endpoint = operation_endpoint(entity, "DELETE", "Delete");
    let method_doc = doc(&format!(
        "`DELETE {}/{{id}}`: deletes the {} record with this Id and answers its `Id`.",
        entity.path, entity.name
    ));
    quote! {
        #method_doc
        pub async fn delete(&self, id: i64) -> ::std::result::Result<crate::WriteOutcome, crate::Error> {
            #endpoint
            self.client.delete(&DELETE, id).await
        }
    }
}

/// Read-modify-write: PUT replaces every field, so the record is fetched and kept but for the
/// caller's change.
fn update_with(entity: &Entity) -> TokenStream {
    let request = format_ident!("{}", entity.request_type(Write::Update));
    let method_doc = doc(&format!(
        "Changes one {name} record: gets it, turns it into a [`{request}`] that keeps every \
         value ([`{request}::from_record`]), lets `change` edit that, and sends the update.\n\n\
         `PUT` is a full replacement, so an update built by hand must carry every value the \
         record should keep; this does that for the caller.",
        name = entity.name,
    ));
    quote! {
        #method_doc
        pub async fn update_with(
            &self,
            id: i64,
            change: impl ::std::ops::FnOnce(&mut #request),
        ) -> ::std::result::Result<crate::WriteOutcome, crate::Error> {
            let record = self.get(id).await?;
            let mut request = #request::from_record(&record).map_err(|errors| UPDATE.rejected(errors))?;
            change(&mut request);
            self.update(&request).await
        }
    }
}

fn endpoint_name(write: Write) -> proc_macro2::Ident {
    format_ident!("{}", write.title().to_uppercase())
}

fn endpoint(entity: &Entity, write: Write) -> TokenStream {
    operation_endpoint(entity, &write.title().to_uppercase(), write.title())
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
