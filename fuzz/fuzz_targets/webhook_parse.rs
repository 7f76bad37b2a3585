//! `webhook::parse` on arbitrary bodies, signed so that decoding is
//! reached, and the handshake on arbitrary query strings: an error, never
//! a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendapi::AppSecret;
use sendapi::webhook::{HandshakeQuery, VerifyToken, parse, sign};

/// A notification shape with the flexible parts a real one has.
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

fuzz_target!(|data: &[u8]| {
    let secret = AppSecret::new("fuzz-secret");
    let signature = sign(&secret, data);
    let headers = [("x-hub-signature-256", signature.as_str())];
    let value = parse::<serde_json::Value>(&secret, &headers, data);
    // Decoding follows serde_json exactly once verified.
    assert_eq!(
        value.is_ok(),
        serde_json::from_slice::<serde_json::Value>(data).is_ok()
    );
    // No such implication for a typed result: the fields it ignores are
    // skipped without decoding (a lone surrogate, a number out of range).
    let _ = parse::<Notification>(&secret, &headers, data);
    // Unsigned, nothing is decoded.
    assert!(parse::<serde_json::Value>(&secret, &[("x-hub-signature", "sha1=00")], data).is_err());

    if let Ok(query) = std::str::from_utf8(data) {
        let token = VerifyToken::new("fuzz-token");
        let q = HandshakeQuery::from_query(query);
        if let Ok(challenge) = q.answer(&token) {
            assert_eq!(q.verify_token.as_deref(), Some("fuzz-token"));
            assert_eq!(Some(challenge), q.challenge.as_deref());
        }
    }
});
