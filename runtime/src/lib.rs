//! The runtime shared by every client crate that `apigen` generates.
//!
//! Generated crates stay thin: they describe operations (method, path template, parameters,
//! security requirements, documented responses) and hand them to this crate, which builds the
//! URL, encodes parameters, applies credentials, sends the request and classifies the answer.
//! Anything that concerns every request (timeouts, user agent, redaction of secrets) lives here
//! once.

mod auth;
mod embedded_json;
mod encode;
mod error;
mod multipart;
mod request;
mod response;
mod secret;
mod serde_support;
mod transport;

pub use auth::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
pub use embedded_json::EmbeddedJson;
pub use error::{ApiError, Error};
pub use multipart::{FileParts, Multipart};
pub use request::{Body, PathStyle, QueryStyle, Request};
pub use response::Response;
pub use secret::Secret;
pub use serde_support::{binary, known_keys, read_variant, required_nullable};

pub use transport::{Transport, TransportBuilder};

pub use bytes;
pub use reqwest;
pub use reqwest::Method;

/// A boxed future, the `IntoFuture` type of every generated request builder.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
