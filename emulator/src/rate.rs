//! Rate classes per page, and the usage headers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sendapi_spec::RateClassInfo;
use serde_json::{Map, Value, json};

use crate::clock::Clock;

/// How much of a rate class a page has used, as the usage headers show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Usage {
    /// Percentage of the class's limit used in the current window (0–100).
    pub(crate) percent: u32,
    /// Minutes until calls are accepted again (0 unless throttled).
    pub(crate) regain_minutes: u64,
}

/// A sliding-window log per (page, class): the instants of the accepted
/// calls still inside the class's window.
///
/// Sliding rather than fixed so that a burst straddling a window boundary
/// cannot get twice the limit through, which is what "N calls per second"
/// promises a caller. The log holds at most `limit` instants per key.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    enabled: bool,
    clock: Arc<dyn Clock>,
    windows: Mutex<HashMap<(String, String), VecDeque<Duration>>>,
}

/// Keys kept before empty windows are swept out.
const SWEEP_AT: usize = 4096;

impl RateLimiter {
    pub(crate) fn new(enabled: bool, clock: Arc<dyn Clock>) -> RateLimiter {
        RateLimiter {
            enabled,
            clock,
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn window(class: &RateClassInfo) -> Duration {
        Duration::from_secs(u64::from(class.per_seconds.max(1)))
    }

    fn usage(count: usize, class: &RateClassInfo) -> Usage {
        let limit = u64::from(class.limit.max(1));
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        let percent = (count.saturating_mul(100)).div_ceil(limit).min(100);
        Usage {
            percent: u32::try_from(percent).unwrap_or(100),
            regain_minutes: 0,
        }
    }

    /// Runs `f` on the pruned log of (page, class).
    fn with_log<T>(
        &self,
        page: &str,
        class: &RateClassInfo,
        f: impl FnOnce(&mut VecDeque<Duration>, Duration) -> T,
    ) -> T {
        let now = self.clock.now();
        let window = Self::window(class);
        // A poisoned lock holds plain instants that are still consistent.
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > SWEEP_AT {
            windows.retain(|_, log| log.back().is_some_and(|t| now.saturating_sub(*t) < window));
        }
        let log = windows
            .entry((page.to_string(), class.name.clone()))
            .or_default();
        while log
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= window)
        {
            log.pop_front();
        }
        f(log, now)
    }

    /// Counts one call against the class, or refuses it when the window is
    /// full (`Err` with the usage to show). Off, every call passes uncounted.
    pub(crate) fn admit(&self, page: &str, class: &RateClassInfo) -> Result<Usage, Usage> {
        if !self.enabled {
            return Ok(Usage::default());
        }
        let limit = usize::try_from(class.limit).unwrap_or(usize::MAX);
        let window = Self::window(class);
        self.with_log(page, class, |log, now| {
            if log.len() >= limit {
                let oldest = log.front().copied().unwrap_or(now);
                let wait = oldest.saturating_add(window).saturating_sub(now);
                // Graph gives this in minutes; round up so that a throttled
                // caller always sees a positive wait.
                let minutes = wait.as_secs().div_ceil(60).max(1);
                Err(Usage {
                    percent: 100,
                    regain_minutes: minutes,
                })
            } else {
                log.push_back(now);
                Ok(Self::usage(log.len(), class))
            }
        })
    }

    /// The current usage, without counting.
    pub(crate) fn peek(&self, page: &str, class: &RateClassInfo) -> Usage {
        if !self.enabled {
            return Usage::default();
        }
        self.with_log(page, class, |log, _| Self::usage(log.len(), class))
    }
}

/// `X-Business-Use-Case-Usage`: `{"<page>": [{"type", "call_count",
/// "total_cputime", "total_time", "estimated_time_to_regain_access"}]}`.
/// The emulator has no CPU time to report; the time figures follow the call
/// count so that a client backing off on the largest of the three sees the
/// same number.
pub(crate) fn buc_header<'a>(
    pages: impl IntoIterator<Item = (&'a str, Usage)>,
    kind: &str,
) -> String {
    let mut obj = Map::new();
    for (page, u) in pages {
        obj.insert(
            page.to_string(),
            json!([{
                "type": kind,
                "call_count": u.percent,
                "total_cputime": u.percent,
                "total_time": u.percent,
                "estimated_time_to_regain_access": u.regain_minutes,
            }]),
        );
    }
    Value::Object(obj).to_string()
}

/// `X-App-Usage`: the same percentages, app-wide.
pub(crate) fn app_header(u: Usage) -> String {
    json!({
        "call_count": u.percent,
        "total_cputime": u.percent,
        "total_time": u.percent,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn class(limit: u32) -> RateClassInfo {
        RateClassInfo {
            name: "audio_video".into(),
            limit,
            per_seconds: 1,
        }
    }

    #[test]
    fn sliding_window_frees_calls_as_they_age() {
        let clock = ManualClock::new();
        let rl = RateLimiter::new(true, Arc::new(clock.clone()));
        let c = class(2);
        assert_eq!(rl.admit("1", &c).map(|u| u.percent), Ok(50));
        clock.advance(Duration::from_millis(500));
        assert_eq!(rl.admit("1", &c).map(|u| u.percent), Ok(100));
        let refused = rl.admit("1", &c);
        assert_eq!(
            refused,
            Err(Usage {
                percent: 100,
                regain_minutes: 1
            })
        );
        // Another page has its own window.
        assert!(rl.admit("2", &c).is_ok());
        // The first call leaves the window at t = 1 s, the second at 1.5 s.
        clock.advance(Duration::from_millis(500));
        assert_eq!(rl.peek("1", &c).percent, 50);
        assert!(rl.admit("1", &c).is_ok());
        assert!(rl.admit("1", &c).is_err());
    }

    #[test]
    fn off_counts_nothing() {
        let rl = RateLimiter::new(false, Arc::new(ManualClock::new()));
        let c = class(1);
        for _ in 0..5 {
            assert_eq!(rl.admit("1", &c), Ok(Usage::default()));
        }
    }
}
