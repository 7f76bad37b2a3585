//! The counters of `GET /__emulator/stats`.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// What the emulator has done since it started or since the record was last
/// cleared (`DELETE /__emulator/messages`, [`crate::RunningEmulator::clear_requests`]).
///
/// `requests` counts API calls, never `/__emulator/...`: each Send API or
/// upload call, each operation of a batch, and each request refused as a
/// whole (an unknown path, an unreadable batch, an injected fault). Each is
/// also counted exactly once as `accepted`, `rate_limited` (code 613) or
/// `refused` (every other refusal). Each webhook delivery attempt, retries
/// included, counts once: as `webhooks_delivered` when the receiver
/// answered 200, else as `webhooks_failed`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// API calls.
    pub requests: u64,
    /// Calls answered with success.
    pub accepted: u64,
    /// Calls refused, except for the rate limit.
    pub refused: u64,
    /// Calls refused for the rate limit.
    pub rate_limited: u64,
    /// Webhook attempts the receiver answered with 200.
    pub webhooks_delivered: u64,
    /// Webhook attempts that got another status or no answer.
    pub webhooks_failed: u64,
}

/// How a call ended, for the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Accepted,
    Refused,
    RateLimited,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    accepted: AtomicU64,
    refused: AtomicU64,
    rate_limited: AtomicU64,
    delivered: AtomicU64,
    failed: AtomicU64,
}

fn bump(n: &AtomicU64) {
    n.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    pub(crate) fn call(&self, outcome: Outcome) {
        bump(&self.requests);
        bump(match outcome {
            Outcome::Accepted => &self.accepted,
            Outcome::Refused => &self.refused,
            Outcome::RateLimited => &self.rate_limited,
        });
    }

    pub(crate) fn delivery(&self, ok: bool) {
        bump(if ok { &self.delivered } else { &self.failed });
    }

    pub(crate) fn get(&self) -> Stats {
        let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            requests: n(&self.requests),
            accepted: n(&self.accepted),
            refused: n(&self.refused),
            rate_limited: n(&self.rate_limited),
            webhooks_delivered: n(&self.delivered),
            webhooks_failed: n(&self.failed),
        }
    }

    pub(crate) fn reset(&self) {
        for a in [
            &self.requests,
            &self.accepted,
            &self.refused,
            &self.rate_limited,
            &self.delivered,
            &self.failed,
        ] {
            a.store(0, Ordering::Relaxed);
        }
    }
}
