//! Resuming a stream after its connection dropped: the request opened again (with
//! `Last-Event-ID` when the server sent ids), after a growing wait on the client's clock, a few
//! times at most; events already seen are skipped, so the caller sees each once.

use crate::BoxFuture;
use crate::clock::{Clock, Sleep};
use crate::error::{Error, StreamProblem};
use crate::stream::{Event, EventStream};
use futures_util::Stream;
use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// How often and after how long a dropped stream is opened again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResumePolicy {
    /// Reopenings in a row, without an event between them, before the error is the caller's.
    pub attempts: u32,
    /// The wait before the first; each next one doubles, up to 30 s.
    pub delay: Duration,
}

impl Default for ResumePolicy {
    /// Five times, after 1 s, 2 s, 4 s, 8 s and 16 s.
    fn default() -> Self {
        ResumePolicy {
            attempts: 5,
            delay: Duration::from_secs(1),
        }
    }
}

/// A stream being opened.
pub type Opening<'a, T, E> = BoxFuture<'a, Result<EventStream<T, E>, Error<E>>>;

/// Opens the stream again; given the last event id seen, when the server sent ids.
pub type Reopen<'a, T, E> = Box<dyn FnMut(Option<String>) -> Opening<'a, T, E> + Send + 'a>;

/// A stream that reopens itself after a cut, a silence or an early end, and yields every event
/// once: a [`futures::Stream`](Stream) of `Result<Event<T>, Error<E>>` like [`EventStream`].
#[must_use = "a stream does nothing until it is polled"]
pub struct Resuming<'a, T, E> {
    current: Option<EventStream<T, E>>,
    opening: Option<Opening<'a, T, E>>,
    waiting: Option<Sleep>,
    reopen: Reopen<'a, T, E>,
    clock: Arc<dyn Clock>,
    policy: ResumePolicy,
    /// Fingerprints of the events yielded, to skip those a reopened stream sends again.
    seen: HashSet<u64>,
    last_id: Option<String>,
    /// Reopenings since the last new event.
    tries: u32,
    resumed: u32,
    done: bool,
}

impl<'a, T, E> Resuming<'a, T, E> {
    /// A stream that opens with `reopen(None)`, and again with the last event id after a drop.
    pub fn new(clock: Arc<dyn Clock>, policy: ResumePolicy, mut reopen: Reopen<'a, T, E>) -> Self {
        let opening = Some(reopen(None));
        Resuming {
            current: None,
            opening,
            waiting: None,
            reopen,
            clock,
            policy,
            seen: HashSet::new(),
            last_id: None,
            tries: 0,
            resumed: 0,
            done: false,
        }
    }

    /// How many times the stream was opened again.
    pub fn resumed(&self) -> u32 {
        self.resumed
    }

    /// Whether the API's terminal event has arrived.
    pub fn ended_properly(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(EventStream::ended_properly)
    }

    /// Schedules a reopening, or says the error is the caller's.
    fn retry_after(&mut self, error: &Error<E>) -> bool {
        let resumable = match error {
            Error::Stream { problem, .. } => matches!(
                problem,
                StreamProblem::Cut(_) | StreamProblem::Idle { .. } | StreamProblem::EndedEarly
            ),
            other => other.is_transient(),
        };
        if !resumable || self.tries >= self.policy.attempts {
            return false;
        }
        let delay = self
            .policy
            .delay
            .saturating_mul(1 << self.tries.min(16))
            .min(Duration::from_secs(30));
        tracing::debug!(
            try_ = self.tries + 1,
            delay_ms = delay.as_millis() as u64,
            "resuming the stream"
        );
        self.tries += 1;
        self.current = None;
        self.waiting = Some(self.clock.sleep(delay));
        true
    }
}

impl<T, E> Unpin for Resuming<'_, T, E> {}

impl<T, E> Stream for Resuming<'_, T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(wait) = this.waiting.as_mut() {
                if wait.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.waiting = None;
                this.resumed += 1;
                this.opening = Some((this.reopen)(this.last_id.clone()));
            }
            if let Some(opening) = this.opening.as_mut() {
                match opening.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(mut stream)) => {
                        this.opening = None;
                        stream.fingerprints = true;
                        this.current = Some(stream);
                    }
                    Poll::Ready(Err(error)) => {
                        this.opening = None;
                        if this.retry_after(&error) {
                            continue;
                        }
                        this.done = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
            let Some(current) = this.current.as_mut() else {
                this.done = true;
                return Poll::Ready(None);
            };
            match Pin::new(&mut *current).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Ok(event))) => {
                    if event.id.is_some() {
                        this.last_id = event.id.clone();
                    }
                    if !this.seen.insert(event.fingerprint) {
                        continue;
                    }
                    this.tries = 0;
                    return Poll::Ready(Some(Ok(event)));
                }
                Poll::Ready(Some(Err(error))) => {
                    if matches!(error, Error::Stream { .. }) && this.retry_after(&error) {
                        continue;
                    }
                    if matches!(error, Error::Stream { .. }) {
                        this.done = true;
                    }
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}
