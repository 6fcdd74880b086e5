//! Time as the runtime sees it: a [`Clock`] to read it, wait and set timers, the real one, and a
//! manual one for tests, which records every wait and returns at once, and fires timers only
//! when it is moved past them.

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
    /// A timer that fires once `duration` has passed on this clock, without being a wait of
    /// its own: what a stream races against its next bytes for its idle limit. The real clock's
    /// is its sleep; a [`ManualClock`]'s fires only when the clock is moved past it.
    fn timer(&self, duration: Duration) -> Sleep {
        self.sleep(duration)
    }
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
    /// Timers not yet fired: when each fires, and who waits for it.
    timers: Vec<(Duration, std::task::Waker)>,
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
                timers: Vec::new(),
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

    /// Moves the clock forward without a sleep being recorded; timers it passes fire.
    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.elapsed += by;
        state.wake_due();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ManualState> {
        // A test that panicked while holding the lock leaves its state as it was.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl ManualState {
    fn wake_due(&mut self) {
        let now = self.elapsed;
        self.timers.retain(|(at, waker)| {
            if *at <= now {
                waker.wake_by_ref();
                false
            } else {
                true
            }
        });
    }
}

/// A [`ManualClock`] timer: ready once the clock reaches `at`.
struct ManualTimer {
    state: Arc<Mutex<ManualState>>,
    at: Duration,
}

impl Future for ManualTimer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.elapsed >= self.at {
            return std::task::Poll::Ready(());
        }
        state.timers.push((self.at, cx.waker().clone()));
        std::task::Poll::Pending
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
        state.wake_due();
        Box::pin(std::future::ready(()))
    }

    fn timer(&self, duration: Duration) -> Sleep {
        let at = self.lock().elapsed + duration;
        Box::pin(ManualTimer {
            state: Arc::clone(&self.state),
            at,
        })
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

    #[tokio::test]
    async fn a_manual_timer_fires_when_the_clock_passes_it() {
        use futures_util::FutureExt;
        let clock = ManualClock::default();
        let mut timer = clock.timer(Duration::from_secs(60));
        assert!((&mut timer).now_or_never().is_none());
        clock.advance(Duration::from_secs(59));
        assert!((&mut timer).now_or_never().is_none());
        let waiting = tokio::spawn(timer);
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(1));
        waiting.await.unwrap();
        assert!(clock.sleeps().is_empty());
    }
}
