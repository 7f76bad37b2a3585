//! The HTTP client: one pooled connection pool per `Client`, the token and
//! proof in the body (never in a URL), at-most-once delivery, per-page rate
//! classes.
//!
//! A send goes through the modules in order: `body` serializes the request
//! with the token and proof, `url` gives the endpoint, `exchange` makes the
//! HTTP call (retrying what Meta did not process) and `decode` turns the
//! answer into a typed response or an `Error`. `config` builds the client,
//! `redact` keeps secrets out of answers, and `batch` and `upload` are the
//! batch endpoint and the Attachment Upload API.

mod batch;
mod body;
mod config;
mod decode;
mod exchange;
mod limiter;
mod redact;
mod retry;
mod secret;
mod upload;
mod url;

use std::fmt;
use std::sync::Arc;

pub use config::ClientBuilder;
pub use limiter::RateLimitMode;
pub use retry::RetryPolicy;
pub use secret::{PageToken, appsecret_proof};
pub use upload::{FileData, MediaKind, Uploaded};

use crate::AppSecret;
use crate::error::Error;
use crate::{Request, Usage};
use body::Payload;

/// Graph's public endpoint.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// A successful answer: the typed response and the answer's usage headers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The typed response.
    pub value: T,
    /// The parsed `X-App-Usage` and `X-Business-Use-Case-Usage` headers.
    pub usage: Usage,
    /// How many attempts the send took (1 unless retried).
    pub attempts: u32,
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Sends Send API requests for one Page.
///
/// ```no_run
/// # async fn demo() -> Result<(), sendapi::Error> {
/// use sendapi::latest::Request;
/// use sendapi::Client;
///
/// let client = Client::builder()
///     .page_id("1234567890")
///     .page_token(std::env::var("SENDAPI_PAGE_TOKEN").unwrap_or_default())
///     .app_secret(std::env::var("SENDAPI_APP_SECRET").unwrap_or_default())
///     .build()?;
/// let sent = client
///     .send(&Request::builder().to_id("6047783085279281").text("hi").response().build())
///     .await?;
/// println!("{} to {}", sent.message_id(), sent.recipient_id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    page_id: String,
    token: PageToken,
    proof: Option<String>,
    /// `"access_token":…,"appsecret_proof":…` as JSON members, made once:
    /// every send appends them to the serialized request. Holds the token,
    /// so it is never printed.
    auth_members: String,
    /// Searchers for the token and the proof in answers (see `redact`),
    /// built once: building one costs far more than searching an answer.
    secret_finders: Vec<memchr::memmem::Finder<'static>>,
    /// `{base}/{version}/{page}/messages`, parsed once per Graph version.
    messages_urls: std::sync::RwLock<Vec<(&'static str, reqwest::Url)>>,
    retry: RetryPolicy,
    limiter: Option<limiter::Limiter>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("page_id", &self.inner.page_id)
            .field("token", &self.inner.token)
            .field("appsecret_proof", &self.inner.proof.as_ref().map(|_| "***"))
            .field("retry", &self.inner.retry)
            .finish()
    }
}

impl Client {
    /// A builder; `page_id` and `page_token` are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The Page this client sends for.
    pub fn page_id(&self) -> &str {
        &self.inner.page_id
    }

    /// Validates, sends and decodes one request. An invalid request is
    /// refused before anything is sent. Failures are retried only when the
    /// spec's class (or the transport) says the message was not delivered.
    pub async fn send<R: Request>(&self, request: &R) -> Result<Response<R::Response>, Error> {
        request.validate()?;
        let body = self.body_bytes(request)?;
        let version = request.graph_version();
        let url = if version == R::GRAPH_VERSION {
            self.messages_url(R::GRAPH_VERSION)?
        } else {
            self.messages_url_of(version)?
        };
        let class = request.rate_class();
        tracing::debug!(page = %self.inner.page_id, version, class = class.name, "send");
        let (answer, attempts) = self
            .exchange(&url, &Payload::JsonBytes(body), class, R::ERRORS, true)
            .await?;
        decode::decode(answer, attempts, R::ERRORS)
    }
}
