//! The HTTP client: one pooled connection pool per `Client`, the wire format
//! of DESIGN.md, at-most-once delivery, per-page rate classes.

mod limiter;
mod retry;
mod secret;
mod upload;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use limiter::RateLimitMode;
pub use retry::RetryPolicy;
pub use secret::{AppSecret, PageToken, appsecret_proof};
pub use upload::{FileData, MediaKind, Uploaded};

use crate::error::{Delivery, Error, GraphError};
use crate::{ErrorCode, RateClass, Request, RetryClass, Usage};

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
        let s: AppSecret = secret.into();
        self.secret = Some(s);
        self
    }

    /// Graph's base URL; `https://graph.facebook.com` by default (use the
    /// emulator's URL in tests).
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
        let page_id = self.page_id.filter(|p| !p.is_empty()).ok_or_else(|| {
            Error::Config("the client needs a page id: call .page_id(\"…\") (or \"me\")".into())
        })?;
        if page_id.contains(['/', '?', '#', ' ']) {
            return Err(Error::Config(format!(
                "page id `{page_id}` is not an id; it must not contain `/`, `?`, `#` or spaces"
            )));
        }
        let token = self
            .token
            .filter(|t| !t.expose().is_empty())
            .ok_or_else(|| {
                Error::Config("the client needs a Page access token: call .page_token(…)".into())
            })?;
        if !self.base.starts_with("http://") && !self.base.starts_with("https://") {
            return Err(Error::Config(format!(
                "base URL `{}` must start with http:// or https://",
                self.base
            )));
        }
        let proof = self
            .secret
            .filter(|s| *s != AppSecret::new(""))
            .map(|s| s.proof(&token));
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .user_agent(concat!("sendapi/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let mut auth_members = format!("\"access_token\":{}", json_string(token.expose()));
        if let Some(p) = &proof {
            auth_members.push_str(",\"appsecret_proof\":");
            auth_members.push_str(&json_string(p));
        }
        let secret_finders = [
            Some(token.expose()).filter(|t| t.len() >= MIN_REDACTED_TOKEN),
            proof.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(|s| memchr::memmem::Finder::new(s.as_bytes()).into_owned())
        .collect();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: self.base,
                page_id,
                token,
                proof,
                auth_members,
                secret_finders,
                messages_urls: std::sync::RwLock::new(Vec::new()),
                retry: self.retry,
                limiter: match self.rate_limit {
                    RateLimitMode::Off => None,
                    mode => Some(limiter::Limiter::new(mode)),
                },
            }),
        })
    }
}

/// The transport members' keys, as they appear in a serialized body.
static TRANSPORT_MEMBERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
    std::sync::LazyLock::new(|| {
        [
            memchr::memmem::Finder::new(b"\"access_token\""),
            memchr::memmem::Finder::new(b"\"appsecret_proof\""),
        ]
    });

/// A string as a JSON string literal.
fn json_string(s: &str) -> String {
    // Serializing a &str cannot fail.
    serde_json::to_string(s).unwrap_or_default()
}

enum Payload {
    Json(Value),
    /// A serialized JSON body, sent as it is.
    JsonBytes(bytes::Bytes),
    Multipart(Box<dyn Fn() -> Option<reqwest::multipart::Form> + Send + Sync>),
}

/// One answer before decoding.
struct Answer {
    status: u16,
    usage: Usage,
    body: bytes::Bytes,
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

    /// Adds the token and proof to a JSON body: they travel in the body,
    /// never in a URL (URLs end up in logs and error messages).
    fn authenticate(&self, body: &mut Map<String, Value>) {
        body.insert(
            "access_token".into(),
            Value::String(self.inner.token.expose().to_string()),
        );
        if let Some(p) = &self.inner.proof {
            body.insert("appsecret_proof".into(), Value::String(p.clone()));
        }
    }

    /// The request as JSON bytes with the token and proof added. The
    /// request is serialized straight to bytes and the members appended:
    /// building a `serde_json::Value` first cost more than the rest of the
    /// client's own work (see `tests/benches/client_overhead.rs`).
    fn body_bytes<R: serde::Serialize>(&self, request: &R) -> Result<bytes::Bytes, Error> {
        let not_object = || Error::Config("the request did not serialize to a JSON object".into());
        // Room for a typical body and the members, so the buffer does not
        // grow (and copy) half a dozen times.
        let mut out = Vec::with_capacity(512 + self.inner.auth_members.len());
        serde_json::to_writer(&mut out, request).map_err(|_| not_object())?;
        if out.first() != Some(&b'{') || out.last() != Some(&b'}') {
            return Err(not_object());
        }
        // A body that names a transport member itself (only an `Unchecked`
        // one can) goes through a map, so that the client's values win and
        // no member appears twice.
        if TRANSPORT_MEMBERS.iter().any(|f| f.find(&out).is_some()) {
            let mut map: Map<String, Value> =
                serde_json::from_slice(&out).map_err(|_| not_object())?;
            self.authenticate(&mut map);
            return serde_json::to_vec(&map)
                .map(bytes::Bytes::from)
                .map_err(|_| not_object());
        }
        out.pop();
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(self.inner.auth_members.as_bytes());
        out.push(b'}');
        Ok(out.into())
    }

    /// The answer with the token and the proof blanked out. Graph does not
    /// echo them, but a proxy's error page or a misbehaving server may echo
    /// the request body, and the answer ends up in `Error::Http` snippets,
    /// Graph error messages and decode errors, which get logged. Tokens
    /// shorter than a real one (which is far longer) are left alone, so
    /// that a short test token cannot blank out ids that contain it.
    fn redact(&self, body: bytes::Bytes) -> bytes::Bytes {
        let mut out: Option<Vec<u8>> = None;
        for finder in &self.inner.secret_finders {
            let current = out.as_deref().unwrap_or(&body);
            if let Some(replaced) = replace_all(current, finder, b"***") {
                out = Some(replaced);
            }
        }
        out.map_or(body, bytes::Bytes::from)
    }

    fn url(&self, version: &str, rest: &str) -> Result<reqwest::Url, Error> {
        let url = format!("{}/{}/{}", self.inner.base, version, rest);
        // The base and the page id were checked when the client was built.
        reqwest::Url::parse(&url).map_err(|e| Error::Config(format!("`{url}` is not a URL: {e}")))
    }

    /// The Send API URL of a Graph version; parsing it on every send cost
    /// as much as the rest of the client's own work.
    fn messages_url(&self, version: &'static str) -> Result<reqwest::Url, Error> {
        let cached = |urls: &[(&'static str, reqwest::Url)]| {
            urls.iter()
                .find(|(v, _)| *v == version)
                .map(|(_, u)| u.clone())
        };
        if let Some(u) = self
            .inner
            .messages_urls
            .read()
            .ok()
            .and_then(|u| cached(&u))
        {
            return Ok(u);
        }
        let url = self.url(version, &format!("{}/messages", self.inner.page_id))?;
        if let Ok(mut urls) = self.inner.messages_urls.write()
            && cached(&urls).is_none()
        {
            urls.push((version, url.clone()));
        }
        Ok(url)
    }

    /// Validates, sends and decodes one request. An invalid request is
    /// refused before anything is sent. Failures are retried only when the
    /// spec's class (or the transport) says the message was not delivered.
    pub async fn send<R: Request>(&self, request: &R) -> Result<Response<R::Response>, Error> {
        request.validate()?;
        let body = self.body_bytes(request)?;
        let url = self.messages_url(R::GRAPH_VERSION)?;
        let class = request.rate_class();
        tracing::debug!(page = %self.inner.page_id, version = R::GRAPH_VERSION, class = class.name, "send");
        let (answer, attempts) = self
            .exchange(&url, &Payload::JsonBytes(body), class, R::ERRORS, true)
            .await?;
        decode(answer, attempts, R::ERRORS)
    }

    /// Sends requests through Graph's batch endpoint, at most 50 per call
    /// (split beyond that). Each request gets its own result, in order; an
    /// invalid one is refused without being sent. Every item counts against
    /// its rate class; with [`RateLimitMode::Fail`], an item over its class
    /// gets [`Error::RateLimited`] and the others are still sent.
    ///
    /// The outer `Err` means the first batch call failed: no item was
    /// delivered except as that error's delivery allows, and no later call
    /// was made. Once a call has been answered, its items were processed, so
    /// their results are never dropped: a later call that fails gives its
    /// error to each of its own items, and the remaining calls are still
    /// made.
    pub async fn send_batch<R: Request>(
        &self,
        requests: &[R],
    ) -> Result<Vec<Result<Response<R::Response>, Error>>, Error> {
        let mut results: Vec<Option<Result<Response<R::Response>, Error>>> =
            (0..requests.len()).map(|_| None).collect();
        let mut pending = Vec::new();
        for (i, r) in requests.iter().enumerate() {
            match r.validate() {
                Err(e) => results[i] = Some(Err(Error::Invalid(e))),
                Ok(()) => pending.push(i),
            }
        }
        // Whether some batch call was answered: from then on, an error of
        // the whole batch would hide results of items that were processed.
        let mut answered = false;
        for chunk in pending.chunks(50) {
            let mut items = Vec::with_capacity(chunk.len());
            let mut sent = Vec::with_capacity(chunk.len());
            for &i in chunk {
                if let Some(l) = &self.inner.limiter
                    && let Err(e) = l.acquire(requests[i].rate_class()).await
                {
                    // Refused before sending (`RateLimitMode::Fail`); the
                    // item's own result says so, the others still go.
                    results[i] = Some(Err(e));
                    continue;
                }
                let body = serde_json::to_value(&requests[i]).unwrap_or(Value::Null);
                items.push(serde_json::json!({
                    "method": "POST",
                    "relative_url": format!("{}/messages", self.inner.page_id),
                    "body": self.batch_item_body(&body),
                }));
                sent.push(i);
            }
            if items.is_empty() {
                continue;
            }
            match self.batch_call::<R>(items).await {
                Ok((parts, usage, attempts)) => {
                    answered = true;
                    for (k, &i) in sent.iter().enumerate() {
                        let part = parts.get(k).cloned().unwrap_or(Value::Null);
                        results[i] = Some(batch_part(part, &usage, attempts, R::ERRORS));
                    }
                }
                Err(e) if !answered => return Err(e),
                Err(e) => {
                    for &i in &sent {
                        results[i] = Some(Err(duplicate(&e)));
                    }
                }
            }
        }
        Ok(results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Error::Config("batch item without a result".into()))))
            .collect())
    }

    /// One Graph batch call of at most 50 operations: the answer's parts,
    /// its usage headers and the number of attempts.
    async fn batch_call<R: Request>(
        &self,
        items: Vec<Value>,
    ) -> Result<(Vec<Value>, Usage, u32), Error> {
        let mut body = Map::new();
        self.authenticate(&mut body);
        body.insert("batch".into(), Value::Array(items));
        body.insert("include_headers".into(), Value::Bool(false));
        let url = self.url(R::GRAPH_VERSION, "")?;
        // The batch call itself is retried only when nothing was processed.
        let (answer, attempts) = self
            .exchange(
                &url,
                &Payload::Json(Value::Object(body)),
                &RateClass::UNLIMITED,
                R::ERRORS,
                false,
            )
            .await?;
        if !(200..300).contains(&answer.status) {
            return Err(graph_error(&answer, R::ERRORS));
        }
        let parts: Vec<Value> =
            serde_json::from_slice(&answer.body).map_err(|e| Error::Decode {
                status: answer.status,
                path: "$".into(),
                message: format!("a batch answer is a JSON array: {e}"),
            })?;
        Ok((parts, answer.usage, attempts))
    }

    /// A batch item's body: form-encoded, values that are not strings
    /// written as JSON (as Graph's curl samples do), the proof per item.
    fn batch_item_body(&self, body: &Value) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        if let Value::Object(m) = body {
            for (k, v) in m {
                match v {
                    Value::String(s) => form.append_pair(k, s),
                    other => form.append_pair(k, &other.to_string()),
                };
            }
        }
        if let Some(p) = &self.inner.proof {
            form.append_pair("appsecret_proof", p);
        }
        form.finish()
    }

    /// One call with retries; returns the final answer (any status) and
    /// the number of attempts.
    async fn exchange(
        &self,
        url: &reqwest::Url,
        payload: &Payload,
        class: &'static RateClass,
        table: &'static [ErrorCode],
        limit: bool,
    ) -> Result<(Answer, u32), Error> {
        let policy = &self.inner.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if limit && let Some(l) = &self.inner.limiter {
                l.acquire(class).await?;
            }
            let builder = self.inner.http.post(url.clone());
            let builder = match payload {
                Payload::Json(v) => builder.json(v),
                Payload::JsonBytes(b) => builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.clone()),
                Payload::Multipart(make) => match make() {
                    Some(form) => builder.multipart(form),
                    None => {
                        return Err(Error::Transport {
                            message: "the upload stream was already used; a stream is sent once and cannot be retried".into(),
                            delivery: Delivery::NotSent,
                        });
                    }
                },
            };
            let outcome = match builder.send().await {
                Err(e) => Err(transport(e)),
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let usage = Usage::from_headers(resp.headers());
                    match resp.bytes().await {
                        Ok(body) => Ok(Answer {
                            status,
                            usage,
                            body: self.redact(body),
                        }),
                        // The answer started: Meta processed the call.
                        Err(e) => Err(Error::Transport {
                            message: format!("the answer broke off: {}", describe(e)),
                            delivery: Delivery::Unknown,
                        }),
                    }
                }
            };
            let retry_after = match &outcome {
                Ok(a) if (200..300).contains(&a.status) => None,
                Ok(a) => match graph_error(a, table) {
                    Error::Graph(g) if g.retry == RetryClass::Retry => {
                        Some(g.usage.regain_access_minutes())
                    }
                    // Too Many Requests without a Graph body: not processed.
                    Error::Http { status: 429, .. } => Some(None),
                    _ => None,
                },
                Err(Error::Transport {
                    delivery: Delivery::NotSent,
                    ..
                }) => Some(None),
                Err(_) => None,
            };
            match retry_after {
                Some(regain) if attempt < policy.max_attempts => {
                    let wait = policy.delay(attempt, regain);
                    tracing::debug!(attempt, ?wait, "retrying a call Meta did not process");
                    tokio::time::sleep(wait).await;
                }
                _ => return outcome.map(|a| (a, attempt)),
            }
        }
    }

    /// Uploads media by URL to the Attachment Upload API; the answer's
    /// `attachment_id` can be sent to anyone for 90 days.
    pub async fn upload_url(
        &self,
        kind: MediaKind,
        url: impl Into<String>,
    ) -> Result<Response<Uploaded>, Error> {
        let mut body = Map::new();
        body.insert(
            "message".into(),
            serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"url": url.into(), "is_reusable": true}}}),
        );
        self.authenticate(&mut body);
        let url = self.url(
            crate::latest::GRAPH_VERSION,
            &format!("{}/message_attachments", self.inner.page_id),
        )?;
        let (answer, attempts) = self
            .exchange(
                &url,
                &Payload::Json(Value::Object(body)),
                &RateClass::UNLIMITED,
                crate::latest::ERRORS,
                true,
            )
            .await?;
        decode(answer, attempts, crate::latest::ERRORS)
    }

    /// Uploads a file (bytes, a path or a stream) to the Attachment Upload
    /// API as multipart `filedata`.
    pub async fn upload_file(
        &self,
        kind: MediaKind,
        file: FileData,
    ) -> Result<Response<Uploaded>, Error> {
        let message = serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"is_reusable": true}}});
        let fields = vec![("message".to_string(), message.to_string())];
        let url = self.url(
            crate::latest::GRAPH_VERSION,
            &format!("{}/message_attachments", self.inner.page_id),
        )?;
        let payload = self.multipart(fields, file).await?;
        let (answer, attempts) = self
            .exchange(
                &url,
                &payload,
                &RateClass::UNLIMITED,
                crate::latest::ERRORS,
                true,
            )
            .await?;
        decode(answer, attempts, crate::latest::ERRORS)
    }

    /// Upload-and-send: sends `file` to `recipient` as a `kind` attachment
    /// in one call (multipart `filedata`); with `reusable`, the answer
    /// carries an `attachment_id`. The message is checked against the
    /// latest snapshot's rules first, as if the file were a URL.
    pub async fn send_file(
        &self,
        recipient: crate::latest::Recipient,
        messaging_type: crate::latest::MessagingType,
        kind: MediaKind,
        file: FileData,
        reusable: bool,
    ) -> Result<Response<crate::Sent<crate::latest::form::Any>>, Error> {
        use crate::latest as api;
        let payload = api::MediaPayload::url("https://upload.invalid/filedata");
        let attachment = match kind {
            MediaKind::Image => api::Attachment::image(payload),
            MediaKind::Audio => api::Attachment::audio(payload),
            MediaKind::Video => api::Attachment::video(payload),
            MediaKind::File => api::Attachment::file(payload),
        };
        let check = api::Request::builder()
            .to(recipient.clone())
            .message(api::Message::attachment(attachment))
            .messaging_type(messaging_type.clone())
            .build();
        check.validate()?;
        let mut fields = Vec::new();
        let to = |v: serde_json::Result<Value>| v.map(|v| v.to_string()).unwrap_or_default();
        fields.push((
            "recipient".to_string(),
            to(serde_json::to_value(&recipient)),
        ));
        let mut mt = Map::new();
        mt.insert(
            "messaging_type".into(),
            Value::String(messaging_type.as_str().to_string()),
        );
        // A carried tag (MESSAGE_TAG + HUMAN_AGENT) goes next to it.
        if let Ok(Value::Object(full)) = serde_json::to_value(&check)
            && let Some(tag) = full.get("tag")
        {
            mt.insert("tag".into(), tag.clone());
        }
        for (k, v) in mt {
            fields.push((
                k,
                match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
            ));
        }
        let message = serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"is_reusable": reusable}}});
        fields.push(("message".to_string(), message.to_string()));
        let url = self.messages_url(api::GRAPH_VERSION)?;
        let class = check.rate_class();
        let payload = self.multipart(fields, file).await?;
        let (answer, attempts) = self
            .exchange(&url, &payload, class, api::ERRORS, true)
            .await?;
        decode(answer, attempts, crate::latest::ERRORS)
    }

    async fn multipart(
        &self,
        mut fields: Vec<(String, String)>,
        file: FileData,
    ) -> Result<Payload, Error> {
        fields.push(("access_token".into(), self.inner.token.expose().to_string()));
        if let Some(p) = &self.inner.proof {
            fields.push(("appsecret_proof".into(), p.clone()));
        }
        let part = file.into_part().await?;
        let fields = Arc::new(fields);
        let part = std::sync::Mutex::new(Some(part));
        Ok(Payload::Multipart(Box::new(move || {
            let part = part.lock().ok()?.as_ref().and_then(upload::Part::replay)?;
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields.iter() {
                form = form.text(k.clone(), v.clone());
            }
            Some(form.part("filedata", part))
        })))
    }
}

/// Tokens at least this long are blanked out of answers (real Page tokens
/// are well over 100 characters).
const MIN_REDACTED_TOKEN: usize = 16;

/// `hay` with every `needle` replaced, or `None` when it has none.
fn replace_all(hay: &[u8], needle: &memchr::memmem::Finder<'_>, with: &[u8]) -> Option<Vec<u8>> {
    let len = needle.needle().len();
    if len == 0 {
        return None;
    }
    let mut hits = needle.find_iter(hay).peekable();
    hits.peek()?;
    let mut out = Vec::with_capacity(hay.len());
    let mut at = 0;
    for hit in hits {
        // Matches do not overlap; each byte is replaced at most once.
        if hit < at {
            continue;
        }
        out.extend_from_slice(&hay[at..hit]);
        out.extend_from_slice(with);
        at = hit + len;
    }
    out.extend_from_slice(&hay[at..]);
    Some(out)
}

/// The same error again, for each item of a failed batch call.
fn duplicate(e: &Error) -> Error {
    match e {
        Error::Graph(g) => Error::Graph(g.clone()),
        Error::Invalid(i) => Error::Invalid(i.clone()),
        Error::Transport { message, delivery } => Error::Transport {
            message: message.clone(),
            delivery: *delivery,
        },
        Error::Http { status, snippet } => Error::Http {
            status: *status,
            snippet: snippet.clone(),
        },
        Error::Decode {
            status,
            path,
            message,
        } => Error::Decode {
            status: *status,
            path: path.clone(),
            message: message.clone(),
        },
        Error::RateLimited {
            class,
            limit,
            per_seconds,
            retry_after,
        } => Error::RateLimited {
            class,
            limit: *limit,
            per_seconds: *per_seconds,
            retry_after: *retry_after,
        },
        Error::Config(m) => Error::Config(m.clone()),
    }
}

fn transport(e: reqwest::Error) -> Error {
    // Only a failure to connect proves nothing left; a timeout or a broken
    // connection may come after Meta processed the body.
    let delivery = if e.is_connect() || e.is_builder() {
        Delivery::NotSent
    } else {
        Delivery::Unknown
    };
    Error::Transport {
        message: describe(e),
        delivery,
    }
}

/// A reqwest error without its URL, with its causes: reqwest's own text is
/// only "error sending request"; the causes say whether the connection was
/// refused, dropped or timed out.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !text.is_empty() && !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
    message
}

fn graph_error(a: &Answer, table: &'static [ErrorCode]) -> Error {
    #[derive(serde::Deserialize)]
    struct Envelope {
        error: Wire,
    }
    #[derive(serde::Deserialize)]
    struct Wire {
        message: Option<String>,
        #[serde(rename = "type")]
        error_type: Option<String>,
        code: Option<u32>,
        error_subcode: Option<u64>,
        error_user_title: Option<String>,
        error_user_msg: Option<String>,
        fbtrace_id: Option<String>,
    }
    match serde_json::from_slice::<Envelope>(&a.body) {
        Ok(Envelope { error: w }) if w.code.is_some() => {
            let code = w.code.unwrap_or_default();
            let entry = ErrorCode::find(table, code, w.error_subcode);
            Error::Graph(Box::new(GraphError {
                status: a.status,
                code,
                subcode: w.error_subcode,
                error_type: w.error_type,
                message: w.message.unwrap_or_default(),
                user_title: w.error_user_title,
                user_message: w.error_user_msg,
                fbtrace_id: w.fbtrace_id,
                name: entry.map(|e| e.name),
                meaning: entry.map(|e| e.doc),
                retry: entry.map_or(RetryClass::Ambiguous, |e| e.retry),
                usage: a.usage.clone(),
            }))
        }
        _ => {
            let text = String::from_utf8_lossy(&a.body);
            let snippet: String = text.chars().take(200).collect();
            Error::Http {
                status: a.status,
                snippet,
            }
        }
    }
}

/// Decodes an answer; an error answer is classified by `table`, the error
/// table of the snapshot the request was built against.
fn decode<T: DeserializeOwned>(
    a: Answer,
    attempts: u32,
    table: &'static [ErrorCode],
) -> Result<Response<T>, Error> {
    if !(200..300).contains(&a.status) {
        return Err(graph_error(&a, table));
    }
    // The common case first; the path of a failure is worth a second pass.
    let first = match serde_json::from_slice::<T>(&a.body) {
        Ok(value) => {
            return Ok(Response {
                value,
                usage: a.usage,
                attempts,
            });
        }
        Err(e) => e,
    };
    let de = &mut serde_json::Deserializer::from_slice(&a.body);
    let (path, message) = match serde_path_to_error::deserialize::<_, T>(de) {
        Err(e) => (e.path().to_string(), e.into_inner().to_string()),
        // What only the whole-input check finds: text after the value.
        Ok(_) => ("$".to_string(), first.to_string()),
    };
    Err(Error::Decode {
        status: a.status,
        path,
        message,
    })
}

fn batch_part<T: DeserializeOwned>(
    part: Value,
    usage: &Usage,
    attempts: u32,
    table: &'static [ErrorCode],
) -> Result<Response<T>, Error> {
    let status = part.get("code").and_then(Value::as_u64).unwrap_or(0) as u16;
    let body = match part.get("body") {
        Some(Value::String(s)) => bytes::Bytes::from(s.clone().into_bytes()),
        _ => {
            return Err(Error::Decode {
                status,
                path: "$.body".into(),
                message:
                    "a batch item answer has no body (was it sent with omit_response_on_success?)"
                        .into(),
            });
        }
    };
    let answer = Answer {
        status,
        usage: usage.clone(),
        body,
    };
    if !(200..300).contains(&status) {
        return Err(graph_error(&answer, table));
    }
    decode(answer, attempts, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(secret: &str) -> Client {
        Client::builder()
            .page_id("1")
            .page_token("EAAB\"quoted\\token")
            .app_secret(secret)
            .build()
            .expect("client")
    }

    fn body(c: &Client, v: Value) -> Value {
        let bytes = c.body_bytes(&v).expect("an object");
        serde_json::from_slice(&bytes).expect("the body is JSON")
    }

    #[test]
    fn the_token_and_proof_are_appended_as_json_members() {
        let c = client("s3cret");
        let proof = appsecret_proof("s3cret", "EAAB\"quoted\\token");
        let got = body(
            &c,
            serde_json::json!({"recipient": {"id": "7"}, "sender_action": "mark_seen"}),
        );
        assert_eq!(
            got,
            serde_json::json!({
                "recipient": {"id": "7"},
                "sender_action": "mark_seen",
                "access_token": "EAAB\"quoted\\token",
                "appsecret_proof": proof,
            })
        );
        // An empty object gets no leading comma; no secret, no proof.
        let got = body(&client(""), serde_json::json!({}));
        assert_eq!(
            got,
            serde_json::json!({"access_token": "EAAB\"quoted\\token"})
        );
    }

    #[test]
    fn a_body_with_its_own_transport_members_gets_the_clients_once() {
        let c = client("s3cret");
        let v = serde_json::json!({"access_token": "other", "appsecret_proof": "x", "message": {"text": "\"access_token\""}});
        let bytes = c.body_bytes(&v).expect("an object");
        let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        assert_eq!(text.matches("\"access_token\":").count(), 1, "{text}");
        let got: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(got["access_token"], "EAAB\"quoted\\token");
        assert_eq!(got["message"]["text"], "\"access_token\"");
    }

    #[test]
    fn what_is_not_an_object_is_refused() {
        let c = client("");
        assert!(matches!(
            c.body_bytes(&serde_json::json!([1])),
            Err(Error::Config(_))
        ));
        assert!(matches!(c.body_bytes(&"text"), Err(Error::Config(_))));
    }

    #[test]
    fn replace_all_replaces_every_occurrence_once() {
        let r = |hay: &[u8], needle: &[u8], with: &[u8]| {
            replace_all(hay, &memchr::memmem::Finder::new(needle), with)
        };
        assert_eq!(r(b"abcabc", b"abc", b"*"), Some(b"**".to_vec()));
        assert_eq!(r(b"aaaa", b"aa", b"*"), Some(b"**".to_vec()));
        assert_eq!(r(b"aaa", b"aa", b"*"), Some(b"*a".to_vec()));
        assert_eq!(r(b"xaay", b"aa", b"***"), Some(b"x***y".to_vec()));
        assert_eq!(r(b"xyz", b"aa", b"*"), None);
        assert_eq!(r(b"xyz", b"", b"*"), None);
    }
}
