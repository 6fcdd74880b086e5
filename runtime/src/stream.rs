//! Event streams: a response read as its bytes arrive, framed as server-sent events (`sse`) or
//! one JSON text per record (`lines`), each item decoded as it completes, never the whole body
//! in memory. An item that does not decode is an `Err` item and the stream goes on; a stream
//! cut off, silent for too long, with an event over the size limit, or ended before the API's
//! terminal event ends with an error saying how many events arrived and which came last.

use crate::clock::{Clock, Sleep};
use crate::error::{Error, StreamProblem};
use crate::lines::LineParser;
use crate::response::{ResponseMeta, decode};
use crate::sse::{SseEvent, SseParser};
use bytes::Bytes;
use futures_util::Stream;
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The largest event a stream holds unless the call says otherwise.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;
/// How long a stream may send nothing (not even a keep-alive) unless the call says otherwise.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How a response's records are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`.
    ServerSentEvents,
    /// JSON Lines, NDJSON, `application/stream+json` and JSON text sequences.
    JsonLines,
}

/// One item of a stream: its decoded payload, and the event's name, id and retry where the
/// stream is made of server-sent events.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The payload.
    pub data: T,
    /// The event's type (`message` unless the server named one; `message` for JSON lines too).
    pub event: String,
    /// The stream's last event id when this event came, to resume after it.
    pub id: Option<String>,
    /// The reconnection time the server asked for, if it did.
    pub retry: Option<Duration>,
    /// The event's place in the stream, from 0.
    pub index: u64,
    /// A hash of the event's name and data, for a resumed stream to skip what it saw (0 unless
    /// asked for).
    pub(crate) fingerprint: u64,
}

impl<T> std::ops::Deref for Event<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// Where and why one event did not decode.
#[derive(Debug)]
pub struct Mismatch {
    pub path: String,
    pub source: serde_json::Error,
}

/// How a stream's payloads are decoded: generated code passes [`json`] or [`raw`].
pub type Decode<T> = fn(&SseEvent) -> Result<T, Mismatch>;

/// Decodes an event's data as JSON into `T`, the path of the first mismatch if it does not.
pub fn json<T: DeserializeOwned>(event: &SseEvent) -> Result<T, Mismatch> {
    decode(event.data.as_bytes()).map_err(|m| Mismatch {
        path: m.path,
        source: m.source,
    })
}

/// The event as it came, for streams whose document gives no item schema: never an error.
pub fn raw(event: &SseEvent) -> Result<SseEvent, Mismatch> {
    Ok(event.clone())
}

/// How one operation's stream is read, and the limits of one call.
pub struct StreamSpec<T> {
    pub framing: Framing,
    pub decode: Decode<T>,
    /// Whether an item is one of the API's terminal events; a stream that ends before one is
    /// an error. `None`: the API names none, and any end is an end.
    pub terminal: Option<fn(&T) -> bool>,
}

/// The limits of one stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamLimits {
    pub max_event_size: usize,
    pub idle_timeout: Duration,
}

enum Parser {
    Sse(SseParser),
    Lines(LineParser),
}

/// A response's items as they arrive: a [`futures::Stream`](Stream) of `Result<Event<T>,
/// Error<E>>`. Dropping it closes the connection.
#[must_use = "a stream does nothing until it is polled"]
pub struct EventStream<T, E> {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    parser: Parser,
    pending: VecDeque<SseEvent>,
    spec: StreamSpec<T>,
    clock: Arc<dyn Clock>,
    limits: StreamLimits,
    timer: Option<Sleep>,
    meta: ResponseMeta,
    method: Method,
    path: &'static str,
    span: tracing::Span,
    events: u64,
    last: Option<String>,
    ended_properly: bool,
    body_ended: bool,
    done: bool,
    /// Whether events carry a fingerprint (a resumed stream asks for them).
    pub(crate) fingerprints: bool,
    _error: PhantomData<fn() -> E>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("status", &self.meta.status)
            .field("events", &self.events)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, E> EventStream<T, E> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        response: reqwest::Response,
        meta: ResponseMeta,
        spec: StreamSpec<T>,
        clock: Arc<dyn Clock>,
        limits: StreamLimits,
        method: Method,
        path: &'static str,
        span: tracing::Span,
    ) -> Self {
        let parser = match spec.framing {
            Framing::ServerSentEvents => Parser::Sse(SseParser::new(limits.max_event_size)),
            Framing::JsonLines => Parser::Lines(LineParser::new(limits.max_event_size)),
        };
        EventStream {
            body: Box::pin(futures_util::stream::unfold(
                response,
                |mut response| async move {
                    let chunk = response.chunk().await.transpose()?;
                    Some((chunk, response))
                },
            )),
            parser,
            pending: VecDeque::new(),
            spec,
            clock,
            limits,
            timer: None,
            meta,
            method,
            path,
            span,
            events: 0,
            last: None,
            ended_properly: false,
            body_ended: false,
            done: false,
            fingerprints: false,
            _error: PhantomData,
        }
    }

    /// The response's status and headers, and the attempts it took to open the stream.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The last event id the server sent (SSE `id`), to resume after it with `Last-Event-ID`.
    pub fn last_event_id(&self) -> Option<&str> {
        match &self.parser {
            Parser::Sse(parser) => parser.last_event_id(),
            Parser::Lines(_) => None,
        }
    }

    /// How many events have arrived so far (those that did not decode included).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Whether the API's terminal event has arrived: after it, the run's outcome is known.
    pub fn ended_properly(&self) -> bool {
        self.ended_properly
    }

    fn fail(&mut self, problem: StreamProblem) -> Error<E> {
        self.done = true;
        tracing::debug!(events = self.events, problem = %problem, "stream ended");
        Error::Stream {
            method: self.method.clone(),
            path: self.path.to_owned(),
            events: self.events,
            last: self.last.clone(),
            problem,
        }
    }

    /// Reads bytes into the parser, or says why it cannot.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), StreamProblem> {
        let result = match &mut self.parser {
            Parser::Sse(parser) => parser.push(chunk, &mut self.pending),
            Parser::Lines(parser) => parser.push(chunk, &mut self.pending),
        };
        result.map_err(|too| StreamProblem::EventTooLarge { limit: too.limit })
    }

    fn end_of_body(&mut self) {
        match &mut self.parser {
            Parser::Sse(parser) => parser.finish(),
            Parser::Lines(parser) => parser.finish(&mut self.pending),
        }
    }

    /// The next item from the events already parsed.
    fn next_item(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        let raw = self.pending.pop_front()?;
        let index = self.events;
        self.events += 1;
        self.last = Some(describe(&raw));
        tracing::debug!(index, event = %raw.event, bytes = raw.data.len(), "event");
        let fingerprint = if self.fingerprints {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            raw.event.hash(&mut hasher);
            raw.data.hash(&mut hasher);
            hasher.finish()
        } else {
            0
        };
        Some(match (self.spec.decode)(&raw) {
            Ok(data) => {
                if self
                    .spec
                    .terminal
                    .is_some_and(|is_terminal| is_terminal(&data))
                {
                    self.ended_properly = true;
                }
                Ok(Event {
                    data,
                    event: raw.event,
                    id: raw.id,
                    retry: raw.retry,
                    index,
                    fingerprint,
                })
            }
            Err(mismatch) => Err(Error::Event {
                index,
                event: raw.event,
                path: mismatch.path,
                source: mismatch.source,
                data: raw.data,
            }),
        })
    }
}

/// An event as an error message shows it: its name unless `message`, and the start of its data.
fn describe(event: &SseEvent) -> String {
    let data = crate::error::one_line(&event.data, 160);
    if event.event == "message" {
        data
    } else {
        format!("{}: {data}", event.event)
    }
}

impl<T, E> Unpin for EventStream<T, E> {}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let span = this.span.clone();
        let _entered = span.enter();
        loop {
            // Events already parsed come first, also before a cut or the end is reported.
            if let Some(item) = this.next_item() {
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            if this.body_ended {
                if this.spec.terminal.is_some() && !this.ended_properly {
                    return Poll::Ready(Some(Err(this.fail(StreamProblem::EndedEarly))));
                }
                this.done = true;
                tracing::debug!(events = this.events, "stream ended");
                return Poll::Ready(None);
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    this.timer = None;
                    if let Err(problem) = this.feed(&chunk) {
                        return Poll::Ready(Some(Err(this.fail(problem))));
                    }
                }
                Poll::Ready(Some(Err(source))) => {
                    let problem = StreamProblem::Cut(source.without_url());
                    return Poll::Ready(Some(Err(this.fail(problem))));
                }
                Poll::Ready(None) => {
                    this.end_of_body();
                    this.body_ended = true;
                }
                Poll::Pending => {
                    let idle = this.limits.idle_timeout;
                    let clock = &this.clock;
                    let timer = this.timer.get_or_insert_with(|| clock.timer(idle));
                    if timer.as_mut().poll(cx).is_ready() {
                        this.timer = None;
                        let problem = StreamProblem::Idle { after: idle };
                        return Poll::Ready(Some(Err(this.fail(problem))));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}
