//! `POST /__emulator/users/{psid}/{messages|postbacks|reactions|reads}`:
//! an emulated person acts, and the bot gets the webhook Meta would send.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use sendapi_spec::{EventKind, Platform};
use serde_json::{Map, Value, json};

use crate::graph::{self, GraphError};
use crate::respond::{error_response, json_response};
use crate::state::Shared;

/// The event of a control route, and whether its answer names a `mid`.
fn kind_of(action: &str) -> Option<(EventKind, bool)> {
    match action {
        "messages" => Some((EventKind::Message, true)),
        "postbacks" => Some((EventKind::Postback, true)),
        "reactions" => Some((EventKind::Reaction, false)),
        "reads" => Some((EventKind::Read, false)),
        _ => None,
    }
}

/// The event's payload from the request body: the body as given (so that
/// tests can add fields Meta sends, such as `reply_to`), with what the
/// emulator fills in.
fn payload(
    shared: &Shared,
    kind: EventKind,
    mut body: Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    let mid = |body: &mut Map<String, Value>| {
        body.entry("mid")
            .or_insert_with(|| Value::String(graph::message_id()));
    };
    match kind {
        EventKind::Message => {
            if !body.contains_key("text") && !body.contains_key("attachments") {
                return Err("a message needs \"text\" or \"attachments\"".into());
            }
            mid(&mut body);
        }
        EventKind::Postback => mid(&mut body),
        EventKind::Reaction => {
            if !body.get("mid").is_some_and(Value::is_string) {
                return Err("a reaction needs the \"mid\" of the message reacted to".into());
            }
            body.entry("action").or_insert_with(|| json!("react"));
        }
        // Messenger reads carry a watermark; Instagram's name the `mid`.
        EventKind::Read if shared.webhooks.platform() != Platform::Instagram => {
            body.entry("watermark")
                .or_insert_with(|| Value::from(shared.clock.epoch_ms()));
        }
        _ => {}
    }
    Ok(body)
}

fn refuse(shared: &Shared, detail: String) -> Response {
    let e: GraphError = shared.model.answers().invalid(detail);
    error_response(shared, &e, &[])
}

/// The person `psid` acts: the event is built, opens the window when the
/// spec says it does, and is queued for the webhook. Returns the `mid` of
/// the event when it has one, or why the action cannot be played.
pub(crate) fn perform(
    shared: &Shared,
    psid: &str,
    kind: EventKind,
    body: Map<String, Value>,
) -> Result<Option<String>, String> {
    let payload = payload(shared, kind, body)?;
    let mid = payload
        .get("mid")
        .and_then(Value::as_str)
        .map(str::to_string);
    let Some(item) = shared.webhooks.item(kind, psid, Value::Object(payload)) else {
        let spec = shared.model.spec().name();
        return Err(format!(
            "the spec {spec} has no webhook event of kind {kind} for this platform"
        ));
    };
    let spec = shared.model.spec();
    if spec
        .webhooks()
        .is_some_and(|w| w.opens_window(&item.to_value()))
    {
        shared.window.opened(psid, shared.clock.epoch_ms());
    }
    shared.webhooks.deliver(item);
    Ok(mid)
}

/// `POST /__emulator/users/{psid}/{action}`: [`perform`] over HTTP.
pub(crate) async fn act(
    State(shared): State<Arc<Shared>>,
    Path((psid, action)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let Some((kind, answers_mid)) = kind_of(&action) else {
        let path = format!("/__emulator/users/{psid}/{action}");
        let e = shared.model.answers().unknown_path("POST", &path);
        return error_response(&shared, &e, &[]);
    };
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Object(Map::new()))
    } else {
        serde_json::from_slice::<Value>(&body)
    };
    let Ok(Value::Object(body)) = body else {
        return refuse(&shared, format!("{action}: the body must be a JSON object"));
    };
    match perform(&shared, &psid, kind, body) {
        Ok(Some(mid)) if answers_mid => json_response(&shared, 200, &json!({ "mid": mid }), &[]),
        Ok(_) => json_response(&shared, 200, &json!({}), &[]),
        Err(e) => refuse(&shared, format!("{action}: {e}")),
    }
}
