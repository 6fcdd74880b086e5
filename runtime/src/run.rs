//! Watching a workflow run: a status common to every API, the trait a generated run type
//! implements, and polling until a run ends (or waits for a person), as one future or as a
//! stream of status changes.

use crate::clock::Clock;
use crate::error::Error;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where a run is, in words every API shares. Each API maps its own statuses onto these in its
/// settings; a status no mapping knows is [`RunStatus::Unknown`], with the vendor's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RunStatus {
    Queued,
    Running,
    /// The run waits for a person (an approval, an answer): polling alone will not move it.
    WaitingForInput,
    Succeeded,
    Failed,
    Cancelled,
    /// A status no mapping knows, as the server sent it.
    Unknown(String),
}

impl RunStatus {
    /// True when the run has ended: succeeded, failed or cancelled.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            RunStatus::Succeeded | RunStatus::Failed | RunStatus::Cancelled
        )
    }

    /// True when the run waits for a person.
    pub fn is_waiting(&self) -> bool {
        matches!(self, RunStatus::WaitingForInput)
    }

    /// A stable name for the status, for logs and metrics: `queued`, `running`,
    /// `waiting_for_input`, `succeeded`, `failed`, `cancelled` or `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RunStatus::Queued => "queued",
            RunStatus::Running => "running",
            RunStatus::WaitingForInput => "waiting_for_input",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Cancelled => "cancelled",
            RunStatus::Unknown(_) => "unknown",
        }
    }
}

/// The status as people read it: `waiting for input`, `unknown ("ARCHIVED")`.
impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunStatus::WaitingForInput => f.write_str("waiting for input"),
            RunStatus::Unknown(value) => write!(f, "unknown ({value:?})"),
            known => f.write_str(known.as_str()),
        }
    }
}

/// A workflow run of any of the APIs, as generated code reads it from the API's own type.
pub trait WorkflowRun {
    /// The run's id, where the API sends one.
    fn run_id(&self) -> Option<String>;
    /// The status as the API sent it.
    fn vendor_status(&self) -> Option<String>;
    /// The status in the words every API shares.
    fn status(&self) -> RunStatus;
    /// When the run started, where the API says.
    fn started_at(&self) -> Option<DateTime<Utc>> {
        None
    }
    /// When the run ended, where the API says.
    fn finished_at(&self) -> Option<DateTime<Utc>> {
        None
    }
}

/// How a run is polled: every `interval` at first, growing by `backoff` up to `max_interval`,
/// until `deadline` (required: a run may never end).
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPolicy {
    pub interval: Duration,
    pub backoff: f64,
    pub max_interval: Duration,
    pub deadline: Duration,
    /// Keep polling while the run waits for input (someone else will act), instead of
    /// returning it.
    pub through_input: bool,
}

impl WaitPolicy {
    /// Polls every second at first, then up to every fifteen seconds, for at most `deadline`.
    pub fn new(deadline: Duration) -> Self {
        WaitPolicy {
            interval: Duration::from_secs(1),
            backoff: 1.5,
            max_interval: Duration::from_secs(15),
            deadline,
            through_input: false,
        }
    }

    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    pub fn backoff(mut self, factor: f64) -> Self {
        self.backoff = factor.max(1.0);
        self
    }

    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    pub fn through_input(mut self, keep_waiting: bool) -> Self {
        self.through_input = keep_waiting;
        self
    }

    fn next_interval(&self, current: Duration) -> Duration {
        current.mul_f64(self.backoff).min(self.max_interval)
    }
}

/// Why waiting for a run ended without it ending. Each case keeps the last run seen.
#[derive(Debug)]
pub enum WaitError<R, E> {
    /// The deadline passed while the run was still going. `waited` is how long the wait lasted
    /// (to the last poll that fits before the deadline); `failure` is why the last poll failed,
    /// when it did (a server down for the whole wait shows here).
    Deadline {
        deadline: Duration,
        waited: Duration,
        last: Option<R>,
        failure: Option<Error<E>>,
    },
    /// Asking for the run failed in a way a retry would not mend.
    Failed { error: Error<E>, last: Option<R> },
    /// The answer holds no run with this id.
    NotFound { id: String },
}

impl<R, E> WaitError<R, E> {
    /// The last run seen before waiting stopped.
    pub fn last_run(&self) -> Option<&R> {
        match self {
            WaitError::Deadline { last, .. } | WaitError::Failed { last, .. } => last.as_ref(),
            WaitError::NotFound { .. } => None,
        }
    }
}

impl<R: WorkflowRun, E> fmt::Display for WaitError<R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = |last: &Option<R>| match last {
            Some(run) => format!("last seen {}", run.status()),
            None => "never seen".to_owned(),
        };
        match self {
            WaitError::Deadline {
                deadline,
                waited,
                last: run,
                failure,
            } => {
                write!(
                    f,
                    "the run did not end within its {} deadline ({} after {})",
                    crate::retry::seconds(*deadline),
                    last(run),
                    crate::retry::seconds(*waited)
                )?;
                match failure {
                    Some(error) => write!(f, "; the last poll failed: {error}"),
                    None => Ok(()),
                }
            }
            WaitError::Failed { error, last: run } => {
                write!(f, "asking for the run failed ({}): {error}", last(run))
            }
            WaitError::NotFound { id } => write!(f, "the answer holds no run with id {id:?}"),
        }
    }
}

impl<R: WorkflowRun + fmt::Debug, E: fmt::Debug> std::error::Error for WaitError<R, E> {}

/// Polls with `fetch` until the run ends (or waits for input, unless the policy says to wait
/// through it), and returns the last run seen. Transient failures (a dropped connection, a 429
/// or 503) are retried within the deadline, after the wait the server asks for if it does.
/// `fetch` answers `None` when the run is not in the answer (`id` names it in the error).
pub async fn wait_for_run<R, E, F, Fut>(
    clock: Arc<dyn Clock>,
    policy: WaitPolicy,
    id: String,
    fetch: F,
) -> Result<R, WaitError<R, E>>
where
    R: WorkflowRun + Clone,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<R>, Error<E>>>,
{
    run_outcome(watch_run(clock, policy, id, fetch)).await
}

/// How a watch ends: the last run it yielded, or the error that stopped it. A generated client's
/// `wait_for_run` is this over its `watch_run`. (A stream that ends without yielding counts as a
/// deadline passed with nothing seen.)
pub async fn run_outcome<R, E>(
    changes: impl Stream<Item = Result<R, WaitError<R, E>>>,
) -> Result<R, WaitError<R, E>> {
    let mut changes = std::pin::pin!(changes);
    let mut last = None;
    while let Some(item) = changes.next().await {
        last = Some(item?);
    }
    last.ok_or(WaitError::Deadline {
        deadline: Duration::ZERO,
        waited: Duration::ZERO,
        last: None,
        failure: None,
    })
}

/// Polls like [`wait_for_run`], yielding the run each time its status changes (not at every
/// poll), and ends after the run ends; a failure or the deadline ends it with an error.
pub fn watch_run<R, E, F, Fut>(
    clock: Arc<dyn Clock>,
    policy: WaitPolicy,
    id: String,
    fetch: F,
) -> impl Stream<Item = Result<R, WaitError<R, E>>>
where
    R: WorkflowRun + Clone,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<R>, Error<E>>>,
{
    let poller = Poller::new(clock, policy, id, fetch);
    futures_util::stream::unfold(poller, |mut poller| async move {
        poller.next_change().await.map(|item| (item, poller))
    })
}

/// What a generated client's `watch_run` returns: the run each time its status changes, ending
/// after the run ends or with the error that stopped the watch. It owns what it polls with, so it
/// can be kept or sent to another task.
pub type RunStream<R, E> = Pin<Box<dyn Stream<Item = Result<R, WaitError<R, E>>> + Send>>;

/// The polling both share, and what following a run's events falls back to.
pub(crate) struct Poller<R, E, F> {
    clock: Arc<dyn Clock>,
    policy: WaitPolicy,
    id: String,
    fetch: F,
    started: Instant,
    /// The poll interval now: the policy's, grown by its backoff after each poll that answered.
    interval: Duration,
    /// The wait before the next poll; `None` before the first.
    next_wait: Option<Duration>,
    last: Option<R>,
    /// The status last yielded, and the vendor's word for it.
    seen: Option<(RunStatus, Option<String>)>,
    /// Why the last poll failed, if it did.
    failure: Option<Error<E>>,
    finished: bool,
}

impl<R, E, F> Poller<R, E, F>
where
    R: WorkflowRun + Clone,
{
    pub(crate) fn new(clock: Arc<dyn Clock>, policy: WaitPolicy, id: String, fetch: F) -> Self {
        let started = clock.now();
        Poller {
            interval: policy.interval,
            clock,
            policy,
            id,
            fetch,
            started,
            next_wait: None,
            last: None,
            seen: None,
            failure: None,
            finished: false,
        }
    }

    pub(crate) fn deadline(&mut self) -> Option<Result<R, WaitError<R, E>>> {
        self.finished = true;
        Some(Err(WaitError::Deadline {
            failure: self.failure.take(),
            deadline: self.policy.deadline,
            waited: self.clock.now().saturating_duration_since(self.started),
            last: self.last.clone(),
        }))
    }

    /// Whether the watch is over: the run ended, or an error or the deadline stopped it.
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// The time left before the deadline.
    pub(crate) fn remaining(&self) -> Duration {
        let elapsed = self.clock.now().saturating_duration_since(self.started);
        self.policy.deadline.saturating_sub(elapsed)
    }

    /// Polls until the run's status differs from the last one yielded; `None` once done.
    pub(crate) async fn next_change<Fut>(&mut self) -> Option<Result<R, WaitError<R, E>>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<R>, Error<E>>>,
    {
        if self.finished {
            return None;
        }
        loop {
            if let Some(wait) = self.next_wait {
                // A poll at the deadline itself would have no time to answer.
                if wait >= self.remaining() {
                    return self.deadline();
                }
                self.clock.sleep(wait).await;
            }
            if let Some(item) = self.poll_once(true).await {
                return Some(item);
            }
        }
    }

    /// Asks for the run once, now: the run when its status changed or it is done, an error
    /// that ends the watch, or `None` (no change, or a transient failure, kept for the
    /// deadline's error and waited out by the next [`next_change`](Self::next_change)). A poll
    /// of the `cadence` sets the wait before the next and grows the interval; one an event asked
    /// for leaves both.
    pub(crate) async fn poll_once<Fut>(
        &mut self,
        cadence: bool,
    ) -> Option<Result<R, WaitError<R, E>>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<R>, Error<E>>>,
    {
        // A poll that would outlast the deadline is cut short by it.
        let Ok(answer) = tokio::time::timeout(self.remaining(), (self.fetch)()).await else {
            return self.deadline();
        };
        match answer {
            Ok(Some(run)) => {
                self.failure = None;
                if cadence {
                    self.next_wait = Some(self.interval);
                    self.interval = self.policy.next_interval(self.interval);
                }
                let status = run.status();
                let seen = (status.clone(), run.vendor_status());
                let changed = self.seen.as_ref() != Some(&seen);
                let done =
                    status.is_terminal() || (status.is_waiting() && !self.policy.through_input);
                self.seen = Some(seen);
                self.last = Some(run.clone());
                tracing::debug!(status = %status, changed, done, "polled the run");
                if done {
                    self.finished = true;
                }
                (changed || done).then_some(Ok(run))
            }
            Ok(None) => {
                self.finished = true;
                Some(Err(WaitError::NotFound {
                    id: self.id.clone(),
                }))
            }
            Err(error) if error.is_transient() => {
                // The server's `Retry-After`, else the usual interval.
                let wait = error.retry_after().unwrap_or(self.interval);
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    "polling again after a transient failure"
                );
                self.next_wait = Some(wait);
                self.failure = Some(error);
                None
            }
            Err(error) => {
                self.finished = true;
                Some(Err(WaitError::Failed {
                    error,
                    last: self.last.clone(),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use futures_util::StreamExt;
    use std::collections::VecDeque;
    use std::sync::Mutex;

    #[derive(Debug, Clone, PartialEq)]
    struct Run(&'static str);

    impl WorkflowRun for Run {
        fn run_id(&self) -> Option<String> {
            Some("r1".to_owned())
        }
        fn vendor_status(&self) -> Option<String> {
            Some(self.0.to_owned())
        }
        fn status(&self) -> RunStatus {
            match self.0 {
                "queued" => RunStatus::Queued,
                "running" => RunStatus::Running,
                "paused" => RunStatus::WaitingForInput,
                "done" => RunStatus::Succeeded,
                "failed" => RunStatus::Failed,
                other => RunStatus::Unknown(other.to_owned()),
            }
        }
    }

    /// A fetch that answers the given statuses in turn (the last one from then on).
    fn answers(
        statuses: &[&'static str],
    ) -> impl FnMut() -> std::future::Ready<Result<Option<Run>, Error<()>>> {
        let queue = Arc::new(Mutex::new(
            statuses.iter().copied().collect::<VecDeque<_>>(),
        ));
        move || {
            let mut queue = queue.lock().unwrap();
            let status = if queue.len() > 1 {
                queue.pop_front().unwrap()
            } else {
                *queue.front().unwrap()
            };
            std::future::ready(Ok(Some(Run(status))))
        }
    }

    #[tokio::test]
    async fn waits_until_the_run_ends_with_growing_intervals() {
        let clock = ManualClock::default();
        let policy = WaitPolicy::new(Duration::from_secs(60)).interval(Duration::from_secs(2));
        let run = wait_for_run(
            Arc::new(clock.clone()),
            policy.clone(),
            "r1".into(),
            answers(&["queued", "running", "running", "done"]),
        )
        .await
        .unwrap();
        assert_eq!(run, Run("done"));
        assert_eq!(
            clock.sleeps(),
            [
                Duration::from_secs(2),
                Duration::from_secs(3),
                Duration::from_millis(4500)
            ]
        );
    }

    #[tokio::test]
    async fn a_run_waiting_for_input_is_returned_unless_the_policy_waits_through() {
        let clock = Arc::new(ManualClock::default());
        let policy = WaitPolicy::new(Duration::from_secs(60));
        let run = wait_for_run(
            clock.clone(),
            policy.clone(),
            "r1".into(),
            answers(&["running", "paused", "done"]),
        )
        .await
        .unwrap();
        assert_eq!(run, Run("paused"));
        let run = wait_for_run(
            clock,
            policy.clone().through_input(true),
            "r1".into(),
            answers(&["running", "paused", "done"]),
        )
        .await
        .unwrap();
        assert_eq!(run, Run("done"));
    }

    #[tokio::test]
    async fn the_deadline_ends_the_wait_with_the_last_run() {
        let clock = ManualClock::default();
        let policy = WaitPolicy::new(Duration::from_secs(10))
            .interval(Duration::from_secs(4))
            .backoff(1.0);
        let err = wait_for_run(
            Arc::new(clock.clone()),
            policy,
            "r1".into(),
            answers(&["running"]),
        )
        .await
        .unwrap_err();
        match &err {
            WaitError::Deadline {
                deadline,
                waited,
                last,
                failure,
            } => {
                assert!(failure.is_none());
                assert_eq!(*deadline, Duration::from_secs(10));
                assert_eq!(*waited, Duration::from_secs(8));
                assert_eq!(last.as_ref(), Some(&Run("running")));
            }
            other => panic!("expected the deadline, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "the run did not end within its 10s deadline (last seen running after 8s)"
        );
    }

    #[tokio::test]
    async fn watching_yields_each_change_once() {
        let clock = Arc::new(ManualClock::default());
        let policy = WaitPolicy::new(Duration::from_secs(60));
        let seen: Vec<&str> = watch_run(
            clock,
            policy.clone(),
            "r1".into(),
            answers(&[
                "queued", "queued", "running", "running", "running", "mystery", "failed",
            ]),
        )
        .map(|item| item.unwrap().0)
        .collect()
        .await;
        assert_eq!(seen, ["queued", "running", "mystery", "failed"]);
    }
}
