//! What a generated file's code can name: short names for the items it uses, gathered into one
//! sorted `use` block, and full paths wherever a short name would clash with the file's own.

use super::text::ident;
use crate::ir::TypeRef;
use crate::vocabulary::RUNTIME;
use proc_macro2::{Punct, Spacing, TokenStream, TokenTree};
use quote::quote;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Where a file finds the crate's generated types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypesAt {
    /// It defines them (`types.rs`).
    Here,
    /// In its parent module (`types.rs`'s `defaults`).
    Super,
    /// Through the `types` module, imported.
    Module,
}

/// The names one generated file uses.
pub(crate) struct Scope<'a> {
    types_at: TypesAt,
    /// The crate's types: names this file defines when it is the one that defines them.
    types: &'a BTreeSet<String>,
    /// Other names this file defines: an import never hides one. Shared by the runs of a
    /// file emitted in pieces.
    local: Cow<'a, BTreeSet<String>>,
    /// Short name -> the full path it stands for.
    imports: RefCell<BTreeMap<String, String>>,
}

impl<'a> Scope<'a> {
    pub fn new(
        types: &'a BTreeSet<String>,
        types_at: TypesAt,
        local: impl IntoIterator<Item = String>,
    ) -> Self {
        Scope {
            types_at,
            types,
            local: Cow::Owned(local.into_iter().collect()),
            imports: RefCell::new(BTreeMap::new()),
        }
    }

    /// Like [`Scope::new`], with the other names the file defines borrowed.
    pub fn sharing(
        types: &'a BTreeSet<String>,
        types_at: TypesAt,
        local: &'a BTreeSet<String>,
    ) -> Self {
        Scope {
            types_at,
            types,
            local: Cow::Borrowed(local),
            imports: RefCell::new(BTreeMap::new()),
        }
    }

    /// The short names this scope brought in so far, each with the full path it stands for.
    pub fn into_imports(self) -> BTreeMap<String, String> {
        self.imports.into_inner()
    }

    /// Takes in the short names another scope of the same file brought in (see
    /// [`Scope::into_imports`]). False, and nothing changed, when a short name stands for
    /// different items in the two: then which item gets the short name depends on the order
    /// the file names them in, and the file must be emitted in one piece.
    pub fn merge(&mut self, other: BTreeMap<String, String>) -> bool {
        let imports = self.imports.get_mut();
        if other
            .iter()
            .any(|(name, full)| imports.get(name).is_some_and(|mine| mine != full))
        {
            return false;
        }
        imports.extend(other);
        true
    }

    /// True when this file defines `name`.
    pub fn defines(&self, name: &str) -> bool {
        self.local.contains(name) || (self.types_at == TypesAt::Here && self.types.contains(name))
    }

    /// The item at `full` (`std::collections::BTreeMap`): its short name, brought in by the
    /// `use` block, or the full path where this file defines that name or already uses it for
    /// another item.
    pub fn path(&self, full: &str) -> TokenStream {
        let name = full.rsplit("::").next().unwrap_or(full);
        let mut imports = self.imports.borrow_mut();
        let short = match imports.get(name) {
            Some(existing) => existing == full,
            None if self.defines(name) => false,
            None => {
                imports.insert(name.to_owned(), full.to_owned());
                true
            }
        };
        path_tokens(if short { name } else { full })
    }

    /// An item of the runtime crate.
    pub fn runtime(&self, item: &str) -> TokenStream {
        self.path(&format!("{RUNTIME}::{item}"))
    }

    /// A prelude item (`String`, `Option`, ...) by its plain name, or by `std_path` where this
    /// file defines an item of that name.
    pub fn prelude(&self, name: &str, std_path: &str) -> TokenStream {
        path_tokens(if self.defines(name) { std_path } else { name })
    }

    pub fn string(&self) -> TokenStream {
        self.prelude("String", "::std::string::String")
    }

    /// How this file writes a type.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Bool => quote!(bool),
            TypeRef::Integer(repr) => {
                let repr = ident(repr);
                quote!(#repr)
            }
            TypeRef::Float => quote!(f64),
            TypeRef::String => self.string(),
            TypeRef::Secret => self.runtime("Secret"),
            TypeRef::DateTime => {
                let date_time = self.path("chrono::DateTime");
                let utc = self.path("chrono::Utc");
                quote!(#date_time<#utc>)
            }
            TypeRef::Date => self.path("chrono::NaiveDate"),
            TypeRef::Uuid => self.path("uuid::Uuid"),
            TypeRef::Bytes => self.runtime("bytes::Bytes"),
            TypeRef::Value => self.path("serde_json::Value"),
            TypeRef::Unit => quote!(()),
            TypeRef::Named(name) => self.named(name),
            TypeRef::Vec(inner) => {
                let vec = self.prelude("Vec", "::std::vec::Vec");
                let inner = self.ty(inner);
                quote!(#vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let map = self.path("std::collections::BTreeMap");
                let string = self.string();
                let inner = self.ty(inner);
                quote!(#map<#string, #inner>)
            }
            TypeRef::Option(inner) => {
                let option = self.prelude("Option", "::std::option::Option");
                let inner = self.ty(inner);
                quote!(#option<#inner>)
            }
            TypeRef::Box(inner) => {
                let boxed = self.prelude("Box", "::std::boxed::Box");
                let inner = self.ty(inner);
                quote!(#boxed<#inner>)
            }
            TypeRef::EmbeddedJson(inner) => {
                let embedded = self.runtime("EmbeddedJson");
                let inner = self.ty(inner);
                quote!(#embedded<#inner>)
            }
        }
    }

    /// A generated type, reached from this file.
    pub fn named(&self, name: &str) -> TokenStream {
        let name_ident = ident(name);
        match self.types_at {
            TypesAt::Here => quote!(#name_ident),
            TypesAt::Super => quote!(super::#name_ident),
            TypesAt::Module => {
                let types = self.path("crate::types");
                quote!(#types::#name_ident)
            }
        }
    }

    /// The derives of a generated type (the standard library's; serde's impls are written out,
    /// or derived by the runtime's `JsonObject`).
    pub fn derives(&self, std: &[&str]) -> TokenStream {
        self.derives_with(std, &[])
    }

    /// [`Scope::derives`] and derives of the runtime (`JsonObject`).
    pub fn derives_with(&self, std: &[&str], runtime: &[&str]) -> TokenStream {
        let all = std
            .iter()
            .map(|d| {
                let d = ident(d);
                quote!(#d)
            })
            .chain(runtime.iter().map(|d| self.runtime(d)));
        quote!(#[derive(#(#all),*)])
    }

    /// The file's `use` block: one `use` per module, sorted.
    pub fn uses(&self) -> TokenStream {
        let mut by_module: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for full in self.imports.borrow().values() {
            let (module, name) = full.rsplit_once("::").unwrap_or(("", full));
            by_module
                .entry(module.to_owned())
                .or_default()
                .insert(name.to_owned());
        }
        // Sorted by the path of each line's first item, as rustfmt sorts them.
        let mut by_module: Vec<(String, BTreeSet<String>)> = by_module.into_iter().collect();
        by_module.sort_by_key(|(module, names)| {
            format!("{module}::{}", names.first().map_or("", String::as_str))
        });
        let lines = by_module.into_iter().map(|(module, names)| {
            let module = path_tokens(&module);
            let names: Vec<TokenStream> = names.iter().map(|n| path_tokens(n)).collect();
            if names.len() == 1 {
                let name = &names[0];
                quote!(use #module::#name;)
            } else {
                quote!(use #module::{#(#names),*};)
            }
        });
        quote!(#(#lines)*)
    }
}

/// The tokens of a path, `a::b::C` or `::std::x::Y`, built without lexing text: files name
/// paths at every turn.
pub(crate) fn path_tokens(path: &str) -> TokenStream {
    let plain = |segment: &str| {
        segment.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic())
            && segment
                .chars()
                .all(|c| c == '_' || c.is_ascii_alphanumeric())
    };
    let segments: Vec<&str> = path.split("::").collect();
    let leading = segments.first() == Some(&"");
    if segments
        .iter()
        .skip(usize::from(leading))
        .any(|s| !plain(s))
    {
        // Not a path of plain identifiers: as the lexer reads it.
        return path.parse().unwrap_or_default();
    }
    let mut tokens = TokenStream::new();
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            tokens.extend([
                TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            ]);
        }
        if !segment.is_empty() {
            tokens.extend([TokenTree::Ident(ident(segment))]);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn paths_are_the_tokens_the_lexer_reads() {
        for path in [
            "String",
            "::std::string::String",
            "apigen_runtime::bytes::Bytes",
            "crate::types",
            "r#type",
            "a::b<c>",
            "",
        ] {
            let lexed: TokenStream = path.parse().unwrap_or_default();
            assert_eq!(path_tokens(path).to_string(), lexed.to_string(), "{path}");
        }
    }

    #[test]
    fn short_names_unless_the_file_defines_them() {
        let types: BTreeSet<String> = ["Value".to_owned(), "Run".to_owned()].into();
        let scope = Scope::new(&types, TypesAt::Here, []);
        let map = TypeRef::Map(Box::new(TypeRef::Value));
        assert_eq!(text(scope.ty(&map)), "BTreeMap<String,serde_json::Value>");
        assert_eq!(text(scope.ty(&TypeRef::DateTime)), "DateTime<Utc>");
        assert_eq!(
            text(scope.uses()),
            "usechrono::{DateTime,Utc};usestd::collections::BTreeMap;"
        );

        let elsewhere = Scope::new(&types, TypesAt::Module, ["Request".to_owned()]);
        assert_eq!(
            text(elsewhere.ty(&TypeRef::Named("Run".into()))),
            "types::Run"
        );
        assert_eq!(
            text(elsewhere.runtime("Request")),
            "apigen_runtime::Request"
        );
        assert_eq!(text(elsewhere.ty(&TypeRef::Value)), "Value");
        assert_eq!(
            text(elsewhere.uses()),
            "usecrate::types;useserde_json::Value;"
        );
    }
}
