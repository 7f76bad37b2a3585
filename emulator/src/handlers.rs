//! The router and its handlers: the API (Send API, uploads, batches), the
//! `/__emulator/...` control routes, and the catch-all.

use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use crate::answers::Refusal;
use crate::auth;
use crate::batch;
use crate::call::{self, Call};
use crate::faults::{Fault, Faults};
use crate::listen::Conn;
use crate::params::{self, Decoded, Unreadable};
use crate::record::RecordedRequest;
use crate::respond::after_body;
use crate::respond::{error_response, fault_response, json_response, malformed};
use crate::route::{Route, route};
use crate::state::{InFlight, Shared};
use crate::stats::Outcome;
use crate::users;
use crate::webhook::Sent;

/// The emulator's routes; see the [crate] documentation.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let limit = shared.max_body;
    Router::new()
        .route(
            "/__emulator/messages",
            get(list_messages).delete(clear_messages),
        )
        .route("/__emulator/faults", get(get_faults).post(post_faults))
        .route("/__emulator/stats", get(get_stats))
        .route("/__emulator/clock", get(get_clock).post(post_clock))
        .route("/__emulator/users/{psid}/{action}", post(users::act))
        .fallback(api)
        .method_not_allowed_fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared)
}

/// A wrong method on a control route.
async fn not_found(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    unknown(&shared, &method, &uri)
}

/// The catch-all's answer: 404, without usage headers.
fn unknown(shared: &Shared, method: &Method, uri: &Uri) -> Response {
    let e = shared
        .model
        .answers()
        .unknown_path(method.as_str(), uri.path());
    error_response(shared, &e, &[])
}

async fn list_messages(State(shared): State<Arc<Shared>>) -> Response {
    let all: Vec<RecordedRequest> = shared.log.all();
    let body = serde_json::to_value(all).unwrap_or(Value::Array(Vec::new()));
    json_response(&shared, 200, &body, &[])
}

async fn clear_messages(State(shared): State<Arc<Shared>>) -> Response {
    shared.log.clear();
    shared.stats.reset();
    json_response(&shared, 200, &serde_json::json!({"success": true}), &[])
}

async fn get_stats(State(shared): State<Arc<Shared>>) -> Response {
    let body = serde_json::to_value(shared.stats.get()).unwrap_or(Value::Null);
    json_response(&shared, 200, &body, &[])
}

async fn get_clock(State(shared): State<Arc<Shared>>) -> Response {
    let body = serde_json::json!({ "time": shared.clock.epoch_ms() });
    json_response(&shared, 200, &body, &[])
}

/// `{"advance_seconds": N}`: moves the emulator's time forward, answers the
/// new time (epoch milliseconds).
async fn post_clock(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let seconds = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("advance_seconds").and_then(Value::as_u64));
    let Some(seconds) = seconds else {
        let e = shared.model.answers().invalid(
            "clock: expected {\"advance_seconds\": N} with N a whole number of seconds, 0 or more",
        );
        return error_response(&shared, &e, &[]);
    };
    shared
        .clock
        .advance(std::time::Duration::from_secs(seconds));
    get_clock(State(shared)).await
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Response {
    let body = serde_json::to_value(shared.faults.get()).unwrap_or(Value::Null);
    json_response(&shared, 200, &body, &[])
}

async fn post_faults(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let text = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &body[..]
    };
    let faults: Faults = match serde_json::from_slice(text) {
        Ok(f) => f,
        Err(e) => {
            let e = shared.model.answers().invalid(format_args!(
                "faults: {e}; expected {{\"latency_ms\": N, \"status_5xx\": {{\"status\": 500|502|503, \"count\": N}}, \"drop_connections\": N, \"rate_limited\": N, \"malformed_bodies\": N}}"
            ));
            return error_response(&shared, &e, &[]);
        }
    };
    if let Err(e) = shared.faults.set(faults) {
        let e = shared.model.answers().invalid(e);
        return error_response(&shared, &e, &[]);
    }
    get_faults(State(shared)).await
}

/// Every request that is not `/__emulator/...`: the Send API, uploads,
/// batches, and the catch-all.
async fn api(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    req: Request,
) -> Response {
    let path = req.uri().path().to_string();
    let route = route(req.method().as_str(), &path);
    if route == Route::Unknown {
        // The control routes' own mistakes are not API calls.
        if !path.starts_with("/__emulator/") {
            shared.stats.call(Outcome::Refused);
        }
        return unknown(&shared, req.method(), req.uri());
    }
    let _guard = InFlight::enter(&shared.in_flight);
    let (latency, fault) = shared.faults.take();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let query = params::decode_query(req.uri().query());
    let bearer = bearer(&req);
    // The whole request is read before any fault, so that a dropped
    // connection or a 5xx comes after the body left the client.
    let body = params::read_body(req, shared.max_body).await;

    match fault {
        Some(Fault::Drop | Fault::Status { .. }) => shared.stats.call(Outcome::Refused),
        Some(Fault::RateLimited) => shared.stats.call(Outcome::RateLimited),
        Some(Fault::Malformed) | None => {}
    }
    match fault {
        Some(Fault::Drop) => {
            conn.kill();
            tracing::debug!("dropping the connection of {path}");
            // Never written: the connection fails on the first write.
            return StatusCode::OK.into_response();
        }
        Some(Fault::Status {
            status,
            graph_error,
        }) => return fault_response(&shared, status, graph_error),
        Some(Fault::RateLimited) => {
            let e = shared.model.answers().refuse(Refusal::RateLimited, &[]);
            return error_response(&shared, &e, &[]);
        }
        Some(Fault::Malformed) | None => {}
    }

    let (resp, sent) = answer(&shared, route, path, query, body, bearer);
    let resp = if fault == Some(Fault::Malformed) {
        malformed(resp, shared.max_body).await
    } else {
        resp
    };
    if sent.is_empty() || !shared.webhooks.wants_sends() {
        return resp;
    }
    // Echoes and delivery events leave once the answer has been written,
    // never before and never holding it up.
    let shared = Arc::clone(&shared);
    after_body(resp, move || shared.webhooks.after_sends(&sent))
}

/// The `Authorization: Bearer` token of a request.
fn bearer(req: &Request) -> Option<String> {
    req.headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::bearer)
}

/// What [`api`] answers, without a connection, faults or webhooks: the
/// readers, the routing and the checks, for the fuzz targets.
#[cfg(feature = "fuzzing")]
pub(crate) async fn answer_in_process(shared: &Shared, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let route = route(req.method().as_str(), &path);
    if route == Route::Unknown {
        return unknown(shared, req.method(), req.uri());
    }
    let query = params::decode_query(req.uri().query());
    let bearer = bearer(&req);
    let body = params::read_body(req, shared.max_body).await;
    answer(shared, route, path, query, body, bearer).0
}

/// The answer to a routed API request, and the messages it sent.
fn answer(
    shared: &Shared,
    route: Route,
    path: String,
    query: Result<serde_json::Map<String, Value>, Unreadable>,
    body: Result<Decoded, Unreadable>,
    bearer: Option<String>,
) -> (Response, Vec<Sent>) {
    let answers = shared.model.answers();
    let query = query.map_err(|e| answers.invalid(e));
    let body = body.map_err(|e| answers.invalid(e));
    match route {
        Route::Call { endpoint, page } => {
            let (query, body) = match (query, body) {
                (Ok(q), Ok(b)) => (q, b),
                (Err(e), _) | (_, Err(e)) => {
                    // The request cannot even be read: show the page's
                    // usage of the default class.
                    let usage = shared
                        .model
                        .default_class()
                        .map(|c| shared.rate.peek(&page, c))
                        .unwrap_or_default();
                    shared.stats.call(Outcome::Refused);
                    return (error_response(shared, &e, &[(page, usage)]), Vec::new());
                }
            };
            let a = call::handle(
                shared,
                Call {
                    endpoint,
                    page,
                    path,
                    query,
                    body,
                    fallback_token: bearer,
                    fallback_proof: None,
                    batch: false,
                },
            );
            let resp = json_response(shared, a.status, &a.body, &[(a.page, a.usage)]);
            (resp, a.sent.into_iter().collect())
        }
        Route::Batch => {
            let result = query
                .and_then(|q| Ok((q, body?)))
                .and_then(|(q, b)| batch::handle(shared, q, b, bearer));
            match result {
                Ok(b) => (json_response(shared, 200, &b.body, &b.pages), b.sent),
                Err(e) => {
                    shared.stats.call(Outcome::Refused);
                    (error_response(shared, &e, &[]), Vec::new())
                }
            }
        }
        Route::Unknown => {
            // Not reached: `api` answers unknown routes before reading.
            let e = answers.unknown_path("POST", &path);
            (error_response(shared, &e, &[]), Vec::new())
        }
    }
}
