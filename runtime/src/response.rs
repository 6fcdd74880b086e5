//! A response read to its end, and the ways generated code decodes it by status.

use crate::error::{ApiError, Error};
use crate::retry::Attempts;
use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A body that did not decode: where (a path such as `steps[2].startedAt`) and why.
pub(crate) struct Mismatch {
    pub(crate) path: String,
    pub(crate) source: serde_json::Error,
}

/// Decodes JSON text into `T`. The first attempt is plain `serde_json`; only when it fails is
/// the body decoded again, tracking the path, to say where the first mismatch is.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Mismatch> {
    // `from_slice` rejects trailing characters after the value, as the slow path does.
    serde_json::from_slice(body).or_else(|_| locate(body))
}

/// Decodes JSON text into `T` through `serde_path_to_error`: the path of the first mismatch, or
/// `.` when what follows the value is not whitespace. Only for bodies that failed to decode.
#[cold]
fn locate<T: DeserializeOwned>(body: &[u8]) -> Result<T, Mismatch> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(mismatch)?;
    // Trailing characters after the value are a mismatch too.
    deserializer.end().map_err(|source| Mismatch {
        path: ".".to_owned(),
        source,
    })?;
    Ok(value)
}

/// Decodes a JSON value already parsed into `T`, prefixing paths with `within` (the key the
/// value was found under), if any. The first attempt reads the value by reference, so that it
/// is neither cloned nor tracked; only when that fails is it decoded again to find the path.
fn decode_value<T: DeserializeOwned>(value: Value, within: Option<&str>) -> Result<T, Mismatch> {
    match T::deserialize(&value) {
        Ok(decoded) => Ok(decoded),
        Err(_) => locate_value(value, within),
    }
}

/// Decodes `value` into `T` through `serde_path_to_error`, for values that failed to decode.
#[cold]
fn locate_value<T: DeserializeOwned>(value: Value, within: Option<&str>) -> Result<T, Mismatch> {
    serde_path_to_error::deserialize(value)
        .map_err(mismatch)
        .map_err(|m| match within {
            None => m,
            Some(key) => Mismatch {
                path: if m.path == "." {
                    key.to_owned()
                } else if m.path.starts_with('[') {
                    format!("{key}{}", m.path)
                } else {
                    format!("{key}.{}", m.path)
                },
                source: m.source,
            },
        })
}

fn mismatch(error: serde_path_to_error::Error<serde_json::Error>) -> Mismatch {
    let outer = error.path().to_string();
    let source = error.into_inner();
    // A union reads its alternative from the value it buffered, where the tracked path stops;
    // `read_tagged` says in its message where inside the alternative it failed.
    let message = source.to_string();
    // Read from text, the message ends with the position: " at line 1 column 80".
    let message = match message.rsplit_once(" at line ") {
        Some((head, tail)) if tail.split(" column ").all(|n| n.parse::<u64>().is_ok()) => head,
        _ => message.as_str(),
    };
    let inner = message
        .strip_suffix('`')
        .and_then(|m| m.rsplit_once(" at `"))
        .map(|(_, path)| path)
        .filter(|path| !path.is_empty() && !path.contains('`'));
    let path = match inner {
        None => outer,
        Some(inner) if outer == "." => inner.to_owned(),
        Some(inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        Some(inner) => format!("{outer}.{inner}"),
    };
    Mismatch { path, source }
}

/// A response read to its end, waiting for the generated code to say what its status means.
/// `Debug` shows a few KiB of the body, with its length.
#[derive(Clone)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: Attempts,
    /// The URL asked for, when a transport sent the request.
    pub(crate) url: Option<reqwest::Url>,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field(
                "body",
                &crate::error::Preview(&String::from_utf8_lossy(&self.body)),
            )
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// What a successful call's response said besides its body: status, headers (the vendor's
/// request id above all) and how many attempts it took.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub attempts: u32,
    /// The URL the request was sent to (before any redirect), against which the response's
    /// relative links resolve.
    pub url: Option<reqwest::Url>,
}

impl ResponseMeta {
    /// The vendor's id for the request, from the usual headers.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

/// A successful call's value with its response's metadata.
#[derive(Debug, Clone)]
pub struct WithMeta<T> {
    pub value: T,
    pub meta: ResponseMeta,
}

/// The headers vendors put their request id in, most common first.
const REQUEST_ID_HEADERS: [&str; 6] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-correlation-id",
    "cf-ray",
];

/// The vendor's id for a request, from the response's headers.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
}

impl Response {
    /// A response made of its parts (for tests and custom transports).
    pub fn from_parts(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Response {
            status,
            headers,
            body: body.into(),
            attempts: Attempts::default(),
            url: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The attempts it took to get this response.
    pub fn attempts(&self) -> &Attempts {
        &self.attempts
    }

    /// Status, headers and attempts, for [`WithMeta`].
    pub fn meta(&self) -> ResponseMeta {
        ResponseMeta {
            status: self.status,
            headers: self.headers.clone(),
            attempts: self.attempts.count(),
            url: self.url.clone(),
        }
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// True when the response says it is not JSON (`text/html` from a proxy, say), or says
    /// nothing and does not look like JSON: such a body is not the documented one, and failing
    /// to decode it is not a decode error but an unexpected answer.
    fn is_not_json(&self) -> bool {
        match self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
        {
            Some(media) => {
                let essence = media
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                !(essence.contains("json") || essence.is_empty())
            }
            None => {
                let start = self.body.iter().find(|b| !b.is_ascii_whitespace());
                !matches!(
                    start,
                    None | Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
                )
            }
        }
    }

    fn decode_error<E>(&self, mismatch: Mismatch) -> Error<E> {
        if self.is_not_json() {
            return self.unexpected_ref();
        }
        Error::Decode {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body: self.body_text(),
            path: mismatch.path,
            source: mismatch.source,
            attempts: Box::new(self.attempts.clone()),
        }
    }

    /// The body decoded as JSON into `T`.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        decode(&self.body).map_err(|m| self.decode_error(m))
    }

    /// The body decoded as JSON into `T`, whether it came as `T` itself or wrapped in an object
    /// under `key` (`{"data": T}`), as APIs do that changed their envelope over time. A body
    /// that is an object holding `key` is read as the wrapped form; `T` is known not to have a
    /// property of that name.
    pub fn json_or_within<T: DeserializeOwned, E>(self, key: &str) -> Result<T, Error<E>> {
        let value: Value = match decode(&self.body) {
            Ok(value) => value,
            Err(m) => return Err(self.decode_error(m)),
        };
        let result = match value {
            Value::Object(mut map) if map.contains_key(key) => {
                let inner = map.remove(key).unwrap_or(Value::Null);
                decode_value(inner, Some(key))
            }
            other => decode_value(other, None),
        };
        result.map_err(|m| self.decode_error(m))
    }

    /// The body as text; bytes that are not UTF-8 are replaced.
    pub fn text<E>(self) -> Result<String, Error<E>> {
        Ok(self.body_text())
    }

    /// The body as it came.
    pub fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.body)
    }

    /// A response documented without content: whatever came is ignored.
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// A documented error response whose body has type `B`, wrapped into the crate's error body.
    /// A JSON body that does not match `B` becomes [`Error::Decode`]; a body that is not JSON
    /// at all (a proxy's HTML page) an [`Error::UnexpectedStatus`]. Both keep status, headers
    /// and text.
    pub fn error<B: DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match decode::<B>(&self.body) {
            Ok(body) => Error::Api(Box::new(ApiError {
                status: self.status,
                body: wrap(body),
                raw: self.body_text(),
                headers: self.headers,
                attempts: self.attempts,
            })),
            Err(m) => self.decode_error(m),
        }
    }

    /// A documented error response that has no typed body.
    pub fn error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let raw = self.body_text();
        Error::Api(Box::new(ApiError {
            status: self.status,
            body: wrap(raw.clone()),
            raw,
            headers: self.headers,
            attempts: self.attempts,
        }))
    }

    /// The answer of an operation documented with one success status and one error body for
    /// its 4xx and 5xx statuses (the shape most operations have, read here rather than by a
    /// `match` in each): `read` at `status`, the error body (see [`error`](Self::error)) at a
    /// 4xx or 5xx, any other status unexpected.
    pub fn expect<T, B: DeserializeOwned, E>(
        self,
        status: u16,
        read: impl FnOnce(Self) -> Result<T, Error<E>>,
        wrap: impl FnOnce(B) -> E,
    ) -> Result<T, Error<E>> {
        match self.status.as_u16() {
            code if code == status => read(self),
            400..=599 => Err(self.error(wrap)),
            _ => Err(self.unexpected()),
        }
    }

    /// Like [`expect`](Self::expect), for an error body documented as the `default` answer:
    /// read at every status but `status`.
    pub fn expect_or_default<T, B: DeserializeOwned, E>(
        self,
        status: u16,
        read: impl FnOnce(Self) -> Result<T, Error<E>>,
        wrap: impl FnOnce(B) -> E,
    ) -> Result<T, Error<E>> {
        if self.status.as_u16() == status {
            read(self)
        } else {
            Err(self.error(wrap))
        }
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        self.unexpected_ref()
    }

    fn unexpected_ref<E>(&self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body: self.body_text(),
            attempts: Box::new(self.attempts.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Deserializer};
    use std::cell::Cell;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Step {
        created_at: u64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Run {
        steps: Vec<Step>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Runs {
        workflow_runs: Vec<u32>,
    }

    fn response(body: &str) -> Response {
        Response::from_parts(StatusCode::OK, HeaderMap::new(), body.to_owned())
    }

    #[test]
    fn decode_errors_say_where_the_body_stopped_matching() {
        let body = r#"{"Steps": [{"createdAt": 1}, {"createdAt": 2}, {"createdAt": "x"}]}"#;
        let err = response(body).json::<Run, ()>().unwrap_err();
        assert_eq!(err.decode_path(), Some("Steps[2].createdAt"));
        let text = err.to_string();
        assert!(
            text.starts_with("response with status 200 OK did not match its documented type at `Steps[2].createdAt`: invalid type: string \"x\""),
            "{text}"
        );
        match err {
            Error::Decode {
                status, body: kept, ..
            } => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(kept, body);
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[test]
    fn a_body_that_is_not_json_fails_at_the_top() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        let declared = Response::from_parts(StatusCode::OK, headers, "<html>");
        let err = declared.json::<Run, ()>().unwrap_err();
        assert_eq!(err.decode_path(), Some("."));
        let err = response(r#"{"Steps": []} trailing"#)
            .json::<Run, ()>()
            .unwrap_err();
        assert_eq!(err.decode_path(), Some("."));
    }

    #[test]
    fn a_body_of_another_media_type_is_an_unexpected_answer_not_a_decode_error() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "text/html; charset=utf-8".parse().unwrap());
        let page = Response::from_parts(StatusCode::BAD_GATEWAY, headers, "<h1>502</h1>");
        let err = page.error::<Run, ()>(|_| ());
        match &err {
            Error::UnexpectedStatus {
                status,
                headers,
                body,
                ..
            } => {
                assert_eq!(*status, StatusCode::BAD_GATEWAY);
                assert_eq!(headers["content-type"], "text/html; charset=utf-8");
                assert_eq!(body, "<h1>502</h1>");
            }
            other => panic!("expected UnexpectedStatus, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "unexpected status 502 Bad Gateway (text/html): <h1>502</h1>"
        );
        // Without a content type, a body that is not JSON at all is judged the same way.
        let err = response("<html>").json::<Run, ()>().unwrap_err();
        assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    }

    #[test]
    fn a_value_is_read_bare_or_within_its_envelope() {
        let bare: Runs = response(r#"{"workflowRuns": [1, 2]}"#)
            .json_or_within::<_, ()>("data")
            .unwrap();
        let wrapped: Runs = response(r#"{"data": {"workflowRuns": [1, 2]}}"#)
            .json_or_within::<_, ()>("data")
            .unwrap();
        assert_eq!(bare, wrapped);
        assert_eq!(bare.workflow_runs, [1, 2]);
        let err = response(r#"{"data": {"workflowRuns": [1, "x"]}}"#)
            .json_or_within::<Runs, ()>("data")
            .unwrap_err();
        assert_eq!(err.decode_path(), Some("data.workflowRuns[1]"));
        let err = response(r#"{"workflowRuns": "x"}"#)
            .json_or_within::<Runs, ()>("data")
            .unwrap_err();
        assert_eq!(err.decode_path(), Some("workflowRuns"));
    }

    thread_local! {
        /// How many times a [`Counted`] was decoded on this thread.
        static DECODED: Cell<u32> = const { Cell::new(0) };
    }

    /// A [`Run`] that counts how many times it is decoded: once when the body matches (no
    /// second pass to find a path), twice when it does not (the second finds the path).
    #[derive(Debug, PartialEq)]
    struct Counted(Run);

    impl<'de> Deserialize<'de> for Counted {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            DECODED.with(|n| n.set(n.get() + 1));
            Run::deserialize(deserializer).map(Counted)
        }
    }

    /// Runs `f` and says how many times it decoded a [`Counted`].
    fn decodes<R>(f: impl FnOnce() -> R) -> (R, u32) {
        DECODED.with(|n| n.set(0));
        let result = f();
        (result, DECODED.with(Cell::get))
    }

    #[test]
    fn the_path_is_looked_for_only_when_decoding_fails() {
        let (run, count) = decodes(|| {
            response(r#"{"Steps": [{"createdAt": 1}, {"createdAt": 2}]}"#).json::<Counted, ()>()
        });
        let expected = Run {
            steps: vec![Step { created_at: 1 }, Step { created_at: 2 }],
        };
        assert_eq!(run.unwrap(), Counted(expected));
        assert_eq!(count, 1, "a body that matches is decoded once");

        let (err, count) = decodes(|| {
            response(r#"{"Steps": [{"createdAt": 1}, {"createdAt": "x"}]}"#)
                .json::<Counted, ()>()
                .unwrap_err()
        });
        assert_eq!(err.decode_path(), Some("Steps[1].createdAt"));
        assert!(
            err.to_string().contains("invalid type: string \"x\""),
            "{err}"
        );
        assert_eq!(
            count, 2,
            "a body that does not match is decoded again for its path"
        );

        let (err, count) = decodes(|| {
            response(r#"{"Steps": []} {"Steps": []}"#)
                .json::<Counted, ()>()
                .unwrap_err()
        });
        assert_eq!(err.decode_path(), Some("."));
        assert!(err.to_string().contains("trailing characters"), "{err}");
        assert_eq!(count, 2);
    }

    #[test]
    fn a_value_within_its_envelope_is_looked_into_only_when_it_fails() {
        let (run, count) = decodes(|| {
            response(r#"{"data": {"Steps": [{"createdAt": 7}]}}"#)
                .json_or_within::<Counted, ()>("data")
        });
        assert_eq!(run.unwrap().0.steps, [Step { created_at: 7 }]);
        assert_eq!(count, 1);

        let (err, count) = decodes(|| {
            response(r#"{"data": {"Steps": [{"createdAt": 7}, {}]}}"#)
                .json_or_within::<Counted, ()>("data")
                .unwrap_err()
        });
        assert_eq!(err.decode_path(), Some("data.Steps[1]"));
        assert!(
            err.to_string().contains("missing field `createdAt`"),
            "{err}"
        );
        assert_eq!(count, 2);

        // The path of a whole value that does not match is the envelope's key.
        let err = response(r#"{"data": 3}"#)
            .json_or_within::<Counted, ()>("data")
            .unwrap_err();
        assert_eq!(err.decode_path(), Some("data"));
        // A bare array that does not match keeps its index right after nothing.
        let err = decode_value::<Vec<u32>>(serde_json::json!([1, "x"]), Some("data")).unwrap_err();
        assert_eq!(err.path, "data[1]");
    }
}
