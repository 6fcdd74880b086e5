//! Open enums in `src/types.rs`: string enums with a variant that keeps unknown values, and
//! integer enums as newtypes with a constant per known value.

use super::scope::Scope;
use super::text::{doc_from_document, ident};
use super::wire::{Naming, newtype_impls};
use crate::ir::{Enum, IntEnum};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

pub(crate) fn enum_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    e: &Enum,
    scope: &Scope,
) -> TokenStream {
    let string = scope.string();
    let other = ident(&e.other);
    let naming = Naming::of(
        e.variants
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str())),
    );
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_from_document(v.doc.as_deref());
        let attr = naming.variant_attr(&v.name, &v.value);
        quote! {
            #docs
            #attr
            #variant,
        }
    });
    let derives = scope.derives_with(
        &["Debug", "Clone", "PartialEq", "Eq", "Hash"],
        &["OpenEnum"],
    );
    let rename_all = naming.attr();
    quote! {
        #docs
        #derives
        #rename_all
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client did not know when it was generated, kept as sent.
            #other(#string),
        }
    }
}

pub(crate) fn int_enum_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    e: &IntEnum,
    scope: &Scope,
) -> TokenStream {
    let repr = ident(e.repr);
    let constants = e.values.iter().map(|constant| {
        let docs = doc_from_document(constant.doc.as_deref());
        let name_ident = ident(&constant.name);
        let value = int_literal(e.repr, constant.value);
        quote! {
            #docs
            pub const #name_ident: #name = #name(#value);
        }
    });
    let derives = scope.derives(&[
        "Debug",
        "Clone",
        "Copy",
        "PartialEq",
        "Eq",
        "Hash",
        "PartialOrd",
        "Ord",
    ]);
    let impls = newtype_impls(name, &quote!(#repr), scope);
    quote! {
        #docs
        ///
        /// Open: any other value the server sends is kept.
        #derives
        pub struct #name(pub #repr);

        impl #name {
            #(#constants)*
        }

        #impls
    }
}

/// An integer literal of the given Rust type.
pub(crate) fn int_literal(repr: &str, value: i64) -> Lit {
    match repr {
        "i8" | "i16" | "i32" | "i64" => Lit::i64_unsuffixed(value),
        _ => Lit::u64_unsuffixed(value.unsigned_abs()),
    }
}
