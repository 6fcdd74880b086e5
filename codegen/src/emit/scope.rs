//! What a generated file's code can name: short names for the items it uses, gathered into one
//! sorted `use` block, and full paths wherever a short name would clash with the file's own.

use super::text::ident;
use crate::ir::TypeRef;
use crate::vocabulary::RUNTIME;
use proc_macro2::TokenStream;
use quote::quote;
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
pub(crate) struct Scope {
    types_at: TypesAt,
    /// Names this file defines: an import never hides one.
    local: BTreeSet<String>,
    /// Short name -> the full path it stands for.
    imports: RefCell<BTreeMap<String, String>>,
}

impl Scope {
    pub fn new(
        types: &BTreeSet<String>,
        types_at: TypesAt,
        local: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut local: BTreeSet<String> = local.into_iter().collect();
        if types_at == TypesAt::Here {
            local.extend(types.iter().cloned());
        }
        Scope {
            types_at,
            local,
            imports: RefCell::new(BTreeMap::new()),
        }
    }

    /// True when this file defines `name`.
    pub fn defines(&self, name: &str) -> bool {
        self.local.contains(name)
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
        let text = if short { name } else { full };
        text.parse().unwrap_or_default()
    }

    /// An item of the runtime crate.
    pub fn runtime(&self, item: &str) -> TokenStream {
        self.path(&format!("{RUNTIME}::{item}"))
    }

    /// A prelude item (`String`, `Option`, ...) by its plain name, or by `std_path` where this
    /// file defines an item of that name.
    pub fn prelude(&self, name: &str, std_path: &str) -> TokenStream {
        let text = if self.defines(name) { std_path } else { name };
        text.parse().unwrap_or_default()
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

    /// The derives of a generated type, `serde`'s through the `use` block.
    pub fn derives(&self, std: &[&str], serde: &[&str]) -> TokenStream {
        let std = std.iter().map(|d| ident(d));
        let serde = serde.iter().map(|d| self.path(&format!("serde::{d}")));
        quote!(#[derive(#(#std,)* #(#serde),*)])
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
            let module: TokenStream = module.parse().unwrap_or_default();
            let names: Vec<TokenStream> = names
                .iter()
                .map(|n| n.parse().unwrap_or_default())
                .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
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
