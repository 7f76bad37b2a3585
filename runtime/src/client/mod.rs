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
mod budget;
mod config;
mod decode;
mod exchange;
#[cfg(feature = "upload")]
mod files;
mod redact;
mod retry;
mod secret;
mod upload;
mod url;

use std::fmt;
use std::sync::Arc;

pub use budget::{
    DEFAULT_HEADROOM, LocalBudget, Permit, RateBudget, RateLimitMode, Take, TakeFuture,
};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use budget::{RedisBudget, RedisBudgetBuilder};
pub use config::ClientBuilder;
#[cfg(feature = "upload")]
#[cfg_attr(docsrs, doc(cfg(feature = "upload")))]
pub use files::FileData;
pub use retry::RetryPolicy;
pub use secret::{PageToken, appsecret_proof};
pub use upload::{MediaKind, Uploaded};

use crate::AppSecret;
use crate::error::Error;
use crate::{Request, Usage};
use body::Payload;
use exchange::Limit;

/// A latest-snapshot request to a PSID on Messenger, of kind `K`.
type PsidRequest<K> = crate::latest::Request<crate::Messenger, crate::latest::form::Id, K>;
type PinnedSend<'a> = std::pin::Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

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
    limiter: Option<budget::Limiter>,
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
        self.send_limited(request, Limit::Every).await
    }

    /// The send path of the two most common requests, a message and a
    /// sender action (typing, seen) to a PSID on Messenger, compiled once in
    /// this crate: an unoptimized build (the default `dev` profile) reuses
    /// generic code a dependency has already compiled, so a bot's debug
    /// rebuild does not compile these paths again. Nothing calls them.
    #[doc(hidden)]
    pub fn __precompiled_sends<'a>(
        &'a self,
        message: &'a PsidRequest<crate::latest::kind::Message>,
        action: &'a PsidRequest<crate::latest::kind::SenderAction>,
    ) -> [PinnedSend<'a>; 2] {
        [
            Box::pin(async move { self.send(message).await.map(drop) }),
            Box::pin(async move { self.send(action).await.map(drop) }),
        ]
    }

    /// Takes one call of `request`'s rate class from the page's budget,
    /// waiting or failing as the [`RateLimitMode`] says, without sending.
    ///
    /// For callers that must record that a call is about to be made (a
    /// broadcast's state file) between the permit and the request: pass the
    /// permit to [`Client::send_with_permit`]. Validates the request first,
    /// so that an invalid one does not use up the budget. An unreachable
    /// shared budget is an error: nothing is sent without a permit.
    ///
    /// Send right after the permit: a permit is a slot in time, and permits
    /// gathered first and spent together arrive as a burst that Graph may
    /// answer with 613 even under the limit.
    pub async fn permit<R: Request>(&self, request: &R) -> Result<Permit, Error> {
        request.validate()?;
        let class = request.rate_class();
        if let Some(l) = &self.inner.limiter {
            l.acquire(&self.inner.page_id, class).await?;
        }
        Ok(Permit { class: class.name })
    }

    /// [`Client::send`] with the first attempt's call already taken by
    /// [`Client::permit`]; retries ask the budget again. A permit for
    /// another rate class is not used: the budget is asked for this one.
    pub async fn send_with_permit<R: Request>(
        &self,
        request: &R,
        permit: Permit,
    ) -> Result<Response<R::Response>, Error> {
        let limit = if permit.class == request.rate_class().name {
            Limit::AfterFirst
        } else {
            Limit::Every
        };
        self.send_limited(request, limit).await
    }

    async fn send_limited<R: Request>(
        &self,
        request: &R,
        limit: Limit,
    ) -> Result<Response<R::Response>, Error> {
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
            .exchange(&url, &Payload::JsonBytes(body), class, R::ERRORS, limit)
            .await?;
        decode::decode(answer, attempts, R::ERRORS)
    }
}
