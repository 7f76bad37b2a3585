//! Injected faults: latency, 5xx answers, dropped connections, 613 rate
//! limit answers, malformed bodies.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Faults the emulator injects into the Send API, upload and batch routes
/// (never into `/__emulator/...`).
///
/// As JSON (`POST /__emulator/faults`, `GET /__emulator/faults`):
/// `{"latency_ms": 0, "status_5xx": {"status": 503, "count": 2}, "drop_connections": 0, "rate_limited": 0, "malformed_bodies": 0}`;
/// absent fields are zero. Posting replaces all faults; `{}` clears them.
///
/// `latency_ms` delays every request while it is set. The counts are how
/// many of the next requests get that fault; each request takes at most one
/// counted fault, looked at in this order:
///
/// 1. `drop_connections`: the connection is closed after the request was
///    read, without a byte of answer. The request is not processed.
/// 2. `status_5xx`: the answer is that status. With `graph_error` (the
///    default for 500) the body is a Graph envelope with code 2 and
///    `is_transient`; without it (the default for 502 and 503) the body is
///    a short HTML page, as a proxy would send. The request is not processed.
/// 3. `rate_limited`: the answer is Graph's code 613 (the spec's
///    `RateLimited` entry), as if the page were over its rate class, whatever
///    the rate windows say: a 613 on demand, without a clock to drive. The
///    request is not processed and counts as `rate_limited` in the stats.
/// 4. `malformed_bodies`: the request is processed as usual (an accepted
///    send is recorded: it was delivered), but the answer becomes a 200
///    whose body is the first half of the real answer, which is not JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Faults {
    /// Delay before each request is handled, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// The next requests answered with a 5xx status.
    #[serde(default)]
    pub status_5xx: Option<Status5xx>,
    /// How many of the next requests lose their connection instead of an answer.
    #[serde(default)]
    pub drop_connections: u32,
    /// How many of the next requests get Graph's 613 (over the rate limit).
    #[serde(default)]
    pub rate_limited: u32,
    /// How many of the next requests get a 200 with a body that is not JSON.
    #[serde(default)]
    pub malformed_bodies: u32,
}

/// Server errors to inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Status5xx {
    /// HTTP status, 500–599.
    pub status: u16,
    /// How many of the next requests get it.
    pub count: u32,
    /// Whether the body is a Graph error (code 2); by default only for 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_error: Option<bool>,
}

impl Status5xx {
    /// `count` answers with `status`.
    pub fn new(status: u16, count: u32) -> Status5xx {
        Status5xx {
            status,
            count,
            graph_error: None,
        }
    }

    /// Chooses whether the body is a Graph error envelope (code 2).
    #[must_use]
    pub fn graph_error(mut self, yes: bool) -> Status5xx {
        self.graph_error = Some(yes);
        self
    }

    fn with_graph_error(&self) -> bool {
        self.graph_error.unwrap_or(self.status == 500)
    }
}

impl Faults {
    /// No faults.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Delays every request by `latency` (whole milliseconds).
    #[must_use]
    pub fn latency(mut self, latency: Duration) -> Faults {
        self.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Answers the next `count` requests with `status` (500–599).
    #[must_use]
    pub fn fail_5xx(mut self, status: u16, count: u32) -> Faults {
        self.status_5xx = Some(Status5xx::new(status, count));
        self
    }

    /// Sets the 5xx fault in full.
    #[must_use]
    pub fn status_5xx(mut self, fault: Status5xx) -> Faults {
        self.status_5xx = Some(fault);
        self
    }

    /// Closes the connection of the next `count` requests without answering.
    #[must_use]
    pub fn drop_connections(mut self, count: u32) -> Faults {
        self.drop_connections = count;
        self
    }

    /// Answers the next `count` requests with Graph's code 613, as if the
    /// page were over its rate limit.
    #[must_use]
    pub fn rate_limited(mut self, count: u32) -> Faults {
        self.rate_limited = count;
        self
    }

    /// Answers the next `count` requests with a 200 whose body is not JSON.
    #[must_use]
    pub fn malformed_bodies(mut self, count: u32) -> Faults {
        self.malformed_bodies = count;
        self
    }

    /// Checks the ranges.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Some(f) = &self.status_5xx
            && !(500..=599).contains(&f.status)
        {
            return Err(Error::Faults(format!(
                "status_5xx.status must be between 500 and 599, found {}",
                f.status
            )));
        }
        Ok(())
    }
}

/// What one request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Drop,
    Status { status: u16, graph_error: bool },
    RateLimited,
    Malformed,
}

/// The faults in force, shared by all requests.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    faults: Mutex<Faults>,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> FaultState {
        FaultState {
            faults: Mutex::new(faults),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Faults> {
        // A poisoned lock only means another request panicked mid-update of
        // plain counters; the values are still usable.
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn get(&self) -> Faults {
        self.lock().clone()
    }

    pub(crate) fn set(&self, faults: Faults) -> Result<(), Error> {
        faults.check()?;
        *self.lock() = faults;
        Ok(())
    }

    /// The latency and the counted fault for one request, taking one count.
    pub(crate) fn take(&self) -> (Duration, Option<Fault>) {
        let mut f = self.lock();
        let latency = Duration::from_millis(f.latency_ms);
        if f.drop_connections > 0 {
            f.drop_connections -= 1;
            return (latency, Some(Fault::Drop));
        }
        if let Some(s) = f.status_5xx.as_mut()
            && s.count > 0
        {
            s.count -= 1;
            let fault = Fault::Status {
                status: s.status,
                graph_error: s.with_graph_error(),
            };
            if s.count == 0 {
                f.status_5xx = None;
            }
            return (latency, Some(fault));
        }
        if f.rate_limited > 0 {
            f.rate_limited -= 1;
            return (latency, Some(Fault::RateLimited));
        }
        if f.malformed_bodies > 0 {
            f.malformed_bodies -= 1;
            return (latency, Some(Fault::Malformed));
        }
        (latency, None)
    }
}
