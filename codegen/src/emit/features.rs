//! A cargo feature per tag, for large documents: each operation is built when a feature of
//! one of its tags is on (an operation without tags always), each type when the one tag whose
//! operations use it is on (a type used by several tags, by untagged operations, by error
//! bodies or by the run watcher always); `default` turns every tag on.

use crate::ir::{Api, Decode, Operation, Output, TypeRef};
use crate::names::snake;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// From this many operations up, a crate has a feature per tag unless its settings say
/// otherwise (`[crate] features_by_tag`).
pub const FEATURES_FROM: usize = 100;

/// Which feature builds what. Names, not tokens: the files are built on several threads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gates {
    /// The features, by name, each with the tag it stands for.
    pub features: BTreeMap<String, String>,
    /// By operation name: the features that build it (any of them).
    pub operations: BTreeMap<String, Vec<String>>,
    /// By type name: the one feature that builds it.
    pub types: BTreeMap<String, String>,
}

impl Gates {
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The `#[cfg]` of an operation's items, if it has one.
    pub fn operation(&self, name: &str) -> Option<TokenStream> {
        self.operations.get(name).map(|features| cfg(features))
    }

    /// The `#[cfg]` of a type's items, if it has one.
    pub fn ty(&self, name: &str) -> Option<TokenStream> {
        self.types
            .get(name)
            .map(|feature| cfg(std::slice::from_ref(feature)))
    }
}

/// The gates of a crate: none unless it has features per tag (`by_tag`, else from
/// [`FEATURES_FROM`] operations) and its operations have tags.
pub(crate) fn gates(api: &Api, by_tag: Option<bool>) -> Gates {
    if !by_tag.unwrap_or(api.operations.len() >= FEATURES_FROM) {
        return Gates::default();
    }
    // Feature names: the tags in snake case with `-`, distinct, never `default`.
    let mut features = BTreeMap::new();
    let mut by_tag: BTreeMap<&str, String> = BTreeMap::new();
    for op in &api.operations {
        for tag in &op.tags {
            if by_tag.contains_key(tag.as_str()) {
                continue;
            }
            let base = snake(tag, "tag").replace('_', "-");
            let mut name = if base == "default" {
                "default-tag".to_owned()
            } else {
                base
            };
            while features.contains_key(&name) {
                name.push('-');
                name.push('x');
            }
            features.insert(name.clone(), tag.clone());
            by_tag.insert(tag, name);
        }
    }
    if features.is_empty() {
        return Gates::default();
    }
    // The run watcher calls its operations whatever the features.
    let always: BTreeSet<&str> = api
        .run_watch
        .iter()
        .flat_map(|w| {
            [
                Some(w.operation.as_str()),
                w.events.as_ref().map(|e| e.operation.as_str()),
            ]
        })
        .flatten()
        .collect();
    let index = api.type_index();
    let mut operations = BTreeMap::new();
    // By type: the features of the operations that use it; `None` for a use with no feature.
    let mut users: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for op in &api.operations {
        let gated = !op.tags.is_empty() && !always.contains(op.name.as_str());
        let own: Vec<String> = op.tags.iter().map(|t| by_tag[t.as_str()].clone()).collect();
        for name in index.reached(&operation_types(op)) {
            let entry = users.entry(name).or_default();
            if gated && own.len() == 1 {
                entry.insert(Some(own[0].clone()));
            } else {
                entry.insert(None);
            }
        }
        if gated {
            let mut own = own;
            own.sort();
            own.dedup();
            operations.insert(op.name.clone(), own);
        }
    }
    // Error bodies are built whatever the features, and what they hold.
    let error_types = api
        .error_variants
        .iter()
        .map(|v| v.ty.clone())
        .collect::<Vec<_>>();
    for name in index.reached(&error_types) {
        users.entry(name).or_default().insert(None);
    }
    if let Some(watch) = &api.run_watch {
        for name in index.reached(&[TypeRef::Named(watch.run_type.clone())]) {
            users.entry(name).or_default().insert(None);
        }
    }
    let types = users
        .into_iter()
        .filter_map(
            |(name, users)| match users.into_iter().collect::<Vec<_>>()[..] {
                [Some(ref feature)] => Some((name, feature.clone())),
                _ => None,
            },
        )
        .collect();
    Gates {
        features,
        operations,
        types,
    }
}

/// The types an operation names: parameters, body, answer (its response enum too), stream
/// items, page items.
fn operation_types(op: &Operation) -> Vec<TypeRef> {
    let mut out: Vec<TypeRef> = op.params.iter().map(|p| p.ty.clone()).collect();
    out.extend(op.body.iter().map(|b| b.ty.clone()));
    match &op.output {
        Output::Single(ty) => out.push(ty.clone()),
        Output::Several(name) => out.push(TypeRef::Named(name.clone())),
        Output::Raw | Output::Stream => {}
    }
    out.extend(op.success.iter().filter_map(|s| match &s.decode {
        Decode::Json(ty) => Some(ty.clone()),
        _ => None,
    }));
    if let Some(stream) = &op.stream {
        out.extend(stream.item.iter().cloned());
    }
    if let Some(paging) = &op.pagination {
        out.push(paging.item.clone());
    }
    out
}

/// The section of the README and the crate documentation on the features.
pub(crate) fn features_text(gates: &Gates) -> Vec<String> {
    let first = gates.features.keys().next().cloned().unwrap_or_default();
    let listed = gates
        .features
        .iter()
        .map(|(feature, tag)| format!("`{feature}` ({tag})"))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        "## Features".to_owned(),
        String::new(),
        format!(
            "A cargo feature per tag of the document builds that tag's operations and the types \
             only they use; `default` turns every one on. To build only what you call, turn the \
             defaults off and name your tags (`default-features = false, features = \
             [\"{first}\"]`): the crate checks in a fraction of the time. Types that several \
             tags use, and operations without a tag, are always built."
        ),
        String::new(),
        format!("The features: {listed}."),
    ]
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg(features: &[String]) -> TokenStream {
    match features {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `items` (several top-level items, each with its attributes) with `cfg` on each.
pub(crate) fn gate(cfg: Option<TokenStream>, items: TokenStream) -> TokenStream {
    let Some(cfg) = cfg else {
        return items;
    };
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        // An item ends with `;` or with its braces (unless a `;` follows, as after a
        // `const`'s struct literal); attributes and everything else belong to the item.
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
                    && !item_is_attribute_only(&item)
            }
            _ => false,
        };
        item.push(token);
        if ends {
            let body: TokenStream = item.drain(..).collect();
            out.extend(quote!(#cfg #body));
        }
    }
    if !item.is_empty() {
        let body: TokenStream = item.into_iter().collect();
        out.extend(quote!(#cfg #body));
    }
    out
}

/// True while the tokens gathered are only attributes (`#[...]`): a brace there is not an
/// item's end.
fn item_is_attribute_only(tokens: &[TokenTree]) -> bool {
    tokens.chunks(2).all(|pair| {
        matches!(pair, [TokenTree::Punct(p), TokenTree::Group(g)]
            if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_item_gets_the_cfg() {
        let items = quote! {
            /// A type.
            #[derive(Debug)]
            pub struct A { x: u8 }
            impl A { fn f() {} }
            pub struct B(pub u8);
            pub type C = A;
            const D: A = A { x: 1 };
            impl<'de> Deserialize<'de> for A where A: Sized { fn g() {} }
        };
        let gated = gate(Some(quote!(#[cfg(feature = "t")])), items).to_string();
        assert_eq!(
            gated.matches("# [cfg (feature = \"t\")]").count(),
            6,
            "{gated}"
        );
        assert!(
            gated.starts_with("# [cfg (feature = \"t\")] # [doc"),
            "{gated}"
        );
    }
}
