//! Open enums in `src/types.rs`: string enums with a variant that keeps unknown values, and
//! integer enums as newtypes with a constant per known value.

use super::scope::Scope;
use super::text::{doc_from_document, ident};
use crate::ir::{Enum, EnumVariant, IntEnum};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

/// serde's `rename_all` rules, in the order they are tried.
const RULES: [&str; 7] = [
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
    "camelCase",
    "lowercase",
    "UPPERCASE",
];

/// What serde's `rename_all = rule` makes of a variant name.
fn renamed(rule: &str, variant: &str) -> String {
    let snake = || {
        let mut out = String::new();
        for (i, c) in variant.char_indices() {
            if i > 0 && c.is_uppercase() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    };
    match rule {
        "snake_case" => snake(),
        "SCREAMING_SNAKE_CASE" => snake().to_ascii_uppercase(),
        "kebab-case" => snake().replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => snake().to_ascii_uppercase().replace('_', "-"),
        "camelCase" => {
            let mut chars = variant.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_lowercase().to_string() + chars.as_str()
            })
        }
        "lowercase" => variant.to_ascii_lowercase(),
        "UPPERCASE" => variant.to_ascii_uppercase(),
        _ => variant.to_owned(),
    }
}

/// The `rename_all` rule that gives every variant its value, if one does (and is needed).
fn rename_rule(variants: &[EnumVariant]) -> Option<&'static str> {
    if variants.iter().all(|v| v.name == v.value) {
        return None;
    }
    RULES
        .into_iter()
        .find(|rule| variants.iter().all(|v| renamed(rule, &v.name) == v.value))
}

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
    let rule = rename_rule(&e.variants);
    let rename_all = rule.map(|rule| quote!(#[serde(rename_all = #rule)]));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        let docs = doc_from_document(v.doc.as_deref());
        let rename =
            (rule.is_none() && v.name != v.value).then(|| quote!(#[serde(rename = #value)]));
        quote! {
            #docs
            #rename
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
    let derives = scope.derives(
        &["Debug", "Clone", "PartialEq", "Eq", "Hash"],
        &["Serialize", "Deserialize"],
    );
    quote! {
        #docs
        #derives
        #rename_all
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client did not know when it was generated, kept as sent.
            #[serde(untagged)]
            #other(#string),
        }

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
    let derives = scope.derives(
        &[
            "Debug",
            "Clone",
            "Copy",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
        &["Serialize", "Deserialize"],
    );
    quote! {
        #docs
        ///
        /// Open: any other value the server sends is kept.
        #derives
        #[serde(transparent)]
        pub struct #name(pub #repr);

        impl #name {
            #(#constants)*
        }
    }
}

/// An integer literal of the given Rust type.
pub(crate) fn int_literal(repr: &str, value: i64) -> Lit {
    match repr {
        "i8" | "i16" | "i32" | "i64" => Lit::i64_unsuffixed(value),
        _ => Lit::u64_unsuffixed(value.unsigned_abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(pairs: &[(&str, &str)]) -> Vec<EnumVariant> {
        pairs
            .iter()
            .map(|(name, value)| EnumVariant {
                name: (*name).to_owned(),
                value: (*value).to_owned(),
                doc: None,
            })
            .collect()
    }

    #[test]
    fn one_rule_where_it_covers_every_variant() {
        let dify = variants(&[
            ("Running", "running"),
            ("PartialSucceeded", "partial-succeeded"),
        ]);
        assert_eq!(rename_rule(&dify), Some("kebab-case"));
        let hardwire = variants(&[("Running", "RUNNING"), ("ChatNotFound", "CHAT_NOT_FOUND")]);
        assert_eq!(rename_rule(&hardwire), Some("SCREAMING_SNAKE_CASE"));
        let retab = variants(&[("AwaitingReview", "awaiting_review"), ("Error", "error")]);
        assert_eq!(rename_rule(&retab), Some("snake_case"));
        assert_eq!(rename_rule(&variants(&[("Ok", "Ok")])), None);
        let mixed = variants(&[("Running", "running"), ("Done", "DONE")]);
        assert_eq!(rename_rule(&mixed), None);
    }
}
