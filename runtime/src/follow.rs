//! Following a workflow run through its event stream: each event as it comes, the run asked for
//! again when an event says its status may have changed, the stream reopened after a drop, and
//! polling when no stream can be had or it ends before the run does.

use crate::clock::{Clock, Sleep};
use crate::error::Error;
use crate::resume::{Opening, ResumePolicy, Resuming};
use crate::run::{Poller, WaitError, WaitPolicy, WorkflowRun};
use crate::stream::Event;
use futures_util::{Stream, StreamExt};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What following a run yields: the run each time its status changes, and each event of its
/// stream as it came (node progress, text chunks).
#[derive(Debug, Clone)]
pub enum RunProgress<R, T> {
    /// The run as the API answers it, when its status changed (the first answer included).
    Run(R),
    /// An event of the run's stream.
    Event(Event<T>),
}

impl<R, T> RunProgress<R, T> {
    /// The run, for a status change.
    pub fn run(&self) -> Option<&R> {
        match self {
            RunProgress::Run(run) => Some(run),
            RunProgress::Event(_) => None,
        }
    }

    /// The event, for one of the stream's.
    pub fn event(&self) -> Option<&Event<T>> {
        match self {
            RunProgress::Event(event) => Some(event),
            RunProgress::Run(_) => None,
        }
    }
}

/// What a generated client's `follow_run` returns: the run's changes and events, ending after the
/// run ends or with the error that stopped it. It owns what it uses, so it can be kept or sent to
/// another task.
pub type ProgressStream<R, T, E> =
    Pin<Box<dyn Stream<Item = Result<RunProgress<R, T>, WaitError<R, E>>> + Send>>;

/// The stream of a run's events, as [`follow_run`] opens it.
pub struct RunEvents<T, E> {
    /// Opens the stream; given the last event id seen when reopening after a drop.
    pub open: Box<dyn FnMut(Option<String>) -> Opening<'static, T, E> + Send>,
    /// Whether an event may change the run's status, so the run is asked for again.
    pub refresh: fn(&T) -> bool,
    /// How often and after how long a dropped stream is reopened.
    pub resume: ResumePolicy,
}

/// Follows a run: asks for it with `fetch` (yielding it), then reads its events as they come,
/// yielding each, asking for the run again after each event `refresh` picks and yielding it when
/// its status changed. A dropped stream is reopened (see [`Resuming`]); a stream that cannot be
/// opened, fails for good or ends while the run goes on gives way to polling as
/// [`watch_run`](crate::watch_run) does. The policy's deadline holds throughout; an event that
/// does not decode is logged and skipped.
pub fn follow_run<R, T, E, F, Fut>(
    clock: Arc<dyn Clock>,
    policy: WaitPolicy,
    id: String,
    fetch: F,
    events: RunEvents<T, E>,
) -> impl Stream<Item = Result<RunProgress<R, T>, WaitError<R, E>>>
where
    R: WorkflowRun + Clone,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<R>, Error<E>>>,
{
    let follower = Follower {
        poller: Poller::new(clock.clone(), policy, id, fetch),
        clock,
        events: Some(events),
        stream: None,
        queue: VecDeque::new(),
    };
    futures_util::stream::unfold(follower, |mut follower| async move {
        follower.next().await.map(|item| (item, follower))
    })
}

/// The stream once open, what picks the events that ask for the run, and the deadline's timer.
struct Open<T, E> {
    events: Resuming<'static, T, E>,
    refresh: fn(&T) -> bool,
    deadline: Sleep,
}

/// Where following stands: the poller (its last run, its deadline), the stream once open.
struct Follower<R, T, E, F> {
    poller: Poller<R, E, F>,
    clock: Arc<dyn Clock>,
    /// How to open the stream, until it is.
    events: Option<RunEvents<T, E>>,
    stream: Option<Open<T, E>>,
    /// What to yield before reading on.
    queue: VecDeque<Result<RunProgress<R, T>, WaitError<R, E>>>,
}

impl<R, T, E, F> Follower<R, T, E, F>
where
    R: WorkflowRun + Clone,
{
    async fn next<Fut>(&mut self) -> Option<Result<RunProgress<R, T>, WaitError<R, E>>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<R>, Error<E>>>,
    {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if self.poller.finished() {
                return None;
            }
            // The run first: it may be over already, or unknown.
            if let Some(events) = self.events.take() {
                let first = self.poller.next_change().await?;
                if !self.poller.finished() {
                    self.stream = Some(Open {
                        events: Resuming::new(self.clock.clone(), events.resume, events.open),
                        refresh: events.refresh,
                        deadline: self.clock.timer(self.poller.remaining()),
                    });
                }
                return Some(as_change(first));
            }
            let Some(open) = self.stream.as_mut() else {
                return self.poller.next_change().await.map(as_change);
            };
            let refresh = open.refresh;
            let next =
                futures_util::future::select(open.events.next(), open.deadline.as_mut()).await;
            let item = match next {
                futures_util::future::Either::Left((item, _)) => item,
                futures_util::future::Either::Right(_) => {
                    self.stream = None;
                    return self.poller.deadline().map(as_change);
                }
            };
            match item {
                Some(Ok(event)) => {
                    let ask = refresh(&event.data);
                    self.queue.push_back(Ok(RunProgress::Event(event)));
                    if ask && let Some(change) = self.poller.poll_once(false).await {
                        self.queue.push_back(as_change(change));
                    }
                    if self.poller.finished() {
                        self.stream = None;
                    }
                }
                Some(Err(Error::Event { index, path, .. })) => {
                    tracing::debug!(index, path = %path, "skipped an event that did not decode");
                }
                Some(Err(error)) => {
                    tracing::warn!(error = %error, "the run's event stream failed; polling instead");
                    self.stream = None;
                }
                None => {
                    // The stream is over; the run may not be (the guides say to confirm).
                    self.stream = None;
                    if let Some(change) = self.poller.poll_once(false).await {
                        self.queue.push_back(as_change(change));
                    }
                }
            }
        }
    }
}

/// A poll's outcome as what following yields.
// The error is the `WaitError` that waiting returns everywhere; boxing it here alone would make
// following's errors unlike waiting's.
#[allow(clippy::result_large_err)]
fn as_change<R, T, E>(
    polled: Result<R, WaitError<R, E>>,
) -> Result<RunProgress<R, T>, WaitError<R, E>> {
    polled.map(RunProgress::Run)
}
