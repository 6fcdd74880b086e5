//! `#[derive(OpenEnum)]`: a string enum that keeps the values it does not know.

use crate::attrs::{each_word, rename_all, wire_name};
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            name.span(),
            "OpenEnum needs an enum of unit variants and one variant holding a String",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            name.span(),
            "OpenEnum needs an enum without generic parameters",
        ));
    }
    let case = rename_all(&input.attrs)?;
    let mut known: Vec<(Ident, LitStr)> = Vec::new();
    let mut other: Option<Ident> = None;
    for variant in &data.variants {
        match &variant.fields {
            Fields::Unit => {
                let ident = &variant.ident;
                let mut value = wire_name(&ident.unraw().to_string(), case.as_ref(), ident.span());
                each_word(&variant.attrs, |word, meta| match word {
                    "rename" => {
                        value = meta.value()?.parse()?;
                        Ok(())
                    }
                    _ => Err(meta.error("unknown json attribute: expected rename")),
                })?;
                known.push((ident.clone(), value));
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 && other.is_none() => {
                other = Some(variant.ident.clone());
            }
            _ => {
                return Err(syn::Error::new(
                    variant.ident.span(),
                    "OpenEnum needs unit variants and one variant holding a String",
                ));
            }
        }
    }
    let Some(other) = other else {
        return Err(syn::Error::new(
            name.span(),
            "OpenEnum needs a variant holding a String, for the values it does not know",
        ));
    };
    let as_str = known
        .iter()
        .map(|(variant, value)| quote!(Self::#variant => #value,));
    let from_str = known
        .iter()
        .map(|(variant, value)| quote!(#value => Self::#variant,));
    Ok(quote! {
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#other(::core::convert::Into::into(other)),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::apigen_runtime::read_open_enum(deserializer)
            }
        }
    })
}
