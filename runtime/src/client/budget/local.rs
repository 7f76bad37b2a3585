//! The in-process budget: a sliding window of call times per page and
//! rate class.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::{DEFAULT_HEADROOM, RateBudget, Take, TakeFuture, budgeted, checked_headroom};
use crate::RateClass;
use crate::error::Error;

/// A rate budget counted in this process: for each page and rate class, the
/// times of the calls of the last window.
///
/// The default budget of a [`Client`](crate::Client). Clients of one process
/// that send for the same page share a count when they share the budget
/// (pass an `Arc<LocalBudget>` to each); processes do not, for which see
/// `RedisBudget` (feature `redis`). A window allows the class's limit less
/// the headroom, rounded down (285 of 300, 9 of 10 with 5%); calls within
/// it are not spaced, so a burst goes at once. Time is tokio's, so tests
/// drive it with `tokio::time::pause` and `advance`.
#[derive(Debug)]
pub struct LocalBudget {
    headroom: f64,
    windows: Mutex<HashMap<(String, &'static str), VecDeque<Instant>>>,
}

impl Default for LocalBudget {
    fn default() -> Self {
        LocalBudget {
            headroom: DEFAULT_HEADROOM,
            windows: Mutex::new(HashMap::new()),
        }
    }
}

impl LocalBudget {
    /// A budget keeping the default headroom (5%).
    pub fn new() -> LocalBudget {
        LocalBudget::default()
    }

    /// A budget keeping `headroom` (a fraction, `0.0..1.0`) of each limit
    /// unused; `0.0` allows the whole limit.
    pub fn with_headroom(headroom: f64) -> Result<LocalBudget, Error> {
        Ok(LocalBudget {
            headroom: checked_headroom(headroom)?,
            ..LocalBudget::default()
        })
    }

    /// Calls one window of `class` allows: at least one.
    fn allowed(&self, class: &RateClass) -> usize {
        // Truncation is the point: never more than the budgeted share.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = budgeted(class, self.headroom).floor() as usize;
        n.max(1)
    }

    fn take_now(&self, page: &str, class: &'static RateClass) -> Take {
        let window = Duration::from_secs(u64::from(class.per_seconds.max(1)));
        let allowed = self.allowed(class);
        // A poisoned lock only means another task panicked while counting;
        // the counts are still usable.
        let mut all = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let calls = all.entry((page.to_string(), class.name)).or_default();
        let now = Instant::now();
        while calls
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            calls.pop_front();
        }
        if calls.len() < allowed {
            calls.push_back(now);
            return Take::Granted {
                wait: Duration::ZERO,
            };
        }
        // The call that frees a place is the one `allowed` places back.
        let freeing = calls.get(calls.len() - allowed).copied();
        Take::Full {
            retry_after: freeing.map_or(window, |t| window.saturating_sub(now.duration_since(t))),
        }
    }
}

impl RateBudget for LocalBudget {
    fn take<'a>(
        &'a self,
        page: &'a str,
        class: &'static RateClass,
        _max_wait: Duration,
    ) -> TakeFuture<'a> {
        let answer = self.take_now(page, class);
        Box::pin(std::future::ready(Ok(answer)))
    }
}

#[cfg(test)]
mod tests {
    //! Time is tokio's paused clock: `sleep` returns at once and moves the
    //! clock by exactly its duration, so the windows are tested without
    //! waiting and without network.

    use std::sync::Arc;

    use super::*;
    use crate::client::budget::{Limiter, RateLimitMode};
    use crate::latest as api;

    const PAGE: &str = "1234";

    /// A limiter over a budget that keeps no headroom, so that the
    /// window arithmetic reads in the spec's own numbers.
    fn limiter(mode: RateLimitMode) -> Limiter {
        let budget = LocalBudget::with_headroom(0.0).unwrap();
        Limiter::new(mode, Arc::new(budget)).expect("a mode that limits")
    }

    fn audio_class() -> &'static RateClass {
        let media = api::MediaPayload::url("https://cdn.example.org/voice.mp3");
        api::Request::builder()
            .to_id("1")
            .message(api::Message::attachment(api::Attachment::audio(media)))
            .response()
            .build()
            .rate_class()
    }

    fn text_class() -> &'static RateClass {
        api::Request::builder()
            .to_id("1")
            .text("hi")
            .response()
            .build()
            .rate_class()
    }

    #[test]
    fn the_classes_come_from_the_spec() {
        let audio = audio_class();
        assert_eq!(
            (audio.name, audio.limit, audio.per_seconds),
            ("audio_video", 10, 1)
        );
        let text = text_class();
        assert_eq!(
            (text.name, text.limit, text.per_seconds),
            ("standard", 300, 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn fail_mode_refuses_the_eleventh_audio_send() {
        let limiter = limiter(RateLimitMode::Fail);
        let audio = audio_class();
        for _ in 0..10 {
            limiter
                .acquire(PAGE, audio)
                .await
                .expect("inside the window");
        }
        let err = limiter
            .acquire(PAGE, audio)
            .await
            .expect_err("over the class");
        match err {
            Error::RateLimited {
                class,
                limit,
                per_seconds,
                retry_after,
            } => {
                assert_eq!((class, limit, per_seconds), ("audio_video", 10, 1));
                // No time has passed: the oldest call leaves in a second.
                assert_eq!(retry_after, Duration::from_secs(1));
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
        // Another class is counted apart.
        limiter
            .acquire(PAGE, text_class())
            .await
            .expect("standard has room");
        // A refused call does not count: after the window, ten again.
        tokio::time::advance(Duration::from_secs(1)).await;
        for _ in 0..10 {
            limiter.acquire(PAGE, audio).await.expect("a new window");
        }
        assert!(limiter.acquire(PAGE, audio).await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_slides() {
        let limiter = limiter(RateLimitMode::Fail);
        let audio = audio_class();
        for _ in 0..5 {
            limiter.acquire(PAGE, audio).await.unwrap();
        }
        tokio::time::advance(Duration::from_millis(500)).await;
        for _ in 0..5 {
            limiter.acquire(PAGE, audio).await.unwrap();
        }
        // At 0.999 s all ten are still inside.
        tokio::time::advance(Duration::from_millis(499)).await;
        match limiter.acquire(PAGE, audio).await {
            Err(Error::RateLimited { retry_after, .. }) => {
                assert_eq!(retry_after, Duration::from_millis(1));
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
        // At 1 s the first five have left, the last five have not.
        tokio::time::advance(Duration::from_millis(1)).await;
        for _ in 0..5 {
            limiter
                .acquire(PAGE, audio)
                .await
                .expect("five left the window");
        }
        assert!(limiter.acquire(PAGE, audio).await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn wait_mode_waits_for_the_oldest_call_to_leave() {
        let limiter = limiter(RateLimitMode::Wait);
        let audio = audio_class();
        let start = Instant::now();
        for _ in 0..10 {
            limiter.acquire(PAGE, audio).await.unwrap();
        }
        assert_eq!(Instant::now(), start, "ten calls pass without waiting");
        // The eleventh is still waiting just before the second is over...
        let early =
            tokio::time::timeout(Duration::from_millis(999), limiter.acquire(PAGE, audio)).await;
        assert!(early.is_err(), "the eleventh did not wait");
        // ...and passes when it is.
        limiter
            .acquire(PAGE, audio)
            .await
            .expect("Wait never fails");
        assert_eq!(Instant::now() - start, Duration::from_secs(1));
        // Twenty more take two more windows.
        for _ in 0..20 {
            limiter.acquire(PAGE, audio).await.unwrap();
        }
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn off_mode_and_unlimited_classes_never_wait() {
        let start = Instant::now();
        // Off means no limiter at all: the client never asks the budget.
        assert!(Limiter::new(RateLimitMode::Off, Arc::new(LocalBudget::new())).is_none());
        let fail = limiter(RateLimitMode::Fail);
        for _ in 0..1000 {
            fail.acquire(PAGE, &RateClass::UNLIMITED).await.unwrap();
        }
        assert_eq!(Instant::now(), start);
    }

    #[tokio::test(start_paused = true)]
    async fn the_default_headroom_keeps_five_percent_unused() {
        let limiter = Limiter::new(RateLimitMode::Fail, Arc::new(LocalBudget::new())).unwrap();
        // 10 less 5% is 9.5: nine calls fit in the window, not ten.
        for _ in 0..9 {
            limiter.acquire(PAGE, audio_class()).await.expect("inside");
        }
        let err = limiter
            .acquire(PAGE, audio_class())
            .await
            .expect_err("headroom");
        assert!(
            matches!(err, Error::RateLimited { limit: 10, .. }),
            "{err:?}"
        );
        // 300 less 5% is 285.
        for _ in 0..285 {
            limiter.acquire(PAGE, text_class()).await.expect("inside");
        }
        assert!(limiter.acquire(PAGE, text_class()).await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn pages_are_counted_apart() {
        let limiter = limiter(RateLimitMode::Fail);
        for _ in 0..10 {
            limiter.acquire(PAGE, audio_class()).await.unwrap();
        }
        assert!(limiter.acquire(PAGE, audio_class()).await.is_err());
        for _ in 0..10 {
            limiter
                .acquire("5678", audio_class())
                .await
                .expect("another page has its own window");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_shared_budget_counts_for_every_client_that_holds_it() {
        let budget = Arc::new(LocalBudget::with_headroom(0.0).unwrap());
        let a = Limiter::new(RateLimitMode::Fail, budget.clone()).unwrap();
        let b = Limiter::new(RateLimitMode::Fail, budget).unwrap();
        for _ in 0..5 {
            a.acquire(PAGE, audio_class()).await.unwrap();
            b.acquire(PAGE, audio_class()).await.unwrap();
        }
        assert!(a.acquire(PAGE, audio_class()).await.is_err());
        assert!(b.acquire(PAGE, audio_class()).await.is_err());
    }
}
