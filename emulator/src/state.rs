//! The state every request shares, and the count of requests in flight.

use std::sync::atomic::{AtomicUsize, Ordering};

use sendapi_spec::Platform;

use crate::faults::FaultState;
use crate::model::Model;
use crate::rate::RateLimiter;
use crate::record::Log;

/// State shared by every request.
#[derive(Debug)]
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
