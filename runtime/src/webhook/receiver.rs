//! An axum router for Meta's webhook: the handshake on GET, verified
//! notifications on POST, answered before any work is done.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::de::DeserializeOwned;

use super::{VerifyToken, handshake, parse};
use crate::{AppSecret, WebhookError};

/// Builds an axum [`Router`] that receives Meta's webhooks on one path:
///
/// - `GET` answers the subscription handshake: 200 with `hub.challenge`
///   echoed byte for byte when `hub.mode` is `subscribe` and
///   `hub.verify_token` is the verify token, else 403;
/// - `POST` takes the raw body (up to [`Receiver::body_limit`], 413
///   beyond), checks `X-Hub-Signature-256` (403 on any failure, before
///   anything is decoded), decodes the notification into `E` (400 when a
///   verified body does not decode), answers 200 at once and then runs the
///   handler on it in a task of its own, so that slow work never delays
///   the 200 Meta waits for (it resends after about 5 seconds).
///
/// Each notification's handler runs in its own task, so two notifications
/// may be handled out of order: order events by their `timestamp`, and
/// drop Meta's retried copies with [`Dedupe`](super::Dedupe). A handler's
/// error or panic is logged with `tracing` at error level; signature
/// failures are logged at warn level. Neither log holds the secret, the
/// verify token, the signature or the body.
///
/// ```no_run
/// use sendapi::webhook::Receiver;
///
/// # async fn run() -> std::io::Result<()> {
/// let app: axum::Router = Receiver::new(
///     std::env::var("SENDAPI_APP_SECRET").unwrap_or_default(),
///     std::env::var("VERIFY_TOKEN").unwrap_or_default(),
/// )
/// .path("/webhook")
/// .router(|notification: serde_json::Value| async move {
///     println!("{notification}");
///     Ok::<(), std::io::Error>(())
/// });
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, app).await
/// # }
/// ```
pub struct Receiver {
    secret: AppSecret,
    verify_token: VerifyToken,
    path: String,
    body_limit: usize,
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("secret", &self.secret)
            .field("verify_token", &self.verify_token)
            .field("path", &self.path)
            .field("body_limit", &self.body_limit)
            .finish()
    }
}

impl Receiver {
    /// The default path, `/webhook`.
    pub const DEFAULT_PATH: &'static str = "/webhook";

    /// The default body limit, 4 MiB. A notification of escaped text
    /// grows fast (six bytes per non-ASCII character, up to 1000 updates
    /// per batch); a 100 KB cap is known to have refused real Messenger
    /// payloads, which Meta then resent until it disabled the webhook.
    pub const DEFAULT_BODY_LIMIT: usize = 4 * 1024 * 1024;

    /// A receiver keyed with the app secret (for Instagram Login apps, the
    /// Instagram app secret) and the dashboard's verify token.
    pub fn new(app_secret: impl Into<AppSecret>, verify_token: impl Into<VerifyToken>) -> Receiver {
        Receiver {
            secret: app_secret.into(),
            verify_token: verify_token.into(),
            path: Receiver::DEFAULT_PATH.into(),
            body_limit: Receiver::DEFAULT_BODY_LIMIT,
        }
    }

    /// The path both methods answer on (a leading `/` is added when
    /// missing). Axum's path syntax applies: `{` and `}` are captures.
    pub fn path(mut self, path: impl Into<String>) -> Receiver {
        let path = path.into();
        self.path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        self
    }

    /// The largest body accepted, in bytes; keep it at 1 MiB or more.
    pub fn body_limit(mut self, bytes: usize) -> Receiver {
        self.body_limit = bytes;
        self
    }

    /// The router, calling `handler` with each verified notification after
    /// the 200 is answered. The handler returns `()` or a `Result` whose
    /// error is logged. The router has no state of its own, so it merges
    /// into an application's router of any state type.
    pub fn router<E, S, H, Fut>(self, handler: H) -> Router<S>
    where
        E: DeserializeOwned + Send + 'static,
        S: Clone + Send + Sync + 'static,
        H: Fn(E) -> Fut + Send + Sync + 'static,
        Fut: Future<Output: HandlerOutput> + Send + 'static,
    {
        let shared = Arc::new(Shared {
            secret: self.secret,
            verify_token: self.verify_token,
            path: self.path.clone(),
            handler,
        });
        let on_get = shared.clone();
        let methods = get(move |RawQuery(query): RawQuery| {
            let shared = on_get.clone();
            async move { shared.handshake(query.as_deref().unwrap_or("")) }
        })
        .post(move |headers: HeaderMap, body: Bytes| {
            let shared = shared.clone();
            async move { shared.notification::<E, Fut>(&headers, &body) }
        })
        .layer(DefaultBodyLimit::max(self.body_limit));
        Router::new().route(&self.path, methods)
    }
}

/// What a webhook handler returns: `()`, or a `Result` whose error is
/// logged.
pub trait HandlerOutput: Send + 'static {
    /// The failure to log, if any.
    fn failure(self) -> Option<String>;
}

impl HandlerOutput for () {
    fn failure(self) -> Option<String> {
        None
    }
}

impl<Err: fmt::Display + Send + 'static> HandlerOutput for Result<(), Err> {
    fn failure(self) -> Option<String> {
        self.err().map(|e| e.to_string())
    }
}

struct Shared<H> {
    secret: AppSecret,
    verify_token: VerifyToken,
    path: String,
    handler: H,
}

impl<H> Shared<H> {
    fn handshake(&self, query: &str) -> Response {
        match handshake(query, &self.verify_token) {
            Ok(challenge) => {
                tracing::info!(path = %self.path, "webhook handshake answered");
                let plain = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
                (StatusCode::OK, plain, challenge).into_response()
            }
            Err(e) => {
                tracing::warn!(path = %self.path, error = %e, "webhook handshake refused");
                refusal(&e)
            }
        }
    }

    /// Verifies and decodes, spawns the handler, and answers 200 without
    /// waiting for it.
    fn notification<E, Fut>(&self, headers: &HeaderMap, body: &[u8]) -> Response
    where
        E: DeserializeOwned + Send + 'static,
        H: Fn(E) -> Fut,
        Fut: Future<Output: HandlerOutput> + Send + 'static,
    {
        let event = match parse::<E>(&self.secret, headers, body) {
            Ok(event) => event,
            Err(e) => {
                // Loud: a verifier that refuses Meta's own requests gets
                // the webhook disabled within the hour.
                tracing::warn!(path = %self.path, error = %e, "webhook notification refused");
                return refusal(&e);
            }
        };
        let work = tokio::spawn((self.handler)(event));
        let path = self.path.clone();
        // A second task waits for the first, so that a panic is logged
        // through `tracing` like an error.
        tokio::spawn(async move {
            match work.await {
                Ok(output) => {
                    if let Some(failure) = output.failure() {
                        tracing::error!(path = %path, error = %failure, "webhook handler failed");
                    }
                }
                Err(e) if e.is_panic() => {
                    tracing::error!(path = %path, "webhook handler panicked");
                }
                // Cancelled: the runtime is shutting down.
                Err(_) => {}
            }
        });
        (StatusCode::OK, "EVENT_RECEIVED").into_response()
    }
}

fn refusal(e: &WebhookError) -> Response {
    StatusCode::from_u16(e.http_status())
        .unwrap_or(StatusCode::FORBIDDEN)
        .into_response()
}
