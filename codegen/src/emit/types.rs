//! `src/types.rs`: one Rust type per schema.

use super::{TypeWriter, doc, doc_paragraphs, ident};
use crate::ir::{Api, Enum, Field, IntEnum, Literal, Struct, TypeDef, TypeKind, TypeRef, Union};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

pub(crate) fn types_module(
    api: &Api,
    w: &TypeWriter<'_>,
    defaults_w: &TypeWriter<'_>,
) -> TokenStream {
    let mut items = Vec::new();
    let mut defaults = Vec::new();
    for def in &api.types {
        items.push(type_def(def, w));
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                if let Some((function, literal)) = &field.default {
                    defaults.push(default_fn(function, &field.ty, literal, defaults_w));
                }
            }
        }
    }
    let defaults = if defaults.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// Values the document gives as `default` for absent properties.
            mod defaults {
                #(#defaults)*
            }
        }
    };
    quote! {
        //! The types of the API's schemas. Readers are tolerant: unknown properties are ignored
        //! and enums keep values they do not know.
        #(#items)*
        #defaults
    }
}

fn type_def(def: &TypeDef, w: &TypeWriter<'_>) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(def.doc.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, docs, s, w),
        TypeKind::Enum(e) => enum_def(&name, docs, e, w),
        TypeKind::IntEnum(e) => int_enum_def(&name, docs, e),
        TypeKind::Union(u) => union_def(&name, docs, u, w),
        TypeKind::Alias(target) => {
            let target = w.ty(target);
            quote! { #docs pub type #name = #target; }
        }
        TypeKind::Newtype(target) => {
            let target = w.ty(target);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Responses(variants) => response_enum(&name, docs, variants, w),
    }
}

fn struct_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    s: &Struct,
    w: &TypeWriter<'_>,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(f, w));
    let additional = s.additional.as_ref().map(|(field_name, ty)| {
        let field_name = ident(field_name);
        let map = w.ty(&TypeRef::Map(Box::new(ty.clone())));
        quote! {
            /// Properties not listed in the schema.
            #[serde(flatten)]
            pub #field_name: #map,
        }
    });
    let all_optional = s
        .fields
        .iter()
        .all(|f| matches!(f.ty, TypeRef::Option(_)) && f.default.is_none());
    let default = if all_optional {
        quote!(Default,)
    } else {
        TokenStream::new()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn field(f: &Field, w: &TypeWriter<'_>) -> TokenStream {
    let deprecated = f.deprecated.then_some("Deprecated.");
    let docs = doc_paragraphs(&[f.doc.as_deref(), deprecated]);
    let name = ident(&f.name);
    let ty = w.ty(&f.ty);
    let mut serde_args = Vec::new();
    if f.name != f.json_name {
        let json = &f.json_name;
        serde_args.push(quote!(rename = #json));
    }
    if let Some((function, _)) = &f.default {
        let path = format!("defaults::{function}");
        serde_args.push(quote!(default = #path));
    } else if f.skip_if_none {
        let is_none = if w.shadows("Option") {
            "::std::option::Option::is_none"
        } else {
            "Option::is_none"
        };
        serde_args.push(quote!(default, skip_serializing_if = #is_none));
    } else if f.required_nullable
        && !matches!(&f.ty, TypeRef::Option(inner) if **inner == TypeRef::Bytes)
    {
        serde_args.push(quote!(
            deserialize_with = "apigen_runtime::required_nullable"
        ));
    }
    // Binary data keeps its JSON type on a round trip (a string stays a string).
    match &f.ty {
        TypeRef::Bytes => serde_args.push(quote!(with = "apigen_runtime::binary")),
        TypeRef::Option(inner) if **inner == TypeRef::Bytes => {
            serde_args.push(quote!(with = "apigen_runtime::binary::option"))
        }
        _ => {}
    }
    let serde_attr = if serde_args.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    quote! {
        #docs
        #serde_attr
        pub #name: #ty,
    }
}

fn enum_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    e: &Enum,
    w: &TypeWriter<'_>,
) -> TokenStream {
    let string = w.string();
    let from = w.std_path("From", quote!(::std::convert::From));
    let other = ident(&e.other);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        let docs = doc(v.doc.as_deref());
        quote! {
            #docs
            #[serde(rename = #value)]
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
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

fn union_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    u: &Union,
    w: &TypeWriter<'_>,
) -> TokenStream {
    let value = w.ty(&TypeRef::Value);
    let other = ident(&u.other);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = w.ty(&v.ty);
        quote!(#variant(#ty),)
    });
    let other_doc = match &u.tag {
        Some(_) => " A value whose tag this client does not know, kept as JSON.",
        None => " A value none of the other variants reads, kept as JSON.",
    };
    // How a value is read, when serde's untagged reading (the first variant that accepts it)
    // is not what the schema means: a note for the docs and the body of `deserialize`.
    let reading = match &u.tag {
        Some(tag) => {
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let tags = &v.tags;
                quote! {
                    Some(#(#tags)|*) => apigen_runtime::read_variant(value).map(Self::#variant),
                }
            });
            Some((
                format!(
                    "Tagged by the `{tag}` property; an unknown tag is kept as [`Self::{}`].",
                    u.other
                ),
                quote! {
                    match value.get(#tag).and_then(#value::as_str) {
                        #(#arms)*
                        _ => Ok(Self::#other(value)),
                    }
                },
            ))
        }
        // Several object alternatives: of those that read the value, the one that knows most
        // of its properties wins (the first on a tie), so no alternative's data is lost to an
        // earlier, looser one.
        None if u.variants.iter().any(|v| v.keys.is_some()) => {
            let candidates = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let keys = v.keys.clone().unwrap_or_default();
                quote! {
                    if let Ok(read) = serde_json::from_value(value.clone()) {
                        let known = apigen_runtime::known_keys(&value, &[#(#keys),*]);
                        if best.as_ref().is_none_or(|(most, _)| known > *most) {
                            best = Some((known, Self::#variant(read)));
                        }
                    }
                }
            });
            Some((
                "Read as the alternative that knows most of the value's properties.".to_owned(),
                quote! {
                    let mut best: ::std::option::Option<(usize, Self)> = None;
                    #(#candidates)*
                    Ok(best.map_or(Self::#other(value), |(_, chosen)| chosen))
                },
            ))
        }
        None => None,
    };
    let Some((note, body)) = reading else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
                #[doc = #other_doc]
                #other(#value),
            }
        };
    };
    let docs = if docs.is_empty() {
        doc(Some(&note))
    } else {
        let note = format!(" {note}");
        quote!(#docs #[doc = ""] #[doc = #note])
    };
    let result = w.std_path("Result", quote!(::std::result::Result));
    let accessor = match (&u.tag, &u.accessor) {
        (Some(tag), Some(method)) => {
            let method = ident(method);
            let option = w.std_path("Option", quote!(::std::option::Option));
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let value = v.tags.first().map(String::as_str).unwrap_or_default();
                quote!(Self::#variant(_) => Some(#value),)
            });
            let summary = format!(
                " The `{tag}` value that selects the variant (for [`Self::{}`], as sent, when it is a string).",
                u.other
            );
            quote! {
                impl #name {
                    #[doc = #summary]
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
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
            #[doc = #other_doc]
            #other(#value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = #value::deserialize(deserializer)?;
                #body
            }
        }

        #accessor
    }
}

fn int_enum_def(name: &proc_macro2::Ident, docs: TokenStream, e: &IntEnum) -> TokenStream {
    let repr = ident(e.repr);
    let constants = e.values.iter().map(|constant| {
        let docs = doc(constant.doc.as_deref());
        let name_ident = ident(&constant.name);
        let value = int_literal(e.repr, constant.value);
        quote! {
            #docs
            pub const #name_ident: #name = #name(#value);
        }
    });
    quote! {
        #docs
        ///
        /// Open: any other value the server sends is kept.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #repr);

        impl #name {
            #(#constants)*
        }
    }
}

fn int_literal(repr: &str, value: i64) -> Lit {
    match repr {
        "i8" | "i16" | "i32" | "i64" => Lit::i64_unsuffixed(value),
        _ => Lit::u64_unsuffixed(value.unsigned_abs()),
    }
}

fn default_fn(function: &str, ty: &TypeRef, literal: &Literal, w: &TypeWriter<'_>) -> TokenStream {
    let function = ident(function);
    let ty_tokens = w.ty(ty);
    let value = match literal {
        Literal::Bool(b) => quote!(#b),
        Literal::Int(v) => {
            let repr = match ty {
                TypeRef::Integer(repr) => repr,
                _ => "i64",
            };
            let v = int_literal(repr, *v);
            quote!(#v)
        }
        Literal::Float(v) => {
            let v = Lit::f64_unsuffixed(*v);
            quote!(#v)
        }
        Literal::Str(s) => quote!(#s.into()),
        Literal::IntValue(type_name, repr, value) => {
            let ty = w.ty(&TypeRef::Named(type_name.clone()));
            let value = int_literal(repr, *value);
            quote!(#ty(#value))
        }
        Literal::Variant(type_name, variant) => {
            let ty = w.ty(&TypeRef::Named(type_name.clone()));
            let variant = ident(variant);
            quote!(#ty::#variant)
        }
    };
    quote! {
        pub(super) fn #function() -> #ty_tokens {
            #value
        }
    }
}

/// The enum an operation with several success types returns.
fn response_enum(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[crate::ir::ResponseVariant],
    w: &TypeWriter<'_>,
) -> TokenStream {
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = match v.status {
            crate::ir::Status::Code(code) => format!(" Status {code}."),
            crate::ir::Status::Range(d) => format!(" A {d}xx status."),
            crate::ir::Status::Default => " Any other status.".to_owned(),
        };
        match &v.ty {
            Some(ty) => {
                let ty = w.ty(ty);
                quote!(#[doc = #status] #variant(#ty),)
            }
            None => quote!(#[doc = #status] #variant,),
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}
