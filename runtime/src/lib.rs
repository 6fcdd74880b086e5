//! The runtime shared by every client crate that `apigen` generates.
//!
//! Generated crates stay thin: they describe operations (method, path template, parameters,
//! security requirements, documented responses) and hand them to this crate, which builds the
//! URL, encodes parameters, applies credentials, sends the request and classifies the answer.
//! Anything that concerns every request (timeouts, user agent, redaction of secrets) lives here
//! once.

mod auth;
mod encode;
mod error;
mod multipart;
mod request;
mod response;
mod secret;
mod transport;

pub use auth::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
pub use error::{ApiError, Error};
pub use multipart::{FileParts, Multipart};
pub use request::{Body, PathStyle, QueryStyle, Request};
pub use response::Response;
pub use secret::Secret;

/// Deserializes a property that is required but may be `null`: `null` gives `None`, and unlike
/// a plain `Option` field, a missing property is an error.
pub fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer)
}
pub use transport::{Transport, TransportBuilder};

pub use bytes;
pub use reqwest;
pub use reqwest::Method;

/// A boxed future, the `IntoFuture` type of every generated request builder.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
