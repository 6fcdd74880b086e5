//! `src/client.rs` (the client, its builder, the security schemes) and `src/error.rs`.

use super::{TypeWriter, doc, doc_paragraphs, ident};
use crate::ir::{Api, Location, Operation, SchemeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn client_module(api: &Api, w: &TypeWriter<'_>) -> TokenStream {
    let scheme_consts = api.schemes.iter().map(|scheme| {
        let constant = ident(&scheme.constant);
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SchemeKind::ApiKey { location, name } => {
                let location = ident(location);
                quote!(SchemeKind::ApiKey { location: ApiKeyLocation::#location, name: #name })
            }
            SchemeKind::Bearer => quote!(SchemeKind::Bearer),
            SchemeKind::Basic => quote!(SchemeKind::Basic),
        };
        let note = format!(" The `{name}` security scheme.");
        quote! {
            #[doc = #note]
            const #constant: SecurityScheme = SecurityScheme { name: #name, kind: #kind };
        }
    });
    let setters = api.schemes.iter().map(|scheme| {
        let setter = ident(&scheme.setter);
        let constant = ident(&scheme.constant);
        let how = match &scheme.kind {
            SchemeKind::ApiKey { location, name } => {
                format!("An API key, sent as-is in the `{name}` {}.", location.to_ascii_lowercase())
            }
            SchemeKind::Bearer => "A token, sent as `Authorization: Bearer <token>`.".to_owned(),
            SchemeKind::Basic => "A user name and password, sent as HTTP basic authentication.".to_owned(),
        };
        let scheme_line = format!("Credential for the `{}` security scheme. {how}", scheme.name);
        let docs = doc_paragraphs(&[scheme.description.as_deref(), Some(&scheme_line)]);
        match scheme.kind {
            SchemeKind::Basic => quote! {
                #docs
                pub fn #setter(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    ClientBuilder { inner: self.inner.credential(#constant, Credential::basic(username, password)) }
                }
            },
            _ => quote! {
                #docs
                pub fn #setter(self, credential: impl Into<String>) -> Self {
                    ClientBuilder { inner: self.inner.credential(#constant, Credential::token(credential)) }
                }
            },
        }
    });
    let (default_const, default_arg, base_doc) = match &api.default_base_url {
        Some(url) => (
            quote! {
                /// The first server the API document lists, used when no base URL is set.
                pub const DEFAULT_BASE_URL: &'static str = #url;
            },
            quote!(Some(Client::DEFAULT_BASE_URL)),
            format!(" The base URL; defaults to [`Client::DEFAULT_BASE_URL`] (`{url}`)."),
        ),
        None => (
            TokenStream::new(),
            quote!(None),
            " The base URL. The API document names no absolute server, so this must be set."
                .to_owned(),
        ),
    };
    let methods = api.operations.iter().map(|op| operation_method(op, w));
    let name = super::files::api_name(api);
    let title_line = if api.version.is_empty() {
        format!("Client for {name}.")
    } else {
        format!("Client for {name}, version {}.", api.version)
    };
    let client_doc = doc_paragraphs(&[
        Some(&title_line),
        Some("Cheap to clone: clones share the connection pool and credentials."),
    ]);
    let uses_schemes = if api.schemes.is_empty() {
        TokenStream::new()
    } else if api
        .schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::ApiKey { .. }))
    {
        quote!(
            use apigen_runtime::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
        )
    } else {
        quote!(
            use apigen_runtime::{Credential, SchemeKind, SecurityScheme};
        )
    };
    let arg_types = api.operations.iter().any(|op| {
        op.params
            .iter()
            .any(|p| p.required && p.ty.mentions_named())
            || op
                .body
                .as_ref()
                .is_some_and(|b| b.required && b.ty.mentions_named())
    });
    let types = if arg_types {
        quote!(types,)
    } else {
        TokenStream::new()
    };
    let requests = if api.operations.is_empty() {
        TokenStream::new()
    } else {
        quote!(requests,)
    };
    quote! {
        use crate::{#types #requests Error};
        use apigen_runtime::{Transport, TransportBuilder};
        #uses_schemes

        /// The `User-Agent` of the default HTTP client.
        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #(#scheme_consts)*

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) transport: Transport,
        }

        impl Client {
            #default_const

            /// A client for `base_url` with the default HTTP client and no credentials.
            /// A base URL that is not a valid http(s) URL is reported by the first call.
            pub fn new(base_url: &str) -> Self {
                Client { transport: Transport::new(base_url, USER_AGENT) }
            }

            /// A builder for a client with credentials or other settings.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: Transport::builder(USER_AGENT) }
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            #(#methods)*
        }

        /// Configures a [`Client`]: base URL, credentials, HTTP client, timeout.
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: TransportBuilder,
        }

        impl ClientBuilder {
            #[doc = #base_doc]
            pub fn base_url(self, base_url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.base_url(base_url) }
            }

            /// Your own `reqwest::Client` (proxy, TLS, cookie store, connection tuning). Its own
            /// timeout and user agent then apply.
            pub fn http_client(self, client: apigen_runtime::reqwest::Client) -> Self {
                ClientBuilder { inner: self.inner.http_client(client) }
            }

            /// Time allowed for a whole request with the default HTTP client (60 seconds unless set).
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.timeout(timeout) }
            }

            #(#setters)*

            /// Builds the client; fails when the base URL is missing or not an http(s) URL.
            pub fn build(self) -> Result<Client, Error> {
                Ok(Client { transport: self.inner.build(#default_arg)? })
            }
        }
    }
}

/// Whether an argument of this type is taken as `impl Into<String>`.
pub(crate) fn takes_into_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Secret)
}

/// Turns an `impl Into<String>` argument into the stored value.
pub(crate) fn from_string(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Secret => quote!(apigen_runtime::Secret::new(#value)),
        _ => quote!(#value.into()),
    }
}

/// The method on `Client` that starts a request: required parameters and body as arguments.
fn operation_method(op: &Operation, w: &TypeWriter<'_>) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &op.params {
        let field = ident(&p.name);
        if p.required {
            if takes_into_string(&p.ty) {
                args.push(quote!(#field: impl Into<String>));
                let value = from_string(&p.ty, quote!(#field));
                inits.push(quote!(#field: #value));
            } else {
                let ty = w.ty(&p.ty);
                args.push(quote!(#field: #ty));
                inits.push(quote!(#field));
            }
            let place = match p.location {
                Location::Path => "path",
                Location::Query => "query",
                Location::Header => "header",
                Location::Cookie => "cookie",
            };
            let text = p
                .doc
                .as_deref()
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
            arg_docs.push(match text {
                Some(text) => format!("- `{}`: {text} ({place} `{}`)", p.name, p.wire),
                None => format!("- `{}`: {place} `{}`", p.name, p.wire),
            });
        } else {
            inits.push(quote!(#field: None));
        }
    }
    if let Some(body) = &op.body {
        if body.required {
            let ty = w.ty(&body.ty);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
            arg_docs.push(format!(
                "- `body`: the request body ({})",
                body.content_type
            ));
        } else {
            inits.push(quote!(body: None));
        }
    }
    let route = format!("`{} {}`", op.method, op.path);
    let deprecated = op
        .deprecated
        .then_some("**Deprecated** by the API document.");
    let args_doc = (!arg_docs.is_empty()).then(|| arg_docs.join("\n"));
    let optional: Vec<&str> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| p.name.as_str())
        .collect();
    let optional_doc = match (
        optional.is_empty(),
        op.body.as_ref().is_some_and(|b| !b.required),
    ) {
        (true, false) => None,
        (_, with_body) => {
            let mut names: Vec<String> = optional.iter().map(|n| format!("`{n}`")).collect();
            if with_body {
                names.push("`body`".to_owned());
            }
            Some(format!(
                "Optional, set on the returned request: {}.",
                names.join(", ")
            ))
        }
    };
    let docs = doc_paragraphs(&[
        op.summary.as_deref(),
        op.description
            .as_deref()
            .filter(|d| Some(*d) != op.summary.as_deref()),
        deprecated,
        Some(&route),
        args_doc.as_deref(),
        optional_doc.as_deref(),
    ]);
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> requests::#builder<'_> {
            requests::#builder { client: self, #(#inits),* }
        }
    }
}

pub(crate) fn error_module(api: &Api, w: &TypeWriter<'_>) -> TokenStream {
    let variants = api.error_variants.iter().map(|v| {
        let name = ident(&v.name);
        let ty = w.ty(&v.ty);
        let text = match &v.ty {
            TypeRef::Named(n) => format!(" A [`{n}`](crate::types::{n}) error body."),
            _ => " An error body.".to_owned(),
        };
        quote! {
            #[doc = #text]
            #name(#ty),
        }
    });
    let body_doc = doc(Some(
        "The error bodies the API documents, one variant per type. Which statuses carry which body is said on each operation's method.",
    ));
    let uses_types = api.error_variants.iter().any(|v| v.ty.mentions_named());
    let use_types = if uses_types {
        quote!(
            use crate::types;
        )
    } else {
        TokenStream::new()
    };
    quote! {
        //! The error type of every call.

        #use_types

        #body_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum ErrorBody {
            #(#variants)*
        }

        /// The error of every call: a documented error response ([`ErrorBody`]), an
        /// undocumented status, a body that does not match its documented type, a transport
        /// failure or an invalid request. Each keeps what a caller needs to act on it.
        pub type Error = apigen_runtime::Error<ErrorBody>;
    }
}
