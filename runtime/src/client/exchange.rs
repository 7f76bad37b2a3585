//! One HTTP exchange, and the retry loop around it: a failure is retried
//! only when it proves Meta did not process the call.

use super::Client;
use super::body::Payload;
use super::decode::graph_error;
use crate::error::{Delivery, Error};
use crate::{ErrorCode, RateClass, RetryClass, Usage};

/// Which attempts of an exchange ask the rate budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    /// Every attempt.
    Every,
    /// Retries only: the caller holds a permit for the first attempt.
    AfterFirst,
    /// None (a batch call, whose items were counted one by one).
    Never,
}

/// One answer before decoding.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) usage: Usage,
    pub(super) body: bytes::Bytes,
}

impl Client {
    /// One call with retries; returns the final answer (any status) and
    /// the number of attempts. Each attempt counts against `class` as
    /// `limit` says; `table` classifies error answers.
    pub(super) async fn exchange(
        &self,
        url: &reqwest::Url,
        payload: &Payload,
        class: &'static RateClass,
        table: &'static [ErrorCode],
        limit: Limit,
    ) -> Result<(Answer, u32), Error> {
        let policy = &self.inner.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let counted = match limit {
                Limit::Every => true,
                Limit::AfterFirst => attempt > 1,
                Limit::Never => false,
            };
            if counted && let Some(l) = &self.inner.limiter {
                l.acquire(&self.inner.page_id, class).await?;
            }
            let outcome = self.answer(self.post(url, payload)?).await;
            match retry_after(&outcome, table) {
                Some(regain) if attempt < policy.max_attempts => {
                    let wait = policy.delay(attempt, regain);
                    tracing::debug!(attempt, ?wait, "retrying a call Meta did not process");
                    tokio::time::sleep(wait).await;
                }
                _ => return outcome.map(|a| (a, attempt)),
            }
        }
    }

    /// The POST of one attempt.
    fn post(
        &self,
        url: &reqwest::Url,
        payload: &Payload,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let builder = self.inner.http.post(url.clone());
        Ok(match payload {
            Payload::Json(v) => builder.json(v),
            Payload::JsonBytes(b) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.clone()),
            #[cfg(feature = "upload")]
            Payload::Multipart(make) => match make() {
                Some(form) => builder.multipart(form),
                None => {
                    return Err(Error::Transport {
                        message: "the upload stream was already used; a stream is sent once and cannot be retried".into(),
                        delivery: Delivery::NotDelivered,
                    });
                }
            },
        })
    }

    /// Sends one attempt and reads its answer, secrets blanked out.
    async fn answer(&self, request: reqwest::RequestBuilder) -> Result<Answer, Error> {
        let resp = request.send().await.map_err(transport)?;
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
}

/// `Some` when the outcome proves the call was not processed, so it may be
/// retried; inside, the wait Graph's usage headers ask for, in minutes.
fn retry_after(
    outcome: &Result<Answer, Error>,
    table: &'static [ErrorCode],
) -> Option<Option<u32>> {
    match outcome {
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
            delivery: Delivery::NotDelivered,
            ..
        }) => Some(None),
        Err(_) => None,
    }
}

fn transport(e: reqwest::Error) -> Error {
    // Only a failure to connect proves nothing left; a timeout or a broken
    // connection may come after Meta processed the body.
    let delivery = if e.is_connect() || e.is_builder() {
        Delivery::NotDelivered
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
