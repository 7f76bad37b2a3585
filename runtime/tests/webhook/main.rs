//! The webhook receive side without HTTP: signature vectors computed by
//! OpenSSL (see `fixtures/README.md`), every refusal, the handshake, parse
//! and deduplication of retried copies.

mod dedupe;
mod handshake;
mod refusals;
mod vectors;

use sendapi::AppSecret;

/// The key of most vectors.
fn secret() -> AppSecret {
    AppSecret::new("app-secret-1")
}

const PLAIN: &[u8] = include_bytes!("fixtures/plain.json");
const ESCAPED: &[u8] = include_bytes!("fixtures/escaped.json");
