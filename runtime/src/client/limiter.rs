//! Per-page rate classes from the spec, enforced on the client side.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::RateClass;
use crate::error::Error;

/// What the client does when a request's rate class is used up for the
/// page (300 calls/s for text and templates, 10/s for audio and video).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateLimitMode {
    /// Wait until the class has room (the default).
    #[default]
    Wait,
    /// Refuse at once with [`Error::RateLimited`].
    Fail,
    /// No client-side limit (Graph still answers code 613).
    Off,
}

/// A sliding window of call times per rate class. Time is tokio's, so
/// tests drive it with `tokio::time::pause` and `advance`.
#[derive(Debug)]
pub(crate) struct Limiter {
    mode: RateLimitMode,
    windows: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl Limiter {
    pub(crate) fn new(mode: RateLimitMode) -> Limiter {
        Limiter {
            mode,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one call from `class`, waiting or failing when it is full.
    pub(crate) async fn acquire(&self, class: &'static RateClass) -> Result<(), Error> {
        if self.mode == RateLimitMode::Off || class.limit == u32::MAX {
            return Ok(());
        }
        let window = Duration::from_secs(u64::from(class.per_seconds));
        loop {
            let wait = {
                // A poisoned lock only means another task panicked while
                // counting; the counts are still usable.
                let mut all = self.windows.lock().unwrap_or_else(|e| e.into_inner());
                let calls = all.entry(class.name).or_default();
                let now = Instant::now();
                while calls
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= window)
                {
                    calls.pop_front();
                }
                if calls.len() < class.limit as usize {
                    calls.push_back(now);
                    return Ok(());
                }
                calls.front().map_or(window, |oldest| {
                    window.saturating_sub(now.duration_since(*oldest))
                })
            };
            match self.mode {
                RateLimitMode::Fail => {
                    return Err(Error::RateLimited {
                        class: class.name,
                        limit: class.limit,
                        per_seconds: class.per_seconds,
                        retry_after: wait,
                    });
                }
                _ => tokio::time::sleep(wait).await,
            }
        }
    }
}
