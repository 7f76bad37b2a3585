//! The state every request shares, and the count of requests in flight.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sendapi_spec::Platform;

use crate::clock::EmuClock;
use crate::faults::FaultState;
use crate::model::Model;
use crate::rate::RateLimiter;
use crate::record::Log;
use crate::stats::Counters;
use crate::webhook::Webhooks;
use crate::window::Window;

/// State shared by every request.
pub(crate) struct Shared {
    pub(crate) model: Model,
    pub(crate) platform: Platform,
    pub(crate) token: Option<String>,
    pub(crate) app_secret: Option<String>,
    pub(crate) rate: RateLimiter,
    pub(crate) faults: FaultState,
    pub(crate) log: Log,
    pub(crate) max_body: usize,
    pub(crate) in_flight: AtomicUsize,
    /// The emulator's time (the configured clock plus what was advanced).
    pub(crate) clock: Arc<EmuClock>,
    pub(crate) stats: Arc<Counters>,
    pub(crate) window: Window,
    pub(crate) webhooks: Webhooks,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token and the app secret stay out.
        f.debug_struct("Shared")
            .field("model", &self.model)
            .field("platform", &self.platform)
            .field("rate", &self.rate)
            .field("faults", &self.faults)
            .field("max_body", &self.max_body)
            .field("in_flight", &self.in_flight)
            .field("window", &self.window)
            .field("webhooks", &self.webhooks)
            .finish_non_exhaustive()
    }
}

/// Counts the API requests being handled: one while it lives.
#[derive(Debug)]
pub(crate) struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    pub(crate) fn enter(n: &'a AtomicUsize) -> InFlight<'a> {
        n.fetch_add(1, Ordering::SeqCst);
        InFlight(n)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
