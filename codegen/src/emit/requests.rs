//! `src/requests.rs`: one request builder per operation. It holds the arguments, offers a
//! setter per optional parameter, and is sent by `.await` or `send()`.

use super::args::{from_string, takes_into_string};
use super::features::{Gates, gate};
use super::parallel::Pieces;
use super::scope::{Scope, TypesAt};
use super::text::{Para, doc, doc_paragraphs, ident};
use crate::ir::{
    Api, BodyKind, Decode, ErrorDecode, Framing, Location, Operation, Output, Status, Stream, Style,
};
use crate::vocabulary::{krate, runtime};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The names `requests.rs` defines: the generic call every builder is, and per operation its
/// builder (an alias of the call) and the struct of its parameters.
pub(crate) struct RequestNames {
    /// `Call`, unless an operation's builder has that name.
    pub call: String,
    /// By builder name, the name of the operation's parameters (`ListRunsParams`).
    pub params: BTreeMap<String, String>,
    /// Every name above.
    pub all: BTreeSet<String>,
}

pub(crate) fn request_names(api: &Api) -> RequestNames {
    let mut all: BTreeSet<String> = api.operations.iter().map(|op| op.builder.clone()).collect();
    let call = ["Call", "ApiCall", "OperationCall"]
        .into_iter()
        .find(|name| !all.contains(*name))
        .unwrap_or("GeneratedCall")
        .to_owned();
    all.insert(call.clone());
    let mut params = BTreeMap::new();
    for op in &api.operations {
        let mut name = format!("{}Params", op.builder);
        while all.contains(&name) {
            name.push('_');
        }
        all.insert(name.clone());
        params.insert(op.builder.clone(), name);
    }
    RequestNames { call, params, all }
}

/// The file's items are the builders, one per operation; `builders` are their names.
pub(crate) fn requests_file<'a>(
    api: &'a Api,
    type_names: &'a BTreeSet<String>,
    names: &'a RequestNames,
    gates: &'a Gates,
) -> Pieces<'a> {
    Pieces {
        scope: Box::new(move || Scope::sharing(type_names, TypesAt::Module, &names.all)),
        items: api.operations.len() + 1,
        item: Box::new(move |index, scope| match index {
            0 if api.operations.is_empty() => TokenStream::new(),
            0 => generic_call(api, &names.call, scope),
            _ => {
                let op = &api.operations[index - 1];
                gate(gates.operation(&op.name), builder(op, names, scope))
            }
        }),
        head: Box::new(|scope| {
            let uses = scope.uses();
            quote! {
                //! Request builders, one per operation. Each is returned by a method of the [client](crate::Client); set
                //! optional parameters on it, then `.await` it.

                #uses
            }
        }),
    }
}

/// The call every builder is, and what every call offers: per-call options, sending, awaiting
/// and, for listings, every page. Generic, so that this code is checked once, not once per
/// operation.
fn generic_call(api: &Api, call: &str, scope: &Scope) -> TokenStream {
    let call = ident(call);
    let client = scope.path(&format!("crate::{}", krate::CLIENT));
    let error = scope.path(&format!("crate::{}", krate::ERROR));
    let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
    let call_options = scope.runtime(runtime::CALL_OPTIONS);
    let retry_policy = scope.runtime(runtime::RETRY_POLICY);
    let duration = scope.path("std::time::Duration");
    let string = scope.string();
    let result = scope.prelude("Result", "::std::result::Result");
    let default = scope.prelude("Default", "::std::default::Default");
    let sending = api.operations.iter().any(|op| op.output != Output::Stream).then(|| {
        let operation = scope.runtime("Operation");
        let box_future = scope.runtime(runtime::BOX_FUTURE);
        let with_meta = scope.runtime(runtime::WITH_META);
        let into_future = scope.path("std::future::IntoFuture");
        let send = scope.runtime("send");
        let send_with_meta = scope.runtime("send_with_meta");
        quote! {
            impl<'a, P: #operation<ErrorBody = #error_body>> #call<'a, P> {
                /// Sends the request and reads the response.
                pub fn send(self) -> #box_future<'a, #result<P::Output, #error>> {
                    #send(&self.client.transport, &self.params, self.options)
                }

                /// Like [`send`](Self::send), with the response's status and headers (the vendor's
                /// request id among them) and the number of attempts made.
                pub fn send_with_meta(self) -> #box_future<'a, #result<#with_meta<P::Output>, #error>> {
                    #send_with_meta(&self.client.transport, &self.params, self.options)
                }
            }

            impl<'a, P: #operation<ErrorBody = #error_body>> #into_future for #call<'a, P> {
                type Output = #result<P::Output, #error>;
                type IntoFuture = #box_future<'a, Self::Output>;

                fn into_future(self) -> Self::IntoFuture {
                    self.send()
                }
            }
        }
    });
    let listing = api.operations.iter().any(|op| op.pagination.is_some()).then(|| {
        let listing = scope.runtime("Listing");
        let pages = scope.runtime("Pages");
        let items = scope.runtime("Items");
        let position = scope.runtime("PagePosition");
        let pages_fn = scope.runtime("pages");
        quote! {
            impl<'a, P: #listing<ErrorBody = #error_body>> #call<'a, P> {
                /// Every page of the listing, one call each as the stream is polled (nothing is
                /// asked for before), each with this request's parameters. Each page is a call
                /// like any other (credentials, retries, `Retry-After`, timeouts); a failure ends
                /// the stream with `Error::Page`, which says where to resume
                /// ([`pages_from`](Self::pages_from)).
                pub fn pages(self) -> #pages<'a, P::Output, #error_body> {
                    self.pages_from(#position::First)
                }

                /// Like [`pages`](Self::pages), from `at`: where an `Error::Page` stopped
                /// (`error.resume_from()`), or a position saved before.
                pub fn pages_from(self, at: #position) -> #pages<'a, P::Output, #error_body> {
                    #pages_fn(&self.client.transport, self.params, self.options, at)
                }

                /// Every item of every page, in order, holding one page at a time: see
                /// [`pages`](Self::pages). `.max_items(n)` stops after `n` items without asking
                /// for another page.
                pub fn items(self) -> #items<'a, P::Output, P::Item, #error_body> {
                    self.pages().items(P::page_items)
                }

                /// Like [`items`](Self::items), from `at` (see [`pages_from`](Self::pages_from)).
                pub fn items_from(self, at: #position) -> #items<'a, P::Output, P::Item, #error_body> {
                    self.pages_from(at).items(P::page_items)
                }
            }
        }
    });
    quote! {
        /// A call of one operation, as a method of the [client](crate::Client) returns it: the
        /// operation's parameters (`P`) and this call's options. Set optional parameters with the
        /// methods of the operation's builder (each an alias of this type), then `.await` it (or
        /// call `send`).
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #call<'a, P> {
            pub(crate) client: &'a #client,
            pub(crate) params: P,
            pub(crate) options: #call_options,
        }

        /// A call of `params` by `client`, with the client's options: what each method of the
        /// client returns.
        pub(crate) fn call<P>(client: &#client, params: P) -> #call<'_, P> {
            #call {
                client,
                params,
                options: #default::default(),
            }
        }

        impl<'a, P> #call<'a, P> {
            /// Adds a header to this call.
            pub fn header(mut self, name: impl Into<#string>, value: impl Into<#string>) -> Self {
                self.options.header(name, value);
                self
            }

            /// The time each attempt of this call may take.
            pub fn timeout(mut self, timeout: #duration) -> Self {
                self.options.timeout(timeout);
                self
            }

            /// The time this call may take in all, retries and waits included.
            pub fn total_timeout(mut self, timeout: #duration) -> Self {
                self.options.total_timeout(timeout);
                self
            }

            /// How this call is retried.
            pub fn retry_policy(mut self, policy: #retry_policy) -> Self {
                self.options.retry_policy(policy);
                self
            }

            /// Sends `key` as the `Idempotency-Key` header, the same on every attempt, which
            /// also lets a request that is not idempotent be retried.
            pub fn idempotency_key(mut self, key: impl Into<#string>) -> Self {
                self.options.idempotency_key(key);
                self
            }

            /// The largest response body this call reads, in bytes (the client's limit
            /// unless set).
            pub fn max_body_size(mut self, bytes: u64) -> Self {
                self.options.max_body_size(bytes);
                self
            }
        }

        #sending
        #listing
    }
}

fn output_type(op: &Operation, scope: &Scope) -> TokenStream {
    match &op.output {
        Output::Single(ty) => scope.ty(ty),
        Output::Several(name) => scope.named(name),
        Output::Raw => scope.runtime("Response"),
        Output::Stream => stream_type(op, scope),
    }
}

/// The type of an operation's stream items' payload.
pub(crate) fn item_type(stream: &Stream, scope: &Scope) -> TokenStream {
    match (&stream.item, stream.framing) {
        (Some(ty), _) => scope.ty(ty),
        (None, Framing::ServerSentEvents) => scope.runtime("SseEvent"),
        (None, Framing::JsonLines) => scope.path("serde_json::Value"),
    }
}

/// `EventStream<Item, ErrorBody>`, what opening the operation's stream gives.
fn stream_type(op: &Operation, scope: &Scope) -> TokenStream {
    let Some(stream) = &op.stream else {
        return quote!(());
    };
    let event_stream = scope.runtime("EventStream");
    let item = item_type(stream, scope);
    let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
    quote!(#event_stream<#item, #error_body>)
}

/// The builder's methods that open its stream: `send` itself when the operation answers only
/// with a stream, `stream` beside the blocking `send` otherwise; and what they share.
fn stream_methods(
    op: &Operation,
    stream: &Stream,
    request: &TokenStream,
    scope: &Scope,
) -> TokenStream {
    let item = item_type(stream, scope);
    let spec = scope.runtime("StreamSpec");
    let framing = scope.runtime("Framing");
    let framing = match stream.framing {
        Framing::ServerSentEvents => quote!(#framing::ServerSentEvents),
        Framing::JsonLines => quote!(#framing::JsonLines),
    };
    let decode = match (&stream.item, stream.framing) {
        (None, Framing::ServerSentEvents) => scope.runtime("raw"),
        _ => {
            let json = scope.runtime("json");
            quote!(#json::<#item>)
        }
    };
    let terminal = match &stream.terminal {
        Some((accessor, values)) => {
            let accessor = ident(accessor);
            quote!(Some(|item: &#item| matches!(item.#accessor(), Some(#(#values)|*))))
        }
        None => quote!(None),
    };
    let result = scope.prelude("Result", "::std::result::Result");
    let error = scope.path(&format!("crate::{}", krate::ERROR));
    let box_future = scope.runtime(runtime::BOX_FUTURE);
    let response = scope.runtime(runtime::RESPONSE);
    let open_stream = scope.runtime("open_stream");
    let stream_type = stream_type(op, scope);
    let read_error_body = if op.errors.is_empty() {
        quote!(response.unexpected())
    } else {
        let arms = error_arms(op, scope);
        quote! {
            match response.status().as_u16() {
                #(#arms)*
            }
        }
    };
    let media = &stream.media_type;
    let mode = match &stream.mode {
        Some((field, _, streaming)) => quote!(.json_field(#field, #streaming)),
        None => TokenStream::new(),
    };
    let opener = if op.output == Output::Stream {
        // Sent again, the request resumes its stream where it dropped.
        let resuming = stream.resumable.then(|| {
            let resuming = scope.runtime("Resuming");
            let policy = scope.runtime("ResumePolicy");
            let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
            quote! {
                /// Opens the stream like [`send`](Self::send), and opens it again after a
                /// dropped connection, a silence or an end before the terminal event (with
                /// `Last-Event-ID` where the server sends ids; five times in a row at most,
                /// after 1 s, 2 s, 4 s...), skipping the events already seen.
                pub fn resuming(self) -> #resuming<'a, #item, #error_body> {
                    let transport = &self.client.transport;
                    let reopen = move |last_event_id: Option<String>| {
                        let mut options = self.options.clone();
                        if let Some(id) = last_event_id {
                            options.header("Last-Event-ID", id);
                        }
                        #open_stream(
                            transport,
                            #request,
                            options,
                            Self::stream_spec(),
                            Self::read_error,
                        )
                    };
                    #resuming::new(transport.clock(), #policy::default(), Box::new(reopen))
                }
            }
        });
        quote! {
            /// Sends the request and opens the stream of its events, read as they arrive.
            pub fn send(self) -> #box_future<'a, #result<#stream_type, #error>> {
                #open_stream(
                    &self.client.transport,
                    #request,
                    self.options,
                    Self::stream_spec(),
                    Self::read_error,
                )
            }

            #resuming
        }
    } else {
        let doc = match &stream.mode {
            Some((field, _, streaming)) => format!(
                " Sends the request for a stream (`{field}: {streaming}`) and opens it: its events as they arrive, where awaiting the request gives the blocking answer."
            ),
            None => " Sends the request asking for a stream of its events (`Accept: {media}`) and opens it: the events as they arrive, where awaiting the request gives the blocking answer.".replace("{media}", media),
        };
        quote! {
            #[doc = #doc]
            pub fn stream(self) -> #box_future<'a, #result<#stream_type, #error>> {
                let request = #request #mode.accept(#media);
                #open_stream(
                    &self.client.transport,
                    request,
                    self.options,
                    Self::stream_spec(),
                    Self::read_error,
                )
            }
        }
    };
    quote! {
        #opener

        /// The largest event the stream holds, in bytes (16 MiB unless set).
        pub fn max_event_size(mut self, bytes: usize) -> Self {
            self.options.max_event_size(bytes);
            self
        }

        /// How long the stream may send nothing, keep-alives included, before it ends with an
        /// error (60 s unless set).
        pub fn idle_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.idle_timeout(timeout);
            self
        }

        fn stream_spec() -> #spec<#item> {
            #spec {
                framing: #framing,
                decode: #decode,
                terminal: #terminal,
            }
        }

        fn read_error(response: #response) -> #error {
            #read_error_body
        }
    }
}

fn builder(op: &Operation, names: &RequestNames, scope: &Scope) -> TokenStream {
    let name = ident(&op.builder);
    let call = ident(&names.call);
    let params = ident(&names.params[&op.builder]);
    let method_name = &op.name;
    let builder_doc = doc(Some(&format!(
        "A call to [`Client::{method_name}`]: set its options, then `.await` it."
    )));
    let params_doc = doc(Some(&format!(
        "The parameters of [`Client::{method_name}`], held by [`{}`].",
        op.builder
    )));
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let option = scope.prelude("Option", "::std::option::Option");
    let string = scope.string();
    for p in &op.params {
        let field = ident(&p.name);
        let ty = scope.ty(&p.ty);
        if p.required {
            fields.push(quote!(pub(crate) #field: #ty,));
        } else {
            fields.push(quote!(pub(crate) #field: #option<#ty>,));
            let wire_doc = format!(
                "Sets the optional {} parameter `{}`.",
                p.location.word(),
                p.wire
            );
            let docs =
                doc_paragraphs(&[Para::Document(p.doc.as_deref()), Para::Own(Some(&wire_doc))]);
            let converted = from_string(&p.ty, quote!(value), scope);
            setters.push(if takes_into_string(&p.ty) {
                quote! {
                    #docs
                    pub fn #field(mut self, value: impl Into<#string>) -> Self {
                        self.params.#field = Some(#converted);
                        self
                    }
                }
            } else {
                quote! {
                    #docs
                    pub fn #field(mut self, value: #ty) -> Self {
                        self.params.#field = Some(value);
                        self
                    }
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let ty = scope.ty(&body.ty);
        if body.required {
            fields.push(quote!(pub(crate) body: #ty,));
        } else {
            fields.push(quote!(pub(crate) body: #option<#ty>,));
            let docs = doc_paragraphs(&[
                Para::Document(body.doc.as_deref()),
                Para::Own(Some("Sets the optional request body.")),
            ]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, value: #ty) -> Self {
                    self.params.body = Some(value);
                    self
                }
            });
        }
    }
    let output = output_type(op, scope);
    let build = build_request(op, scope);
    let request = scope.runtime(runtime::REQUEST);
    let response = scope.runtime(runtime::RESPONSE);
    let result = scope.prelude("Result", "::std::result::Result");
    let error = scope.path(&format!("crate::{}", krate::ERROR));
    let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
    // The body field that chooses the blocking answer, set for the caller.
    let blocking_mode = match op.stream.as_ref().and_then(|s| s.mode.as_ref()) {
        Some((field, blocking, _)) if op.output != Output::Stream => {
            quote!(.json_field(#field, #blocking))
        }
        _ => TokenStream::new(),
    };
    // An operation answering only with a stream makes its request itself; any other is an
    // `Operation`, which the generic call sends.
    let (operation, request_of_params) = if op.output == Output::Stream {
        let into_future = scope.path("std::future::IntoFuture");
        let box_future = scope.runtime(runtime::BOX_FUTURE);
        (
            quote! {
                impl #params {
                    fn request(&self) -> #request {
                        #build
                    }
                }

                impl<'a> #into_future for #name<'a> {
                    type Output = #result<#output, #error>;
                    type IntoFuture = #box_future<'a, Self::Output>;

                    fn into_future(self) -> Self::IntoFuture {
                        self.send()
                    }
                }
            },
            quote!(self.params.request()),
        )
    } else {
        let operation = scope.runtime("Operation");
        let read = match common_answer(op, scope) {
            Some(read) => read,
            None => {
                let arms = status_arms(op, scope);
                quote! {
                    match response.status().as_u16() {
                        #(#arms)*
                    }
                }
            }
        };
        (
            quote! {
                impl #operation for #params {
                    type Output = #output;
                    type ErrorBody = #error_body;

                    fn request(&self) -> #request {
                        #build #blocking_mode
                    }

                    fn read(response: #response) -> #result<#output, #error> {
                        #read
                    }
                }
            },
            quote!(#operation::request(&self.params)),
        )
    };
    let streaming = op
        .stream
        .as_ref()
        .map(|stream| stream_methods(op, stream, &request_of_params, scope));
    let methods = (!setters.is_empty() || streaming.is_some()).then(|| {
        quote! {
            impl<'a> #name<'a> {
                #(#setters)*

                #streaming
            }
        }
    });
    let paging = op
        .pagination
        .as_ref()
        .map(|paging| super::pages::listing_impl(op, paging, &params, scope));
    quote! {
        #builder_doc
        pub type #name<'a> = #call<'a, #params>;

        #params_doc
        #[derive(Debug, Clone)]
        pub struct #params {
            #(#fields)*
        }

        #methods

        #operation

        #paging
    }
}

fn query_style(style: Style, scope: &Scope) -> TokenStream {
    let query_style = scope.runtime(runtime::QUERY_STYLE);
    match style {
        Style::SpaceDelimited => quote!(#query_style::SpaceDelimited),
        Style::PipeDelimited => quote!(#query_style::PipeDelimited),
        Style::DeepObject => quote!(#query_style::DeepObject),
        Style::Form { explode } => quote!(#query_style::Form { explode: #explode }),
        _ => quote!(#query_style::Form { explode: true }),
    }
}

/// The runtime call that adds a path parameter in its style.
fn path_param(wire: &str, value: TokenStream, style: Style, scope: &Scope) -> TokenStream {
    let path_style = match style {
        Style::Label { explode } => {
            let path_style = scope.runtime(runtime::PATH_STYLE);
            quote!(#path_style::Label { explode: #explode })
        }
        Style::Matrix { explode } => {
            let path_style = scope.runtime(runtime::PATH_STYLE);
            quote!(#path_style::Matrix { explode: #explode })
        }
        Style::Simple { explode: true } => {
            let path_style = scope.runtime(runtime::PATH_STYLE);
            quote!(#path_style::Simple { explode: true })
        }
        _ => return quote!(.path_param(#wire, #value)),
    };
    quote!(.path_param_with(#wire, #value, #path_style))
}

/// The body of `send`: build the request, send it, turn the status into a result.
/// The body of `request()`: the request built from the builder's fields.
fn build_request(op: &Operation, scope: &Scope) -> TokenStream {
    let method = ident(&op.method);
    let path = &op.path;
    let mut chain = Vec::new();
    for p in &op.params {
        let field = ident(&p.name);
        let wire = &p.wire;
        chain.push(match p.location {
            Location::Path => path_param(wire, quote!(&self.#field), p.style, scope),
            Location::Query => {
                let style = query_style(p.style, scope);
                quote!(.query(#wire, &self.#field, #style))
            }
            Location::Header => match p.style {
                Style::Simple { explode: true } => quote!(.header_with(#wire, &self.#field, true)),
                _ => quote!(.header(#wire, &self.#field)),
            },
            Location::Cookie => quote!(.cookie(#wire, &self.#field)),
            Location::QueryString => {
                let media = p
                    .media_type
                    .as_deref()
                    .unwrap_or("application/x-www-form-urlencoded");
                quote!(.query_string(&self.#field, #media))
            }
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
                let multipart = scope.runtime("Multipart");
                quote!(.multipart(#multipart::new() #(#parts)*))
            }
            BodyKind::Multipart(None) => {
                let multipart = scope.runtime("Multipart");
                quote!(.multipart(#multipart::fields_of(#value)))
            }
            BodyKind::Bytes => quote!(.bytes(#content_type, #base.clone())),
            BodyKind::Text => quote!(.text(#content_type, #base.clone())),
        }
    };
    let request = scope.runtime(runtime::REQUEST);
    // Methods reqwest names; any other (3.2's QUERY, `additionalOperations`) by its name.
    let new = if matches!(
        op.method.as_str(),
        "GET" | "PUT" | "POST" | "DELETE" | "PATCH"
    ) {
        // The common methods have a constructor each: the call fits on one line more often.
        let constructor = ident(&op.method.to_ascii_lowercase());
        quote!(#request::#constructor(#path))
    } else if matches!(op.method.as_str(), "OPTIONS" | "HEAD" | "TRACE") {
        let method_type = scope.runtime(runtime::METHOD);
        quote!(#request::new(#method_type::#method, #path))
    } else {
        let name = &op.method;
        quote!(#request::named(#name, #path))
    };
    match &op.body {
        Some(body) if !body.required => {
            let attach_body = attach(quote!(body), quote!(body));
            quote! {
                let request = #new #(#chain)*;
                match &self.body {
                    Some(body) => request #attach_body,
                    None => request,
                }
            }
        }
        Some(_) => {
            let attach_body = attach(quote!(&self.body), quote!(self.body));
            quote! {
                #new #(#chain)* #attach_body
            }
        }
        None => quote! {
            #new #(#chain)*
        },
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

/// The error a documented error response becomes (`ErrorBody` variant, text, or unexpected).
fn error_value(case: &crate::ir::ErrorCase, scope: &Scope) -> TokenStream {
    let error_body = || scope.path(&format!("crate::{}", krate::ERROR_BODY));
    match &case.decode {
        ErrorDecode::Json(variant) => {
            let variant = ident(variant);
            let error_body = error_body();
            quote!(response.error(#error_body::#variant))
        }
        ErrorDecode::Text(variant) => {
            let variant = ident(variant);
            let error_body = error_body();
            quote!(response.error_text(#error_body::#variant))
        }
        ErrorDecode::Untyped => quote!(response.unexpected()),
    }
}

/// Match arms by status, exact codes first, then ranges, then the catch-all; `otherwise` when
/// no arm is one.
fn ordered_arms(
    mut arms: Vec<(Status, Option<TokenStream>, TokenStream)>,
    otherwise: TokenStream,
) -> Vec<TokenStream> {
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
        out.push(quote!(_ => #otherwise,));
    }
    out
}

/// The arms of `read_error`: each documented error status read into its error, any other
/// status an unexpected one.
fn error_arms(op: &Operation, scope: &Scope) -> Vec<TokenStream> {
    let arms = op
        .errors
        .iter()
        .map(|case| {
            let expr = error_value(case, scope);
            (case.status, status_pattern(case.status), expr)
        })
        .collect();
    ordered_arms(arms, quote!(response.unexpected()))
}

/// The answer of an operation with one success status and one JSON error body for its 4xx and
/// 5xx statuses (or its `default`), read by the runtime's `Response::expect` in one line; `None`
/// for any other shape.
fn common_answer(op: &Operation, scope: &Scope) -> Option<TokenStream> {
    let [success] = op.success.as_slice() else {
        return None;
    };
    let Status::Code(code) = success.status else {
        return None;
    };
    if !matches!(op.output, Output::Single(_)) || success.within.is_some() {
        return None;
    }
    let read = match success.decode {
        Decode::Json(_) => quote!(json),
        Decode::Text => quote!(text),
        Decode::Bytes => quote!(bytes),
        Decode::Empty => quote!(empty),
    };
    let variant = match op.errors.first().map(|e| &e.decode) {
        Some(ErrorDecode::Json(variant)) => variant,
        _ => return None,
    };
    if op
        .errors
        .iter()
        .any(|e| e.decode != ErrorDecode::Json(variant.clone()))
    {
        return None;
    }
    let mut statuses: Vec<Status> = op.errors.iter().map(|e| e.status).collect();
    statuses.sort();
    let expect = match statuses.as_slice() {
        [Status::Range(4), Status::Range(5)] => quote!(expect),
        [Status::Default] => quote!(expect_or_default),
        _ => return None,
    };
    let code = Literal::u16_unsuffixed(code);
    let response = scope.runtime(runtime::RESPONSE);
    let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
    let variant = ident(variant);
    Some(quote!(response.#expect(#code, #response::#read, #error_body::#variant)))
}

fn status_arms(op: &Operation, scope: &Scope) -> Vec<TokenStream> {
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
                let name = scope.named(name);
                let variant = ident(variant);
                if case.decode == Decode::Empty {
                    quote!(response.empty().map(|()| #name::#variant))
                } else {
                    quote!(#read.map(#name::#variant))
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
        let error = error_value(case, scope);
        arms.push((
            case.status,
            status_pattern(case.status),
            quote!(Err(#error)),
        ));
    }
    ordered_arms(arms, quote!(Err(response.unexpected())))
}
