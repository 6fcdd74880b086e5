//! The error type every generated client returns, and how it reads in messages.

use reqwest::StatusCode;
use std::fmt;

/// How much of a response body an error message quotes; the error keeps the whole body.
const BODY_SNIPPET: usize = 300;

/// The one error type of a generated client, parameterised by the crate's `ErrorBody`: the union
/// of the error bodies its API documents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a documented error status and a body of the documented type.
    /// (Boxed: error bodies can be large, and every `Result` of the client carries this type.)
    #[error("{0}")]
    Api(Box<ApiError<E>>),

    /// The server answered with a status the operation does not document, or documents
    /// without a body type.
    #[error("unexpected status {status}{}", snippet(body))]
    UnexpectedStatus { status: StatusCode, body: String },

    /// The response body did not match the type documented for its status. `path` says where
    /// in the body the first mismatch is (`steps[2].startedAt`; `.` for the whole body).
    #[error(
        "response with status {status} did not match its documented type at `{path}`: {source}{}",
        snippet(body)
    )]
    Decode {
        status: StatusCode,
        body: String,
        path: String,
        #[source]
        source: serde_json::Error,
    },

    /// The request could not be sent or the response could not be read.
    #[error("{method} {path}: {source}")]
    Transport {
        method: reqwest::Method,
        /// The request path, without its query string (which may hold credentials).
        path: String,
        #[source]
        source: reqwest::Error,
    },

    /// The request could not be built from the given arguments or client settings.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

/// A documented error response: its status, its decoded body and the raw body text.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub body: E,
    pub raw: String,
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error status {}{}", self.status, snippet(&self.raw))
    }
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The decoded body of a documented error response.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(api) => Some(&api.body),
            _ => None,
        }
    }

    /// Where in the body decoding failed, for [`Error::Decode`].
    pub fn decode_path(&self) -> Option<&str> {
        match self {
            Error::Decode { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The raw body text of the response, when there was one.
    pub fn body_text(&self) -> Option<&str> {
        match self {
            Error::Api(api) => Some(&api.raw),
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }
}

fn snippet(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return " (empty body)".to_owned();
    }
    let mut cut = body.len().min(BODY_SNIPPET);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let ellipsis = if cut < body.len() { "..." } else { "" };
    let one_line: String = body[..cut]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(": {one_line}{ellipsis}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_a_bounded_single_line_snippet() {
        let long = format!("<html>\n{}</html>", "x".repeat(1000));
        let err: Error<()> = Error::UnexpectedStatus {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: long.clone(),
        };
        let text = err.to_string();
        assert!(text.starts_with("unexpected status 500 Internal Server Error: <html> xxx"));
        assert!(text.ends_with("..."));
        assert!(!text.contains('\n'));
        assert_eq!(err.body_text(), Some(long.as_str()));
        assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    }

    #[test]
    fn empty_bodies_are_named() {
        let err: Error<()> = Error::UnexpectedStatus {
            status: StatusCode::BAD_GATEWAY,
            body: String::new(),
        };
        assert_eq!(
            err.to_string(),
            "unexpected status 502 Bad Gateway (empty body)"
        );
    }
}
