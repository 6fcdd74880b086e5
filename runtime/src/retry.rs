//! When a request is tried again and how long to wait first: the policy, the server's
//! `Retry-After`, the retry budget shared by a client's clones, and the record of attempts.
//!
//! Everything that decides a retry is here, as plain functions of what happened; the transport
//! only carries the decisions out.

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// How a call is retried. The defaults are those of the SDKs people trust: two retries, backoff
/// from half a second doubling to eight seconds, a quarter of jitter.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// The wait before the first retry; it doubles for each one after.
    pub initial_delay: Duration,
    /// The longest wait between attempts: backoff stops growing there, and a server that asks
    /// for longer (`Retry-After`) is not retried.
    pub max_delay: Duration,
    /// Up to this fraction of each backoff is taken off at random, so that clients that failed
    /// together do not retry together (0 to 1).
    pub jitter: f64,
    /// Retry methods that are not idempotent (POST, PATCH) even without an idempotency key.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            jitter: 0.25,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = fraction.clamp(0.0, 1.0);
        self
    }

    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The wait before retry number `retry` (1 for the first): the initial delay doubled for
    /// each retry before it, capped at `max_delay`, less up to `jitter` of it; `random` is in
    /// `0..1`.
    pub fn backoff(&self, retry: u32, random: f64) -> Duration {
        let doubled = self.initial_delay.saturating_mul(
            1u32.checked_shl(retry.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let capped = doubled.min(self.max_delay);
        capped.mul_f64(1.0 - self.jitter * random.clamp(0.0, 1.0))
    }
}

/// Methods that may be sent twice with the effect of once.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
    ) || method.as_str() == "QUERY" // safe and idempotent, as its definition says
}

/// Statuses that say "try again": timeouts, throttling and server errors a retry may clear.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// How long the server asks the client to wait: `retry-after-ms`, else `Retry-After` in
/// seconds or as an HTTP date (a date in the past asks for no wait).
pub fn requested_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    requested_delay_at(headers, || now)
}

/// [`requested_delay`], reading the time only for a `Retry-After` that is a date.
pub(crate) fn requested_delay_at(
    headers: &HeaderMap,
    now: impl FnOnce() -> SystemTime,
) -> Option<Duration> {
    // Names made once, not parsed from text on every response.
    const RETRY_AFTER_MS: HeaderName = HeaderName::from_static("retry-after-ms");
    let text = |name: &HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text(&RETRY_AFTER_MS).and_then(|t| t.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let value = text(&RETRY_AFTER)?;
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now()).unwrap_or(Duration::ZERO))
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A response with this status.
    Status(StatusCode),
    /// The connection could not be made (refused, reset, DNS).
    Connect,
    /// The attempt took longer than its timeout.
    Timeout,
    /// Anything else the transport reported (a body cut off, a protocol error).
    Other,
}

impl Failure {
    /// Whether a retry could help.
    fn transient(self) -> bool {
        match self {
            Failure::Status(status) => is_retryable_status(status),
            Failure::Connect | Failure::Timeout | Failure::Other => true,
        }
    }

    /// What a retry takes from the budget: more after a timeout, which costs the server most.
    pub(crate) fn cost(self) -> u32 {
        match self {
            Failure::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        }
    }
}

/// Why a call stopped being retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The retries the policy allows were all made.
    RetriesExhausted,
    /// The method is not idempotent and the call has no idempotency key.
    NotIdempotent,
    /// The server asked to wait longer than the policy's `max_delay`.
    RetryAfterTooLong {
        requested: Duration,
        allowed: Duration,
    },
    /// The client's retry budget is spent: the server has been failing for a while.
    BudgetExhausted,
    /// Waiting for another attempt would pass the call's deadline.
    Deadline,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::RetriesExhausted => f.write_str("no retries left"),
            Stop::NotIdempotent => f.write_str(
                "not retried: the method is not idempotent and the call has no idempotency key",
            ),
            Stop::RetryAfterTooLong { requested, allowed } => write!(
                f,
                "not retried: the server asks to wait {}, longer than the policy allows ({})",
                seconds(*requested),
                seconds(*allowed)
            ),
            Stop::BudgetExhausted => f.write_str("not retried: the client's retry budget is spent"),
            Stop::Deadline => f.write_str("not retried: another attempt would pass the deadline"),
        }
    }
}

/// Whether to try again after `failure`, and after how long. `retries_done` retries were made
/// before; `requested` is what the server asked for, if anything; `random` is in `0..1`.
pub(crate) fn decide(
    policy: &RetryPolicy,
    retries_done: u32,
    may_repeat: bool,
    failure: Failure,
    requested: Option<Duration>,
    random: f64,
) -> Result<Duration, Option<Stop>> {
    if !failure.transient() {
        return Err(None);
    }
    if !may_repeat {
        return Err(Some(Stop::NotIdempotent));
    }
    if retries_done >= policy.max_retries {
        return Err(Some(Stop::RetriesExhausted));
    }
    match requested {
        Some(requested) if requested > policy.max_delay => Err(Some(Stop::RetryAfterTooLong {
            requested,
            allowed: policy.max_delay,
        })),
        Some(requested) => Ok(requested),
        None => Ok(policy.backoff(retries_done + 1, random)),
    }
}

/// What a retry takes from the budget.
pub(crate) const RETRY_COST: u32 = 5;
/// What a retry after a timeout takes from the budget.
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;

/// A token bucket shared by every clone of a client, as in the AWS SDK: each retry takes from
/// it, each success gives back, so that a failing server is not met with a storm of retries from
/// every call at once.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: Mutex<u32>,
}

impl RetryBudget {
    /// A full budget of `capacity` tokens (500 by default: a hundred retries).
    pub fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: Mutex::new(capacity),
        }
    }

    /// The tokens left.
    pub fn available(&self) -> u32 {
        *self.lock()
    }

    /// Takes `cost` for a retry; false (and nothing taken) when the budget cannot pay.
    pub(crate) fn try_spend(&self, cost: u32) -> bool {
        let mut tokens = self.lock();
        if *tokens >= cost {
            *tokens -= cost;
            true
        } else {
            false
        }
    }

    /// A call succeeded: what its retries took comes back, or one token after a first-time
    /// success.
    pub(crate) fn on_success(&self, spent: u32) {
        let mut tokens = self.lock();
        *tokens = (*tokens + spent.max(1)).min(self.capacity);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(500)
    }
}

/// An attempt that failed and was retried: why, and how long the client waited after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedAttempt {
    pub cause: String,
    pub waited: Duration,
}

/// The attempts behind a final answer: those that failed and were retried, and why no further
/// one was made. Every error keeps it, so it can say how many attempts there were and why each
/// failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attempts {
    pub failed: Vec<FailedAttempt>,
    pub stop: Option<Stop>,
    /// What the final response asked for in `Retry-After`, if anything.
    pub retry_after: Option<Duration>,
}

impl Attempts {
    /// How many attempts were made in all, the final one included.
    pub fn count(&self) -> u32 {
        self.failed.len() as u32 + 1
    }
}

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.failed.is_empty() {
            write!(f, " (after {} attempts:", self.count())?;
            for (i, attempt) in self.failed.iter().enumerate() {
                let sep = if i == 0 { "" } else { ";" };
                write!(
                    f,
                    "{sep} #{} {}, retried after {}",
                    i + 1,
                    attempt.cause,
                    seconds(attempt.waited)
                )?;
            }
            write!(f, "; #{} this)", self.count())?;
        }
        if let Some(stop) = &self.stop
            && *stop != Stop::RetriesExhausted
        {
            write!(f, " ({stop})")?;
        }
        Ok(())
    }
}

/// A duration as people read it: `0.5s`, `8s`, `2m 30s`.
pub(crate) fn seconds(duration: Duration) -> String {
    let total = duration.as_secs_f64();
    if total >= 120.0 {
        let whole = duration.as_secs();
        format!("{}m {}s", whole / 60, whole % 60)
    } else if total.fract() == 0.0 {
        format!("{total:.0}s")
    } else {
        let text = format!("{total:.3}");
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_only_shortens() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(policy.backoff(2, 0.0), Duration::from_secs(1));
        assert_eq!(policy.backoff(5, 0.0), Duration::from_secs(8));
        assert_eq!(policy.backoff(40, 0.0), Duration::from_secs(8));
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(375));
        assert_eq!(
            RetryPolicy::default().jitter(0.0).backoff(3, 0.9),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn retry_after_in_milliseconds_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        assert_eq!(
            requested_delay(&headers(&[("retry-after", "1")]), now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            requested_delay(
                &headers(&[("retry-after-ms", "250"), ("retry-after", "9")]),
                now
            ),
            Some(Duration::from_millis(250))
        );
        let in_three = httpdate::fmt_http_date(now + Duration::from_secs(3));
        assert_eq!(
            requested_delay(&headers(&[("retry-after", &in_three)]), now),
            Some(Duration::from_secs(3))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            requested_delay(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            requested_delay(&headers(&[("retry-after", "soon")]), now),
            None
        );
        assert_eq!(requested_delay(&HeaderMap::new(), now), None);
    }

    #[test]
    fn decisions() {
        let policy = RetryPolicy::default().jitter(0.0);
        let unavailable = Failure::Status(StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            decide(&policy, 0, true, unavailable, None, 0.5),
            Ok(Duration::from_millis(500))
        );
        assert_eq!(
            decide(&policy, 1, true, Failure::Connect, None, 0.5),
            Ok(Duration::from_secs(1))
        );
        assert_eq!(
            decide(&policy, 2, true, unavailable, None, 0.5),
            Err(Some(Stop::RetriesExhausted))
        );
        assert_eq!(
            decide(&policy, 0, false, unavailable, None, 0.5),
            Err(Some(Stop::NotIdempotent))
        );
        assert_eq!(
            decide(
                &policy,
                0,
                true,
                Failure::Status(StatusCode::NOT_FOUND),
                None,
                0.5
            ),
            Err(None)
        );
        assert_eq!(
            decide(
                &policy,
                0,
                true,
                unavailable,
                Some(Duration::from_secs(3)),
                0.5
            ),
            Ok(Duration::from_secs(3))
        );
        assert_eq!(
            decide(
                &policy,
                0,
                true,
                unavailable,
                Some(Duration::from_secs(30)),
                0.5
            ),
            Err(Some(Stop::RetryAfterTooLong {
                requested: Duration::from_secs(30),
                allowed: Duration::from_secs(8)
            }))
        );
    }

    #[test]
    fn the_budget_pays_for_retries_and_refills_on_success() {
        let budget = RetryBudget::new(12);
        assert!(budget.try_spend(RETRY_COST));
        assert!(!budget.try_spend(TIMEOUT_RETRY_COST));
        assert_eq!(budget.available(), 7);
        budget.on_success(RETRY_COST);
        assert_eq!(budget.available(), 12);
        budget.on_success(0);
        assert_eq!(budget.available(), 12, "never above capacity");
    }

    #[test]
    fn attempts_read_as_a_history() {
        let attempts = Attempts {
            failed: vec![
                FailedAttempt {
                    cause: "503 Service Unavailable".into(),
                    waited: Duration::from_millis(500),
                },
                FailedAttempt {
                    cause: "connection failed".into(),
                    waited: Duration::from_secs(1),
                },
            ],
            stop: None,
            retry_after: None,
        };
        assert_eq!(
            attempts.to_string(),
            " (after 3 attempts: #1 503 Service Unavailable, retried after 0.5s; #2 connection failed, retried after 1s; #3 this)"
        );
        assert_eq!(seconds(Duration::from_secs(150)), "2m 30s");
    }
}
