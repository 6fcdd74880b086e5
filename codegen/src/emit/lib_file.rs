//! `src/lib.rs` of a generated crate: its documentation (with the quickstart example, included
//! from the one file that holds it) and its modules.

use super::example::{body_example, body_section};
use super::features::{Gates, features_text};
use super::settings::{CrateSettings, title_line};
use super::text::{from_document, inner_doc};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn lib_module(api: &Api, settings: &CrateSettings, gates: &Gates) -> TokenStream {
    let mut text = vec![
        format!("# {}", settings.crate_name),
        String::new(),
        title_line(api),
    ];
    if let Some(description) = api
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        text.push(String::new());
        text.push(from_document(description));
    }
    text.push(String::new());
    text.push("## Example".to_owned());
    text.push(String::new());
    let head = inner_doc(&text.join("\n"));
    // With features per tag, a `use` may serve only operations left out.
    let features = (!gates.is_empty()).then(|| {
        let features_on = gates.features.keys();
        let section = inner_doc(&features_text(gates).join("\n"));
        quote! {
            //!
            #section
            #![cfg_attr(not(all(#(feature = #features_on),*)), allow(unused_imports, dead_code))]
        }
    });
    // The prose wrapped like any doc text; the code block kept as written.
    let bodies = body_example(api, settings).map(|lines| {
        let section = body_section(lines);
        let fence = section
            .iter()
            .position(|l| l.starts_with("```"))
            .unwrap_or(0);
        let prose = inner_doc(&section[..fence].join("\n"));
        let code = section[fence..].iter().map(|l| format!(" {l}"));
        quote! {
            //!
            #prose
            //!
            #(#![doc = #code])*
        }
    });
    let version = &api.version;
    // What a caller names when following an operation's stream of events.
    let streams = api
        .operations
        .iter()
        .any(|op| op.stream.is_some())
        .then(|| {
            quote! {
                pub use apigen_runtime::{Event, EventStream, SseEvent, StreamExt, StreamProblem};
            }
        });
    // What a caller names when listing every page.
    let streaming = api.operations.iter().any(|op| op.stream.is_some());
    let pages = api
        .operations
        .iter()
        .any(|op| op.pagination.is_some())
        .then(|| match streaming {
            true => quote!(
                pub use apigen_runtime::{PagePosition, PageProblem};
            ),
            false => quote!(
                pub use apigen_runtime::{PagePosition, PageProblem, StreamExt};
            ),
        });
    let runs = api.run_watch.as_ref().map(|watch| {
        let follows = watch.events.is_some().then(|| {
            quote!(
                pub use apigen_runtime::RunProgress;
            )
        });
        quote! {
            mod runs;

            pub use apigen_runtime::{RunStatus, WaitError, WaitPolicy, WorkflowRun};
            #follows
        }
    });
    quote! {
        #head
        //!
        //! ```no_run
        #![doc = include_str!("../examples/quickstart.rs")]
        //! ```
        #bodies
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments)]
        #features

        mod client;
        mod error;
        pub mod requests;
        pub mod types;

        pub use apigen_runtime::{ApiError, RetryPolicy, WithMeta};
        pub use client::{Client, ClientBuilder};
        pub use error::{Error, ErrorBody};
        #streams
        #pages
        #runs

        /// The `info.version` of the API document this crate was generated from.
        pub const API_VERSION: &str = #version;
    }
}
