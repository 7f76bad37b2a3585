//! Graph's batch endpoint: many sends in one call, one result each.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::body::Payload;
use super::decode::{decode, graph_error};
use super::exchange::{Answer, Limit};
use super::{Client, Response};
use crate::error::Error;
use crate::{ErrorCode, RateClass, Request, Usage};

/// The result of each request of a batch, in order; `None` until known.
type Results<T> = Vec<Option<Result<Response<T>, Error>>>;

impl Client {
    /// Sends requests through Graph's batch endpoint, at most the snapshot's
    /// batch limit per call (`Request::BATCH_LIMIT`, split beyond that; all
    /// in one call when the snapshot states no limit). Each request gets its own result, in order; an
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
    ///
    /// [`RateLimitMode::Fail`]: crate::RateLimitMode::Fail
    pub async fn send_batch<R: Request>(
        &self,
        requests: &[R],
    ) -> Result<Vec<Result<Response<R::Response>, Error>>, Error> {
        let (mut results, pending) = validated(requests);
        // Whether some batch call was answered: from then on, an error of
        // the whole batch would hide results of items that were processed.
        let mut answered = false;
        let per_call = R::BATCH_LIMIT.unwrap_or(pending.len()).max(1);
        for chunk in pending.chunks(per_call) {
            let (items, sent) = self.batch_items(requests, chunk, &mut results).await;
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

    /// The operations of one batch call, for the requests at `chunk`, and
    /// the indices of those that go in it: a request its rate class refuses
    /// (`RateLimitMode::Fail`) gets that error as its result instead.
    async fn batch_items<R: Request>(
        &self,
        requests: &[R],
        chunk: &[usize],
        results: &mut Results<R::Response>,
    ) -> (Vec<Value>, Vec<usize>) {
        let mut items = Vec::with_capacity(chunk.len());
        let mut sent = Vec::with_capacity(chunk.len());
        for &i in chunk {
            if let Some(l) = &self.inner.limiter
                && let Err(e) = l
                    .acquire(&self.inner.page_id, requests[i].rate_class())
                    .await
            {
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
        (items, sent)
    }

    /// One Graph batch call of at most the batch limit: the answer's parts,
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
                Limit::Never,
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
}

/// The results of the invalid requests, which are never sent, and the
/// indices of the valid ones.
fn validated<R: Request>(requests: &[R]) -> (Results<R::Response>, Vec<usize>) {
    let mut results: Results<R::Response> = (0..requests.len()).map(|_| None).collect();
    let mut pending = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        match r.validate() {
            Err(e) => results[i] = Some(Err(Error::Invalid(e))),
            Ok(()) => pending.push(i),
        }
    }
    (results, pending)
}

/// One item of a batch answer, decoded like an answer of its own.
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
        Error::RateBudget { message } => Error::RateBudget {
            message: message.clone(),
        },
        Error::Config(m) => Error::Config(m.clone()),
        Error::Webhook(w) => Error::Webhook(w.clone()),
    }
}
