//! `src/types.rs`: a Rust type per schema (structs, aliases, newtypes and response enums here;
//! enums and unions in their own files), and the functions that give absent fields their default.

use super::args::{from_string, takes_into_string};
use super::enums::{enum_def, int_enum_def, int_literal};
use super::features::{Gates, gate};
use super::parallel::Pieces;
use super::scope::{Scope, TypesAt};
use super::text::{Para, doc, doc_from_document, doc_paragraphs, ident};
use super::unions::union_def;
use super::wire::{Naming, newtype_impls, others_attr};
use crate::ir::{Api, Field, Literal, ResponseVariant, Status, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// The file's items are the types, in order, then the module of defaults.
pub(crate) fn types_file<'a>(
    api: &'a Api,
    type_names: &'a BTreeSet<String>,
    gates: &'a Gates,
) -> Pieces<'a> {
    let built = api.built_by_callers();
    Pieces {
        scope: Box::new(move || Scope::new(type_names, TypesAt::Here, ["defaults".to_owned()])),
        items: api.types.len() + 1,
        item: Box::new(move |index, scope| match api.types.get(index) {
            Some(def) => gate(
                gates.ty(&def.name),
                type_def(def, scope, built.contains(&def.name)),
            ),
            None => defaults_module(api, type_names, gates),
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
fn defaults_module(api: &Api, type_names: &BTreeSet<String>, gates: &Gates) -> TokenStream {
    let defaults_scope = Scope::new(type_names, TypesAt::Super, []);
    let mut defaults = Vec::new();
    for def in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                if let Some((function, literal)) = &field.default {
                    defaults.push(gate(
                        gates.ty(&def.name),
                        default_fn(function, &field.ty, literal, &defaults_scope),
                    ));
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

/// A type's definition; `built` when callers build it (a request body or what it holds).
fn type_def(def: &TypeDef, scope: &Scope, built: bool) -> TokenStream {
    let name = ident(&def.name);
    // Response enums are documented by the generator, every other type by the document.
    let docs = match &def.kind {
        TypeKind::Responses(_) => doc(def.doc.as_deref()),
        _ => doc_from_document(def.doc.as_deref()),
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            let definition = struct_def(&name, docs, s, scope);
            let constructor = built.then(|| constructor(&name, s, scope));
            quote!(#definition #constructor)
        }
        TypeKind::Enum(e) => enum_def(&name, docs, e, scope),
        TypeKind::IntEnum(e) => int_enum_def(&name, docs, e, scope),
        TypeKind::Union(u) => union_def(&name, docs, u, scope),
        TypeKind::Alias(target) => {
            let target = scope.ty(target);
            quote! { #docs pub type #name = #target; }
        }
        TypeKind::Newtype(target) => {
            let target = scope.ty(target);
            let derives = scope.derives(&["Debug", "Clone", "PartialEq"]);
            let impls = newtype_impls(&name, &target, scope);
            quote! {
                #docs
                #derives
                pub struct #name(pub #target);

                #impls
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
    let naming = Naming::of(
        s.fields
            .iter()
            .map(|f| (f.name.as_str(), f.json_name.as_str())),
    );
    let fields = s.fields.iter().map(|f| field(f, &naming, scope));
    let additional = s.additional.as_ref().map(|(field_name, ty)| {
        let field_name = ident(field_name);
        let map = scope.ty(&TypeRef::Map(Box::new(ty.clone())));
        let attr = others_attr();
        quote! {
            /// Properties not listed in the schema.
            #attr
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
    let derives = scope.derives_with(std_derives, &["JsonObject"]);
    let rename_all = naming.attr();
    quote! {
        #docs
        #derives
        #rename_all
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

/// What a caller needs to build a value in one call: `new` taking the required fields (the
/// others at their defaults, `None` or empty), or `Default` when nothing is required.
fn constructor(name: &proc_macro2::Ident, s: &Struct, scope: &Scope) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| is_required(f)).collect();
    let values = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match &f.default {
            _ if is_required(f) && takes_into_string(&f.ty) => {
                let value = from_string(&f.ty, quote!(#field), scope);
                quote!(#field: #value)
            }
            _ if is_required(f) => quote!(#field),
            Some((function, _)) => {
                let function = ident(function);
                quote!(#field: defaults::#function())
            }
            None => quote!(#field: None),
        }
    });
    let additional = s.additional.as_ref().map(|(field, _)| {
        let field = ident(field);
        let default = scope.prelude("Default", "::std::default::Default");
        quote!(#field: #default::default(),)
    });
    let body = quote!(Self { #(#values,)* #additional });
    if required.is_empty() {
        // Without defaults from the document the struct derives `Default`.
        if s.fields.iter().all(|f| f.default.is_none()) {
            return TokenStream::new();
        }
        let default = scope.prelude("Default", "::std::default::Default");
        return quote! {
            impl #default for #name {
                fn default() -> Self {
                    #body
                }
            }
        };
    }
    let params = required.iter().map(|f| {
        let field = ident(&f.name);
        if takes_into_string(&f.ty) {
            let into = scope.prelude("Into", "::std::convert::Into");
            let string = scope.ty(&TypeRef::String);
            quote!(#field: impl #into<#string>)
        } else {
            let ty = scope.ty(&f.ty);
            quote!(#field: #ty)
        }
    });
    let listed = required
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = if required.len() == s.fields.len() && s.additional.is_none() {
        format!("A value from its fields {listed}.")
    } else {
        format!(
            "A value with the required {listed}, every other field at its default (the \
             document's `default`, else `None`). Change others with struct update syntax: \
             `{name} {{ field: value, ..{name}::new(..) }}`."
        )
    };
    let summary = doc(Some(&summary));
    quote! {
        impl #name {
            #summary
            pub fn new(#(#params),*) -> Self {
                #body
            }
        }
    }
}

/// A field a caller must give: neither optional nor defaulted by the document.
pub(crate) fn is_required(f: &Field) -> bool {
    !f.skip_if_none && f.default.is_none()
}

fn field(f: &Field, naming: &Naming, scope: &Scope) -> TokenStream {
    let deprecated = f.deprecated.then_some("Deprecated.");
    let docs = doc_paragraphs(&[Para::Document(f.doc.as_deref()), Para::Own(deprecated)]);
    let name = ident(&f.name);
    let ty = scope.ty(&f.ty);
    let attr = naming.field_attr(f);
    quote! {
        #docs
        #attr
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
