//! The shared budget: one Lua script in Redis, called with EVALSHA, spaces
//! each page's calls of a class evenly for every process that uses it.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{DEFAULT_HEADROOM, RateBudget, Take, TakeFuture, budgeted, checked_headroom};
use crate::RateClass;
use crate::error::Error;

/// The script: GCRA on Redis's clock. Loaded once at connect; a Redis that
/// restarted (and forgot it) gets it again on the first NOSCRIPT.
const SCRIPT: &str = include_str!("gcra.lua");

/// The key prefix when none is given.
pub const DEFAULT_PREFIX: &str = "sendapi";

/// A page's rate budget shared through Redis by every process that sends
/// for the page with the same Redis and key prefix.
///
/// Each call of a rate class is a slot on Redis's clock (`TIME`), `1 /
/// (limit × (1 − headroom))` of the window after the previous one (GCRA),
/// so calls from any number of processes arrive evenly spaced: a delay of
/// up to `headroom / (1 − headroom)` of the window (52 ms for a
/// one-second window with the default 5%) between the permit and Graph's
/// count cannot put more than the limit in any window. A waiting client
/// reserves its slot and sleeps until it, one round trip per call.
///
/// When Redis cannot be reached or answers an error, the call fails with
/// [`Error::RateBudget`] and nothing is sent: the budget never falls back
/// to "unlimited".
///
/// ```no_run
/// # async fn demo() -> Result<(), sendapi::Error> {
/// let budget = sendapi::RedisBudget::builder("rediss://bot:secret@redis.internal:6380/0")
///     .prefix("shop-bot")
///     .connect()
///     .await?;
/// let client = sendapi::Client::builder()
///     .page_id("1234567890")
///     .page_token(std::env::var("SENDAPI_PAGE_TOKEN").unwrap_or_default())
///     .rate_budget(budget)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisBudget {
    conn: ConnectionManager,
    script: redis::Script,
    prefix: String,
    headroom: f64,
    /// The URL without its credentials, for messages.
    shown: String,
}

impl fmt::Debug for RedisBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBudget")
            .field("redis", &self.shown)
            .field("prefix", &self.prefix)
            .field("headroom", &self.headroom)
            .finish_non_exhaustive()
    }
}

/// Configures a [`RedisBudget`].
#[derive(Clone)]
#[must_use]
pub struct RedisBudgetBuilder {
    url: String,
    prefix: String,
    headroom: f64,
    timeout: Duration,
}

impl fmt::Debug for RedisBudgetBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBudgetBuilder")
            .field("redis", &shown(&self.url))
            .field("prefix", &self.prefix)
            .field("headroom", &self.headroom)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl RedisBudget {
    /// A builder for the Redis at `url`: `redis://` or `rediss://` (TLS),
    /// with `user:password@` when Redis wants them, and `/db`.
    pub fn builder(url: impl Into<String>) -> RedisBudgetBuilder {
        RedisBudgetBuilder {
            url: url.into(),
            prefix: DEFAULT_PREFIX.to_string(),
            headroom: DEFAULT_HEADROOM,
            timeout: Duration::from_secs(2),
        }
    }

    /// The key of a page's class: `{prefix}:rate:{page}:{class}`.
    fn key(&self, page: &str, class: &RateClass) -> String {
        format!("{}:rate:{page}:{}", self.prefix, class.name)
    }

    /// Microseconds between two calls of `class`, rounded up so that the
    /// rate stays at or under the budget.
    fn interval_us(&self, class: &RateClass) -> u64 {
        let window_us = f64::from(class.per_seconds.max(1)) * 1e6;
        // A positive, finite number of microseconds far below u64::MAX.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let us = (window_us / budgeted(class, self.headroom)).ceil() as u64;
        us.max(1)
    }

    fn failed(&self, what: &str, e: &redis::RedisError) -> Error {
        Error::RateBudget {
            message: format!("Redis at {} {what}: {e}", self.shown),
        }
    }
}

impl RedisBudgetBuilder {
    /// The prefix of every key (`sendapi` by default): processes share a
    /// budget when they use the same Redis and prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The fraction of each limit kept unused, `0.0..1.0` (0.05 by default).
    pub fn headroom(mut self, headroom: f64) -> Self {
        self.headroom = headroom;
        self
    }

    /// Time allowed to connect and for each answer (2 s by default). A
    /// budget that does not answer in time is an error: nothing is sent.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connects, and loads the script.
    pub async fn connect(self) -> Result<RedisBudget, Error> {
        let headroom = checked_headroom(self.headroom)?;
        let shown = shown(&self.url);
        if !(self.url.starts_with("redis://") || self.url.starts_with("rediss://")) {
            return Err(Error::Config(format!(
                "Redis URL `{shown}` must start with redis:// or rediss://"
            )));
        }
        if self.prefix.is_empty() || self.prefix.contains(char::is_whitespace) {
            return Err(Error::Config(format!(
                "Redis key prefix `{}` must be non-empty, without spaces",
                self.prefix
            )));
        }
        let unreachable = |e: redis::RedisError| Error::RateBudget {
            message: format!("cannot use Redis at {shown}: {e}"),
        };
        let client = redis::Client::open(self.url.as_str()).map_err(unreachable)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(2);
        let mut conn = client
            .get_connection_manager_with_config(config)
            .await
            .map_err(unreachable)?;
        let script = redis::Script::new(SCRIPT);
        script
            .prepare_invoke()
            .load_async(&mut conn)
            .await
            .map_err(unreachable)?;
        Ok(RedisBudget {
            conn,
            script,
            prefix: self.prefix,
            headroom,
            shown,
        })
    }
}

impl RateBudget for RedisBudget {
    fn take<'a>(
        &'a self,
        page: &'a str,
        class: &'static RateClass,
        max_wait: Duration,
    ) -> TakeFuture<'a> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let max_wait_us = u64::try_from(max_wait.as_micros()).unwrap_or(u64::MAX);
            let (granted, us): (i64, i64) = self
                .script
                .key(self.key(page, class))
                .arg(self.interval_us(class))
                .arg(max_wait_us)
                .invoke_async(&mut conn)
                .await
                .map_err(|e| self.failed("did not grant a call", &e))?;
            let after = Duration::from_micros(u64::try_from(us).unwrap_or(0));
            Ok(if granted == 1 {
                Take::Granted { wait: after }
            } else {
                Take::Full { retry_after: after }
            })
        })
    }
}

/// `url` without its user and password, for messages.
fn shown(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            // Setting these fails only for URLs that cannot have them.
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => "(an unreadable URL)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_credentials() {
        assert_eq!(
            shown("rediss://bot:s3cret@redis.internal:6380/2"),
            "rediss://redis.internal:6380/2"
        );
        assert_eq!(shown("redis://:s3cret@127.0.0.1/"), "redis://127.0.0.1/");
        assert_eq!(shown("not a url s3cret"), "(an unreadable URL)");
        let b = RedisBudget::builder("redis://u:s3cret@h:1/0");
        assert!(!format!("{b:?}").contains("s3cret"));
    }

    #[tokio::test]
    async fn bad_configuration_is_refused_before_connecting() {
        let err = RedisBudget::builder("http://u:s3cret@127.0.0.1:1")
            .connect()
            .await
            .expect_err("not redis");
        assert!(err.to_string().contains("redis://"), "{err}");
        assert!(!err.to_string().contains("s3cret"), "{err}");
        let err = RedisBudget::builder("redis://127.0.0.1:1")
            .headroom(1.5)
            .connect()
            .await
            .expect_err("headroom");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        let err = RedisBudget::builder("redis://127.0.0.1:1")
            .prefix("")
            .connect()
            .await
            .expect_err("prefix");
        assert!(err.to_string().contains("prefix"), "{err}");
    }
}
