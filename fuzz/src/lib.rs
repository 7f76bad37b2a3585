//! The bodies of the fuzz targets, one function per target. The cargo-fuzz
//! binaries in `fuzz_targets/` call them on nightly; the stable test
//! `tests/tests/fuzz_corpus.rs` of the workspace calls the same functions on
//! every input saved under `fuzz/corpus/`. Each function must return (an
//! error is fine) and may panic only where it asserts an invariant.

use std::str::FromStr;
use std::sync::OnceLock;

use sendapi::AppSecret;
use sendapi::webhook::{
    HandshakeQuery, VerifyToken, parse, sign, verify_headers, verify_signature,
};
use sendapi_codegen::Shapes;
use sendapi_codegen::request_expansion::{Bindings, expand};
use sendapi_emulator::EmulatorConfig;
use sendapi_emulator::fuzzing::InProcess;
use sendapi_spec::Platform;

/// The spec loader and lint on arbitrary text: an error, never a panic.
/// Texts that name an `extends` are left to [`overlay`], whose base is
/// fixed: a free `extends` would read whatever file the input names.
pub fn spec_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains("extends") {
        return;
    }
    if let Ok(spec) = sendapi_spec::load_str("fuzz.toml", text) {
        // A spec that loads must also compile into an engine and shapes.
        let engine = sendapi_spec::Engine::new(&spec);
        let _ = engine.validate(&serde_json::json!({}), Platform::Messenger);
        let _ = Shapes::new(&spec);
    }
}

/// A delta over the bundled v26.0: the input is the text after the
/// `extends` line. A delta that loads must diff against its base.
pub fn overlay(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains("extends") {
        return;
    }
    let delta = format!("format = 1\nextends = \"v26.0\"\n{text}");
    if let Ok(spec) = sendapi_spec::load_str("fuzz-delta.toml", &delta) {
        let base = sendapi_spec::bundled("v26.0").expect("bundled snapshots load");
        let _ = sendapi_spec::diff(base, &spec);
        let engine = sendapi_spec::Engine::new(&spec);
        let _ = engine.validate(&serde_json::json!({}), Platform::Messenger);
    }
}

/// The engine on arbitrary JSON, both snapshots and platforms. Every
/// violation points at a place the body has.
pub fn engine(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if sendapi_spec::depth(&value) > sendapi_spec::MAX_DEPTH {
        return;
    }
    for name in sendapi_spec::BUNDLED {
        let engine = sendapi_spec::bundled_engine(name).expect("bundled snapshots load");
        for platform in [Platform::Messenger, Platform::Instagram] {
            let report = engine.validate(&value, platform);
            for v in &report.violations {
                assert!(
                    v.pointer.is_empty() || value.pointer(&v.pointer).is_some(),
                    "{} points at {} which the body does not have",
                    v.rule,
                    v.pointer
                );
            }
        }
    }
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| Shapes::new(sendapi_spec::bundled("latest").expect("bundled")))
}

/// The `request!` expansion on arbitrary token streams: tokens or a
/// compile error, never a panic.
pub fn request_macro(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tokens) = proc_macro2::TokenStream::from_str(text) else {
        return;
    };
    let bindings = Bindings {
        spec: sendapi_spec::bundled("latest").expect("bundled"),
        shapes: shapes(),
        engine: sendapi_spec::bundled_engine("latest").expect("bundled"),
        module: quote::quote!(::sendapi::v26),
    };
    let _ = expand(tokens, &bindings);
}

/// The typed readers on arbitrary JSON: request bodies
/// (`Request::from_json`, then `validate()`) and Send API answers
/// (`Sent`, `AnyResponse`).
pub fn decoders(data: &[u8]) {
    let _ = serde_json::from_slice::<sendapi::Sent<sendapi::latest::form::Id>>(data);
    let _ = serde_json::from_slice::<sendapi::Sent<sendapi::latest::form::UserRef>>(data);
    let _ = serde_json::from_slice::<sendapi::AnyResponse>(data);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if sendapi_spec::depth(&value) > sendapi_spec::MAX_DEPTH {
        return;
    }
    if let Ok(r) = sendapi::v26::Request::from_json(&value) {
        let _ = r.validate();
        let _ = r.on::<sendapi::Instagram>().validate();
    }
    if let Ok(r) = sendapi::v21::Request::from_json(&value) {
        let _ = r.validate();
    }
}

#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "only decoding is exercised")]
struct Notification {
    object: String,
    entry: Vec<Entry>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "only decoding is exercised")]
struct Entry {
    id: serde_json::Value,
    time: Option<i64>,
    #[serde(default)]
    messaging: Vec<serde_json::Value>,
}

/// Webhook `parse` on arbitrary bodies, signed correctly: it decodes
/// exactly what serde_json decodes. Also the handshake query.
pub fn webhook_parse(data: &[u8]) {
    let secret = AppSecret::new("fuzz-secret");
    let signature = sign(&secret, data);
    let headers = [("x-hub-signature-256", signature.as_str())];
    let value = parse::<serde_json::Value>(&secret, &headers, data);
    assert_eq!(
        value.is_ok(),
        serde_json::from_slice::<serde_json::Value>(data).is_ok()
    );
    let _ = parse::<Notification>(&secret, &headers, data);
    assert!(parse::<serde_json::Value>(&secret, &[("x-hub-signature", "sha1=00")], data).is_err());

    if let Ok(query) = std::str::from_utf8(data) {
        let token = VerifyToken::new("fuzz-token");
        let q = HandshakeQuery::from_query(query);
        if let Ok(challenge) = q.answer(&token) {
            assert_eq!(q.verify_token.as_deref(), Some("fuzz-token"));
            assert_eq!(Some(challenge), q.challenge.as_deref());
        }
    }
}

/// The signature check: the first line is the header, the rest the body.
/// Only the right signature passes.
pub fn webhook_signature(data: &[u8]) {
    let secret = AppSecret::new("fuzz-secret");
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let expected = sign(&secret, body);
    if verify_signature(&secret, header, body).is_ok() {
        let given = String::from_utf8_lossy(header).trim().to_ascii_lowercase();
        assert_eq!(given, expected);
    }
    assert!(verify_signature(&secret, &expected, body).is_ok());
    let pairs = [("X-Hub-Signature-256", header), ("X-Hub-Signature", header)];
    let _ = verify_headers(&secret, &pairs, body);
    let _ = verify_headers(&secret, &pairs[1..], body);
}

fn emulator() -> &'static InProcess {
    static EMULATOR: OnceLock<InProcess> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        // Rate limits off: otherwise most inputs meet 613 before the readers.
        InProcess::new(EmulatorConfig::new().rate_limits(false).record_limit(16))
            .expect("the emulator starts")
    })
}

/// The emulator's request readers: JSON, form, multipart and batch bodies.
/// The first byte picks the route and content type, the rest is the body.
/// Every answer is a JSON document with a 2xx, 4xx or 5xx status.
pub fn emulator_readers(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let content_type: Option<&[u8]> = match selector % 6 {
        0 => Some(b"application/json"),
        1 => Some(b"application/x-www-form-urlencoded"),
        2 => Some(b"multipart/form-data; boundary=fuzzbound"),
        3 => None,
        4 => Some(b"application/json; charset=utf-8"),
        _ => Some(b"text/plain"),
    };
    // Batches go to the version root; the rest to the page's messages edge.
    let path = if selector & 0x80 != 0 {
        "/v26.0/"
    } else {
        "/v26.0/me/messages?access_token=fuzz"
    };
    let Some((status, answer)) = emulator().post(path, content_type, body) else {
        return;
    };
    assert!((200..600).contains(&status), "status {status}");
    assert!(
        serde_json::from_slice::<serde_json::Value>(&answer).is_ok(),
        "answer with status {status} is not JSON: {}",
        String::from_utf8_lossy(&answer)
    );
}
