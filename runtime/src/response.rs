use crate::error::{ApiError, Error};
use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// A response read to its end, waiting for the generated code to say what its status means.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    /// A response made of its parts (for tests and custom transports).
    pub fn from_parts(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Response {
            status,
            headers,
            body: body.into(),
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

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded as JSON into `T`.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            body: self.body_text(),
            source,
        })
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
    /// A body that does not match `B` becomes [`Error::Decode`], keeping status and text.
    pub fn error<B: DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match serde_json::from_slice::<B>(&self.body) {
            Ok(body) => Error::Api(Box::new(ApiError {
                status: self.status,
                body: wrap(body),
                raw: self.body_text(),
            })),
            Err(source) => Error::Decode {
                status: self.status,
                body: self.body_text(),
                source,
            },
        }
    }

    /// A documented error response that has no typed body.
    pub fn error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let raw = self.body_text();
        Error::Api(Box::new(ApiError {
            status: self.status,
            body: wrap(raw.clone()),
            raw,
        }))
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            body: self.body_text(),
        }
    }
}
