//! The error type every generated client returns, and how it reads in messages.

use crate::limits::Size;
use crate::pages::{PagePosition, PageProblem};
use crate::redirect::RedirectProblem;
use crate::retry::Attempts;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::fmt;
use std::time::Duration;

/// How much of a response body an error message quotes; the error keeps the whole body.
const BODY_SNIPPET: usize = 300;

/// How much of a body (or of a decoded error body) `Debug` shows: enough to read, never enough
/// to flood a log that prints errors with `{:?}`.
const DEBUG_BODY: usize = 4 * 1024;

/// The one error type of a generated client, parameterised by the crate's `ErrorBody`: the union
/// of the error bodies its API documents. Every variant that follows a request keeps the
/// attempts made ([`Error::attempts`]); those with a response keep its status and headers.
///
/// `Display` quotes a few hundred bytes of a body and `Debug` at most a few KiB, with the body's
/// length; [`Error::body_text`] gives the whole body.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a documented error status and a body of the documented type.
    /// (Boxed: error bodies can be large, and every `Result` of the client carries this type.)
    #[error("{0}")]
    Api(Box<ApiError<E>>),

    /// The server answered with a status the operation does not document, documents without a
    /// body type, or with a body that is not of the documented media type (an HTML page from a
    /// proxy, say).
    #[error(
        "unexpected status {status}{}{}{attempts}",
        content_type(headers),
        snippet(body)
    )]
    UnexpectedStatus {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: String,
        attempts: Box<Attempts>,
    },

    /// A body of the documented media type did not match its type. `path` says where in the
    /// body the first mismatch is (`steps[2].startedAt`; `.` for the whole body).
    #[error(
        "response with status {status} did not match its documented type at `{path}`: {source}{}{attempts}",
        snippet(body)
    )]
    Decode {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: String,
        path: String,
        #[source]
        source: serde_json::Error,
        attempts: Box<Attempts>,
    },

    /// The request could not be sent or the response could not be read.
    #[error("{method} {path}: {source}{}{attempts}", root_cause(source))]
    Transport {
        method: reqwest::Method,
        /// The request's path template (no parameter values, no query string).
        path: String,
        #[source]
        source: reqwest::Error,
        attempts: Box<Attempts>,
    },

    /// No answer came within the time allowed: an attempt's timeout, or the call's deadline.
    #[error("{method} {path}: no response within {}{attempts}", crate::retry::seconds(*after))]
    Timeout {
        method: reqwest::Method,
        /// The request's path template.
        path: String,
        after: Duration,
        attempts: Box<Attempts>,
    },

    /// A redirect the client would not follow: from HTTPS down to HTTP, more than ten in a
    /// row, or to a `Location` that is not an http(s) URL. (A redirect to another origin is
    /// followed, without the call's credentials.)
    #[error("{method} {path}: {problem}{attempts}")]
    Redirect {
        method: reqwest::Method,
        /// The request's path template.
        path: String,
        problem: RedirectProblem,
        attempts: Box<Attempts>,
    },

    /// The response's body is larger than the call's limit; reading stopped there (or never
    /// began, when its `Content-Length` said so). The limit is set with `max_body_size` on the
    /// client's builder or on the call.
    #[error(
        "{method} {path}: the response ({status}) has a body larger than the limit of {}{}",
        Size(*limit),
        match content_length {
            Some(n) => format!(" (Content-Length: {n}); none of it was read"),
            None => "; reading stopped there".to_owned(),
        }
    )]
    TooLarge {
        method: reqwest::Method,
        /// The request's path template.
        path: String,
        status: StatusCode,
        headers: Box<HeaderMap>,
        /// The limit, in bytes.
        limit: u64,
        /// The length the response declared, if it did.
        content_length: Option<u64>,
        attempts: Box<Attempts>,
    },

    /// An event of a stream did not match its documented type: which one (`index`, from 0),
    /// where in its data (`path`) and why. The stream goes on after it.
    #[error("event {index} ({event}) did not match its documented type at `{path}`: {source}")]
    Event {
        index: u64,
        /// The event's name (`message` unless the server named one).
        event: String,
        path: String,
        #[source]
        source: serde_json::Error,
        /// The event's data as it came.
        data: String,
    },

    /// A stream ended without the API's terminal event, was cut off, went silent or sent an
    /// event over the size limit: how many events had arrived and the last one, so the caller
    /// knows the outcome is not known from the stream alone.
    #[error(
        "{method} {path}: {problem} after {events} event(s){}",
        match last { Some(last) => format!("; the last: {last}"), None => String::new() }
    )]
    Stream {
        method: reqwest::Method,
        /// The request's path template.
        path: String,
        events: u64,
        /// The last event, shortened: its name and the start of its data.
        last: Option<String>,
        problem: StreamProblem,
    },

    /// The request could not be built from the given arguments or client settings.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// A listing of pages stopped before its end: asking for a page failed (`failure`, whose
    /// status, headers and `Retry-After` this error gives), or the server led it into a loop.
    /// `at` is the page to resume from (the builder's `pages_from` / `items_from`); `items`
    /// how many items were read before.
    #[error(
        "{operation}: {at}, after {items} item(s): {problem}{}",
        match failure { Some(failure) => format!(": {failure}"), None => String::new() }
    )]
    Page {
        operation: &'static str,
        at: PagePosition,
        items: u64,
        problem: PageProblem,
        failure: Option<Box<Error<E>>>,
    },
}

/// Why a stream ended before its time.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamProblem {
    /// The body ended before the API's terminal event.
    #[error("the stream ended before its terminal event")]
    EndedEarly,
    /// The connection failed while the stream was read.
    #[error("the stream was cut off ({0})")]
    Cut(#[source] reqwest::Error),
    /// No bytes came, not even a keep-alive, for this long.
    #[error("nothing arrived for {}", crate::retry::seconds(*after))]
    Idle { after: Duration },
    /// An event was larger than the limit; nothing more of it was kept.
    #[error("an event was larger than the limit of {}", Size(*limit as u64))]
    EventTooLarge { limit: usize },
}

/// A documented error response: its status, headers, decoded body and raw body text. `Debug`
/// shows a few KiB of each body, with the raw body's length.
#[derive(Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: E,
    pub raw: String,
    pub attempts: Attempts,
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error status {}{}{}",
            self.status,
            snippet(&self.raw),
            self.attempts
        )
    }
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::TooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::Page { failure, .. } => failure.as_ref().and_then(|f| f.status()),
            Error::Timeout { .. }
            | Error::Redirect { .. }
            | Error::Event { .. }
            | Error::Stream { .. }
            | Error::InvalidRequest(_) => None,
        }
    }

    /// The headers of the response, when there was one.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(&api.headers),
            Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. }
            | Error::TooLarge { headers, .. } => Some(headers),
            Error::Page { failure, .. } => failure.as_ref().and_then(|f| f.headers()),
            _ => None,
        }
    }

    /// The vendor's id for the request, from the response's headers, to quote to its support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers().and_then(crate::response::request_id)
    }

    /// The attempts made before this error: how many, and why each failed.
    pub fn attempts(&self) -> Option<&Attempts> {
        match self {
            Error::Api(api) => Some(&api.attempts),
            Error::UnexpectedStatus { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Redirect { attempts, .. }
            | Error::TooLarge { attempts, .. } => Some(attempts),
            Error::Page { failure, .. } => failure.as_ref().and_then(|f| f.attempts()),
            Error::Event { .. } | Error::Stream { .. } | Error::InvalidRequest(_) => None,
        }
    }

    /// How long the server asked the client to wait (`Retry-After`), when it did. A call is not
    /// retried when this is longer than its policy allows; the caller may wait and try again.
    pub fn retry_after(&self) -> Option<Duration> {
        self.attempts().and_then(|a| a.retry_after)
    }

    /// Whether trying again later may succeed: a connection or timeout failure, or a status
    /// that says so (408, 429, 5xx of a proxy or an overloaded server).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Redirect { .. } | Error::TooLarge { .. } | Error::Event { .. } => false,
            Error::Stream { problem, .. } => {
                matches!(problem, StreamProblem::Cut(_) | StreamProblem::Idle { .. })
            }
            Error::Page { failure, .. } => failure.as_ref().is_some_and(|f| f.is_transient()),
            other => other
                .status()
                .is_some_and(crate::retry::is_retryable_status),
        }
    }

    /// The decoded body of a documented error response.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(api) => Some(&api.body),
            Error::Page { failure, .. } => failure.as_ref().and_then(|f| f.api_body()),
            _ => None,
        }
    }

    /// Where a listing stopped, to resume from: for [`Error::Page`].
    pub fn resume_from(&self) -> Option<&PagePosition> {
        match self {
            Error::Page { at, .. } => Some(at),
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

    /// The whole raw body text of the response, when there was one and it was read (messages
    /// and `Debug` show only its start).
    pub fn body_text(&self) -> Option<&str> {
        match self {
            Error::Api(api) => Some(&api.raw),
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => f.debug_tuple("Api").field(api).finish(),
            Error::UnexpectedStatus {
                status,
                headers,
                body,
                attempts,
            } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("headers", headers)
                .field("body", &Preview(body))
                .field("attempts", attempts)
                .finish(),
            Error::Decode {
                status,
                headers,
                body,
                path,
                source,
                attempts,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("headers", headers)
                .field("body", &Preview(body))
                .field("path", path)
                .field("source", source)
                .field("attempts", attempts)
                .finish(),
            Error::Transport {
                method,
                path,
                source,
                attempts,
            } => f
                .debug_struct("Transport")
                .field("method", method)
                .field("path", path)
                .field("source", source)
                .field("attempts", attempts)
                .finish(),
            Error::Timeout {
                method,
                path,
                after,
                attempts,
            } => f
                .debug_struct("Timeout")
                .field("method", method)
                .field("path", path)
                .field("after", after)
                .field("attempts", attempts)
                .finish(),
            Error::Redirect {
                method,
                path,
                problem,
                attempts,
            } => f
                .debug_struct("Redirect")
                .field("method", method)
                .field("path", path)
                .field("problem", problem)
                .field("attempts", attempts)
                .finish(),
            Error::TooLarge {
                method,
                path,
                status,
                headers,
                limit,
                content_length,
                attempts,
            } => f
                .debug_struct("TooLarge")
                .field("method", method)
                .field("path", path)
                .field("status", status)
                .field("headers", headers)
                .field("limit", limit)
                .field("content_length", content_length)
                .field("attempts", attempts)
                .finish(),
            Error::Event {
                index,
                event,
                path,
                source,
                data,
            } => f
                .debug_struct("Event")
                .field("index", index)
                .field("event", event)
                .field("path", path)
                .field("source", source)
                .field("data", &Preview(data))
                .finish(),
            Error::Stream {
                method,
                path,
                events,
                last,
                problem,
            } => f
                .debug_struct("Stream")
                .field("method", method)
                .field("path", path)
                .field("events", events)
                .field("last", last)
                .field("problem", problem)
                .finish(),
            Error::InvalidRequest(message) => {
                f.debug_tuple("InvalidRequest").field(message).finish()
            }
            Error::Page {
                operation,
                at,
                items,
                problem,
                failure,
            } => f
                .debug_struct("Page")
                .field("operation", operation)
                .field("at", at)
                .field("items", items)
                .field("problem", problem)
                .field("failure", failure)
                .finish(),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &Bounded(&self.body))
            .field("raw", &Preview(&self.raw))
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// A body's text in `Debug`: its first few KiB, quoted, then how long it is in all.
pub(crate) struct Preview<'a>(pub &'a str);

impl fmt::Debug for Preview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        if text.len() <= DEBUG_BODY {
            return fmt::Debug::fmt(text, f);
        }
        fmt::Debug::fmt(&text[..text.floor_char_boundary(DEBUG_BODY)], f)?;
        write!(f, "... ({} bytes in all)", text.len())
    }
}

/// Any value's `Debug`, cut after a few KiB (a decoded error body may hold a huge string).
struct Bounded<'a, T>(&'a T);

impl<T: fmt::Debug> fmt::Debug for Bounded<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Capped {
            text: String::new(),
            cut: false,
        };
        // `Capped` refuses the write that would pass the cap, which ends formatting early.
        let _ = fmt::write(&mut out, format_args!("{:?}", self.0));
        f.write_str(&out.text)?;
        if out.cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

/// A text that takes at most [`DEBUG_BODY`] bytes, then refuses more.
struct Capped {
    text: String,
    cut: bool,
}

impl fmt::Write for Capped {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = DEBUG_BODY - self.text.len();
        if s.len() <= room {
            self.text.push_str(s);
            return Ok(());
        }
        self.text.push_str(&s[..s.floor_char_boundary(room)]);
        self.cut = true;
        Err(fmt::Error)
    }
}

/// ` (text/html)` when the response said what it carries.
fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| format!(" ({})", v.split(';').next().unwrap_or(v).trim()))
        .unwrap_or_default()
}

/// `: <the innermost cause>` of a transport error, which says what happened ("Connection
/// refused") where reqwest's own message says only "error sending request".
fn root_cause(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    if std::ptr::addr_eq(cause, error as &dyn std::error::Error) {
        String::new()
    } else {
        format!(": {cause}")
    }
}

fn snippet(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return " (empty body)".to_owned();
    }
    format!(": {}", one_line(body, BODY_SNIPPET))
}

/// At most `max` bytes of `text` (cut on a character), on one line (control characters become
/// spaces), with `...` where it was cut: how a message quotes a body or an event.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let cut = text.floor_char_boundary(max);
    let mut line: String = text[..cut]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cut < text.len() {
        line.push_str("...");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unexpected(status: StatusCode, body: &str) -> Error<()> {
        Error::UnexpectedStatus {
            status,
            headers: Box::default(),
            body: body.to_owned(),
            attempts: Box::default(),
        }
    }

    #[test]
    fn messages_quote_a_bounded_single_line_snippet() {
        let long = format!("<html>\n{}</html>", "x".repeat(1000));
        let err = unexpected(StatusCode::INTERNAL_SERVER_ERROR, &long);
        let text = err.to_string();
        assert!(text.starts_with("unexpected status 500 Internal Server Error: <html> xxx"));
        assert!(text.ends_with("..."));
        assert!(!text.contains('\n'));
        assert_eq!(err.body_text(), Some(long.as_str()));
        assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(err.is_transient());
    }

    #[test]
    fn debug_shows_a_few_kib_of_a_huge_body_and_its_length() {
        let huge = "y".repeat(20 * 1024 * 1024);
        let err = unexpected(StatusCode::SERVICE_UNAVAILABLE, &huge);
        let debug = format!("{err:?}");
        assert!(debug.len() < 2 * DEBUG_BODY, "{} bytes", debug.len());
        assert!(debug.contains("(20971520 bytes in all)"), "{debug}");
        assert!(
            debug.starts_with("UnexpectedStatus { status: 503"),
            "{debug}"
        );
        assert_eq!(err.body_text().map(str::len), Some(huge.len()));
        // `Display` quotes less still.
        assert!(err.to_string().len() < 400);

        let api: Error<String> = Error::Api(Box::new(ApiError {
            status: StatusCode::BAD_REQUEST,
            headers: HeaderMap::new(),
            body: huge.clone(),
            raw: huge.clone(),
            attempts: Attempts::default(),
        }));
        let debug = format!("{api:?}");
        assert!(debug.len() < 3 * DEBUG_BODY, "{} bytes", debug.len());
        assert!(debug.contains("bytes in all"));
        assert_eq!(api.body_text().map(str::len), Some(huge.len()));
        // Small bodies are shown whole, as before.
        let small = format!("{:?}", unexpected(StatusCode::BAD_GATEWAY, "oops"));
        assert!(small.contains("body: \"oops\""), "{small}");
    }

    #[test]
    fn empty_bodies_are_named() {
        let err = unexpected(StatusCode::BAD_GATEWAY, "");
        assert_eq!(
            err.to_string(),
            "unexpected status 502 Bad Gateway (empty body)"
        );
    }
}
