//! Unions in `src/types.rs`: enums over `oneOf`/`anyOf` alternatives, read by their tag, by
//! the alternative that knows most of a value, or in order, with a variant that keeps the rest.

use super::scope::Scope;
use super::text::{doc, ident};
use super::wire::{buffered_deserialize, union_serialize};
use crate::ir::{TypeRef, Union};
use proc_macro2::TokenStream;
use quote::quote;

/// How a union is documented and read.
pub(crate) fn union_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    u: &Union,
    scope: &Scope,
) -> TokenStream {
    let value = scope.ty(&TypeRef::Value);
    let other = ident(&u.other);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = scope.ty(&v.ty);
        quote!(#variant(#ty),)
    });
    let other_doc = match &u.tag {
        Some(_) => " A value whose tag this client does not know, kept as JSON.",
        None => " A value none of the other variants reads, kept as JSON.",
    };
    // How a value is read, when serde's untagged reading (the first variant that accepts it)
    // is not what the schema means: a note for the docs and the body of `deserialize`.
    let reading = match &u.tag {
        Some(tag) => Some((
            format!(
                "Tagged by the `{tag}` property, read in one pass; an unknown tag is kept as [`Self::{}`].",
                u.other
            ),
            TokenStream::new(),
        )),
        // Several object alternatives: of those that read the value, the one that knows most
        // of its properties wins (the first on a tie), so no alternative's data is lost to an
        // earlier, looser one.
        None if u.variants.iter().any(|v| v.keys.is_some()) => {
            let deserialize = scope.path("serde::Deserialize");
            let candidates = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = scope.ty(&v.ty);
                let keys = v.keys.clone().unwrap_or_default();
                quote! {
                    if let Ok(read) = <#ty as #deserialize>::deserialize(&value) {
                        let known = apigen_runtime::known_keys(&value, &[#(#keys),*]);
                        if best.as_ref().is_none_or(|(most, _)| known > *most) {
                            best = Some((known, Self::#variant(read)));
                        }
                    }
                }
            });
            let option = scope.prelude("Option", "::std::option::Option");
            Some((
                "Read as the alternative that knows most of the value's properties.".to_owned(),
                quote! {
                    let mut best: #option<(usize, Self)> = None;
                    #(#candidates)*
                    Ok(best.map_or(Self::#other(value), |(_, chosen)| chosen))
                },
            ))
        }
        None => None,
    };
    let names: Vec<proc_macro2::Ident> = u
        .variants
        .iter()
        .map(|v| ident(&v.name))
        .chain([other.clone()])
        .collect();
    let serialize = union_serialize(name, &names, scope);
    let derives = scope.derives(&["Debug", "Clone", "PartialEq"]);
    let Some((note, body)) = reading else {
        // The first alternative that reads the value, in order; else the value as JSON.
        let deserialize = scope.path("serde::Deserialize");
        let tries = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let ty = scope.ty(&v.ty);
            quote! {
                if let Ok(read) = <#ty as #deserialize>::deserialize(&value) {
                    return Ok(Self::#variant(read));
                }
            }
        });
        let reading = buffered_deserialize(name, quote!(#(#tries)* Ok(Self::#other(value))), scope);
        return quote! {
            #docs
            #derives
            pub enum #name {
                #(#variants)*
                #[doc = #other_doc]
                #other(#value),
            }

            #serialize
            #reading
        };
    };
    let deserialize = scope.path("serde::Deserialize");
    let deserializer = scope.path("serde::Deserializer");
    let docs = if docs.is_empty() {
        doc(Some(&note))
    } else {
        let note = format!(" {note}");
        quote!(#docs #[doc = ""] #[doc = #note])
    };
    let result = scope.prelude("Result", "::std::result::Result");
    let reading = match &u.tag {
        // One pass: the runtime reads up to the tag, then the variant reads the rest.
        Some(tag) => {
            let tagged = scope.runtime("Tagged");
            let read_tagged = scope.runtime("read_tagged");
            let de_error = scope.path("serde::de::Error");
            let all_tags = u.variants.iter().flat_map(|v| v.tags.iter());
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = scope.ty(&v.ty);
                let tags = &v.tags;
                quote! {
                    #(#tags)|* => <#ty as #deserialize>::deserialize(deserializer).map(Self::#variant),
                }
            });
            quote! {
                impl<'de> #deserialize<'de> for #name {
                    fn deserialize<D: #deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        #read_tagged(deserializer)
                    }
                }

                impl #tagged for #name {
                    const TAG: &'static str = #tag;

                    fn knows(tag: &str) -> bool {
                        matches!(tag, #(#all_tags)|*)
                    }

                    fn variant<'de, D: #deserializer<'de>>(
                        tag: &str,
                        deserializer: D,
                    ) -> #result<Self, D::Error> {
                        match tag {
                            #(#arms)*
                            other => Err(<D::Error as #de_error>::unknown_variant(other, &[])),
                        }
                    }

                    fn other(value: #value) -> Self {
                        Self::#other(value)
                    }
                }
            }
        }
        None => buffered_deserialize(name, body, scope),
    };
    let accessor = match (&u.tag, &u.accessor) {
        (Some(tag), Some(method)) => {
            let method = ident(method);
            let option = scope.prelude("Option", "::std::option::Option");
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let value = v.tags.first().map(String::as_str).unwrap_or_default();
                quote!(Self::#variant(_) => Some(#value),)
            });
            let summary = doc(Some(&format!(
                "The `{tag}` value that selects the variant (for [`Self::{}`], as sent, when it is a string).",
                u.other
            )));
            quote! {
                impl #name {
                    #summary
                    pub fn #method(&self) -> #option<&str> {
                        match self {
                            #(#arms)*
                            Self::#other(value) => value.get(#tag).and_then(#value::as_str),
                        }
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #docs
        #derives
        pub enum #name {
            #(#variants)*
            #[doc = #other_doc]
            #other(#value),
        }

        #serialize
        #reading

        #accessor
    }
}
