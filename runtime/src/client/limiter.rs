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

#[cfg(test)]
mod tests {
    //! Time is tokio's paused clock: `sleep` returns at once and moves the
    //! clock by exactly its duration, so the windows are tested without
    //! waiting and without network.

    use super::*;
    use crate::latest as api;

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
        let limiter = Limiter::new(RateLimitMode::Fail);
        let audio = audio_class();
        for _ in 0..10 {
            limiter.acquire(audio).await.expect("inside the window");
        }
        let err = limiter.acquire(audio).await.expect_err("over the class");
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
            .acquire(text_class())
            .await
            .expect("standard has room");
        // A refused call does not count: after the window, ten again.
        tokio::time::advance(Duration::from_secs(1)).await;
        for _ in 0..10 {
            limiter.acquire(audio).await.expect("a new window");
        }
        assert!(limiter.acquire(audio).await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_slides() {
        let limiter = Limiter::new(RateLimitMode::Fail);
        let audio = audio_class();
        for _ in 0..5 {
            limiter.acquire(audio).await.unwrap();
        }
        tokio::time::advance(Duration::from_millis(500)).await;
        for _ in 0..5 {
            limiter.acquire(audio).await.unwrap();
        }
        // At 0.999 s all ten are still inside.
        tokio::time::advance(Duration::from_millis(499)).await;
        match limiter.acquire(audio).await {
            Err(Error::RateLimited { retry_after, .. }) => {
                assert_eq!(retry_after, Duration::from_millis(1));
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
        // At 1 s the first five have left, the last five have not.
        tokio::time::advance(Duration::from_millis(1)).await;
        for _ in 0..5 {
            limiter.acquire(audio).await.expect("five left the window");
        }
        assert!(limiter.acquire(audio).await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn wait_mode_waits_for_the_oldest_call_to_leave() {
        let limiter = Limiter::new(RateLimitMode::Wait);
        let audio = audio_class();
        let start = Instant::now();
        for _ in 0..10 {
            limiter.acquire(audio).await.unwrap();
        }
        assert_eq!(Instant::now(), start, "ten calls pass without waiting");
        // The eleventh is still waiting just before the second is over...
        let early = tokio::time::timeout(Duration::from_millis(999), limiter.acquire(audio)).await;
        assert!(early.is_err(), "the eleventh did not wait");
        // ...and passes when it is.
        limiter.acquire(audio).await.expect("Wait never fails");
        assert_eq!(Instant::now() - start, Duration::from_secs(1));
        // Twenty more take two more windows.
        for _ in 0..20 {
            limiter.acquire(audio).await.unwrap();
        }
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn off_mode_and_unlimited_classes_never_wait() {
        let start = Instant::now();
        let off = Limiter::new(RateLimitMode::Off);
        for _ in 0..1000 {
            off.acquire(audio_class()).await.unwrap();
        }
        let fail = Limiter::new(RateLimitMode::Fail);
        for _ in 0..1000 {
            fail.acquire(&RateClass::UNLIMITED).await.unwrap();
        }
        assert_eq!(Instant::now(), start);
    }
}
