//! A call ready to send: the request a generated builder made, its options, and how to read the
//! answer (whole, or as a stream of events). Sending it is the runtime's one generic future, so generated crates hold no async code
//! of their own (which keeps them quick to compile).

use crate::BoxFuture;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::Request;
use crate::response::{Response, WithMeta};
use crate::stream::{EventStream, StreamSpec};
use crate::transport::Transport;

/// How a generated builder reads the response of its operation.
pub type Read<T, E> = fn(Response) -> Result<T, Error<E>>;

/// A request with its options, on its way to a transport.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a, T, E> {
    transport: &'a Transport,
    request: Request,
    options: CallOptions,
    read: Read<T, E>,
}

impl<'a, T: Send + 'a, E: Send + 'a> Call<'a, T, E> {
    /// A call of `request` through `transport` with `options`, whose answer `read` turns into
    /// the operation's value or error.
    pub fn new(
        transport: &'a Transport,
        request: Request,
        options: CallOptions,
        read: Read<T, E>,
    ) -> Self {
        Call {
            transport,
            request,
            options,
            read,
        }
    }

    /// Sends the request and reads the response.
    pub fn send(self) -> BoxFuture<'a, Result<T, Error<E>>> {
        Box::pin(async move {
            let response = self.transport.send(self.request, &self.options).await?;
            (self.read)(response)
        })
    }

    /// Like [`send`](Self::send), with the response's status and headers and the number of
    /// attempts made.
    pub fn send_with_meta(self) -> BoxFuture<'a, Result<WithMeta<T>, Error<E>>> {
        Box::pin(async move {
            let response = self.transport.send(self.request, &self.options).await?;
            let meta = response.meta();
            (self.read)(response).map(|value| WithMeta { value, meta })
        })
    }
}

/// How a generated builder reads an answer to a stream's request that is not a success.
pub type ReadError<E> = fn(Response) -> Error<E>;

/// Opens a stream of the operation's events: a call like any other until a success arrives, then
/// the body read as it comes. An error status is read whole and judged by `read_error`.
pub fn open_stream<'a, T: Send + 'a, E: Send + 'a>(
    transport: &'a Transport,
    request: Request,
    options: CallOptions,
    spec: StreamSpec<T>,
    read_error: ReadError<E>,
) -> BoxFuture<'a, Result<EventStream<T, E>, Error<E>>> {
    Box::pin(async move {
        match transport.open(request, &options, spec).await? {
            Ok(stream) => Ok(stream),
            Err(response) => Err(read_error(response)),
        }
    })
}
