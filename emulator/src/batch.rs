//! Graph batch requests: `batch` = a JSON array of operations, each
//! answered like a call of its own.

use serde_json::{Map, Value, json};

use crate::answers::Refusal;
use crate::call::{self, Call, take_credentials};
use crate::graph::GraphError;
use crate::params::{Decoded, decode_form, decode_json, decode_query};
use crate::rate::Usage;
use crate::route::{Route, route};
use crate::state::Shared;
use crate::stats::Outcome;
use crate::webhook::Sent;

/// The answer of a batch: the array, and the usage of each page it touched.
#[derive(Debug)]
pub(crate) struct BatchAnswer {
    pub(crate) body: Value,
    pub(crate) pages: Vec<(String, Usage)>,
    /// The accepted messages, for their echo and delivery webhooks.
    pub(crate) sent: Vec<Sent>,
}

/// Handles a batch call. `Err` is an error of the batch as a whole (no
/// `batch` parameter, not an array, more operations than the snapshot's
/// `batch_limit`);
/// errors of one operation are answered in its slot.
pub(crate) fn handle(
    shared: &Shared,
    mut query: Map<String, Value>,
    body: Decoded,
    bearer: Option<String>,
) -> Result<BatchAnswer, GraphError> {
    let mut top = body.map;
    let (token, proof) = take_credentials(&mut query, &mut top, bearer, None);
    let answers = shared.model.answers();
    let batch = top
        .remove("batch")
        .or_else(|| query.remove("batch"))
        .ok_or_else(|| answers.invalid("The parameter batch is required"))?;
    let not_array = || answers.invalid("The parameter batch must be a JSON array of operations");
    let items = match batch {
        Value::Array(items) => items,
        // A JSON body may carry the array as a JSON text, like a form does.
        Value::String(text) => {
            let wrapped = format!("{{\"batch\":{text}}}");
            let mut decoded = decode_json(wrapped.as_bytes()).map_err(|e| answers.invalid(e))?;
            match decoded.remove("batch") {
                Some(Value::Array(items)) => items,
                _ => return Err(not_array()),
            }
        }
        _ => return Err(not_array()),
    };
    let limit = shared.model.spec().file().snapshot.batch_limit.as_ref();
    if let Some(max) = limit.map(|m| *m.get_ref())
        && u32::try_from(items.len()).map_or(true, |n| n > max)
    {
        let max = max.to_string();
        return Err(answers.refuse(Refusal::BatchTooLarge, &[("max", &max)]));
    }
    let mut out = Vec::with_capacity(items.len());
    let mut pages: Vec<(String, Usage)> = Vec::new();
    let mut sent = Vec::new();
    for item in items {
        let (status, answer, usage) = match operation(shared, item, &token, &proof) {
            Ok(a) => {
                sent.extend(a.sent);
                (a.status, a.body, Some((a.page, a.usage)))
            }
            Err(e) => {
                // An operation that never became a call still counts as one.
                shared.stats.call(Outcome::Refused);
                (e.status, e.envelope(), None)
            }
        };
        if let Some((page, u)) = usage {
            match pages.iter_mut().find(|(p, _)| *p == page) {
                Some(slot) => slot.1 = u,
                None => pages.push((page, u)),
            }
        }
        out.push(json!({
            "code": status,
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "body": answer.to_string(),
        }));
    }
    Ok(BatchAnswer {
        body: Value::Array(out),
        pages,
        sent,
    })
}

/// One operation: `{method, relative_url, body?, name?}`. `body` is a form
/// text whose values are JSON texts (a JSON object is taken too); the
/// operation's own `access_token` and `appsecret_proof`, in its
/// `relative_url` query or its body, win over the batch's.
fn operation(
    shared: &Shared,
    item: Value,
    token: &Option<String>,
    proof: &Option<String>,
) -> Result<call::Answer, GraphError> {
    let answers = shared.model.answers();
    let Value::Object(mut op) = item else {
        return Err(
            answers.invalid("each batch operation must be an object with method and relative_url")
        );
    };
    let method = op
        .get("method")
        .and_then(Value::as_str)
        .ok_or_else(|| answers.invalid("a batch operation needs a method"))?
        .to_ascii_uppercase();
    let relative_url = op
        .get("relative_url")
        .and_then(Value::as_str)
        .ok_or_else(|| answers.invalid("a batch operation needs a relative_url"))?
        .to_string();
    let (path, query) = match relative_url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (relative_url.as_str(), None),
    };
    let path = format!("/{}", path.trim_start_matches('/'));
    let (endpoint, page) = match route(&method, &path) {
        Route::Call { endpoint, page } => (endpoint, page),
        Route::Batch => {
            return Err(answers.invalid("a batch operation cannot itself be a batch"));
        }
        Route::Unknown => return Err(answers.unknown_path(&method, &path)),
    };
    let query = decode_query(query).map_err(|e| answers.invalid(e))?;
    let body = match op.remove("body") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::String(s)) => decode_form(s.as_bytes()).map_err(|e| answers.invalid(e))?,
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(
                answers.invalid("the body of a batch operation must be a form-encoded string")
            );
        }
    };
    Ok(call::handle(
        shared,
        Call {
            endpoint,
            page,
            path,
            query,
            body: Decoded {
                map: body,
                filedata: None,
            },
            fallback_token: token.clone(),
            fallback_proof: proof.clone(),
            batch: true,
        },
    ))
}
