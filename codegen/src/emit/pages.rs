//! The methods a list operation's request builder gains: `pages()` and `items()` (and `_from`
//! a position, to resume), each page asked for with the builder's own parameters, and how a
//! page is read (its items, next cursor or URL, `has_more`, total).

use super::access::{Want, getter};
use super::scope::Scope;
use super::text::ident;
use crate::ir::{Access, AccessStep, Operation, Output, PageKind, PageParam, Pagination, TypeRef};
use crate::vocabulary::{krate, runtime};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn page_methods(op: &Operation, paging: &Pagination, scope: &Scope) -> TokenStream {
    let Output::Single(answer) = &op.output else {
        return TokenStream::new();
    };
    let page = scope.ty(answer);
    let item = scope.ty(&paging.item);
    let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
    let pages = scope.runtime("Pages");
    let items = scope.runtime("Items");
    let position = scope.runtime("PagePosition");
    let spec = scope.runtime("PageSpec");
    let info = scope.runtime("PageInfo");
    let paging_kind = scope.runtime("Paging");
    let call = scope.runtime(runtime::CALL);
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
            let request = builder.request();
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
                let builder = self.clone();
                let mut request = builder.request();
                if let #position::Url(url) = at {
                    request = request.next_page(url);
                }
            },
            next.is_none(),
        ),
    };
    let size = match &paging.size {
        Some((param, default)) => {
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
        }
        None => quote!(None),
    };
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
    let take = take_items(&paging.items, &page, &item, scope);
    // `PageSpec::read` takes `fn(&P)`: for an answer that is the list, `&Vec` it is.
    let allow_vec = matches!(answer, TypeRef::Vec(_)).then(|| quote!(#[allow(clippy::ptr_arg)]));
    let pages_doc = format!(
        " Every page of the listing, one call each as the stream is polled (nothing is asked for before), each with this request's parameters: a stream of `Result<{}, Error>`. Each page is a call like any other (credentials, retries, `Retry-After`, timeouts); a failure ends the stream with `Error::Page`, which says where to resume ([`pages_from`](Self::pages_from)).",
        page_name(answer)
    );
    quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> #pages<'a, #page, #error_body> {
            self.pages_from(#position::First)
        }

        /// Like [`pages`](Self::pages), from `at`: where an `Error::Page` stopped
        /// (`error.resume_from()`), or a position saved before.
        pub fn pages_from(self, at: #position) -> #pages<'a, #page, #error_body> {
            let spec = #spec {
                operation: #operation,
                paging: #kind,
                size: #size,
                link_header: #link_header,
                read: Self::page_info,
            };
            let fetch = move |at: &#position| {
                #prepare
                let client: &'a _ = builder.client;
                #call::new(&client.transport, request, builder.options, Self::read).send_with_meta()
            };
            #pages::new(spec, at, Box::new(fetch))
        }

        /// Every item of every page, in order, holding one page at a time: see
        /// [`pages`](Self::pages). `.max_items(n)` stops after `n` items without asking for
        /// another page.
        pub fn items(self) -> #items<'a, #page, #item, #error_body> {
            self.pages().items(Self::page_items)
        }

        /// Like [`items`](Self::items), from `at` (see [`pages_from`](Self::pages_from)).
        pub fn items_from(self, at: #position) -> #items<'a, #page, #item, #error_body> {
            self.pages_from(at).items(Self::page_items)
        }

        #allow_vec
        fn page_info(page: &#page) -> #info {
            #info {
                count: #count,
                next: #next,
                has_more: #has_more,
                total: #total,
            }
        }

        fn page_items(page: #page) -> #vec<#item> {
            #take
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

/// The answer's type name, for docs.
fn page_name(answer: &TypeRef) -> String {
    match answer {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Vec(_) => "Vec<_>".to_owned(),
        _ => "_".to_owned(),
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
