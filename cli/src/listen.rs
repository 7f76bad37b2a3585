//! `sendapi listen`: a webhook receiver for development, like `stripe
//! listen`. It answers Meta's GET handshake, refuses every POST whose
//! `X-Hub-Signature-256` does not verify over the raw bytes, prints one JSON
//! line per verified event, and can pass each verified POST on to a local bot
//! unchanged.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sendapi_spec::Webhooks;
use serde_json::{Value, json};

use crate::signals::Signals;

/// The largest POST accepted: Meta's escaped bodies run past 1 MiB (an
/// escaped character takes six bytes, and a POST may batch many events).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The headers a forwarded POST keeps, so that the bot verifies it as if it
/// came from Meta.
const FORWARDED_HEADERS: [&str; 3] = ["content-type", "x-hub-signature-256", "x-hub-signature"];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port, printed when ready.
    #[arg(long, value_name = "IP:PORT")]
    addr: SocketAddr,
    /// The path Meta calls (the callback URL's path).
    #[arg(long, default_value = "/webhook", value_name = "PATH")]
    path: String,
    /// The verify token of the GET handshake; without it every handshake is
    /// refused.
    #[arg(long, value_name = "T")]
    verify_token: Option<String>,
    /// Also pass each verified POST, bytes and signature unchanged, to this
    /// URL (a bot on this machine).
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,
    /// Snapshot whose webhook events name each event's kind: a bundled name
    /// or the path of a spec file or delta.
    #[arg(long, default_value = "latest", value_name = "NAME|PATH")]
    spec: String,
}

/// What every request handler shares.
struct Listener {
    secret: sendapi::AppSecret,
    verify_token: Option<sendapi::webhook::VerifyToken>,
    webhooks: Option<Webhooks>,
    forward: Option<(reqwest::Client, String)>,
}

pub fn run(args: &Args) -> u8 {
    let Some(secret) = std::env::var_os("SENDAPI_APP_SECRET") else {
        eprintln!(
            "sendapi listen: set SENDAPI_APP_SECRET to the app secret that signs the webhooks"
        );
        return 2;
    };
    let Some(secret) = secret.to_str().map(sendapi::AppSecret::new) else {
        eprintln!("sendapi listen: SENDAPI_APP_SECRET is not valid UTF-8");
        return 2;
    };
    if !args.path.starts_with('/') {
        eprintln!(
            "sendapi listen: --path must start with `/`, found `{}`",
            args.path
        );
        return 2;
    }
    let webhooks = match crate::validate::compiled_for(&args.spec) {
        Ok(compiled) => compiled.spec().webhooks().cloned(),
        Err(code) => return code,
    };
    let forward = match &args.forward_to {
        Some(url) => match reqwest::Url::parse(url) {
            Ok(_) => Some((reqwest::Client::new(), url.clone())),
            Err(e) => {
                eprintln!("sendapi listen: --forward-to `{url}` is not a URL: {e}");
                return 2;
            }
        },
        None => None,
    };
    let listener = Arc::new(Listener {
        secret,
        verify_token: args
            .verify_token
            .clone()
            .map(sendapi::webhook::VerifyToken::new),
        webhooks,
        forward,
    });
    match crate::runtime(tokio::runtime::Builder::new_multi_thread()) {
        Ok(runtime) => runtime.block_on(serve(args, listener)),
        Err(code) => code,
    }
}

async fn serve(args: &Args, listener: Arc<Listener>) -> u8 {
    // Signal handlers go in before the ready line (see `emulate`).
    let mut signals = match Signals::new() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sendapi: cannot listen for signals: {e}");
            return 1;
        }
    };
    let socket = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sendapi listen: cannot bind {}: {e}", args.addr);
            return 2;
        }
    };
    let addr = socket.local_addr().unwrap_or(args.addr);
    let app = axum::Router::new()
        .route(&args.path, get(handshake).post(notification))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(listener);
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }
    let shutdown = async move {
        if let Err(e) = signals.wait().await {
            eprintln!("sendapi: waiting for a signal failed: {e}");
        }
    };
    match axum::serve(socket, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sendapi listen: {e}");
            1
        }
    }
}

/// Meta's GET handshake: the challenge echoed byte for byte when the mode
/// and token are right, else 403.
async fn handshake(State(listener): State<Arc<Listener>>, RawQuery(query): RawQuery) -> Response {
    let Some(expected) = &listener.verify_token else {
        eprintln!("sendapi listen: refused a handshake: no --verify-token was given");
        return StatusCode::FORBIDDEN.into_response();
    };
    match sendapi::webhook::handshake(query.as_deref().unwrap_or_default(), expected) {
        Ok(challenge) => (StatusCode::OK, challenge).into_response(),
        Err(e) => {
            eprintln!("sendapi listen: refused a handshake: {e}");
            let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::FORBIDDEN);
            status.into_response()
        }
    }
}

/// A POST: verified over the raw bytes before anything is read from it.
async fn notification(
    State(listener): State<Arc<Listener>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if sendapi::webhook::verify_headers(&listener.secret, &headers, &body).is_err() {
        // Nothing is printed for a forged or broken POST: only verified
        // events reach the output.
        return StatusCode::FORBIDDEN.into_response();
    }
    let notification: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("sendapi listen: a verified POST is not JSON: {e}");
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    print_events(&notification, listener.webhooks.as_ref());
    if let Some((client, url)) = &listener.forward {
        forward(client.clone(), url.clone(), &headers, body);
    }
    StatusCode::OK.into_response()
}

/// One JSON line per `messaging[]` and `standby[]` item, flushed at once.
fn print_events(notification: &Value, webhooks: Option<&Webhooks>) {
    let mut out = std::io::stdout().lock();
    for line in event_lines(notification, webhooks) {
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
}

/// The lines `listen` prints for a notification (see [`print_events`]).
pub fn event_lines(notification: &Value, webhooks: Option<&Webhooks>) -> Vec<Value> {
    let (messaging, standby) = webhooks.map_or(("messaging", "standby"), |w| {
        (w.messaging.get_ref().as_str(), w.standby.get_ref().as_str())
    });
    let object = notification.get("object").cloned().unwrap_or(Value::Null);
    let entries = notification.get("entry").and_then(Value::as_array);
    let mut lines = Vec::new();
    for entry in entries.into_iter().flatten() {
        let page_id = entry.get("id").map_or(Value::Null, id_string);
        for (list, is_standby) in [(messaging, false), (standby, true)] {
            let items = entry.get(list).and_then(Value::as_array);
            for item in items.into_iter().flatten() {
                let kind = webhooks.map_or(sendapi_spec::EventKind::Other, |w| w.kind_of(item));
                lines.push(json!({
                    "object": object,
                    "page_id": page_id,
                    "kind": kind.as_str(),
                    "standby": is_standby,
                    "sender": party(item, "sender"),
                    "recipient": party(item, "recipient"),
                    "timestamp": item.get("timestamp").cloned().unwrap_or(Value::Null),
                    "event": item,
                }));
            }
        }
    }
    lines
}

/// The id of `sender` or `recipient` as a string, or null (no party, or a
/// party known only by `user_ref`).
fn party(item: &Value, key: &str) -> Value {
    item.get(key)
        .and_then(|p| p.get("id"))
        .map_or(Value::Null, id_string)
}

/// Ids arrive as strings or, in some samples, as numbers.
fn id_string(id: &Value) -> Value {
    match id {
        Value::String(_) => id.clone(),
        Value::Number(n) => Value::String(n.to_string()),
        _ => Value::Null,
    }
}

/// Passes a verified POST on, bytes and signature unchanged, after Meta's
/// answer: a slow bot must not delay the 200.
fn forward(client: reqwest::Client, url: String, headers: &HeaderMap, body: Bytes) {
    let mut request = client.post(&url).body(body);
    for name in FORWARDED_HEADERS {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.as_bytes());
        }
    }
    tokio::spawn(async move {
        match request.send().await {
            Ok(answer) if answer.status().is_success() => {}
            Ok(answer) => eprintln!(
                "sendapi listen: {url} answered {} to a forwarded POST",
                answer.status()
            ),
            Err(e) => eprintln!("sendapi listen: forwarding to {url} failed: {e}"),
        }
    });
}
