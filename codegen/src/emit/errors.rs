//! `src/error.rs`: the crate's `ErrorBody`, a variant per documented error body, and its `Error`.

use super::scope::{Scope, TypesAt};
use super::text::{article, doc, ident};
use crate::ir::{Api, TypeRef};
use crate::vocabulary::RUNTIME;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

pub(crate) fn error_module(api: &Api, type_names: &BTreeSet<String>) -> TokenStream {
    let scope = Scope::new(
        type_names,
        TypesAt::Module,
        ["ErrorBody".to_owned(), "Error".to_owned()],
    );
    let variants: Vec<TokenStream> = api
        .error_variants
        .iter()
        .map(|v| {
            let name = ident(&v.name);
            let ty = scope.ty(&v.ty);
            let text = match &v.ty {
                TypeRef::Named(n) => format!(
                    " {} [`{n}`](crate::types::{n}) error body.",
                    capitalized(article(n))
                ),
                _ => " An error body.".to_owned(),
            };
            quote! {
                #[doc = #text]
                #name(#ty),
            }
        })
        .collect();
    let body_doc = doc(Some(
        "The error bodies the API documents, one variant per type. Which statuses carry which body is said on each operation's method.",
    ));
    let runtime_error: TokenStream = format!("{RUNTIME}::Error").parse().unwrap_or_default();
    let uses = scope.uses();
    quote! {
        //! The error type of every call.

        #uses

        #body_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum ErrorBody {
            #(#variants)*
        }

        /// The error of every call: a documented error response ([`ErrorBody`]), an
        /// undocumented status, a body that does not match its documented type, a transport
        /// failure or an invalid request. Each keeps what a caller needs to act on it.
        pub type Error = #runtime_error<ErrorBody>;
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}
