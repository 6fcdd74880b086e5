//! Reading a value inside a generated type by a path the settings named: a run's status or
//! time, a page's items, next cursor, `has_more` flag or total.

use super::scope::Scope;
use super::text::ident;
use crate::ir::{Access, AccessStep, Leaf};
use proc_macro2::TokenStream;
use quote::quote;

/// What a getter returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// `Option<String>`.
    Text,
    /// `Option<DateTime<Utc>>`.
    Time,
    /// `Option<bool>`.
    Bool,
    /// `Option<u64>`, from an integer.
    Count,
    /// `Option<usize>`: a list's length.
    Len,
}

/// The body of a getter that follows `access` from `root` (a reference): one expression of an
/// `Option`, `?` at each step that may be absent.
pub(crate) fn getter(root: TokenStream, access: &Access, want: Want, scope: &Scope) -> TokenStream {
    let mut value = root;
    // Whether `value` is a reference (after `as_ref()`) rather than a place.
    let mut by_ref = false;
    for step in &access.steps {
        match step {
            AccessStep::Field { name, optional } => {
                let name = ident(name);
                value = if *optional {
                    quote!(#value.#name.as_ref()?)
                } else {
                    quote!(#value.#name)
                };
                by_ref = *optional;
            }
            AccessStep::Tag { method } => {
                let method = ident(method);
                value = quote!(#value.#method()?);
                by_ref = true;
            }
        }
    }
    let copied = if by_ref {
        quote!(*#value)
    } else {
        value.clone()
    };
    match (want, access.leaf) {
        (Want::Bool, _) => quote!(Some(#copied)),
        (Want::Count, _) => quote!(u64::try_from(#copied).ok()),
        (Want::Len, _) => quote!(Some(#value.len())),
        (Want::Text, Leaf::Text) => quote!(Some(#value.clone())),
        (Want::Text, Leaf::Tag) => quote!(Some(#value.to_owned())),
        (Want::Text, Leaf::Enum) => quote!(Some(#value.as_str().to_owned())),
        (Want::Text, _) => quote!(Some(#value.to_string())),
        (Want::Time, Leaf::DateTime) => quote!(Some(#copied)),
        (Want::Time, Leaf::Integer("i64")) => {
            let date_time = scope.path("chrono::DateTime");
            quote!(#date_time::from_timestamp(#copied, 0))
        }
        (Want::Time, Leaf::Integer(_)) => {
            let date_time = scope.path("chrono::DateTime");
            quote!(#date_time::from_timestamp(i64::try_from(#copied).ok()?, 0))
        }
        (Want::Time, _) => {
            let date_time = scope.path("chrono::DateTime");
            let utc = scope.path("chrono::Utc");
            quote!(#date_time::parse_from_rfc3339(&#value).ok().map(|time| time.with_timezone(&#utc)))
        }
    }
}
