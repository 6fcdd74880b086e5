//! `src/requests.rs`: one request builder per operation. It holds the arguments, offers a
//! setter per optional parameter, and is sent by `.await` or `send()`.

use super::client::{from_string, takes_into_string};
use super::{TypeWriter, doc, doc_paragraphs, ident};
use crate::ir::{
    Api, BodyKind, Decode, ErrorDecode, Location, Operation, Output, Status, Style, TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(crate) fn requests_module(api: &Api, w: &TypeWriter<'_>) -> TokenStream {
    let builders = api.operations.iter().map(|op| builder(op, w));
    let uses_error_body = api.operations.iter().any(|op| {
        op.errors
            .iter()
            .any(|e| matches!(e.decode, ErrorDecode::Json(_) | ErrorDecode::Text(_)))
    });
    let error_body = if uses_error_body {
        quote!(ErrorBody,)
    } else {
        TokenStream::new()
    };
    let uses_query = api
        .operations
        .iter()
        .any(|op| op.params.iter().any(|p| p.location == Location::Query));
    let query_style = if uses_query {
        quote!(QueryStyle,)
    } else {
        TokenStream::new()
    };
    let uses_types = api.operations.iter().any(mentions_types);
    let types = if uses_types {
        quote!(types,)
    } else {
        TokenStream::new()
    };
    let imports = if api.operations.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            use crate::{#error_body #types Client, Error};
            use apigen_runtime::{#query_style BoxFuture, Method, Request};
            use std::future::IntoFuture;
        }
    };
    quote! {
        //! Request builders, one per operation. Each is returned by a method of
        //! [`Client`](crate::Client); set optional parameters on it, then `.await` it.

        #imports

        #(#builders)*
    }
}

fn mentions_types(op: &Operation) -> bool {
    op.params.iter().any(|p| p.ty.mentions_named())
        || op.body.as_ref().is_some_and(|b| b.ty.mentions_named())
        || match &op.output {
            Output::Single(ty) => ty.mentions_named(),
            Output::Several(_) => true,
            Output::Raw => false,
        }
}

fn output_type(op: &Operation, w: &TypeWriter<'_>) -> TokenStream {
    match &op.output {
        Output::Single(ty) => w.ty(ty),
        Output::Several(name) => w.ty(&TypeRef::Named(name.clone())),
        Output::Raw => quote!(apigen_runtime::Response),
    }
}

fn builder(op: &Operation, w: &TypeWriter<'_>) -> TokenStream {
    let name = ident(&op.builder);
    let method_name = &op.name;
    let builder_doc = format!(
        " A call to [`Client::{method_name}`]: set optional parameters, then `.await` it (or call [`send`](Self::send))."
    );
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let field = ident(&p.name);
        let ty = w.ty(&p.ty);
        if p.required {
            fields.push(quote!(pub(crate) #field: #ty,));
        } else {
            fields.push(quote!(pub(crate) #field: Option<#ty>,));
            let wire_doc = format!(
                "Sets the optional {} parameter `{}`.",
                location_word(p.location),
                p.wire
            );
            let docs = doc_paragraphs(&[p.doc.as_deref(), Some(&wire_doc)]);
            let converted = from_string(&p.ty, quote!(value));
            setters.push(if takes_into_string(&p.ty) {
                quote! {
                    #docs
                    pub fn #field(mut self, value: impl Into<String>) -> Self {
                        self.#field = Some(#converted);
                        self
                    }
                }
            } else {
                quote! {
                    #docs
                    pub fn #field(mut self, value: #ty) -> Self {
                        self.#field = Some(value);
                        self
                    }
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let ty = w.ty(&body.ty);
        if body.required {
            fields.push(quote!(pub(crate) body: #ty,));
        } else {
            fields.push(quote!(pub(crate) body: Option<#ty>,));
            let docs = doc(body.doc.as_deref());
            setters.push(quote! {
                #docs
                /// Sets the optional request body.
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = Some(value);
                    self
                }
            });
        }
    }
    let output = output_type(op, w);
    let send = send_body(op);
    quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #name<'a> {
            pub(crate) client: &'a Client,
            #(#fields)*
        }

        impl<'a> #name<'a> {
            #(#setters)*

            /// Sends the request and reads the response.
            pub async fn send(self) -> Result<#output, Error> {
                #send
            }
        }

        impl<'a> IntoFuture for #name<'a> {
            type Output = Result<#output, Error>;
            type IntoFuture = BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn query_style(style: Style) -> TokenStream {
    match style {
        Style::SpaceDelimited => quote!(QueryStyle::SpaceDelimited),
        Style::PipeDelimited => quote!(QueryStyle::PipeDelimited),
        Style::DeepObject => quote!(QueryStyle::DeepObject),
        Style::Form { explode } => quote!(QueryStyle::Form { explode: #explode }),
        _ => quote!(QueryStyle::Form { explode: true }),
    }
}

/// The runtime call that adds a path parameter in its style.
fn path_param(wire: &str, value: TokenStream, style: Style) -> TokenStream {
    let path_style = match style {
        Style::Label { explode } => quote!(apigen_runtime::PathStyle::Label { explode: #explode }),
        Style::Matrix { explode } => {
            quote!(apigen_runtime::PathStyle::Matrix { explode: #explode })
        }
        Style::Simple { explode: true } => {
            quote!(apigen_runtime::PathStyle::Simple { explode: true })
        }
        _ => return quote!(.path_param(#wire, #value)),
    };
    quote!(.path_param_with(#wire, #value, #path_style))
}

/// The body of `send`: build the request, send it, turn the status into a result.
fn send_body(op: &Operation) -> TokenStream {
    let method = ident(&op.method);
    let path = &op.path;
    let mut chain = Vec::new();
    for p in &op.params {
        let field = ident(&p.name);
        let wire = &p.wire;
        chain.push(match p.location {
            Location::Path => path_param(wire, quote!(&self.#field), p.style),
            Location::Query => {
                let style = query_style(p.style);
                quote!(.query(#wire, &self.#field, #style))
            }
            Location::Header => match p.style {
                Style::Simple { explode: true } => quote!(.header_with(#wire, &self.#field, true)),
                _ => quote!(.header(#wire, &self.#field)),
            },
            Location::Cookie => quote!(.cookie(#wire, &self.#field)),
        });
    }
    if let Some(accept) = &op.accept {
        chain.push(quote!(.accept(#accept)));
    }
    if !op.security.is_empty() {
        let alternatives = op.security.iter().map(|alt| quote!(&[#(#alt),*]));
        chain.push(quote!(.security(&[#(#alternatives),*])));
    }
    // `value` is a reference to the body, `base` the place its fields are read from.
    let attach = |value: TokenStream, base: TokenStream| -> TokenStream {
        let Some(body) = &op.body else {
            return TokenStream::new();
        };
        let content_type = &body.content_type;
        match &body.kind {
            BodyKind::Json => quote!(.json(#value)),
            BodyKind::Form => quote!(.form(#value)),
            BodyKind::Multipart(Some(parts)) => {
                let parts = parts.iter().map(|part| {
                    let name = &part.name;
                    let field = ident(&part.field);
                    if part.file {
                        quote!(.file(#name, &#base.#field))
                    } else {
                        quote!(.field(#name, &#base.#field))
                    }
                });
                quote!(.multipart(apigen_runtime::Multipart::new() #(#parts)*))
            }
            BodyKind::Multipart(None) => {
                quote!(.multipart(apigen_runtime::Multipart::fields_of(#value)))
            }
            BodyKind::Bytes => quote!(.bytes(#content_type, #base.clone())),
            BodyKind::Text => quote!(.text(#content_type, #base.clone())),
        }
    };
    let build = match &op.body {
        Some(body) if !body.required => {
            let attach_body = attach(quote!(body), quote!(body));
            quote! {
                let mut request = Request::new(Method::#method, #path) #(#chain)*;
                if let Some(body) = &self.body {
                    request = request #attach_body;
                }
            }
        }
        Some(_) => {
            let attach_body = attach(quote!(&self.body), quote!(self.body));
            quote! {
                let request = Request::new(Method::#method, #path) #(#chain)* #attach_body;
            }
        }
        None => quote! {
            let request = Request::new(Method::#method, #path) #(#chain)*;
        },
    };
    let arms = status_arms(op);
    quote! {
        #build
        let response = self.client.transport.send(request).await?;
        match response.status().as_u16() {
            #(#arms)*
        }
    }
}

fn status_pattern(status: Status) -> Option<TokenStream> {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            Some(quote!(#code))
        }
        Status::Range(d) => {
            let low = Literal::u16_unsuffixed(d * 100);
            let high = Literal::u16_unsuffixed(d * 100 + 99);
            Some(quote!(#low..=#high))
        }
        Status::Default => None,
    }
}

fn status_arms(op: &Operation) -> Vec<TokenStream> {
    // (sort key, pattern or None for the catch-all, expression)
    let mut arms: Vec<(Status, Option<TokenStream>, TokenStream)> = Vec::new();
    for case in &op.success {
        let read = match &case.decode {
            Decode::Json(_) => match &case.within {
                Some(key) => quote!(response.json_or_within(#key)),
                None => quote!(response.json()),
            },
            Decode::Text => quote!(response.text()),
            Decode::Bytes => quote!(response.bytes()),
            Decode::Empty => quote!(response.empty()),
        };
        let expr = match (&op.output, &case.variant) {
            (Output::Several(name), Some(variant)) => {
                let name = ident(name);
                let variant = ident(variant);
                if case.decode == Decode::Empty {
                    quote!(response.empty().map(|()| types::#name::#variant))
                } else {
                    quote!(#read.map(types::#name::#variant))
                }
            }
            _ => read,
        };
        arms.push((case.status, status_pattern(case.status), expr));
    }
    if op.output == Output::Raw {
        arms.push((
            Status::Range(2),
            status_pattern(Status::Range(2)),
            quote!(Ok(response)),
        ));
    }
    for case in &op.errors {
        let expr = match &case.decode {
            ErrorDecode::Json(variant) => {
                let variant = ident(variant);
                quote!(Err(response.error(ErrorBody::#variant)))
            }
            ErrorDecode::Text(variant) => {
                let variant = ident(variant);
                quote!(Err(response.error_text(ErrorBody::#variant)))
            }
            ErrorDecode::Untyped => quote!(Err(response.unexpected())),
        };
        arms.push((case.status, status_pattern(case.status), expr));
    }
    // Exact codes first, then ranges, then the catch-all.
    arms.sort_by_key(|(status, _, _)| match status {
        Status::Code(c) => (0, *c),
        Status::Range(d) => (1, *d),
        Status::Default => (2, 0),
    });
    let has_default = arms.iter().any(|(_, pattern, _)| pattern.is_none());
    let mut out: Vec<TokenStream> = arms
        .into_iter()
        .map(|(_, pattern, expr)| match pattern {
            Some(pattern) => quote!(#pattern => #expr,),
            None => quote!(_ => #expr,),
        })
        .collect();
    if !has_default {
        out.push(quote!(_ => Err(response.unexpected()),));
    }
    out
}
