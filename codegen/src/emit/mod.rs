//! Stage 4: IR to Rust source, through `quote!`, `syn` and `prettyplease`.
//!
//! Every `.rs` file is built as a token stream, parsed into a `syn::File` and printed by
//! prettyplease; nothing here concatenates Rust code as text. The header comment each file opens
//! with is the only text added.

mod client;
pub(crate) mod files;
mod requests;
mod types;

pub use files::{CrateSettings, Provenance, check_crate_name, emit_crate};

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// An identifier token; Rust keywords were already renamed during lowering.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// How type references are written in the module being emitted.
pub(crate) struct TypeWriter<'a> {
    /// Names of the generated types.
    pub type_names: &'a BTreeSet<String>,
    /// True inside `types.rs`, where generated names shadow the prelude's.
    pub in_types_module: bool,
    /// The path to the types module from here (`types::`, `super::` or nothing).
    pub prefix: TokenStream,
}

impl TypeWriter<'_> {
    /// True when a generated type hides the prelude item `name` here.
    pub fn shadows(&self, name: &str) -> bool {
        self.shadowed(name)
    }

    fn shadowed(&self, name: &str) -> bool {
        self.in_types_module && self.type_names.contains(name)
    }

    /// A prelude item by its plain name, or by `path` where a generated type shadows it.
    pub fn std_path(&self, name: &str, path: TokenStream) -> TokenStream {
        self.std_type(name, path)
    }

    fn std_type(&self, name: &str, path: TokenStream) -> TokenStream {
        if self.shadowed(name) {
            path
        } else {
            let name = ident(name);
            quote!(#name)
        }
    }

    pub fn string(&self) -> TokenStream {
        self.std_type("String", quote!(::std::string::String))
    }

    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Bool => quote!(bool),
            TypeRef::Integer(repr) => {
                let repr = ident(repr);
                quote!(#repr)
            }
            TypeRef::Float => quote!(f64),
            TypeRef::String => self.string(),
            TypeRef::Secret => quote!(apigen_runtime::Secret),
            TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
            TypeRef::Date => quote!(chrono::NaiveDate),
            TypeRef::Uuid => quote!(uuid::Uuid),
            TypeRef::Bytes => quote!(apigen_runtime::bytes::Bytes),
            TypeRef::Value => quote!(serde_json::Value),
            TypeRef::Unit => quote!(()),
            TypeRef::Named(name) => {
                let prefix = &self.prefix;
                let name = ident(name);
                quote!(#prefix #name)
            }
            TypeRef::Vec(inner) => {
                let vec = self.std_type("Vec", quote!(::std::vec::Vec));
                let inner = self.ty(inner);
                quote!(#vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let string = self.string();
                let inner = self.ty(inner);
                quote!(std::collections::BTreeMap<#string, #inner>)
            }
            TypeRef::Option(inner) => {
                let option = self.std_type("Option", quote!(::std::option::Option));
                let inner = self.ty(inner);
                quote!(#option<#inner>)
            }
            TypeRef::Box(inner) => {
                let boxed = self.std_type("Box", quote!(::std::boxed::Box));
                let inner = self.ty(inner);
                quote!(#boxed<#inner>)
            }
            TypeRef::EmbeddedJson(inner) => {
                let inner = self.ty(inner);
                quote!(apigen_runtime::EmbeddedJson<#inner>)
            }
        }
    }
}

/// The lines of a doc comment for a text from the document. Fenced code blocks without a
/// language are marked `text` so rustdoc does not read them as Rust.
fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    // Line ends of every convention; a lone carriage return is not allowed in a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            let trimmed = line.trim_start();
            let line = match trimmed.strip_prefix("```") {
                Some(lang) => {
                    let opening = !in_fence;
                    in_fence = !in_fence;
                    if opening && !matches!(lang.trim(), "rust" | "text" | "no_run") {
                        format!("{}```text", &line[..line.len() - trimmed.len()])
                    } else {
                        line.to_owned()
                    }
                }
                None => line.to_owned(),
            };
            format!(" {line}")
        })
        .collect()
}

/// `#[doc = ...]` attributes for a text from the document.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = ...]` attributes: the documentation of the enclosing module or crate.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(Some(text));
    quote!(#(#![doc = #lines])*)
}

/// A doc comment made of several optional paragraphs.
pub(crate) fn doc_paragraphs(parts: &[Option<&str>]) -> TokenStream {
    let text: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if text.is_empty() {
        TokenStream::new()
    } else {
        doc(Some(&text.join("\n\n")))
    }
}

/// Prints a token stream as a formatted file, after a header comment.
pub(crate) fn render(header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("emitted code does not parse: {e}"))?;
    Ok(format!(
        "{header}\n{}",
        spaced(&prettyplease::unparse(&file))
    ))
}

/// prettyplease prints items back to back; a blank line between top-level items makes the
/// files, and their diffs, easier to read. Runs of `use` or `mod` lines stay together.
fn spaced(code: &str) -> String {
    #[derive(PartialEq)]
    enum Kind {
        Use,
        Mod,
        Other,
    }
    let kind = |line: &str| {
        let line = line.strip_prefix("pub ").unwrap_or(line);
        if line.starts_with("use ") {
            Kind::Use
        } else if line.starts_with("mod ") {
            Kind::Mod
        } else {
            Kind::Other
        }
    };
    let ends_item = |line: &str| {
        line == "}" || line == "};" || (line.ends_with(';') && !line.starts_with([' ', '/', '#']))
    };
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut lines = code.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if let Some(next) = lines.peek()
            && !next.is_empty()
            && ends_item(line)
            && !(kind(line) == kind(next) && kind(line) != Kind::Other)
        {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn doc_lines_split_every_kind_of_line_end() {
        assert_eq!(
            doc_lines(Some("one\r\ntwo\rthree\n\r\n\rfour")),
            [" one", " two", " three", " ", " ", " four"]
        );
        assert!(doc_lines(Some(" \r\n ")).is_empty());
    }

    #[test]
    fn doc_lines_mark_fences_without_a_language_as_text() {
        assert_eq!(
            doc_lines(Some("```\nx\n```\n```rust\ny\n```")),
            [" ```text", " x", " ```", " ```rust", " y", " ```"]
        );
    }
}
