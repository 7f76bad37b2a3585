//! The HTTP server: routes, faults, the listener, start and shutdown.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::{IncomingStream, Listener};
use sendapi_spec::Platform;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::answers::Refusal;
use crate::auth;
use crate::batch;
use crate::call::{self, Call, Endpoint};
use crate::config::EmulatorConfig;
use crate::error::Error;
use crate::faults::{Fault, FaultState, Faults};
use crate::graph::GraphError;
use crate::model::Model;
use crate::params::{self, Decoded, Unreadable};
use crate::rate::{self, RateLimiter, Usage};
use crate::record::{Log, RecordedRequest};

/// State shared by every request.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) model: Model,
    pub(crate) platform: Platform,
    pub(crate) token: Option<String>,
    pub(crate) app_secret: Option<String>,
    pub(crate) rate: RateLimiter,
    pub(crate) faults: FaultState,
    pub(crate) log: Log,
    pub(crate) max_body: usize,
    pub(crate) in_flight: AtomicUsize,
}

// --- routing ---------------------------------------------------------------

/// What a method and path ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Call { endpoint: Endpoint, page: String },
    Batch,
    Unknown,
}

/// `v` then digits, a dot, digits: `v26.0`.
fn is_version(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    s.strip_prefix('v')
        .and_then(|r| r.split_once('.'))
        .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// Routes an API request (not `/__emulator/...`).
pub(crate) fn route(method: &str, path: &str) -> Route {
    if method != "POST" {
        return Route::Unknown;
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Route::Unknown;
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let call = |page: &str, edge: &str| match Endpoint::from_edge(edge) {
        Some(endpoint) => Route::Call {
            endpoint,
            page: page.to_string(),
        },
        None => Route::Unknown,
    };
    match segs.as_slice() {
        [""] => Route::Batch,
        [v] | [v, ""] if is_version(v) => Route::Batch,
        [page, edge] if !is_version(page) => call(page, edge),
        [v, page, edge] if is_version(v) => call(page, edge),
        _ => Route::Unknown,
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let limit = shared.max_body;
    Router::new()
        .route(
            "/__emulator/messages",
            get(list_messages).delete(clear_messages),
        )
        .route("/__emulator/faults", get(get_faults).post(post_faults))
        .fallback(api)
        .method_not_allowed_fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared)
}

// --- answers ----------------------------------------------------------------

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
fn json_response(
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

fn error_response(shared: &Shared, e: &GraphError, pages: &[(String, Usage)]) -> Response {
    json_response(shared, e.status, &e.envelope(), pages)
}

/// An injected 5xx: Graph's transient error (the spec's
/// `ServiceUnavailable`), or a proxy's HTML page.
fn fault_response(shared: &Shared, status: u16, graph_error: bool) -> Response {
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
async fn malformed(resp: Response, limit: usize) -> Response {
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

// --- handlers ---------------------------------------------------------------

async fn not_found(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    unknown(&shared, &method, &uri)
}

/// The catch-all's answer: 404, without usage headers.
fn unknown(shared: &Shared, method: &Method, uri: &Uri) -> Response {
    let e = shared
        .model
        .answers()
        .unknown_path(method.as_str(), uri.path());
    let mut resp = Response::new(Body::from(json_bytes(&e.envelope())));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    set_header(&mut resp, "content-type", JSON_UTF8);
    resp
}

async fn list_messages(State(shared): State<Arc<Shared>>) -> Response {
    let all: Vec<RecordedRequest> = shared.log.all();
    let body = serde_json::to_value(all).unwrap_or(Value::Array(Vec::new()));
    json_response(&shared, 200, &body, &[])
}

async fn clear_messages(State(shared): State<Arc<Shared>>) -> Response {
    shared.log.clear();
    json_response(&shared, 200, &serde_json::json!({"success": true}), &[])
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
                "faults: {e}; expected {{\"latency_ms\": N, \"status_5xx\": {{\"status\": 500|502|503, \"count\": N}}, \"drop_connections\": N, \"malformed_bodies\": N}}"
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

/// Counts the API requests being handled.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn enter(n: &'a AtomicUsize) -> InFlight<'a> {
        n.fetch_add(1, Ordering::SeqCst);
        InFlight(n)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
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
        return unknown(&shared, req.method(), req.uri());
    }
    let _guard = InFlight::enter(&shared.in_flight);
    let (latency, fault) = shared.faults.take();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let query = params::decode_query(req.uri().query());
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::bearer);
    // The whole request is read before any fault, so that a dropped
    // connection or a 5xx comes after the body left the client.
    let body = params::read_body(req, shared.max_body).await;

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
        Some(Fault::Malformed) | None => {}
    }

    let resp = answer(&shared, route, path, query, body, bearer);
    if fault == Some(Fault::Malformed) {
        malformed(resp, shared.max_body).await
    } else {
        resp
    }
}

/// The answer to a routed API request.
fn answer(
    shared: &Shared,
    route: Route,
    path: String,
    query: Result<serde_json::Map<String, Value>, Unreadable>,
    body: Result<Decoded, Unreadable>,
    bearer: Option<String>,
) -> Response {
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
                    return error_response(shared, &e, &[(page, usage)]);
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
            json_response(shared, a.status, &a.body, &[(a.page, a.usage)])
        }
        Route::Batch => {
            let result = query
                .and_then(|q| Ok((q, body?)))
                .and_then(|(q, b)| batch::handle(shared, q, b, bearer));
            match result {
                Ok(b) => json_response(shared, 200, &b.body, &b.pages),
                Err(e) => error_response(shared, &e, &[]),
            }
        }
        Route::Unknown => {
            let e = answers.unknown_path("POST", &path);
            error_response(shared, &e, &[])
        }
    }
}

// --- connections that can be dropped ----------------------------------------

/// A TCP stream that fails every operation once killed, so that hyper closes
/// it without writing an answer.
#[derive(Debug)]
pub(crate) struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by an injected fault",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// The listener handing out [`KillableStream`]s.
#[derive(Debug)]
pub(crate) struct KillableListener(TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (KillableStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    // Small answers should not wait for Nagle.
                    let _ = inner.set_nodelay(true);
                    let stream = KillableStream {
                        inner,
                        killed: Arc::new(AtomicBool::new(false)),
                    };
                    return (stream, addr);
                }
                Err(e) => {
                    // Errors of one connection are that connection's; others
                    // (too many open files) deserve a pause before retrying.
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    ) {
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// What a handler knows of its connection: the switch that drops it.
#[derive(Debug, Clone)]
pub(crate) struct Conn {
    killed: Arc<AtomicBool>,
}

impl Conn {
    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Conn {
        Conn {
            killed: Arc::clone(&stream.io().killed),
        }
    }
}

// --- start and stop ---------------------------------------------------------

/// Starts emulators. See the [crate] documentation for what they serve.
#[derive(Debug)]
#[non_exhaustive]
pub struct Emulator;

impl Emulator {
    /// Loads the spec, binds `addr` (port 0 picks a free port) and serves in
    /// a task of the current tokio runtime until
    /// [`RunningEmulator::shutdown`] or until the handle is dropped.
    pub async fn start(config: EmulatorConfig, addr: SocketAddr) -> Result<RunningEmulator, Error> {
        config.faults.check()?;
        let model = Model::load(&config.spec)?;
        let shared = Arc::new(Shared {
            model,
            platform: config.platform,
            token: config.token,
            app_secret: config.app_secret,
            rate: RateLimiter::new(config.rate_limits, config.clock),
            faults: FaultState::new(config.faults),
            log: Log::new(config.record_limit),
            max_body: config.max_body_bytes,
            in_flight: AtomicUsize::new(0),
        });
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| Error::Bind { addr, source })?;
        let app = router(Arc::clone(&shared)).into_make_service_with_connect_info::<Conn>();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = axum::serve(KillableListener(listener), app).with_graceful_shutdown(async {
            // A send, or the handle being dropped, both stop the server.
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move { server.await });
        tracing::debug!(
            "sendapi emulator for {} listening on {local_addr}",
            shared.model.spec().name()
        );
        Ok(RunningEmulator {
            local_addr,
            shared,
            stop,
            task,
        })
    }
}

/// A running emulator. Dropping it stops the server in the background;
/// [`RunningEmulator::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct RunningEmulator {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl RunningEmulator {
    /// The address the emulator listens on, with the real port.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://IP:PORT`, to put before `/v26.0/me/messages`. An unspecified
    /// address (`0.0.0.0`, `::`) becomes the loopback address.
    pub fn base_url(&self) -> String {
        let ip = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.local_addr.port()))
    }

    /// The snapshot the emulator checks against.
    pub fn snapshot(&self) -> &str {
        self.shared.model.spec().name()
    }

    /// The accepted requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.all()
    }

    /// Forgets the accepted requests.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// The faults in force (counts are what is left).
    pub fn faults(&self) -> Faults {
        self.shared.faults.get()
    }

    /// Replaces the faults in force.
    pub fn set_faults(&self, faults: Faults) -> Result<(), Error> {
        self.shared.faults.set(faults)
    }

    /// How many API requests are being handled right now (waiting out an
    /// injected latency included).
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// Stops accepting connections, lets the requests in flight finish, and
    /// returns once the server is down and the port closed.
    pub async fn shutdown(self) -> Result<(), Error> {
        let RunningEmulator { stop, task, .. } = self;
        let _ = stop.send(());
        match task.await {
            Ok(result) => result.map_err(Error::Serve),
            Err(e) => Err(Error::Serve(io::Error::other(e.to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let call = |page: &str, endpoint| Route::Call {
            endpoint,
            page: page.to_string(),
        };
        assert_eq!(
            route("POST", "/v26.0/123/messages"),
            call("123", Endpoint::Messages)
        );
        assert_eq!(
            route("POST", "/me/messages"),
            call("me", Endpoint::Messages)
        );
        assert_eq!(
            route("POST", "/v21.0/me/message_attachments"),
            call("me", Endpoint::Attachments)
        );
        assert_eq!(route("POST", "/"), Route::Batch);
        assert_eq!(route("POST", "/v26.0"), Route::Batch);
        assert_eq!(route("POST", "/v26.0/"), Route::Batch);
        assert_eq!(route("GET", "/me/messages"), Route::Unknown);
        assert_eq!(route("POST", "/v26.0/messages"), Route::Unknown);
        assert_eq!(route("POST", "/x/123/messages"), Route::Unknown);
        assert_eq!(route("POST", "/me/feed"), Route::Unknown);
        assert_eq!(route("POST", "/v26/me/messages/"), Route::Unknown);
    }
}
