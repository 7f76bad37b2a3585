//! The time source of the rate classes, the messaging window and webhook
//! times.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A monotonic time source for the rate windows.
///
/// The emulator only compares instants it read from the same clock, so the
/// origin is arbitrary. Tests give a [`ManualClock`] and move it by hand;
/// [`SystemClock`] follows real time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Time elapsed since the clock's origin. Never decreases.
    fn now(&self) -> Duration;
}

/// Real monotonic time ([`Instant`]), counted from the clock's creation.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose origin is now.
    pub fn new() -> SystemClock {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> SystemClock {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A clock that moves only when told to. Clones share the same time, so a
/// test keeps one clone and gives another to [`crate::EmulatorConfig::clock`].
///
/// ```
/// use std::time::Duration;
/// use sendapi_emulator::{Clock, ManualClock};
///
/// let clock = ManualClock::new();
/// let handle = clock.clone();
/// handle.advance(Duration::from_secs(1));
/// assert_eq!(clock.now(), Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    nanos: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock at time zero.
    pub fn new() -> ManualClock {
        ManualClock::default()
    }

    /// Moves the clock forward (saturating at about 584 years).
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        // fetch_update with a closure that never fails cannot return Err.
        let _ = self
            .nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_add(by))
            });
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::SeqCst))
    }
}

/// The emulator's own time: the configured clock plus what
/// `POST /__emulator/clock` added, so that moving time works with the
/// system clock too. Epoch milliseconds (webhook times, the window) are the
/// wall time at start plus this clock's elapsed time.
#[derive(Debug)]
pub(crate) struct EmuClock {
    inner: Arc<dyn Clock>,
    offset_nanos: AtomicU64,
    epoch_ms_at_start: u64,
}

impl EmuClock {
    pub(crate) fn new(inner: Arc<dyn Clock>) -> EmuClock {
        let epoch_ms_at_start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or_default();
        EmuClock {
            // The configured clock's own origin does not matter: only the
            // time elapsed since start is added to the wall time.
            epoch_ms_at_start: epoch_ms_at_start
                .saturating_sub(u64::try_from(inner.now().as_millis()).unwrap_or(0)),
            inner,
            offset_nanos: AtomicU64::new(0),
        }
    }

    /// Moves the emulator's time forward.
    pub(crate) fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        let _ = self
            .offset_nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_add(by))
            });
    }

    /// Milliseconds since the Unix epoch, on the emulator's time.
    pub(crate) fn epoch_ms(&self) -> u64 {
        let elapsed = u64::try_from(self.now().as_millis()).unwrap_or(u64::MAX);
        self.epoch_ms_at_start.saturating_add(elapsed)
    }
}

impl Clock for EmuClock {
    fn now(&self) -> Duration {
        let offset = Duration::from_nanos(self.offset_nanos.load(Ordering::SeqCst));
        self.inner.now().saturating_add(offset)
    }
}
