//! The derives that write how the types `apigen` generates read and write JSON, re-exported by
//! `apigen-runtime`, whose helpers their impls call. What serde's derives would write is several
//! times more code for rustc to check; these write the short impls the generator once wrote out
//! per type, and the generated source stays one line per type.
//!
//! `#[derive(JsonObject)]` on a struct with named fields: `Serialize`, `Deserialize` and
//! `apigen_runtime::ReadObject`. The struct reads its object key by key (one visitor for every
//! type, keys borrowed from the input, unknown keys skipped) and writes a map. Each field is
//! one property, named as the field. A field of type `Option<T>` is optional: absent or `null`
//! is `None`, and `None` is not written. Any other field is required. On the struct,
//! `#[json(rename_all = "camelCase")]` names the properties from the fields (also
//! `snake_case`, `kebab-case`, `SCREAMING_SNAKE_CASE`, `PascalCase`, `lowercase`). On a field:
//!
//! - `rename = "key"`: the property's name;
//! - `required`: an `Option` field whose property must be present (`null` is `None`, written
//!   as `null`);
//! - `nulls`: an optional `Option` field whose `None` is written as `null`;
//! - `default = path`: when the property is absent, the field is `path()`;
//! - `binary`: a `Bytes` field, written in its JSON form (`apigen_runtime::binary`);
//! - `others`: a map that keeps the properties no other field names.
//!
//! `#[derive(OpenEnum)]` on an enum of unit variants and one variant holding a `String`: a
//! string enum that keeps values it does not know. It gets `as_str`, `Display`, `From<&str>`
//! (an unknown value goes to the `String` variant), `Serialize` and `Deserialize` (through
//! those two). Each unit variant is the value named as the variant, or as
//! `#[json(rename_all = ...)]` on the enum or `#[json(rename = "value")]` on the variant say.

mod attrs;
mod object;
mod open_enum;

use proc_macro::TokenStream;
use syn::DeriveInput;

/// Derives `Serialize`, `Deserialize` and `apigen_runtime::ReadObject` for a struct with named
/// fields: see the crate's documentation for the `#[json(...)]` attributes.
#[proc_macro_derive(JsonObject, attributes(json))]
pub fn derive_json_object(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match object::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// Derives `as_str`, `Display`, `From<&str>`, `Serialize` and `Deserialize` for an open string
/// enum: see the crate's documentation for the `#[json(...)]` attributes.
#[proc_macro_derive(OpenEnum, attributes(json))]
pub fn derive_open_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match open_enum::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}
