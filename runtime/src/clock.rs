//! Time as the runtime sees it: a [`Clock`] to read it and wait, the real one, and a manual one
//! for tests, which records every wait and returns at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// A future that waits; what [`Clock::sleep`] returns.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Where retries and polls read the time and wait. The real one is [`TokioClock`]; tests give a
/// [`ManualClock`] to the client builder and assert the delays chosen without waiting for them.
pub trait Clock: Send + Sync + std::fmt::Debug + 'static {
    /// Monotonic time, for deadlines.
    fn now(&self) -> Instant;
    /// Wall-clock time, for `Retry-After` given as an HTTP date.
    fn system_now(&self) -> SystemTime;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock: `tokio`'s timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock for tests: `sleep` returns at once and moves the clock forward by the duration, and
/// every duration slept is recorded.
#[derive(Debug, Clone)]
pub struct ManualClock {
    state: Arc<Mutex<ManualState>>,
}

#[derive(Debug)]
struct ManualState {
    start: Instant,
    system_start: SystemTime,
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

impl ManualClock {
    /// A clock whose wall time starts at `system_now`.
    pub fn new(system_now: SystemTime) -> Self {
        ManualClock {
            state: Arc::new(Mutex::new(ManualState {
                start: Instant::now(),
                system_start: system_now,
                elapsed: Duration::ZERO,
                sleeps: Vec::new(),
            })),
        }
    }

    /// Every duration slept so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// How far the clock has moved.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed
    }

    /// Moves the clock forward without a sleep being recorded.
    pub fn advance(&self, by: Duration) {
        self.lock().elapsed += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ManualState> {
        // A test that panicked while holding the lock leaves its state as it was.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600))
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        let state = self.lock();
        state.start + state.elapsed
    }

    fn system_now(&self) -> SystemTime {
        let state = self.lock();
        state.system_start + state.elapsed
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        state.elapsed += duration;
        state.sleeps.push(duration);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_moves_by_what_is_slept() {
        let clock = ManualClock::default();
        let start = clock.now();
        let wall = clock.system_now();
        clock.sleep(Duration::from_millis(1500)).await;
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now() - start, Duration::from_millis(2500));
        assert_eq!(
            clock.system_now().duration_since(wall).unwrap(),
            Duration::from_millis(2500)
        );
        assert_eq!(clock.sleeps(), [Duration::from_millis(1500)]);
    }
}
