//! Options of one call, set on its request builder: extra headers, timeouts, retry policy,
//! idempotency key and the largest body it reads.

use crate::retry::RetryPolicy;
use std::time::Duration;

/// The header an idempotency key travels in.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// What one call changes from its client's settings.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) max_body_size: Option<u64>,
    pub(crate) max_event_size: Option<usize>,
    pub(crate) idle_timeout: Option<std::time::Duration>,
}

impl CallOptions {
    /// Adds a header to the call (after the ones the operation sets).
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// The time each attempt may take.
    pub fn timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// The time the whole call may take, retries and waits included.
    pub fn total_timeout(&mut self, timeout: Duration) {
        self.total_timeout = Some(timeout);
    }

    /// The retry policy for this call.
    pub fn retry_policy(&mut self, policy: RetryPolicy) {
        self.retry = Some(policy);
    }

    /// The largest response body this call reads, in bytes; a larger one is
    /// [`crate::Error::TooLarge`].
    pub fn max_body_size(&mut self, bytes: u64) {
        self.max_body_size = Some(bytes);
    }

    /// For a stream: the largest event it holds, in bytes (16 MiB unless set); a larger one
    /// ends the stream with an error.
    pub fn max_event_size(&mut self, bytes: usize) {
        self.max_event_size = Some(bytes);
    }

    /// For a stream: how long it may send nothing, keep-alives included, before it ends with an
    /// error (60 s unless set).
    pub fn idle_timeout(&mut self, timeout: Duration) {
        self.idle_timeout = Some(timeout);
    }

    /// A key the server uses to apply the request once however often it arrives; sent in the
    /// `Idempotency-Key` header, the same on every attempt, and it makes a POST retryable.
    pub fn idempotency_key(&mut self, key: impl Into<String>) {
        self.idempotency_key = Some(key.into());
    }
}
