//! Rate budgets: how many calls of each of the spec's rate classes a page
//! may still make. One trait, two homes for the count: this process
//! ([`LocalBudget`], the default) or a Redis shared by every process that
//! sends for the page ([`RedisBudget`], feature `redis`).
//!
//! Both keep headroom under the page's limit (5% by default): Graph counts
//! calls as they arrive, and arrival jitter must not push a window over.

mod local;
#[cfg(feature = "redis")]
mod redis;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use local::LocalBudget;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::{RedisBudget, RedisBudgetBuilder};

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

/// The headroom kept under a page's limit unless configured: 5%.
pub const DEFAULT_HEADROOM: f64 = 0.05;

/// The future a [`RateBudget`] answers with.
pub type TakeFuture<'a> = Pin<Box<dyn Future<Output = Result<Take, Error>> + Send + 'a>>;

/// The answer of [`RateBudget::take`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Take {
    /// One call is granted; it may be made once `wait` has passed (a
    /// budget that spaces calls evenly reserves a slot in the near future).
    Granted {
        /// How long to wait before making the call.
        wait: Duration,
    },
    /// No call is available within the wait allowed; ask again after
    /// `retry_after`.
    Full {
        /// When a call can next be granted.
        retry_after: Duration,
    },
}

/// Where a page's rate budget is counted.
///
/// The client asks for one call of a request's rate class before each
/// attempt. `page` is the client's page id and `class` the request's rate
/// class from the spec; an implementation applies its own headroom to
/// `class.limit`. It grants a call to be made within `max_wait` (zero when
/// the client is in [`RateLimitMode::Fail`]), or says when to ask again.
/// An error means the budget could not be asked, and the client then sends
/// nothing: it never falls back to "unlimited".
pub trait RateBudget: fmt::Debug + Send + Sync {
    /// Takes one call of `class` for `page`.
    fn take<'a>(
        &'a self,
        page: &'a str,
        class: &'static RateClass,
        max_wait: Duration,
    ) -> TakeFuture<'a>;
}

impl<B: RateBudget + ?Sized> RateBudget for Arc<B> {
    fn take<'a>(
        &'a self,
        page: &'a str,
        class: &'static RateClass,
        max_wait: Duration,
    ) -> TakeFuture<'a> {
        (**self).take(page, class, max_wait)
    }
}

/// A fraction of the limit kept unused, checked: 0 up to (not including) 1.
pub(crate) fn checked_headroom(headroom: f64) -> Result<f64, Error> {
    if (0.0..1.0).contains(&headroom) {
        Ok(headroom)
    } else {
        Err(Error::Config(format!(
            "rate headroom {headroom} is not a fraction of the limit: give a value from 0 (none) up to, not including, 1 (0.05 keeps 5% unused)"
        )))
    }
}

/// Calls per window that `class` allows with `headroom` kept unused.
pub(crate) fn budgeted(class: &RateClass, headroom: f64) -> f64 {
    f64::from(class.limit) * (1.0 - headroom)
}

/// A granted call of one rate class: proof that the budget was asked.
///
/// [`Client::permit`](crate::Client::permit) takes one, so that a caller can
/// record that a call is about to be made between the permit and the send;
/// [`Client::send_with_permit`](crate::Client::send_with_permit) then sends
/// without asking again. A permit is used once; dropping it unused wastes
/// one call of the budget and nothing else.
#[derive(Debug)]
#[must_use = "a permit is one call of the page's rate budget; send with it"]
pub struct Permit {
    pub(crate) class: &'static str,
}

impl Permit {
    /// The rate class the permit is for.
    pub fn class(&self) -> &'static str {
        self.class
    }
}

/// The client's side: the mode, and the budget it asks.
#[derive(Debug)]
pub(crate) struct Limiter {
    mode: RateLimitMode,
    budget: Arc<dyn RateBudget>,
}

/// The longest slot a waiting client reserves ahead; beyond it, it asks
/// again later rather than hold a reservation a dropped task would waste.
const MAX_RESERVATION: Duration = Duration::from_secs(10);

impl Limiter {
    pub(crate) fn new(mode: RateLimitMode, budget: Arc<dyn RateBudget>) -> Option<Limiter> {
        (mode != RateLimitMode::Off).then_some(Limiter { mode, budget })
    }

    /// Takes one call of `class` for `page`, waiting or failing when the
    /// budget is used up.
    pub(crate) async fn acquire(&self, page: &str, class: &'static RateClass) -> Result<(), Error> {
        if class.limit == u32::MAX {
            return Ok(());
        }
        let max_wait = match self.mode {
            RateLimitMode::Fail => Duration::ZERO,
            _ => MAX_RESERVATION,
        };
        loop {
            match self.budget.take(page, class, max_wait).await? {
                Take::Granted { wait } => {
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    return Ok(());
                }
                Take::Full { retry_after } if self.mode == RateLimitMode::Fail => {
                    return Err(Error::RateLimited {
                        class: class.name,
                        limit: class.limit,
                        per_seconds: class.per_seconds,
                        retry_after,
                    });
                }
                Take::Full { retry_after } => tokio::time::sleep(retry_after).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headroom_is_a_fraction() {
        assert_eq!(checked_headroom(0.0).unwrap(), 0.0);
        assert_eq!(checked_headroom(0.05).unwrap(), 0.05);
        for bad in [-0.01, 1.0, 5.0, f64::NAN, f64::INFINITY] {
            let err = checked_headroom(bad).expect_err("out of range");
            assert!(err.to_string().contains("0.05 keeps 5%"), "{err}");
        }
        let class = RateClass {
            name: "standard",
            limit: 300,
            per_seconds: 1,
        };
        assert_eq!(budgeted(&class, 0.05), 285.0);
    }
}
