//! The `Serialize` and `Deserialize` impls of the types in `src/types.rs`, written out rather
//! than derived: a struct reads its object key by key through the runtime's `ReadObject` (no
//! field-identifier visitor, no sequence form) and writes a map; an open enum goes through its
//! `as_str` and `From<&str>`; a newtype through the value it holds; a union through the
//! variant it holds. rustc checks these several times faster than serde's derives.

use super::scope::{Scope, path_tokens};
use super::text::ident;
use crate::ir::{Struct, TypeRef};
use crate::vocabulary::RUNTIME;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `Serialize` and `Deserialize` for a struct.
pub(crate) fn struct_impls(name: &Ident, s: &Struct, scope: &Scope) -> TokenStream {
    let serialize = struct_serialize(name, s, scope);
    let deserialize = struct_deserialize(name, s, scope);
    quote!(#serialize #deserialize)
}

fn struct_serialize(name: &Ident, s: &Struct, scope: &Scope) -> TokenStream {
    let (serialize, serializer, result) = serialize_names(scope);
    let entries_type = scope.runtime("Entries");
    let entries = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let key = &f.json_name;
        let bytes = match &f.ty {
            TypeRef::Bytes => true,
            TypeRef::Option(inner) => **inner == TypeRef::Bytes,
            _ => false,
        };
        let skip = f.skip_if_none && matches!(f.ty, TypeRef::Option(_));
        match (skip, bytes) {
            (true, false) => quote!(map.opt(#key, &self.#field);),
            (false, false) => quote!(map.put(#key, &self.#field);),
            (true, true) => {
                let binary = scope.runtime("AsBinary");
                quote! {
                    if let Some(value) = &self.#field {
                        map.put(#key, &#binary(value));
                    }
                }
            }
            (false, true) => {
                let binary = scope.runtime("AsBinary");
                quote!(map.put(#key, &#binary(&self.#field));)
            }
        }
    });
    let others = s.additional.as_ref().map(|(field, _)| {
        let field = ident(field);
        quote! {
            for (key, value) in &self.#field {
                map.put(key, value);
            }
        }
    });
    let binding = if s.fields.is_empty() && s.additional.is_none() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    quote! {
        impl #serialize for #name {
            fn serialize<S: #serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                let #binding = #entries_type::new(serializer.serialize_map(None)?);
                #(#entries)*
                #others
                map.end()
            }
        }
    }
}

fn struct_deserialize(name: &Ident, s: &Struct, scope: &Scope) -> TokenStream {
    let (deserialize, deserializer, result) = deserialize_names(scope);
    let read_object_trait = scope.runtime("ReadObject");
    let read_object = scope.runtime("read_object");
    let map_access = scope.path("serde::de::MapAccess");
    // Names are brought in as they are used: a `use` of one not used would warn.
    let ignored = || scope.path("serde::de::IgnoredAny");
    let key = || scope.runtime("Key");
    let lets = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        quote!(let mut #field = None;)
    });
    // How an entry is read: optional properties straight into their `Option` (`null` is
    // `None`), the others wrapped, to tell "absent" from the value.
    let optional = |f: &crate::ir::Field| {
        f.default.is_none() && !f.required_nullable && matches!(f.ty, TypeRef::Option(_))
    };
    // Each entry read by a seed that stores it, one `?` per entry rather than one per field:
    // what rustc checks grows with the fields much more slowly.
    let slot = || scope.runtime("Slot");
    let put = || scope.runtime("Put");
    let arms = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let json = &f.json_name;
        if optional(f) {
            let put = put();
            quote!(#json => __map.next_value_seed(#put(&mut #field)),)
        } else {
            let slot = slot();
            quote!(#json => __map.next_value_seed(#slot(&mut #field)),)
        }
    });
    // Required properties, checked once read (by its path: a property may be named
    // `missing`, and its local would shadow it).
    let missing = path_tokens(&format!("{RUNTIME}::missing"));
    let checks = s
        .fields
        .iter()
        .filter(|f| f.default.is_none() && !optional(f))
        .map(|f| {
            let field = ident(&f.name);
            let json = &f.json_name;
            quote! {
                let Some(#field) = #field else {
                    return Err(#missing(#json));
                };
            }
        });
    let values = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match &f.default {
            Some((function, _)) => {
                let function = ident(function);
                quote!(#field: #field.unwrap_or_else(defaults::#function),)
            }
            None => quote!(#field,),
        }
    });
    let (other_let, other_arm, other_value) = match &s.additional {
        Some((field, _)) => {
            let field = ident(field);
            let map = scope.path("std::collections::BTreeMap");
            (
                quote!(let mut __others = #map::new();),
                quote!(_ => __map.next_value().map(|value| {
                    __others.insert(__key.into_string(), value);
                }),),
                quote!(#field: __others,),
            )
        }
        None => {
            let skip = scope.runtime("Skip");
            (
                TokenStream::new(),
                quote!(_ => __map.next_value_seed(#skip),),
                TokenStream::new(),
            )
        }
    };
    let entries = if s.fields.is_empty() && s.additional.is_none() {
        let ignored = ignored();
        quote! {
            while __map.next_key::<#ignored>()?.is_some() {
                __map.next_value::<#ignored>()?;
            }
        }
    } else if s.fields.is_empty() {
        let key = key();
        quote! {
            while let Some(__key) = __map.next_key::<#key>()? {
                __others.insert(__key.into_string(), __map.next_value()?);
            }
        }
    } else {
        let key = key();
        quote! {
            while let Some(__key) = __map.next_key::<#key>()? {
                match &*__key {
                    #(#arms)*
                    #other_arm
                }?;
            }
            #(#checks)*
        }
    };
    let type_name = name.to_string();
    quote! {
        impl<'de> #deserialize<'de> for #name {
            fn deserialize<D: #deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #read_object(deserializer)
            }
        }

        impl #read_object_trait for #name {
            const NAME: &'static str = #type_name;

            fn read<'de, A: #map_access<'de>>(mut __map: A) -> #result<Self, A::Error> {
                #(#lets)*
                #other_let
                #entries
                Ok(Self {
                    #(#values)*
                    #other_value
                })
            }
        }
    }
}

/// `Serialize` and `Deserialize` for an open string enum, through its `as_str` and
/// `From<&str>`.
pub(crate) fn open_enum_impls(name: &Ident, scope: &Scope) -> TokenStream {
    let (serialize, serializer, result) = serialize_names(scope);
    let (deserialize, deserializer, _) = deserialize_names(scope);
    let read_open_enum = scope.runtime("read_open_enum");
    quote! {
        impl #serialize for #name {
            fn serialize<S: #serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> #deserialize<'de> for #name {
            fn deserialize<D: #deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #read_open_enum(deserializer)
            }
        }
    }
}

/// `Serialize` and `Deserialize` for `struct Name(pub Target)`, as the target.
pub(crate) fn newtype_impls(name: &Ident, target: &TokenStream, scope: &Scope) -> TokenStream {
    let (serialize, serializer, result) = serialize_names(scope);
    let (deserialize, deserializer, _) = deserialize_names(scope);
    quote! {
        impl #serialize for #name {
            fn serialize<S: #serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                #serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> #deserialize<'de> for #name {
            fn deserialize<D: #deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <#target as #deserialize>::deserialize(deserializer).map(Self)
            }
        }
    }
}

/// `Serialize` for a union: as the value its variant holds.
pub(crate) fn union_serialize(name: &Ident, variants: &[Ident], scope: &Scope) -> TokenStream {
    let (serialize, serializer, result) = serialize_names(scope);
    quote! {
        impl #serialize for #name {
            fn serialize<S: #serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(value) => #serialize::serialize(value, serializer),)*
                }
            }
        }
    }
}

/// `Deserialize` for a union whose body (given) reads `value`, the JSON buffered.
pub(crate) fn buffered_deserialize(name: &Ident, body: TokenStream, scope: &Scope) -> TokenStream {
    let (deserialize, deserializer, result) = deserialize_names(scope);
    let value = scope.ty(&TypeRef::Value);
    quote! {
        impl<'de> #deserialize<'de> for #name {
            fn deserialize<D: #deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <#value as #deserialize>::deserialize(deserializer)?;
                #body
            }
        }
    }
}

fn serialize_names(scope: &Scope) -> (TokenStream, TokenStream, TokenStream) {
    (
        scope.path("serde::Serialize"),
        scope.path("serde::Serializer"),
        scope.prelude("Result", "::std::result::Result"),
    )
}

fn deserialize_names(scope: &Scope) -> (TokenStream, TokenStream, TokenStream) {
    (
        scope.path("serde::Deserialize"),
        scope.path("serde::Deserializer"),
        scope.prelude("Result", "::std::result::Result"),
    )
}
