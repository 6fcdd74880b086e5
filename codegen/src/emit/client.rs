//! `src/client.rs`: the client, its builder with a setter per security scheme, and a method per
//! operation that starts its request.

use super::args::{from_string, takes_into_string};
use super::features::{Gates, gate};
use super::requests::RequestNames;
use super::scope::{Scope, TypesAt};
use super::settings::api_name;
use super::text::{Para, doc, doc_paragraphs, ident};
use crate::ir::{Api, Location, Operation, SchemeKind};
use crate::vocabulary::{USER_AGENT, krate, runtime};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

pub(crate) fn client_module(
    api: &Api,
    type_names: &BTreeSet<String>,
    requests: &RequestNames,
    gates: &Gates,
) -> TokenStream {
    let local = ["Client", "ClientBuilder", USER_AGENT]
        .into_iter()
        .map(str::to_owned)
        .chain(api.schemes.iter().map(|s| s.constant.clone()));
    let scope = Scope::new(type_names, TypesAt::Module, local);
    let w = &scope;
    let scheme_kind = || scope.runtime(runtime::SCHEME_KIND);
    let scheme_consts: Vec<TokenStream> = api
        .schemes
        .iter()
        .map(|scheme| {
            let constant = ident(&scheme.constant);
            let name = &scheme.name;
            let kind = scheme_kind();
            let kind = match &scheme.kind {
                SchemeKind::ApiKey { location, name } => {
                    let location = ident(match location {
                        Location::Query => "Query",
                        Location::Cookie => "Cookie",
                        _ => "Header",
                    });
                    let key_location = scope.runtime(runtime::API_KEY_LOCATION);
                    quote!(#kind::ApiKey { location: #key_location::#location, name: #name })
                }
                SchemeKind::Bearer => quote!(#kind::Bearer),
                SchemeKind::Basic => quote!(#kind::Basic),
            };
            let note = format!(" The `{name}` security scheme.");
            let security_scheme = scope.runtime(runtime::SECURITY_SCHEME);
            quote! {
                #[doc = #note]
                const #constant: #security_scheme = #security_scheme { name: #name, kind: #kind };
            }
        })
        .collect();
    let string = scope.string();
    let setters: Vec<TokenStream> = api.schemes.iter().map(|scheme| {
        let setter = ident(&scheme.setter);
        let constant = ident(&scheme.constant);
        let credential = scope.runtime(runtime::CREDENTIAL);
        let how = match &scheme.kind {
            SchemeKind::ApiKey { location, name } => {
                format!("An API key, sent as-is in the `{name}` {}.", location.word())
            }
            SchemeKind::Bearer => "A token, sent as `Authorization: Bearer <token>`.".to_owned(),
            SchemeKind::Basic => "A user name and password, sent as HTTP basic authentication.".to_owned(),
        };
        let scheme_line = format!("Credential for the `{}` security scheme. {how}", scheme.name);
        let docs = doc_paragraphs(&[
            Para::Document(scheme.description.as_deref()),
            Para::Own(Some(&scheme_line)),
        ]);
        match scheme.kind {
            SchemeKind::Basic => quote! {
                #docs
                pub fn #setter(self, username: impl Into<#string>, password: impl Into<#string>) -> Self {
                    ClientBuilder { inner: self.inner.credential(#constant, #credential::basic(username, password)) }
                }
            },
            _ => quote! {
                #docs
                pub fn #setter(self, credential: impl Into<#string>) -> Self {
                    ClientBuilder { inner: self.inner.credential(#constant, #credential::token(credential)) }
                }
            },
        }
    }).collect();
    let (default_const, default_arg, base_doc) = match &api.default_base_url {
        Some(url) => (
            quote! {
                /// The first server the API document lists, used when no base URL is set.
                pub const DEFAULT_BASE_URL: &'static str = #url;
            },
            quote!(Some(Client::DEFAULT_BASE_URL)),
            format!("The base URL; defaults to [`Client::DEFAULT_BASE_URL`] (`{url}`)."),
        ),
        None => (
            TokenStream::new(),
            quote!(None),
            "The base URL. The API document names no absolute server, so this must be set."
                .to_owned(),
        ),
    };
    let base_doc = doc(Some(&base_doc));
    let methods: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| gate(gates.operation(&op.name), operation_method(op, requests, w)))
        .collect();
    let name = api_name(api);
    let title_line = if api.version.is_empty() {
        format!("Client for {name}.")
    } else {
        format!("Client for {name}, version {}.", api.version)
    };
    let client_doc = doc_paragraphs(&[
        Para::Own(Some(&title_line)),
        Para::Own(Some(
            "Cheap to clone: clones share the connection pool and credentials.",
        )),
    ]);
    let transport = scope.runtime(runtime::TRANSPORT);
    let transport_builder = scope.runtime(runtime::TRANSPORT_BUILDER);
    let error = scope.path(&format!("crate::{}", krate::ERROR));
    let result = scope.prelude("Result", "::std::result::Result");
    let duration = scope.path("std::time::Duration");
    let retry_policy = scope.runtime(runtime::RETRY_POLICY);
    let clock = scope.runtime(runtime::CLOCK);
    let arc = scope.path("std::sync::Arc");
    let http_client = scope.runtime("reqwest::Client");
    let user_agent = ident(USER_AGENT);
    let uses = scope.uses();
    quote! {
        //! The client, and the builder that configures it.

        #uses

        /// The `User-Agent` of the default HTTP client.
        const #user_agent: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #(#scheme_consts)*

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) transport: #transport,
        }

        impl Client {
            #default_const

            /// A client for `base_url` with the default HTTP client and no credentials.
            /// A base URL that is not a valid http(s) URL is reported by the first call.
            pub fn new(base_url: &str) -> Self {
                Client { transport: #transport::new(base_url, #user_agent) }
            }

            /// A builder for a client with credentials or other settings.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: #transport::builder(#user_agent) }
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
            inner: #transport_builder,
        }

        impl ClientBuilder {
            #base_doc
            pub fn base_url(self, base_url: impl Into<#string>) -> Self {
                ClientBuilder { inner: self.inner.base_url(base_url) }
            }

            /// Your own `reqwest::Client` (proxy, TLS, cookie store, connection tuning). Its own
            /// timeout and user agent then apply. Build it with
            /// `redirect(reqwest::redirect::Policy::none())`: the client follows redirects
            /// itself, so that credentials never follow one to another host.
            pub fn http_client(self, client: #http_client) -> Self {
                ClientBuilder { inner: self.inner.http_client(client) }
            }

            /// Time allowed for each attempt of a call (60 seconds unless set).
            pub fn timeout(self, timeout: #duration) -> Self {
                ClientBuilder { inner: self.inner.timeout(timeout) }
            }

            /// Time allowed to open a connection, with the default HTTP client (10 seconds
            /// unless set).
            pub fn connect_timeout(self, timeout: #duration) -> Self {
                ClientBuilder { inner: self.inner.connect_timeout(timeout) }
            }

            /// Time allowed for a whole call, retries and waits included (5 minutes unless
            /// set).
            pub fn total_timeout(self, timeout: #duration) -> Self {
                ClientBuilder { inner: self.inner.total_timeout(timeout) }
            }

            /// How calls are retried: by default twice, for idempotent methods, after 0.5 s
            /// then 1 s (or what the server asks in `Retry-After`, up to 8 s).
            pub fn retry_policy(self, policy: #retry_policy) -> Self {
                ClientBuilder { inner: self.inner.retry_policy(policy) }
            }

            /// The size of the retry budget all clones of the client share (500 tokens; a
            /// retry takes 5, or 10 after a timeout, and a success gives back).
            pub fn retry_budget(self, tokens: u32) -> Self {
                ClientBuilder { inner: self.inner.retry_budget(tokens) }
            }

            /// Lets `host` receive the credentials too, besides the base URL's origin. A
            /// redirect (or a link in an answer) to any other origin is followed without them:
            /// no API key, token, password or cookie.
            pub fn trust_host(self, host: impl Into<#string>) -> Self {
                ClientBuilder { inner: self.inner.trust_host(host) }
            }

            /// The largest response body a call reads, in bytes (64 MiB unless set); a larger
            /// one is an error, and nothing past the limit is read.
            pub fn max_body_size(self, bytes: u64) -> Self {
                ClientBuilder { inner: self.inner.max_body_size(bytes) }
            }

            /// The clock retries and polls wait on; tests pass a manual one.
            pub fn clock(self, clock: #arc<dyn #clock>) -> Self {
                ClientBuilder { inner: self.inner.clock(clock) }
            }

            #(#setters)*

            /// Builds the client; fails when the base URL is missing or not an http(s) URL.
            pub fn build(self) -> #result<Client, #error> {
                Ok(Client { transport: self.inner.build(#default_arg)? })
            }
        }
    }
}

/// The method on `Client` that starts a request: required parameters and body as arguments.
fn operation_method(op: &Operation, names: &RequestNames, w: &Scope) -> TokenStream {
    let string = w.string();
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &op.params {
        let field = ident(&p.name);
        if p.required {
            if takes_into_string(&p.ty) {
                args.push(quote!(#field: impl Into<#string>));
                let value = from_string(&p.ty, quote!(#field), w);
                inits.push(quote!(#field: #value));
            } else {
                let ty = w.ty(&p.ty);
                args.push(quote!(#field: #ty));
                inits.push(quote!(#field));
            }
            let place = p.location.word();
            let text = p.doc.as_deref().map(|d| {
                super::text::from_document(&d.split_whitespace().collect::<Vec<_>>().join(" "))
            });
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
        Para::Document(op.summary.as_deref()),
        Para::Document(
            op.description
                .as_deref()
                .filter(|d| Some(*d) != op.summary.as_deref()),
        ),
        Para::Own(deprecated),
        Para::Own(Some(&route)),
        Para::Own(args_doc.as_deref()),
        Para::Own(optional_doc.as_deref()),
    ]);
    let requests = w.path("crate::requests");
    let params = ident(&names.params[&op.builder]);
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> #requests::#builder<'_> {
            #requests::call(self, #requests::#params { #(#inits),* })
        }
    }
}
