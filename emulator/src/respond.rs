//! Building HTTP answers: JSON with usage headers, Graph errors, injected
//! 5xx pages and malformed bodies.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

use crate::answers::Refusal;
use crate::graph::GraphError;
use crate::rate::{self, Usage};
use crate::state::Shared;

const JSON_UTF8: &str = "application/json; charset=UTF-8";
const BUC_USAGE: &str = "x-business-use-case-usage";
const APP_USAGE: &str = "x-app-usage";

fn json_bytes(v: &Value) -> Vec<u8> {
    // Serializing a Value cannot fail: its keys are strings.
    serde_json::to_vec(v).unwrap_or_default()
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST)
}

fn set_header(resp: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(HeaderName::from_static(name), v);
    }
}

/// A JSON answer; with pages, the usage headers too.
pub(crate) fn json_response(
    shared: &Shared,
    status: u16,
    body: &Value,
    pages: &[(String, Usage)],
) -> Response {
    let mut resp = Response::new(Body::from(json_bytes(body)));
    *resp.status_mut() = status_of(status);
    set_header(&mut resp, "content-type", JSON_UTF8);
    if !pages.is_empty() {
        let buc = rate::buc_header(
            pages.iter().map(|(p, u)| (p.as_str(), *u)),
            shared.platform.as_str(),
        );
        set_header(&mut resp, BUC_USAGE, &buc);
        let app = pages
            .iter()
            .map(|(_, u)| *u)
            .max_by_key(|u| (u.percent, u.regain_minutes))
            .unwrap_or_default();
        set_header(&mut resp, APP_USAGE, &rate::app_header(app));
    }
    resp
}

pub(crate) fn error_response(
    shared: &Shared,
    e: &GraphError,
    pages: &[(String, Usage)],
) -> Response {
    json_response(shared, e.status, &e.envelope(), pages)
}

/// An injected 5xx: Graph's transient error (the spec's
/// `ServiceUnavailable`), or a proxy's HTML page.
pub(crate) fn fault_response(shared: &Shared, status: u16, graph_error: bool) -> Response {
    let code = status_of(status);
    let mut resp = if graph_error {
        let mut envelope = shared
            .model
            .answers()
            .refuse(Refusal::Transient, &[])
            .envelope();
        if let Some(e) = envelope.get_mut("error").and_then(Value::as_object_mut) {
            e.insert("is_transient".into(), Value::Bool(true));
        }
        let mut r = Response::new(Body::from(json_bytes(&envelope)));
        set_header(&mut r, "content-type", JSON_UTF8);
        r
    } else {
        let reason = code.canonical_reason().unwrap_or("Server Error");
        let html = format!(
            "<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>\n"
        );
        let mut r = Response::new(Body::from(html));
        set_header(&mut r, "content-type", "text/html; charset=utf-8");
        r
    };
    *resp.status_mut() = code;
    resp
}

/// A 200 whose body is the first half of the real answer: a proper prefix
/// of a JSON object is never JSON.
pub(crate) async fn malformed(resp: Response, limit: usize) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, limit.max(1 << 20))
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    parts.status = StatusCode::OK;
    Response::from_parts(parts, Body::from(text[..cut].to_string()))
}

/// A body that runs a closure once it is dropped: after the server has
/// taken its last frame (or given up on the connection).
struct AfterBody {
    inner: Body,
    then: Option<Box<dyn FnOnce() + Send>>,
}

impl http_body::Body for AfterBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for AfterBody {
    fn drop(&mut self) {
        if let Some(then) = self.then.take() {
            then();
        }
    }
}

/// `resp` with `then` run once its body has been written.
pub(crate) fn after_body(resp: Response, then: impl FnOnce() + Send + 'static) -> Response {
    let (parts, inner) = resp.into_parts();
    let body = AfterBody {
        inner,
        then: Some(Box::new(then)),
    };
    Response::from_parts(parts, Body::new(body))
}
