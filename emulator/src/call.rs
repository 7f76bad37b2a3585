//! One Send API or upload call, on its own or as a batch operation:
//! token, proof, validation, rate class, answer and record.

use sendapi_spec::Violation;
use serde_json::{Map, Value};

use crate::answers::Refusal;
use crate::auth;
use crate::graph::{self, GraphError};
use crate::model::{ACCESS_TOKEN, APPSECRET_PROOF, Model};
use crate::params::{Decoded, FILEDATA};
use crate::rate::Usage;
use crate::record::RecordedRequest;
use crate::route::Endpoint;
use crate::state::Shared;
use crate::stats::Outcome;
use crate::webhook::Sent;

/// A call, parsed but not yet checked.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) endpoint: Endpoint,
    /// The page segment of the path: a numeric id or `me`.
    pub(crate) page: String,
    /// The path without the query, for the record.
    pub(crate) path: String,
    pub(crate) query: Map<String, Value>,
    pub(crate) body: Decoded,
    /// The token when neither the query nor the body has one: the
    /// `Authorization` header, or a batch's top-level token.
    pub(crate) fallback_token: Option<String>,
    /// A batch's top-level proof.
    pub(crate) fallback_proof: Option<String>,
    pub(crate) batch: bool,
}

/// What a call is answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// The page the usage is for.
    pub(crate) page: String,
    pub(crate) usage: Usage,
    /// Refused for the rate class (code 613), for the counters.
    pub(crate) rate_limited: bool,
    /// An accepted message, for its echo and delivery webhooks.
    pub(crate) sent: Option<Sent>,
}

impl Answer {
    fn outcome(&self) -> Outcome {
        match (self.status, self.rate_limited) {
            (200, _) => Outcome::Accepted,
            (_, true) => Outcome::RateLimited,
            _ => Outcome::Refused,
        }
    }
}

/// Removes a parameter and reads it as text.
fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key)? {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The page a call counts against: the id in the path, or for `me` a
/// stable id derived from the token (Graph resolves `me` to the token's
/// Page).
fn page_key(segment: &str, token: Option<&str>) -> String {
    match (segment, token) {
        ("me", Some(t)) => graph::derived_id("me", t),
        _ => segment.to_string(),
    }
}

fn is_page(segment: &str) -> bool {
    segment == "me" || (!segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()))
}

/// The Graph error for the first error-severity violation.
fn violation_error(model: &Model, v: &Violation) -> GraphError {
    let at = if v.pointer.is_empty() {
        "(body)"
    } else {
        &v.pointer
    };
    GraphError {
        status: 400,
        code: v.code,
        subcode: v.subcode,
        error_type: model.error_type(v.code, v.subcode).to_string(),
        message: format!("(#{}) {} [{} at {}]", v.code, v.text(), v.rule, at),
    }
}

/// Takes the token and the proof out of a call's query and body: the
/// query's first, then the body's, then the fallbacks (the header or the
/// batch's).
pub(crate) fn take_credentials(
    query: &mut Map<String, Value>,
    body: &mut Map<String, Value>,
    fallback_token: Option<String>,
    fallback_proof: Option<String>,
) -> (Option<String>, Option<String>) {
    let mut take = |key: &str, fallback: Option<String>| {
        let q = take_string(query, key);
        let b = take_string(body, key);
        q.or(b).or(fallback)
    };
    let token = take(ACCESS_TOKEN, fallback_token);
    let proof = take(APPSECRET_PROOF, fallback_proof);
    (token, proof)
}

/// What a call is checked with before it counts.
struct Checked<'a> {
    endpoint: Endpoint,
    page: &'a str,
    token: Option<&'a str>,
    proof: Option<&'a str>,
    body: &'a Value,
    with_file: bool,
}

/// The checks of a call, in Graph's order: token and proof, the page, then
/// the body against the rules.
fn check(shared: &Shared, c: Checked<'_>) -> Result<(), GraphError> {
    let model = &shared.model;
    let answers = model.answers();
    auth::check(
        shared.token.as_deref(),
        shared.app_secret.as_deref(),
        c.token,
        c.proof,
    )
    .map_err(|r| answers.refuse(r, &[]))?;
    if !is_page(c.page) {
        return Err(answers.refuse(Refusal::ObjectNotFound, &[("id", c.page)]));
    }
    let report = match c.endpoint {
        // Upload-and-send: the file part stands for the payload key the spec
        // gives it (`part`), so the payload has neither url nor attachment_id.
        Endpoint::Messages if c.with_file => Some(model.engine().validate_with_parts(
            c.body,
            shared.platform,
            &[FILEDATA],
        )),
        Endpoint::Messages => Some(model.engine().validate(c.body, shared.platform)),
        Endpoint::Attachments => model
            .upload_type()
            .and_then(|t| model.engine().validate_as(t, c.body, shared.platform)),
    };
    let Some(report) = report else {
        return Err(answers.invalid(format_args!(
            "the spec {} does not describe the Attachment Upload API",
            model.spec().name()
        )));
    };
    if let Some(v) = report.errors().next() {
        return Err(violation_error(model, v));
    }
    // A valid send may still come too late for the person's window.
    if c.endpoint == Endpoint::Messages
        && !shared
            .window
            .allows(model.spec(), c.body, shared.clock.epoch_ms())
    {
        return Err(answers.refuse(Refusal::OutsideWindow, &[]));
    }
    Ok(())
}

/// The message of an accepted send, to echo: its recipient's id, the
/// answered `message_id` and the `message` object.
fn sent(model: &Model, body: &Map<String, Value>, answer: &Value) -> Option<Sent> {
    let psid = match body.get(model.recipient_field()?)?.get("id")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let message = body.get("message").filter(|m| m.is_object())?;
    Some(Sent {
        psid,
        mid: answer.get("message_id")?.as_str()?.to_string(),
        metadata: message.get("metadata").cloned(),
        message: message.clone(),
    })
}

/// Handles one call completely, recording it when accepted, and counts it.
pub(crate) fn handle(shared: &Shared, call: Call) -> Answer {
    let answer = handle_uncounted(shared, call);
    shared.stats.call(answer.outcome());
    answer
}

fn handle_uncounted(shared: &Shared, call: Call) -> Answer {
    let Call {
        endpoint,
        page,
        path,
        mut query,
        body,
        fallback_token,
        fallback_proof,
        batch,
    } = call;
    let Decoded {
        map: mut body,
        filedata,
    } = body;
    let model = &shared.model;

    let (token, proof) = take_credentials(&mut query, &mut body, fallback_token, fallback_proof);
    for (k, v) in query {
        body.entry(k).or_insert(v);
    }
    model.strip_transport(&mut body);
    let page_id = page_key(&page, token.as_deref());
    let body = Value::Object(body);

    let class = match endpoint {
        Endpoint::Messages => model.rate_class(&body),
        Endpoint::Attachments => model.default_class(),
    };
    let refuse = |e: GraphError| {
        let usage = class
            .map(|c| shared.rate.peek(&page_id, c))
            .unwrap_or_default();
        tracing::debug!(code = e.code, message = %e.message, "refused {path}");
        Answer {
            status: e.status,
            body: e.envelope(),
            page: page_id.clone(),
            usage,
            rate_limited: false,
            sent: None,
        }
    };

    let checked = Checked {
        endpoint,
        page: &page,
        token: token.as_deref(),
        proof: proof.as_deref(),
        body: &body,
        with_file: filedata.is_some(),
    };
    if let Err(e) = check(shared, checked) {
        return refuse(e);
    }

    // Only Send API calls count against the Send API's rate classes; an
    // upload is not a send.
    let answers = model.answers();
    let usage = match (endpoint, class) {
        (Endpoint::Messages, Some(c)) => match shared.rate.admit(&page_id, c) {
            Ok(u) => u,
            Err(u) => {
                let mut a = refuse(answers.refuse(Refusal::RateLimited, &[]));
                a.usage = u;
                a.rate_limited = true;
                return a;
            }
        },
        (_, Some(c)) => shared.rate.peek(&page_id, c),
        (_, None) => Usage::default(),
    };

    let Value::Object(map) = &body else {
        // `body` was built from a map above.
        return refuse(answers.invalid("the body must be a JSON object"));
    };
    let (answer, sent) = match endpoint {
        Endpoint::Messages => {
            let answer = model.send_answer(map);
            let sent = sent(model, map, &answer);
            (answer, sent)
        }
        Endpoint::Attachments => (model.upload_answer(), None),
    };
    tracing::debug!(page = %page_id, "accepted {path}");
    shared.log.push(RecordedRequest {
        page_id: page_id.clone(),
        path,
        endpoint: endpoint.as_str().to_string(),
        body,
        filedata,
        response: answer.clone(),
        batch,
    });
    Answer {
        status: 200,
        body: answer,
        page: page_id,
        usage,
        rate_limited: false,
        sent,
    }
}
