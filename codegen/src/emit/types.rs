//! `src/types.rs`: a Rust type per schema (structs, aliases, newtypes and response enums here;
//! enums and unions in their own files), and the functions that give absent fields their default.

use super::enums::{enum_def, int_enum_def, int_literal};
use super::parallel::Pieces;
use super::scope::{Scope, TypesAt};
use super::text::{Para, doc, doc_from_document, doc_paragraphs, ident};
use super::unions::union_def;
use crate::ir::{Api, Field, Literal, ResponseVariant, Status, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// The file's items are the types, in order, then the module of defaults.
pub(crate) fn types_file<'a>(api: &'a Api, type_names: &'a BTreeSet<String>) -> Pieces<'a> {
    Pieces {
        scope: Box::new(move || Scope::new(type_names, TypesAt::Here, ["defaults".to_owned()])),
        items: api.types.len() + 1,
        item: Box::new(move |index, scope| match api.types.get(index) {
            Some(def) => type_def(def, scope),
            None => defaults_module(api, type_names),
        }),
        head: Box::new(|scope| {
            let uses = scope.uses();
            quote! {
                //! The types of the API's schemas. Readers are tolerant: unknown properties are ignored
                //! and enums keep values they do not know.
                #uses
            }
        }),
    }
}

/// `mod defaults`: a function per property with a `default`, or nothing when none has one.
fn defaults_module(api: &Api, type_names: &BTreeSet<String>) -> TokenStream {
    let defaults_scope = Scope::new(type_names, TypesAt::Super, []);
    let mut defaults = Vec::new();
    for def in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                if let Some((function, literal)) = &field.default {
                    defaults.push(default_fn(function, &field.ty, literal, &defaults_scope));
                }
            }
        }
    }
    if defaults.is_empty() {
        return TokenStream::new();
    }
    let uses = defaults_scope.uses();
    quote! {
        /// Values the document gives as `default` for absent properties.
        mod defaults {
            #uses
            #(#defaults)*
        }
    }
}

fn type_def(def: &TypeDef, scope: &Scope) -> TokenStream {
    let name = ident(&def.name);
    // Response enums are documented by the generator, every other type by the document.
    let docs = match &def.kind {
        TypeKind::Responses(_) => doc(def.doc.as_deref()),
        _ => doc_from_document(def.doc.as_deref()),
    };
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, docs, s, scope),
        TypeKind::Enum(e) => enum_def(&name, docs, e, scope),
        TypeKind::IntEnum(e) => int_enum_def(&name, docs, e, scope),
        TypeKind::Union(u) => union_def(&name, docs, u, scope),
        TypeKind::Alias(target) => {
            let target = scope.ty(target);
            quote! { #docs pub type #name = #target; }
        }
        TypeKind::Newtype(target) => {
            let target = scope.ty(target);
            let derives = scope.derives(
                &["Debug", "Clone", "PartialEq"],
                &["Serialize", "Deserialize"],
            );
            quote! {
                #docs
                #derives
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Responses(variants) => response_enum(&name, docs, variants, scope),
    }
}

fn struct_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    s: &Struct,
    scope: &Scope,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(f, scope));
    let additional = s.additional.as_ref().map(|(field_name, ty)| {
        let field_name = ident(field_name);
        let map = scope.ty(&TypeRef::Map(Box::new(ty.clone())));
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
    let std_derives: &[&str] = if all_optional {
        &["Debug", "Clone", "PartialEq", "Default"]
    } else {
        &["Debug", "Clone", "PartialEq"]
    };
    let derives = scope.derives(std_derives, &["Serialize", "Deserialize"]);
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn field(f: &Field, scope: &Scope) -> TokenStream {
    let deprecated = f.deprecated.then_some("Deprecated.");
    let docs = doc_paragraphs(&[Para::Document(f.doc.as_deref()), Para::Own(deprecated)]);
    let name = ident(&f.name);
    let ty = scope.ty(&f.ty);
    let mut serde_args = Vec::new();
    if f.name != f.json_name {
        let json = &f.json_name;
        serde_args.push(quote!(rename = #json));
    }
    if let Some((function, _)) = &f.default {
        let path = format!("defaults::{function}");
        serde_args.push(quote!(default = #path));
    } else if f.skip_if_none {
        let is_none = if scope.defines("Option") {
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

/// The enum an operation with several success types returns.
fn response_enum(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[ResponseVariant],
    scope: &Scope,
) -> TokenStream {
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = match v.status {
            Status::Code(code) => format!(" Status {code}."),
            Status::Range(d) => format!(" A {d}xx status."),
            Status::Default => " Any other status.".to_owned(),
        };
        match &v.ty {
            Some(ty) => {
                let ty = scope.ty(ty);
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

fn default_fn(function: &str, ty: &TypeRef, literal: &Literal, scope: &Scope) -> TokenStream {
    let function = ident(function);
    let ty_tokens = scope.ty(ty);
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
            let ty = scope.named(type_name);
            let value = int_literal(repr, *value);
            quote!(#ty(#value))
        }
        Literal::Variant(type_name, variant) => {
            let ty = scope.named(type_name);
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
