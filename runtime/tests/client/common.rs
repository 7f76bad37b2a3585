//! Emulators on 127.0.0.1, clients for them, a capturing socket for the raw
//! bytes, and the secret check every error goes through.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sendapi::{Client, ClientBuilder, RateLimitMode, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;

/// The Page the tests send for.
pub const PAGE: &str = "1234567890";
/// A PSID.
pub const PSID: &str = "6047783085279281";
/// The token the emulators accept. Distinctive, so that a leak is found
/// by a substring search.
pub const TOKEN: &str = "EAAB-test-page-token-7f3c9e1d";
/// The app secret the emulators check proofs with.
pub const SECRET: &str = "app-secret-5d1b2a90c4";

/// The proof of [`TOKEN`] under [`SECRET`].
pub fn proof() -> String {
    sendapi::appsecret_proof(SECRET, TOKEN)
}

/// An emulator with [`TOKEN`] and [`SECRET`], latest snapshot, Messenger.
pub fn config() -> EmulatorConfig {
    EmulatorConfig::new().token(TOKEN).app_secret(SECRET)
}

/// Starts an emulator on a free port of 127.0.0.1.
pub async fn start(config: EmulatorConfig) -> RunningEmulator {
    Emulator::start(config, "127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the emulator starts")
}

/// Retries with delays of a few milliseconds, no jitter: fast tests.
pub fn fast_retry(max_attempts: u32) -> RetryPolicy {
    let mut policy = RetryPolicy::attempts(max_attempts);
    policy.base_delay = Duration::from_millis(1);
    policy.max_delay = Duration::from_millis(4);
    policy.jitter = false;
    policy
}

/// A builder for `base` with the page, [`TOKEN`], [`SECRET`], fast
/// retries (3 attempts) and no client-side rate limit.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .page_id(PAGE)
        .page_token(TOKEN)
        .app_secret(SECRET)
        .retry(fast_retry(3))
        .rate_limit(RateLimitMode::Off)
}

/// A client for `emu`, see [`builder`].
pub fn client(emu: &RunningEmulator) -> Client {
    builder(&emu.base_url()).build().expect("the client builds")
}

/// Whether `id` looks like Graph's message ids: `m_` and base64url.
pub fn is_message_id(id: &str) -> bool {
    id.strip_prefix("m_").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Asserts that neither the Debug nor the Display of `value` shows the
/// token, the app secret or the proof.
pub fn assert_no_secret<T: fmt::Debug + fmt::Display + ?Sized>(value: &T) {
    let debug = format!("{value:?}");
    let display = value.to_string();
    assert_no_secret_in(&debug);
    assert_no_secret_in(&display);
}

/// Asserts that `text` does not contain the token, the secret or the proof.
pub fn assert_no_secret_in(text: &str) {
    for (what, secret) in [("token", TOKEN), ("app secret", SECRET)] {
        assert!(!text.contains(secret), "the {what} leaks into {text:?}");
    }
    let proof = proof();
    assert!(!text.contains(&proof), "the proof leaks into {text:?}");
}

/// The Graph error of `err`; panics with the error otherwise.
pub fn graph(err: &sendapi::Error) -> &sendapi::GraphError {
    err.graph()
        .unwrap_or_else(|| panic!("expected a Graph error, got {err:?}"))
}

// --- a capturing socket -------------------------------------------------------

/// One request as it arrived on the socket.
#[derive(Debug, Clone)]
pub struct Captured {
    /// `POST /v26.0/… HTTP/1.1`.
    pub request_line: String,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Captured {
    /// The request target: path and query.
    pub fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap_or_default()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics with the text when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

type Answerer = dyn Fn(&Captured) -> (u16, String) + Send + Sync;

/// A plain socket on 127.0.0.1 that records each request byte for byte and
/// answers what `answer` says, closing the connection after each answer.
/// It is not an HTTP library: it sees exactly what the client wrote.
pub struct Capture {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Captured>>>,
}

impl Capture {
    pub fn start(answer: impl Fn(&Captured) -> (u16, String) + Send + Sync + 'static) -> Capture {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let answer: Box<Answerer> = Box::new(answer);
        // The thread blocks in accept until the test binary exits.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(write) = stream.try_clone() else {
                    continue;
                };
                let Some(captured) = read_request(BufReader::new(stream)) else {
                    continue;
                };
                let (status, body) = answer(&captured);
                // Recorded before answering, so the client never sees an
                // answer to a request the record does not hold yet.
                record
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(captured);
                let mut write = write;
                let _ = write!(
                    write,
                    "HTTP/1.1 {status} Answer\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = write.flush();
            }
        });
        Capture { base_url, seen }
    }

    /// The requests so far, in order.
    pub fn requests(&self) -> Vec<Captured> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn read_request(mut reader: BufReader<std::net::TcpStream>) -> Option<Captured> {
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let request_line = request_line.trim_end().to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Captured {
        request_line,
        headers,
        body,
    })
}

/// A success answer to a message send.
pub fn sent_answer() -> String {
    serde_json::json!({"recipient_id": PSID, "message_id": "m_captured"}).to_string()
}

/// A Graph batch answer to `captured`: one success part per operation.
pub fn batch_answer(captured: &Captured) -> String {
    let n = captured.json()["batch"].as_array().map_or(0, Vec::len);
    let parts: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "code": 200,
                "body": serde_json::json!({"recipient_id": PSID, "message_id": format!("m_{i}")}).to_string(),
            })
        })
        .collect();
    Value::Array(parts).to_string()
}
