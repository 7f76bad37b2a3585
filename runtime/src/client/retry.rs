//! Which failures are retried, and when.

use std::time::Duration;

/// The retry policy. Only failures that prove the message was **not**
/// delivered are retried: Graph errors the spec classes `retry`
/// (throttling 4, 17, 32, 613, temporary failures 1200 and 2, …), HTTP 429,
/// and connections that failed before the body left. A timeout after the
/// body was sent, a 5xx without a Graph error, or a code the spec classes
/// `ambiguous` is never retried: the message may have been delivered, and a
/// retry could send it twice. So every send is at most once and ends in
/// exactly one outcome.
///
/// Delays grow exponentially from `base_delay` up to `max_delay`, with
/// jitter; when Graph's usage header says how long to wait, that wait is
/// used (up to `max_delay`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry).
    pub max_attempts: u32,
    /// Delay before the first retry.
    pub base_delay: Duration,
    /// Longest delay.
    pub max_delay: Duration,
    /// Randomize each delay between half and all of it, so that many
    /// clients do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Up to `max_attempts` attempts with the default delays.
    pub fn attempts(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            ..RetryPolicy::default()
        }
    }

    /// The delay before retry number `attempt` (1 for the first retry).
    pub fn delay(&self, attempt: u32, regain_access_minutes: Option<u32>) -> Duration {
        let shift = attempt.saturating_sub(1).min(20);
        let exp = self
            .base_delay
            .saturating_mul(1u32 << shift)
            .min(self.max_delay);
        let exp = if self.jitter {
            let half = exp / 2;
            half + half.mul_f64(fastrand::f64())
        } else {
            exp
        };
        match regain_access_minutes {
            Some(m) => exp
                .max(Duration::from_secs(u64::from(m) * 60))
                .min(self.max_delay),
            None => exp,
        }
    }
}
