//! Emits an entity's client handle (`client.email_accounts()`) and one method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use crate::ir::{Entity, Operation, Write};
use crate::naming::ident;

pub(super) fn handle(entity: &Entity) -> TokenStream {
    if entity.operations.is_empty() {
        return TokenStream::new();
    }
    let writes: Vec<Write> = entity.writes().collect();
    let supports = |operation| entity.operations.contains(&operation);
    let get = supports(Operation::Get);
    let handle = format_ident!("{}", entity.handle_type());
    let secrets = entity.secret_properties();
    let handle_doc = doc(&format!(
        "{} records at `{}`, from `nexudus::Client::{}()`.",
        entity.name, entity.path, entity.accessor
    ));
    let entity_name = &entity.name;
    let path = &entity.path;
    let endpoints_doc = doc(&format!(
        "Where {} records live, and the properties whose values are secret (never shown in \
         `Debug` output or errors): what every operation below shares.",
        entity.name
    ));
    let methods = writes.iter().map(|write| method(entity, *write));
    let bodies = writes.iter().map(|write| body(entity, *write));
    let search_methods = supports(Operation::Search).then(|| search(entity));
    let get_method = get.then(|| get_one(entity));
    let get_many_method = supports(Operation::GetMany).then(|| get_many(entity));
    let delete_method = supports(Operation::Delete).then(|| delete_one(entity));
    let update_with = (get && writes.contains(&Write::Update)).then(|| update_with(entity));
    let command_methods = supports(Operation::Commands).then(|| commands(entity));
    quote! {
        #endpoints_doc
        const ENDPOINTS: ::nexudus_runtime::Endpoints =
            ::nexudus_runtime::Endpoints::new(#entity_name, #path, &[#(#secrets),*]);

        #handle_doc
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
        pub struct #handle<'client> {
            client: &'client ::nexudus_runtime::Client,
        }

        impl<'client> #handle<'client> {
            /// The handle over `client`: what `nexudus::Client`'s accessor answers.
            #[doc(hidden)]
            #[inline]
            pub fn new(client: &'client ::nexudus_runtime::Client) -> Self {
                Self { client }
            }
        }

        #(#bodies)*

        impl #handle<'_> {
            #search_methods
            #get_method
            #get_many_method
            #(#methods)*
            #update_with
            #delete_method
            #command_methods
        }
    }
}

/// The SDK's `impl Client` (`accessors.rs`): the method of each entity with operations that
/// answers its handle (`client.email_accounts()`), for the entities of the enabled areas.
pub(crate) fn accessors<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> TokenStream {
    let methods = entities
        .into_iter()
        .filter(|entity| !entity.operations.is_empty())
        .map(|entity| {
            let doc = doc(&format!("{} records: {}", entity.name, entity.description));
            let accessor = ident(&entity.accessor);
            let area = ident(entity.area.name);
            let module = ident(&entity.module);
            let handle = format_ident!("{}", entity.handle_type());
            quote! {
                #doc
                #[inline]
                pub fn #accessor(&self) -> crate::#area::#module::#handle<'_> {
                    crate::#area::#module::#handle::new(&self.runtime)
                }
            }
        });
    quote! {
        impl crate::Client {
            #(#methods)*
        }
    }
}

/// `search` (one page) and `search_all` (a stream over every page).
fn search(entity: &Entity) -> TokenStream {
    let record = format_ident!("{}", entity.name);
    let filter = format_ident!("{}", entity.filter_type());
    let sort = format_ident!("{}", entity.sort_type());
    let search_doc = doc(&format!(
        "`GET {path}`: one page of the {name} records that `filter` matches, as `page` asks \
         (page number, size, order).\n\n\
         Search results leave collection properties out, so they cannot become an update \
         request (see [`Full`](nexudus_runtime::Full)). A page number or size of 0 is a client-side \
         [`Error::Validation`](nexudus_runtime::Error::Validation); nothing is sent.",
        path = entity.path,
        name = entity.name,
    ));
    let search_all_doc = doc(&format!(
        "Every {name} record that `filter` matches, page after page from the one `page` asks \
         for, as a stream.\n\n\
         The next page is requested only once the records before it have been consumed, and \
         only while the previous page says there is one (`HasNextPage`). The stream ends after \
         the first error it yields.",
        name = entity.name,
    ));
    quote! {
        #search_doc
        #[inline]
        pub fn search(
            &self,
            filter: &#filter,
            page: &::nexudus_runtime::PageRequest<#sort>,
        ) -> ::nexudus_runtime::Pending<'_, ::nexudus_runtime::Page<#record>> {
            self.client.search(&ENDPOINTS.search, filter.query.to_pairs(), page)
        }

        #search_all_doc
        #[inline]
        pub fn search_all(
            &self,
            filter: &#filter,
            page: ::nexudus_runtime::PageRequest<#sort>,
        ) -> ::nexudus_runtime::Records<'_, #record> {
            self.client.search_all(&ENDPOINTS.search, filter.query.to_pairs(), page)
        }
    }
}

fn get_many(entity: &Entity) -> TokenStream {
    let record = format_ident!("{}", entity.name);
    let method_doc = doc(&format!(
        "`GET {}/?id=[..]`: the {} records with these Ids, in one request.\n\n\
         The API answers partial records (collection properties left out), so they cannot \
         become an update request (see [`Full`](nexudus_runtime::Full)). Ids with no record \
         are left out of the answer; no Ids answer an empty list without a request.",
        entity.path, entity.name
    ));
    quote! {
        #method_doc
        #[inline]
        pub fn get_many(
            &self,
            ids: &[i64],
        ) -> ::nexudus_runtime::Pending<'_, ::std::vec::Vec<#record>> {
            self.client.get_many(&ENDPOINTS.get_many, ids)
        }
    }
}

/// `commands` (what can be run) and `run_command`.
fn commands(entity: &Entity) -> TokenStream {
    let list_doc = doc(&format!(
        "`GET {}/commands`: the commands that can be run on {} records, with the parameters \
         each needs.",
        entity.path, entity.name
    ));
    let run_doc = doc(&format!(
        "`POST {}/runcommand`: runs the command `key` on the {} records with these Ids.\n\n\
         `parameters` are those the command lists (see [`commands`](Self::commands)). A \
         command is never sent twice: after a failure that may have reached the server, it is \
         not retried.",
        entity.path, entity.name
    ));
    quote! {
        #list_doc
        #[inline]
        pub fn commands(
            &self,
        ) -> ::nexudus_runtime::Pending<'_, ::std::vec::Vec<::nexudus_runtime::Command>> {
            self.client.commands(&ENDPOINTS.commands)
        }

        #run_doc
        #[inline]
        pub fn run_command(
            &self,
            key: &str,
            ids: &[i64],
            parameters: &[::nexudus_runtime::CommandParameter],
        ) -> ::nexudus_runtime::Pending<'_, ::nexudus_runtime::CommandOutcome> {
            self.client.run_command(&ENDPOINTS.run_command, key, ids, parameters)
        }
    }
}

fn get_one(entity: &Entity) -> TokenStream {
    let record = format_ident!("{}", entity.name);
    let method_doc = doc(&format!(
        "`GET {}/{{id}}`: the {} record with this Id, with every property, as a \
         [`Full`](nexudus_runtime::Full) record that can become an update request.\n\n\
         [`Error::NotFound`](nexudus_runtime::Error::NotFound) when there is none.",
        entity.path, entity.name
    ));
    quote! {
        #method_doc
        #[inline]
        pub fn get(
            &self,
            id: i64,
        ) -> ::nexudus_runtime::Pending<'_, ::nexudus_runtime::Full<#record>> {
            self.client.get(&ENDPOINTS.get, id)
        }
    }
}

fn delete_one(entity: &Entity) -> TokenStream {
    let method_doc = doc(&format!(
        "`DELETE {}/{{id}}`: deletes the {} record with this Id and answers its `Id`.",
        entity.path, entity.name
    ));
    quote! {
        #method_doc
        #[inline]
        pub fn delete(
            &self,
            id: i64,
        ) -> ::nexudus_runtime::Pending<'_, ::nexudus_runtime::WriteOutcome> {
            self.client.delete(&ENDPOINTS.delete, id)
        }
    }
}

/// Read-modify-write: PUT replaces every field, so the record is fetched and kept but for the
/// caller's change.
fn update_with(entity: &Entity) -> TokenStream {
    let request = format_ident!("{}", entity.request_type(Write::Update));
    let example = entity
        .fields_for(Write::Update)
        .find(|field| field.wire_name != "Id")
        .map(|field| format!(", e.g. `|update| update.{}(..)`", field.rust_name))
        .unwrap_or_default();
    let method_doc = doc(&format!(
        "Changes one {name} record: gets it, turns it into a [`{request}`] \
         ([`{request}::from_record`]), hands that to `change`, and sends the update `change` \
         answers{example}: every property but `Id` has a setter.\n\n\
         The body of the `PUT` equals the record as fetched but for what `change` changed and \
         what no update sends, as [`{request}::from_record`] lists: nothing the caller did not \
         change is cleared.",
        name = entity.name,
    ));
    let body = body_function(Write::Update);
    quote! {
        #method_doc
        pub fn update_with(
            &self,
            id: i64,
            change: impl ::std::ops::FnOnce(#request) -> #request,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<::nexudus_runtime::WriteOutcome, ::nexudus_runtime::Error>,
        > {
            self.client.update_with(&ENDPOINTS, id, #request::from_record, #body, change)
        }
    }
}

/// The name of the module-private function that makes a `write` request into its body.
fn body_function(write: Write) -> proc_macro2::Ident {
    format_ident!("{}_body", write.verb())
}

/// The function making a `write` request into the body it sends: validated, then serialized.
/// Module-private and outside the request type, so that no property's setter can share its name.
fn body(entity: &Entity, write: Write) -> TokenStream {
    let request = format_ident!("{}", entity.request_type(write));
    let name = body_function(write);
    // The method and the field of `ENDPOINTS` it uses have the same name.
    let verb = format_ident!("{}", write.verb());
    // An update made from a fetched record sends that record back with the caller's changes.
    let encode = match write {
        Write::Create => quote!(ENDPOINTS.#verb.encode_request(request)),
        Write::Update => {
            let fetched = crate::naming::fetched_field();
            quote!(request.#fetched.encode(&ENDPOINTS.#verb, request))
        }
    };
    let body_doc = doc(&format!(
        "The body that [`{verb}`]({handle}::{verb}) sends: `request` validated, then \
         serialized; the error the call answers, before anything is sent, when either fails.",
        verb = write.verb(),
        handle = entity.handle_type(),
    ));
    quote! {
        #body_doc
        fn #name(
            request: &#request,
        ) -> ::std::result::Result<::std::vec::Vec<u8>, ::nexudus_runtime::Error> {
            request
                .validate()
                .map_err(|errors| ENDPOINTS.#verb.rejected(errors))
                .and_then(|()| #encode)
        }
    }
}

fn method(entity: &Entity, write: Write) -> TokenStream {
    let request = format_ident!("{}", entity.request_type(write));
    let verb = format_ident!("{}", write.verb());
    let body = body_function(write);
    let http = write.http_method();
    let outcome = match write {
        Write::Create => "the new record's `Id`",
        Write::Update => "the record's `Id`",
    };
    let method_doc = doc(&format!(
        "`{http} {path}`: {what}.\n\n\
         Runs [`{request}::validate`] first and sends nothing if it fails. Answers {outcome} \
         on success; [`Error::Validation`](nexudus_runtime::Error::Validation) with every \
         `{{PropertyName, Message, AttemptedValue}}` when the request is invalid or the server \
         rejects it (HTTP 400, or `WasSuccessful: false`); another [`Error`](nexudus_runtime::Error) \
         variant for any other failure.",
        path = entity.path,
        what = match write {
            Write::Create => format!("creates one {} record", entity.name),
            Write::Update => format!(
                "replaces the {} record whose `Id` the request carries. A request made with \
                 [`{request}::from_record`] sends the fetched record back with only the \
                 properties changed since; one built by hand replaces every property the update \
                 takes, clearing those it leaves unset",
                entity.name
            ),
        },
    ));
    quote! {
        #method_doc
        #[inline]
        pub fn #verb(
            &self,
            request: &#request,
        ) -> ::nexudus_runtime::Pending<'_, ::nexudus_runtime::WriteOutcome> {
            // Checked and serialized when called, so the call does not borrow the request.
            self.client.write_checked(&ENDPOINTS.#verb, #body(request))
        }
    }
}
