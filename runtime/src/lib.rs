//! The runtime shared by every client crate that `apigen` generates.
//!
//! Generated crates stay thin: they describe operations (method, path template, parameters,
//! security requirements, documented responses) and hand them to this crate, which builds the
//! URL, encodes parameters, applies credentials, sends the request and classifies the answer.
//! Anything that concerns every request (timeouts, user agent, redaction of secrets) lives here
//! once.

// `JsonObject`'s impls name this crate by its path, as in the crates that use it.
extern crate self as apigen_runtime;

mod auth;
mod call;
mod clock;
mod embedded_json;
mod encode;
mod error;
mod follow;
mod limits;
mod lines;
mod link;
mod multipart;
mod operation;
mod options;
mod pages;
mod redirect;
mod request;
mod response;
mod resume;
mod retry;
mod run;
mod secret;
mod serde_support;
mod sse;
mod stream;
mod tagged;
mod transport;
mod wire;

pub use auth::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
pub use call::{Call, Read, ReadError, open_stream};
pub use clock::{Clock, ManualClock, Sleep, TokioClock};
pub use embedded_json::EmbeddedJson;
pub use error::{ApiError, Error, StreamProblem};
pub use follow::{ProgressStream, RunEvents, RunProgress, follow_run};
pub use limits::DEFAULT_MAX_BODY_SIZE;
pub use lines::LineParser;
pub use multipart::{FileParts, Multipart};
pub use operation::{Listing, Operation, pages, send, send_with_meta};
pub use options::{CallOptions, IDEMPOTENCY_KEY};
pub use pages::{
    FetchPage, Items, PageFuture, PageInfo, PagePosition, PageProblem, PageSpec, Pages, Paging,
};
pub use redirect::{MAX_REDIRECTS, RedirectProblem};
pub use request::{Body, PathStyle, QueryStyle, Request};
pub use response::{Response, ResponseMeta, WithMeta};
pub use resume::{Opening, Reopen, ResumePolicy, Resuming};
pub use retry::{Attempts, FailedAttempt, RetryBudget, RetryPolicy, Stop, requested_delay};
pub use run::{
    RunStatus, RunStream, WaitError, WaitPolicy, WorkflowRun, run_outcome, wait_for_run, watch_run,
};
pub use secret::Secret;
pub use serde_support::{binary, known_keys};
pub use sse::{EventTooLarge, SseEvent, SseParser};
pub use stream::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_EVENT_SIZE, Decode, Event, EventStream, Framing, Mismatch,
    StreamSpec, json, raw,
};
pub use tagged::{Tagged, read_tagged};
pub use wire::{
    AsBinary, Entries, Key, Put, ReadObject, Skip, Slot, missing, read_object, read_open_enum,
};

pub use transport::{Transport, TransportBuilder};

pub use apigen_macros::{JsonObject, OpenEnum};

pub use bytes;
pub use futures_util::{Stream, StreamExt};
pub use reqwest;
pub use reqwest::Method;

/// A boxed future, the `IntoFuture` type of every generated request builder.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
