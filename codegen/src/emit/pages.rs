//! The methods a list operation's request builder gains: `pages()` and `items()` (and `_from`
//! a position, to resume), each page asked for with the builder's own parameters, and how a
//! page is read (its items, next cursor or URL, `has_more`, total).

use super::access::{Want, getter};
use super::scope::Scope;
use super::text::ident;
use crate::ir::{Access, AccessStep, Operation, Output, PageKind, PageParam, Pagination, TypeRef};
use crate::vocabulary::runtime;
use proc_macro2::TokenStream;
use quote::quote;

/// `impl Listing for` an operation's parameters: how its pages are read and asked for (the
/// generic call gives `pages()` and `items()` from it).
pub(crate) fn listing_impl(
    op: &Operation,
    paging: &Pagination,
    params: &proc_macro2::Ident,
    scope: &Scope,
) -> TokenStream {
    let Output::Single(answer) = &op.output else {
        return TokenStream::new();
    };
    let page = scope.ty(answer);
    let item = scope.ty(&paging.item);
    let listing = scope.runtime("Listing");
    let operation_trait = scope.runtime("Operation");
    let request = scope.runtime(runtime::REQUEST);
    let position = scope.runtime("PagePosition");
    let info = scope.runtime("PageInfo");
    let paging_kind = scope.runtime("Paging");
    let vec = scope.prelude("Vec", "::std::vec::Vec");
    let operation = &op.name;

    // The request for a position: the builder with its cursor, page or offset parameter set,
    // or its request sent to the next page's URL.
    let set_integer = |param: &PageParam, value: TokenStream| {
        let field = ident(&param.name);
        let ty = scope.ty(&param.ty);
        let value = quote!(#ty::try_from(#value).unwrap_or(#ty::MAX));
        match param.required {
            true => quote!(builder.#field = #value),
            false => quote!(builder.#field = Some(#value)),
        }
    };
    let by_parameter = |pattern: TokenStream, set: TokenStream| {
        quote! {
            let mut builder = self.clone();
            if let #pattern = at {
                #set;
            }
            #operation_trait::request(&builder)
        }
    };
    let (kind, prepare, link_header) = match &paging.kind {
        PageKind::Cursor { param, .. } => {
            let field = ident(&param.name);
            let set = match (&param.ty, param.required) {
                (TypeRef::String, false) => quote!(builder.#field = Some(cursor.clone())),
                (TypeRef::String, true) => quote!(builder.#field = cursor.clone()),
                // A cursor given as a number: one that does not parse is left out.
                (_, false) => quote!(builder.#field = cursor.parse().ok()),
                (_, true) => quote!(builder.#field = cursor.parse().unwrap_or(builder.#field)),
            };
            (
                quote!(#paging_kind::Cursor),
                by_parameter(quote!(#position::Cursor(cursor)), set),
                false,
            )
        }
        PageKind::Page { param, first } => (
            quote!(#paging_kind::Page { first: #first }),
            by_parameter(
                quote!(#position::Page(number)),
                set_integer(param, quote!(*number)),
            ),
            false,
        ),
        PageKind::Offset { param } => (
            quote!(#paging_kind::Offset),
            by_parameter(
                quote!(#position::Offset(offset)),
                set_integer(param, quote!(*offset)),
            ),
            false,
        ),
        PageKind::NextUrl { next } => (
            quote!(#paging_kind::NextUrl),
            quote! {
                let request = #operation_trait::request(self);
                match at {
                    #position::Url(url) => request.next_page(url),
                    _ => request,
                }
            },
            next.is_none(),
        ),
    };
    let size = paging.size.as_ref().map(|(param, default)| {
        let field = ident(&param.name);
        let default = match default {
            Some(n) => quote!(Some(#n)),
            None => quote!(None),
        };
        match param.required {
            true => quote!(u64::try_from(self.#field).ok()),
            false => {
                quote!(self.#field.and_then(|size| u64::try_from(size).ok()).or(#default))
            }
        }
    });
    let read = |access: &Access, want: Want| read(access, want, &page, scope);
    let count = read(&paging.items, Want::Len);
    let next = match &paging.kind {
        PageKind::Cursor { next, .. } | PageKind::NextUrl { next: Some(next) } => {
            read(next, Want::Text)
        }
        _ => quote!(None),
    };
    let has_more = match &paging.has_more {
        Some(access) => read(access, Want::Bool),
        None => quote!(None),
    };
    let total = match &paging.total {
        Some(access) => read(access, Want::Count),
        None => quote!(None),
    };
    // A page that says only its items and the next page is the common case, one line.
    let page_info = if paging.has_more.is_none() && paging.total.is_none() {
        quote!(#info::new(#count, #next))
    } else {
        quote! {
            #info {
                count: #count,
                next: #next,
                has_more: #has_more,
                total: #total,
            }
        }
    };
    let take = take_items(&paging.items, &page, &item, scope);
    // `PageSpec::read` takes `fn(&P)`: for an answer that is the list, `&Vec` it is.
    let allow_vec = matches!(answer, TypeRef::Vec(_)).then(|| quote!(#[allow(clippy::ptr_arg)]));
    let size = size.map(|size| {
        quote! {
            fn size(&self) -> Option<u64> {
                #size
            }
        }
    });
    let link_header = link_header.then(|| {
        quote!(
            const LINK_HEADER: bool = true;
        )
    });
    quote! {
        impl #listing for #params {
            type Item = #item;
            const OPERATION: &'static str = #operation;
            const PAGING: #paging_kind = #kind;
            #link_header

            #size

            #allow_vec
            fn page_info(page: &#page) -> #info {
                #page_info
            }

            fn page_items(page: #page) -> #vec<#item> {
                #take
            }

            fn page_request(&self, at: &#position) -> #request {
                #prepare
            }
        }
    }
}

/// A value of the page (`page`, a reference) as `PageInfo` holds it: the items' count as a
/// `usize`, anything else as an `Option`. A path whose only optional field is its last reads
/// directly; one with optional fields on the way goes through a function that stops at them.
fn read(access: &Access, want: Want, page: &TokenStream, scope: &Scope) -> TokenStream {
    let (on_the_way, last_optional) = optional(access);
    if !on_the_way {
        let path = plain_path(access);
        return match (want, last_optional) {
            (Want::Len, true) => quote!(#path.as_ref().map_or(0, |items| items.len())),
            (Want::Len, false) => quote!(#path.len()),
            (Want::Text, true) => quote!(#path.clone()),
            (Want::Text, false) => quote!(Some(#path.clone())),
            (Want::Bool, true) => path,
            (Want::Bool, false) => quote!(Some(#path)),
            (Want::Count, true) => quote!(#path.and_then(|n| u64::try_from(n).ok())),
            _ => quote!(u64::try_from(#path).ok()),
        };
    }
    let option = scope.prelude("Option", "::std::option::Option");
    let body = getter(quote!(page), access, want, scope);
    let ty = match want {
        Want::Len => quote!(usize),
        Want::Bool => quote!(bool),
        Want::Count => quote!(u64),
        _ => scope.string(),
    };
    let value = quote!({
        fn value(page: &#page) -> #option<#ty> {
            #body
        }
        value(page)
    });
    match want {
        Want::Len => quote!(#value.unwrap_or(0)),
        _ => value,
    }
}

/// Whether a field on the way to the last may be absent, and whether the last may.
fn optional(access: &Access) -> (bool, bool) {
    let is_optional = |step: &AccessStep| matches!(step, AccessStep::Field { optional: true, .. });
    match access.steps.split_last() {
        Some((last, before)) => (before.iter().any(is_optional), is_optional(last)),
        None => (false, false),
    }
}

/// `page.a.b`, for a path of required fields.
fn plain_path(access: &Access) -> TokenStream {
    let fields = access.steps.iter().filter_map(|step| match step {
        AccessStep::Field { name, .. } => Some(ident(name)),
        AccessStep::Tag { .. } => None,
    });
    quote!(page #(.#fields)*)
}

/// The body of `page_items`: the items moved out of the page, none where a field on the way is
/// absent.
fn take_items(
    access: &Access,
    page: &TokenStream,
    item: &TokenStream,
    scope: &Scope,
) -> TokenStream {
    let (on_the_way, last_optional) = optional(access);
    if !on_the_way {
        let path = plain_path(access);
        return match last_optional {
            true => quote!(#path.unwrap_or_default()),
            false => path,
        };
    }
    let option = scope.prelude("Option", "::std::option::Option");
    let vec = scope.prelude("Vec", "::std::vec::Vec");
    let last = access.steps.len() - 1;
    let mut value = quote!(page);
    for (i, step) in access.steps.iter().enumerate() {
        if let AccessStep::Field { name, optional } = step {
            let name = ident(name);
            value = if *optional && i < last {
                quote!(#value.#name?)
            } else {
                quote!(#value.#name)
            };
        }
    }
    let body = if last_optional {
        value
    } else {
        quote!(Some(#value))
    };
    quote!({
        fn items(page: #page) -> #option<#vec<#item>> {
            #body
        }
        items(page).unwrap_or_default()
    })
}
