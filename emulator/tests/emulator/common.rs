//! Starting an emulator on 127.0.0.1 and talking to it over real HTTP.

use reqwest::header::HeaderMap;
use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;

/// The token the tests configure.
pub const TOKEN: &str = "TEST_PAGE_TOKEN";
/// The app secret the proof tests configure.
pub const SECRET: &str = "TEST_APP_SECRET";

/// A running emulator and a client for it.
pub struct Env {
    pub emu: RunningEmulator,
    pub http: reqwest::Client,
}

/// An answer, read completely.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON; panics with the text when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("answer is not JSON ({e}): {}", self.text))
    }

    /// The Graph error's code, or 0 when the answer is not an error.
    pub fn code(&self) -> u64 {
        self.json()["error"]["code"].as_u64().unwrap_or(0)
    }

    /// The Graph error's subcode.
    pub fn subcode(&self) -> Option<u64> {
        self.json()["error"]["error_subcode"].as_u64()
    }

    /// The Graph error's message.
    pub fn message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A header as JSON.
    pub fn header_json(&self, name: &str) -> Value {
        let raw = self
            .headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers));
        serde_json::from_slice(raw.as_bytes())
            .unwrap_or_else(|e| panic!("{name} is not JSON ({e}): {raw:?}"))
    }

    /// `call_count` of a page in `X-Business-Use-Case-Usage`.
    pub fn page_call_count(&self, page: &str) -> u64 {
        let buc = self.header_json("x-business-use-case-usage");
        buc[page][0]["call_count"]
            .as_u64()
            .unwrap_or_else(|| panic!("no usage for page {page} in {buc}"))
    }
}

/// Starts an emulator with `config` on a free port of 127.0.0.1.
pub async fn start(config: EmulatorConfig) -> Env {
    let emu = Emulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the emulator starts");
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain HTTP client builds");
    Env { emu, http }
}

/// The usual configuration: the latest snapshot and [`TOKEN`].
pub fn config() -> EmulatorConfig {
    EmulatorConfig::new().token(TOKEN)
}

pub async fn read(resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("the body is read");
    Reply {
        status,
        headers,
        text,
    }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    /// POSTs a JSON body as it is (put the token in it or in the path).
    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        let resp = self
            .http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("the request is answered");
        read(resp).await
    }

    /// POSTs a JSON body with [`TOKEN`] added to it.
    pub async fn send(&self, path: &str, body: Value) -> Reply {
        let mut body = body;
        body["access_token"] = Value::from(TOKEN);
        self.post_json(path, &body).await
    }

    /// POSTs a form.
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let resp = self
            .http
            .post(self.url(path))
            .form(pairs)
            .send()
            .await
            .expect("the request is answered");
        read(resp).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        let resp = self
            .http
            .get(self.url(path))
            .send()
            .await
            .expect("the request is answered");
        read(resp).await
    }
}

/// A valid text message to `psid`.
pub fn text_to(psid: &str) -> Value {
    serde_json::json!({
        "recipient": {"id": psid},
        "messaging_type": "RESPONSE",
        "message": {"text": "hello"}
    })
}

/// A valid audio message (rate class `audio_video`).
pub fn audio_to(psid: &str) -> Value {
    serde_json::json!({
        "recipient": {"id": psid},
        "messaging_type": "RESPONSE",
        "message": {"attachment": {"type": "audio", "payload": {"url": "https://example.com/a.mp3"}}}
    })
}

/// Whether `id` looks like Graph's message ids: `m_` and base64url.
pub fn is_message_id(id: &str) -> bool {
    id.strip_prefix("m_").is_some_and(|rest| {
        rest.len() == 40
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Asserts the Graph error envelope: message, type, code, fbtrace_id.
pub fn assert_envelope(reply: &Reply) {
    let v = reply.json();
    let e = &v["error"];
    assert!(e["message"].is_string(), "no message in {v}");
    assert!(e["type"].is_string(), "no type in {v}");
    assert!(e["code"].is_u64(), "no code in {v}");
    let trace = e["fbtrace_id"].as_str().unwrap_or_default();
    assert!(trace.len() >= 16, "fbtrace_id {trace:?} in {v}");
}
