//! `src/runs.rs`: the run type read as the runtime's `WorkflowRun` (id, statuses, times), and
//! the client's `wait_for_run` and `watch_run`.

use super::access::{Want, getter};
use super::args::takes_into_string;
use super::scope::{Scope, TypesAt};
use super::text::{doc, ident};
use crate::ir::{
    Access, AccessStep, Api, EventArg, Operation, RunState, RunWatch, SetValue, TypeKind, TypeRef,
};
use crate::vocabulary::{krate, runtime};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

pub(crate) fn runs_module(
    api: &Api,
    watch: &RunWatch,
    type_names: &BTreeSet<String>,
) -> TokenStream {
    let scope = Scope::new(type_names, TypesAt::Module, []);
    let run = scope.named(&watch.run_type);
    let workflow_run = scope.runtime(runtime::WORKFLOW_RUN);
    let run_status = scope.runtime(runtime::RUN_STATUS);
    let string = scope.string();
    let option = scope.prelude("Option", "::std::option::Option");
    let text_getter = |access: &Access| getter(quote!(self), access, Want::Text, &scope);
    let vendor_status = text_getter(&watch.status);
    let run_id = match &watch.id {
        Some(access) => text_getter(access),
        None => quote!(None),
    };
    let times: Vec<TokenStream> = [
        ("started_at", &watch.started),
        ("finished_at", &watch.finished),
    ]
    .into_iter()
    .filter_map(|(method, access)| {
        let access = access.as_ref()?;
        let method = ident(method);
        let date_time = scope.path("chrono::DateTime");
        let utc = scope.path("chrono::Utc");
        let body = getter(quote!(self), access, Want::Time, &scope);
        Some(quote! {
            fn #method(&self) -> #option<#date_time<#utc>> {
                #body
            }
        })
    })
    .collect();
    let arms = watch.statuses.iter().map(|(value, state)| {
        let state = ident(match state {
            RunState::Queued => "Queued",
            RunState::Running => "Running",
            RunState::WaitingForInput => "WaitingForInput",
            RunState::Succeeded => "Succeeded",
            RunState::Failed => "Failed",
            RunState::Cancelled => "Cancelled",
        });
        quote!(Some(#value) => #run_status::#state,)
    });
    let op = api.operations.iter().find(|op| op.name == watch.operation);
    let methods = op
        .map(|op| client_methods(api, op, watch, &scope))
        .unwrap_or_default();
    let uses = scope.uses();
    quote! {
        //! Waiting for a workflow run to end, and watching its status change.

        #uses

        impl #workflow_run for #run {
            fn run_id(&self) -> #option<#string> {
                #run_id
            }

            fn vendor_status(&self) -> #option<#string> {
                #vendor_status
            }

            fn status(&self) -> #run_status {
                match self.vendor_status().as_deref() {
                    #(#arms)*
                    Some(other) => #run_status::Unknown(other.into()),
                    None => #run_status::Unknown(#string::new()),
                }
            }

            #(#times)*
        }

        #methods
    }
}

/// Whether values of `ty` are `Copy` (passed on without `.clone()`).
fn is_copy(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool
        | TypeRef::Integer(_)
        | TypeRef::Float
        | TypeRef::Uuid
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Unit => true,
        TypeRef::Named(name) => api
            .types
            .iter()
            .any(|t| &t.name == name && matches!(t.kind, TypeKind::IntEnum(_))),
        _ => false,
    }
}

/// `wait_for_run` and `watch_run` on the client, taking the operation's required parameters (and
/// the run's id, when the operation answers a list). Both poll through a clone of the client, so
/// the stream `watch_run` returns owns what it needs.
fn client_methods(api: &Api, op: &Operation, watch: &RunWatch, scope: &Scope) -> TokenStream {
    let client = scope.path(&format!("crate::{}", krate::CLIENT));
    let error_body = scope.path(&format!("crate::{}", krate::ERROR_BODY));
    let wait_policy = scope.runtime(runtime::WAIT_POLICY);
    let wait_error = scope.runtime(runtime::WAIT_ERROR);
    let workflow_run = scope.runtime(runtime::WORKFLOW_RUN);
    let run_stream = scope.runtime(runtime::RUN_STREAM);
    let string = scope.string();
    let result = scope.prelude("Result", "::std::result::Result");
    let run = scope.named(&watch.run_type);
    let operation = ident(&op.name);
    let mut args = Vec::new();
    let mut prepare = Vec::new();
    // Per poll: the owned arguments cloned for the request, and the request's arguments.
    let mut per_poll = Vec::new();
    let mut call_args = Vec::new();
    let mut docs = Vec::new();
    // The arguments `wait_for_run` passes on to `watch_run`.
    let mut forward = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.name);
        forward.push(name.clone());
        if takes_into_string(&p.ty) {
            args.push(quote!(#name: impl Into<#string>));
            prepare.push(quote!(let #name: #string = #name.into();));
        } else {
            let ty = scope.ty(&p.ty);
            args.push(quote!(#name: #ty));
        }
        if !is_copy(api, &p.ty) {
            per_poll.push(quote!(let #name = #name.clone();));
        }
        call_args.push(quote!(#name));
        docs.push(format!("`{}`", p.name));
    }
    // The id named in a "not found" error: the run id given, or the first path parameter.
    let (id, found) = match &watch.list {
        Some(list) => {
            args.push(quote!(run_id: impl Into<#string>));
            forward.push(ident("run_id"));
            prepare.push(quote!(let run_id: #string = run_id.into();));
            per_poll.push(quote!(let run_id = run_id.clone();));
            let fields = list.steps.iter().filter_map(|step| match step {
                AccessStep::Field { name, .. } => Some(ident(name)),
                AccessStep::Tag { .. } => None,
            });
            let found = quote! {
                Ok(answer #(.#fields)*
                    .into_iter()
                    .find(|run| #workflow_run::run_id(run).as_deref() == Some(run_id.as_str())))
            };
            (quote!(run_id.clone()), found)
        }
        None => {
            let first = op
                .params
                .iter()
                .find(|p| p.required)
                .map(|p| {
                    let name = ident(&p.name);
                    if takes_into_string(&p.ty) {
                        quote!(#name.clone())
                    } else {
                        quote!(#name.to_string())
                    }
                })
                .unwrap_or_else(|| quote!(#string::new()));
            (first, quote!(Ok(Some(answer))))
        }
    };
    let fetch = quote! {
        move || {
            let client = client.clone();
            #(#per_poll)*
            async move {
                let answer = client.#operation(#(#call_args),*).send().await?;
                #found
            }
        }
    };
    let events = watch.events.as_ref().and_then(|events| {
        let stream = api
            .operations
            .iter()
            .find(|op| op.name == events.operation)?
            .stream
            .as_ref()?;
        Some((events, super::requests::item_type(stream, scope)))
    });
    if let Some((events, _)) = &events {
        for (name, arg) in &events.args {
            if let EventArg::Extra(ty) = arg {
                let name = ident(name);
                forward.push(name.clone());
                if takes_into_string(ty) {
                    args.push(quote!(#name: impl Into<#string>));
                    prepare.push(quote!(let #name: #string = #name.into();));
                } else {
                    let ty = scope.ty(ty);
                    args.push(quote!(#name: #ty));
                }
            }
        }
    }
    let takes = if watch.list.is_some() {
        format!(
            "[`{}`](Self::{}) ({}) answers a list; the run is the one whose id is `run_id`.",
            op.name,
            op.name,
            docs.join(", ")
        )
    } else {
        format!("Asks [`{}`](Self::{}) for the run.", op.name, op.name)
    };
    let wait_doc = doc(Some(&format!(
        "Polls until the run ends, or waits for input (polling cannot change that: a person must act) unless the policy keeps waiting through it, and returns the last run seen. {takes} Transient failures are retried within the policy's deadline, after the wait the server asks for; at the deadline the error still holds the last run."
    )));
    let watch_doc = doc(Some(&format!(
        "Like [`wait_for_run`](Self::wait_for_run), as a stream that yields the run each time its status changes, for progress displays. {takes} The stream owns a clone of the client: it can be kept or sent to another task."
    )));
    // `wait_for_run` over `watch_run`, whose body and docs differ by how the run is watched;
    // `more`: the methods that only following has.
    let methods = |wait_doc: TokenStream, watch_doc: TokenStream, watch: TokenStream, more| {
        quote! {
            impl #client {
                #wait_doc
                pub async fn wait_for_run(
                    &self,
                    #(#args,)*
                    policy: #wait_policy,
                ) -> #result<#run, #wait_error<#run, #error_body>> {
                    apigen_runtime::run_outcome(self.watch_run(#(#forward,)* policy)).await
                }

                #watch_doc
                pub fn watch_run(
                    &self,
                    #(#args,)*
                    policy: #wait_policy,
                ) -> #run_stream<#run, #error_body> {
                    #watch
                }

                #more
            }
        }
    };
    let Some((events, item)) = events else {
        let watch = quote! {
            #(#prepare)*
            let client = self.clone();
            let id = #id;
            let fetch = #fetch;
            Box::pin(apigen_runtime::watch_run(self.transport.clock(), policy, id, fetch))
        };
        return methods(wait_doc, watch_doc, watch, TokenStream::new());
    };
    // Following the run's events: the poll's arguments cloned for it, the stream's opened
    // from the rest.
    let progress = scope.runtime("RunProgress");
    let progress_stream = scope.runtime("ProgressStream");
    let run_events = scope.runtime("RunEvents");
    let resume_policy = scope.runtime("ResumePolicy");
    let opening = scope.runtime("Opening");
    let error = scope.path(&format!("crate::{}", krate::ERROR));
    let events_op = ident(&events.operation);
    let poll_captures = per_poll.clone();
    let mut open_captures = Vec::new();
    let mut open_prepare = Vec::new();
    let mut open_args = Vec::new();
    for (name, arg) in &events.args {
        let name = ident(name);
        open_captures.push(quote!(let #name = #name.clone();));
        match arg {
            EventArg::Same | EventArg::Extra(_) => {}
            EventArg::Parse(ty) => {
                let what = match ty {
                    TypeRef::Uuid => "a UUID",
                    TypeRef::Bool => "`true` or `false`",
                    TypeRef::Integer(_) => "an integer",
                    _ => "a number",
                };
                let ty = scope.ty(ty);
                let message = format!(
                    "`{name}` {{:?}} is not {what}, as `{}` takes it",
                    events.operation
                );
                open_prepare.push(quote! {
                    let #name: #ty = #name.parse().map_err(|_| {
                        #error::InvalidRequest(format!(#message, #name))
                    })?;
                });
            }
            EventArg::Display => open_prepare.push(quote!(let #name = #name.to_string();)),
        }
        open_args.push(quote!(#name));
    }
    let setters = events.set.iter().map(|(name, value)| {
        let name = ident(name);
        match value {
            SetValue::Bool(b) => quote!(.#name(#b)),
            SetValue::Integer(i) => {
                let i = proc_macro2::Literal::i64_unsuffixed(*i);
                quote!(.#name(#i))
            }
            SetValue::Text(t) => quote!(.#name(#t)),
        }
    });
    let (accessor, tags) = &events.refresh;
    let accessor = ident(accessor);
    let follow_doc = doc(Some(&format!(
        "Follows the run as it happens: asks [`{}`](Self::{}) for it, then reads [`{}`](Self::{})'s events as they come, yielding each (node progress, say) and the run again each time an event may have changed its status ({}) and it did. A dropped stream is opened again (five times in a row at most, after 1 s, 2 s, 4 s...), skipping events already seen; a stream that cannot be had, or ends while the run goes on, gives way to polling. {takes} The policy's deadline holds throughout; the stream owns a clone of the client.",
        op.name,
        op.name,
        events.operation,
        events.operation,
        tags.iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )));
    let wait_doc = doc(Some(&format!(
        "Follows the run's events until it ends, or waits for input unless the policy keeps waiting through it, and returns the last run seen: see [`follow_run`](Self::follow_run). {takes} At the deadline the error still holds the last run."
    )));
    let watch_doc = doc(Some(
        "The run each time its status changes, from [`follow_run`](Self::follow_run) without its events.",
    ));
    let watch = quote! {
        let changes = self.follow_run(#(#forward,)* policy);
        Box::pin(apigen_runtime::StreamExt::filter_map(changes, |item| {
            std::future::ready(match item {
                Ok(#progress::Run(run)) => Some(Ok(run)),
                Ok(#progress::Event(_)) => None,
                Err(error) => Some(Err(error)),
            })
        }))
    };
    let follow = quote! {
            #follow_doc
            pub fn follow_run(
                &self,
                #(#args,)*
                policy: #wait_policy,
            ) -> #progress_stream<#run, #item, #error_body> {
                #(#prepare)*
                let id = #id;
                let fetch = {
                    let client = self.clone();
                    #(#poll_captures)*
                    #fetch
                };
                let client = self.clone();
                let open = move |last_event_id: Option<#string>| -> #opening<'static, #item, #error_body> {
                    let client = client.clone();
                    #(#open_captures)*
                    Box::pin(async move {
                        #(#open_prepare)*
                        let mut request = client.#events_op(#(#open_args),*) #(#setters)*;
                        if let Some(last) = last_event_id {
                            request = request.header("Last-Event-ID", last);
                        }
                        request.send().await
                    })
                };
                let events = #run_events {
                    open: Box::new(open),
                    refresh: |item: &#item| matches!(item.#accessor(), Some(#(#tags)|*)),
                    resume: #resume_policy::default(),
                };
                Box::pin(apigen_runtime::follow_run(self.transport.clock(), policy, id, fetch, events))
            }
    };
    methods(wait_doc, watch_doc, watch, follow)
}
