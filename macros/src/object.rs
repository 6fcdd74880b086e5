//! `#[derive(JsonObject)]`: a struct read from and written as a JSON object.

use crate::attrs::{each_word, rename_all, wire_name};
use proc_macro2::{Span, TokenStream as Tokens};
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, LitStr, PathArguments, Type};

/// One field, as its attributes and type describe it.
struct Property {
    field: Ident,
    /// The local the value is read into (not nameable by the struct's own names).
    local: Ident,
    key: LitStr,
    /// The field is an `Option`.
    option: bool,
    required: bool,
    nulls: bool,
    default: Option<syn::Path>,
    binary: bool,
}

impl Property {
    /// Absent is `None`, with no check.
    fn optional(&self) -> bool {
        self.option && !self.required && self.default.is_none()
    }

    /// `None` is left out when written.
    fn omits_none(&self) -> bool {
        self.option && !self.required && !self.nulls
    }
}

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            Fields::Unit => &syn::punctuated::Punctuated::new(),
            Fields::Unnamed(_) => {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "JsonObject needs a struct with named fields",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new(
                input.ident.span(),
                "JsonObject needs a struct with named fields",
            ));
        }
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "JsonObject needs a struct without generic parameters",
        ));
    }
    let case = rename_all(&input.attrs)?;
    let mut properties = Vec::new();
    let mut others: Option<(Ident, Type)> = None;
    for (index, field) in fields.iter().enumerate() {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let mut property = Property {
            local: Ident::new(&format!("__field{index}"), Span::mixed_site()),
            key: wire_name(&ident.unraw().to_string(), case.as_ref(), ident.span()),
            field: ident,
            option: is_option(&field.ty),
            required: false,
            nulls: false,
            default: None,
            binary: false,
        };
        let mut keeps_others = false;
        each_word(&field.attrs, |word, meta| {
            match word {
                "rename" => property.key = meta.value()?.parse()?,
                "required" => property.required = true,
                "nulls" => property.nulls = true,
                "default" => property.default = Some(meta.value()?.parse()?),
                "binary" => property.binary = true,
                "others" => keeps_others = true,
                _ => {
                    return Err(meta.error(
                        "unknown json attribute: expected rename, required, nulls, default, \
                         binary or others",
                    ));
                }
            }
            Ok(())
        })?;
        if keeps_others {
            if others.is_some() {
                return Err(syn::Error::new(
                    property.field.span(),
                    "only one field keeps the other properties",
                ));
            }
            others = Some((property.field, field.ty.clone()));
        } else {
            properties.push(property);
        }
    }
    let name = &input.ident;
    let serialize = serialize(name, &properties, others.as_ref());
    let read = read(name, &properties, others.as_ref());
    Ok(quote! {
        #serialize

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::apigen_runtime::read_object(deserializer)
            }
        }

        #read
    })
}

/// `Option<T>`, by the last segment of its path (`Option`, `std::option::Option`, ...).
fn is_option(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    if path.qself.is_some() {
        return false;
    }
    path.path.segments.last().is_some_and(|last| {
        last.ident == "Option"
            && matches!(&last.arguments, PathArguments::AngleBracketed(args)
                if args.args.len() == 1 && matches!(args.args[0], GenericArgument::Type(_)))
    })
}

fn serialize(name: &Ident, properties: &[Property], others: Option<&(Ident, Type)>) -> Tokens {
    let map = Ident::new("__entries", Span::mixed_site());
    let entries = properties.iter().map(|p| {
        let field = &p.field;
        let key = &p.key;
        match (p.omits_none(), p.binary) {
            (true, false) => quote!(#map.opt(#key, &self.#field);),
            (false, false) => quote!(#map.put(#key, &self.#field);),
            (true, true) => {
                let value = Ident::new("__value", Span::mixed_site());
                quote! {
                    if let ::core::option::Option::Some(#value) = &self.#field {
                        #map.put(#key, &::apigen_runtime::AsBinary(#value));
                    }
                }
            }
            (false, true) => quote!(#map.put(#key, &::apigen_runtime::AsBinary(&self.#field));),
        }
    });
    let others = others.map(|(field, _)| {
        let (key, value) = (
            Ident::new("__key", Span::mixed_site()),
            Ident::new("__value", Span::mixed_site()),
        );
        quote! {
            for (#key, #value) in &self.#field {
                #map.put(#key, #value);
            }
        }
    });
    let binding = if properties.is_empty() && others.is_none() {
        quote!(#map)
    } else {
        quote!(mut #map)
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let #binding = ::apigen_runtime::Entries::new(
                    ::serde::Serializer::serialize_map(serializer, ::core::option::Option::None)?,
                );
                #(#entries)*
                #others
                #map.end()
            }
        }
    }
}

/// `ReadObject`: each entry read by a seed that stores it (one `?` per entry rather than one
/// per field: what rustc checks grows slowly with the fields), required properties checked
/// once the object is read.
fn read(name: &Ident, properties: &[Property], others: Option<&(Ident, Type)>) -> Tokens {
    let access = Ident::new("__map", Span::mixed_site());
    let key = Ident::new("__key", Span::mixed_site());
    let kept = Ident::new("__others", Span::mixed_site());
    let lets = properties.iter().map(|p| {
        let local = &p.local;
        quote!(let mut #local = ::core::option::Option::None;)
    });
    let arms = properties.iter().map(|p| {
        let (local, json) = (&p.local, &p.key);
        if p.optional() {
            quote!(#json => #access.next_value_seed(::apigen_runtime::Put(&mut #local)),)
        } else {
            quote!(#json => #access.next_value_seed(::apigen_runtime::Slot(&mut #local)),)
        }
    });
    let checks = properties
        .iter()
        .filter(|p| p.default.is_none() && !p.optional())
        .map(|p| {
            let (local, json) = (&p.local, &p.key);
            quote! {
                let ::core::option::Option::Some(#local) = #local else {
                    return ::core::result::Result::Err(::apigen_runtime::missing(#json));
                };
            }
        });
    let values = properties.iter().map(|p| {
        let (field, local) = (&p.field, &p.local);
        match &p.default {
            Some(function) => quote!(#field: #local.unwrap_or_else(#function),),
            None => quote!(#field: #local,),
        }
    });
    let (other_let, other_arm, other_value) = match others {
        Some((field, ty)) => (
            quote!(let mut #kept: #ty = ::core::default::Default::default();),
            quote!(_ => #access.next_value().map(|value| {
                #kept.insert(#key.into_string(), value);
            }),),
            quote!(#field: #kept,),
        ),
        None => (
            Tokens::new(),
            quote!(_ => #access.next_value_seed(::apigen_runtime::Skip),),
            Tokens::new(),
        ),
    };
    let entries = if properties.is_empty() && others.is_none() {
        quote! {
            while #access.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                #access.next_value::<::serde::de::IgnoredAny>()?;
            }
        }
    } else if properties.is_empty() {
        quote! {
            while let ::core::option::Option::Some(#key) =
                #access.next_key::<::apigen_runtime::Key>()?
            {
                #kept.insert(#key.into_string(), #access.next_value()?);
            }
        }
    } else {
        quote! {
            while let ::core::option::Option::Some(#key) =
                #access.next_key::<::apigen_runtime::Key>()?
            {
                match &*#key {
                    #(#arms)*
                    #other_arm
                }?;
            }
            #(#checks)*
        }
    };
    let type_name = LitStr::new(&name.unraw().to_string(), name.span());
    quote! {
        impl ::apigen_runtime::ReadObject for #name {
            const NAME: &'static str = #type_name;

            fn read<'de, A: ::serde::de::MapAccess<'de>>(
                mut #access: A,
            ) -> ::core::result::Result<Self, A::Error> {
                #(#lets)*
                #other_let
                #entries
                ::core::result::Result::Ok(Self {
                    #(#values)*
                    #other_value
                })
            }
        }
    }
}
