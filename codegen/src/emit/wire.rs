//! How the types in `src/types.rs` read and write JSON: a struct through the runtime's
//! `JsonObject` derive (its object read key by key, no field-identifier visitor, no sequence
//! form), told by a `#[json(...)]` attribute where a field's name and type do not say it all;
//! an open enum through its `as_str` and `From<&str>`; a newtype through the value it holds; a
//! union through the variant it holds. rustc checks these several times faster than serde's
//! derives.

use super::scope::Scope;
use super::text::ident;
use crate::ir::{Field, TypeRef};
use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A case rule: its name in `rename_all`, and what it makes of a Rust name.
type Case = (&'static str, fn(&str) -> String);

/// The case rules of `rename_all`, as the runtime's derives apply them to a Rust name
/// (`apigen-macros`' `attrs::apply_case`: the two must agree).
const CASES: [Case; 6] = [
    ("snake_case", |n| n.to_snake_case()),
    ("kebab-case", |n| n.to_kebab_case()),
    ("camelCase", |n| n.to_lower_camel_case()),
    ("PascalCase", |n| n.to_upper_camel_case()),
    ("SCREAMING_SNAKE_CASE", |n| n.to_shouty_snake_case()),
    ("lowercase", |n| n.to_lowercase()),
];

/// How a type's Rust names become its JSON names: the case rule (`rename_all`) that names the
/// most of them, where it names at least two more than the Rust names as they are (its
/// attribute costs a line), and the names neither gives, to `rename`.
pub(crate) struct Naming {
    rule: Option<Case>,
}

impl Naming {
    /// The rule for these pairs of (Rust name, JSON name).
    pub(crate) fn of<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Naming {
        let as_is = pairs
            .clone()
            .filter(|(rust, json)| unraw(rust) == *json)
            .count();
        // The first of the rules that name the most (reversed: `max_by_key` keeps the last).
        let best = CASES
            .iter()
            .rev()
            .map(|case| {
                let count = pairs
                    .clone()
                    .filter(|(rust, json)| (case.1)(unraw(rust)) == *json)
                    .count();
                (count, case)
            })
            .max_by_key(|(count, _)| *count);
        Naming {
            rule: best
                .filter(|(count, _)| *count >= as_is + 2)
                .map(|(_, case)| *case),
        }
    }

    /// The type's `#[json(rename_all = ...)]`, if it has a rule.
    pub(crate) fn attr(&self) -> TokenStream {
        match self.rule {
            Some((rule, _)) => quote!(#[json(rename_all = #rule)]),
            None => TokenStream::new(),
        }
    }

    /// `rename = "json"` where the rule (or the name as it is) does not give `json`.
    fn rename(&self, rust: &str, json: &str) -> Option<TokenStream> {
        let given = match self.rule {
            Some((_, apply)) => apply(unraw(rust)),
            None => unraw(rust).to_owned(),
        };
        (given != json).then(|| quote!(rename = #json))
    }

    /// A unit variant's `#[json(rename = ...)]`, where it needs one.
    pub(crate) fn variant_attr(&self, rust: &str, json: &str) -> TokenStream {
        match self.rename(rust, json) {
            Some(rename) => quote!(#[json(#rename)]),
            None => TokenStream::new(),
        }
    }

    /// The `#[json(...)]` attribute of a struct's field, for the runtime's `JsonObject`
    /// derive, or nothing where the field's name and type say all: an `Option` is optional
    /// (absent and `null` are `None`, `None` not written), anything else required.
    pub(crate) fn field_attr(&self, f: &Field) -> TokenStream {
        let option = matches!(f.ty, TypeRef::Option(_));
        let mut words: Vec<TokenStream> = self.rename(&f.name, &f.json_name).into_iter().collect();
        // An `Option` the JSON must hold (perhaps as `null`), written even when `None`.
        let required = option && f.required_nullable && f.default.is_none();
        if required {
            words.push(quote!(required));
        } else if option && !f.skip_if_none {
            words.push(quote!(nulls));
        }
        if let Some((function, _)) = &f.default {
            let function = ident(function);
            words.push(quote!(default = defaults::#function));
        }
        let binary = match &f.ty {
            TypeRef::Bytes => true,
            TypeRef::Option(inner) => **inner == TypeRef::Bytes,
            _ => false,
        };
        if binary {
            words.push(quote!(binary));
        }
        if words.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[json(#(#words),*)])
        }
    }
}

fn unraw(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// The attribute of the field that keeps the properties a struct does not list.
pub(crate) fn others_attr() -> TokenStream {
    quote!(#[json(others)])
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

#[cfg(test)]
mod tests {
    use super::*;

    fn naming(pairs: &[(&str, &str)]) -> Naming {
        Naming::of(pairs.iter().copied())
    }

    #[test]
    fn a_case_rule_is_taken_where_it_names_two_more_than_the_names_as_they_are() {
        let camel = naming(&[
            ("completed_at", "completedAt"),
            ("workflow_id", "workflowId"),
            ("id", "id"),
            ("type_", "type"),
            ("etag", "ETag"),
        ]);
        assert_eq!(
            camel.attr().to_string(),
            quote!(#[json(rename_all = "camelCase")]).to_string()
        );
        assert!(camel.rename("workflow_id", "workflowId").is_none());
        assert!(camel.rename("id", "id").is_none());
        // heck drops the underscore a keyword's field name ends with.
        assert!(camel.rename("type_", "type").is_none());
        assert_eq!(
            camel.rename("etag", "ETag").map(|t| t.to_string()),
            Some(quote!(rename = "ETag").to_string())
        );

        // Snake-case properties need nothing; one camel-case name is a rename, not a rule.
        let snake = naming(&[("block_size", "block_size"), ("etag", "eTag")]);
        assert!(snake.attr().is_empty());
        assert!(snake.rename("block_size", "block_size").is_none());
        assert!(snake.rename("etag", "eTag").is_some());

        // Variants are named from their values; the first rule of the most named wins.
        let states = naming(&[
            ("InProgress", "in_progress"),
            ("Done", "done"),
            ("R2D2", "r2d2"),
        ]);
        assert_eq!(
            states.attr().to_string(),
            quote!(#[json(rename_all = "snake_case")]).to_string()
        );
        assert!(states.variant_attr("Done", "done").is_empty());
        let single = naming(&[("Sha256", "sha256")]);
        assert!(single.attr().is_empty());
        assert_eq!(
            single.variant_attr("Sha256", "sha256").to_string(),
            quote!(#[json(rename = "sha256")]).to_string()
        );
    }
}
