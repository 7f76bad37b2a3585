//! `ClientBuilder`: the client's configuration, checked once in `build`.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::budget::{Limiter, LocalBudget, RateBudget, RateLimitMode};
use super::{AppSecret, Client, DEFAULT_BASE_URL, Inner, PageToken, RetryPolicy, body, redact};
use crate::error::Error;

/// Configures a [`Client`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base: String,
    page_id: Option<String>,
    token: Option<PageToken>,
    secret: Option<AppSecret>,
    retry: RetryPolicy,
    rate_limit: RateLimitMode,
    budget: Option<Arc<dyn RateBudget>>,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base)
            .field("page_id", &self.page_id)
            .field("token", &self.token)
            .field("app_secret", &self.secret)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("rate_budget", &self.budget)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base: DEFAULT_BASE_URL.to_string(),
            page_id: None,
            token: None,
            secret: None,
            retry: RetryPolicy::default(),
            rate_limit: RateLimitMode::Wait,
            budget: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            http: None,
        }
    }
}

impl ClientBuilder {
    /// The Page that sends (`me` works with a Page token).
    pub fn page_id(mut self, id: impl Into<String>) -> Self {
        self.page_id = Some(id.into());
        self
    }

    /// The Page access token.
    pub fn page_token(mut self, token: impl Into<PageToken>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The app secret: `appsecret_proof` is then sent with every call and
    /// every batch item. An empty secret means none.
    pub fn app_secret(mut self, secret: impl Into<AppSecret>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Graph's base URL; `https://graph.facebook.com` by default (use the
    /// emulator's URL in tests). [`ClientBuilder::build`] refuses plain
    /// `http://` unless the host is loopback (127.0.0.0/8, `::1`,
    /// `localhost`): the page token would travel in clear.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = url.into().trim_end_matches('/').to_string();
        self
    }

    /// Which failures are retried, and how; see [`RetryPolicy`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// What happens when the spec's per-page rate class is used up.
    pub fn rate_limit(mut self, mode: RateLimitMode) -> Self {
        self.rate_limit = mode;
        self
    }

    /// Where the page's rate budget is counted: a [`LocalBudget`] of this
    /// client by default. Give an `Arc<LocalBudget>` to several clients of
    /// one process to share a count, or a `RedisBudget` (feature `redis`)
    /// to share it with every process sending for the page.
    pub fn rate_budget(mut self, budget: impl RateBudget + 'static) -> Self {
        self.budget = Some(Arc::new(budget));
        self
    }

    /// Time allowed to connect (10 s by default). A connect failure means
    /// nothing was sent.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Time allowed for a whole call (30 s by default). A timeout after the
    /// body left means the outcome is unknown; it is never retried.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Uses an existing `reqwest::Client` (its pool and settings) instead of
    /// building one; the timeouts above are then ignored.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client, Error> {
        let page_id = checked_page_id(self.page_id)?;
        let token = self
            .token
            .filter(|t| !t.expose().is_empty())
            .ok_or_else(|| {
                Error::Config("the client needs a Page access token: call .page_token(…)".into())
            })?;
        check_base_url(&self.base)?;
        let proof = self
            .secret
            .filter(|s| *s != AppSecret::new(""))
            .map(|s| s.proof(&token));
        let http = match self.http {
            Some(h) => h,
            None => http_client(self.connect_timeout, self.timeout)?,
        };
        let auth_members = body::auth_members(&token, proof.as_deref());
        let secret_finders = redact::secret_finders(&token, proof.as_deref());
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: self.base,
                page_id,
                token,
                proof,
                auth_members,
                secret_finders,
                messages_urls: RwLock::new(Vec::new()),
                retry: self.retry,
                limiter: Limiter::new(
                    self.rate_limit,
                    self.budget.unwrap_or_else(|| Arc::new(LocalBudget::new())),
                ),
            }),
        })
    }
}

/// The page id, which ends up in URL paths: present, and one path segment.
fn checked_page_id(page_id: Option<String>) -> Result<String, Error> {
    let page_id = page_id.filter(|p| !p.is_empty()).ok_or_else(|| {
        Error::Config("the client needs a page id: call .page_id(\"…\") (or \"me\")".into())
    })?;
    if page_id.contains(['/', '?', '#', ' ']) {
        return Err(Error::Config(format!(
            "page id `{page_id}` is not an id; it must not contain `/`, `?`, `#` or spaces"
        )));
    }
    Ok(page_id)
}

fn check_base_url(base: &str) -> Result<(), Error> {
    if !base.starts_with("http://") && !base.starts_with("https://") {
        return Err(Error::Config(format!(
            "base URL `{base}` must start with http:// or https://"
        )));
    }
    let url = reqwest::Url::parse(base)
        .map_err(|e| Error::Config(format!("base URL `{base}` is not a URL: {e}")))?;
    // The page token travels in every request: in clear only to this machine.
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(Error::Config(format!(
            "base URL `{base}` is plain http:// to a host that is not loopback, so the page token would travel in clear; use https://, or http:// only to 127.0.0.1, ::1 or localhost"
        )));
    }
    Ok(())
}

/// 127.0.0.0/8, ::1 or `localhost`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The client's own `reqwest::Client`, when the caller gave none.
fn http_client(connect_timeout: Duration, timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .user_agent(concat!("sendapi/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}
