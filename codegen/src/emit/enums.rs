//! Open enums in `src/types.rs`: string enums with a variant that keeps unknown values, and
//! integer enums as newtypes with a constant per known value.

use super::scope::Scope;
use super::text::{doc_from_document, ident};
use super::wire::{newtype_impls, open_enum_impls};
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
    let from = scope.prelude("From", "::std::convert::From");
    let fmt = scope.path("std::fmt");
    let other = ident(&e.other);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_from_document(v.doc.as_deref());
        quote! {
            #docs
            #variant,
        }
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    let derives = scope.derives(&["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let impls = open_enum_impls(name, scope);
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client did not know when it was generated, kept as sent.
            #other(#string),
        }

        #impls

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl #fmt::Display for #name {
            fn fmt(&self, f: &mut #fmt::Formatter<'_>) -> #fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #from<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#other(other.into()),
                }
            }
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
