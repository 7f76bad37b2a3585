//! The `X-Hub-Signature-256` check on arbitrary header bytes and bodies:
//! an error, never a panic, and `Ok` only for the body's own signature.
//! Input: the header value, a newline, the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendapi::AppSecret;
use sendapi::webhook::{sign, verify_headers, verify_signature};

fuzz_target!(|data: &[u8]| {
    let secret = AppSecret::new("fuzz-secret");
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let expected = sign(&secret, body);
    if verify_signature(&secret, header, body).is_ok() {
        // Only the body's own digest passes, whatever its case or padding.
        let given = String::from_utf8_lossy(header).trim().to_ascii_lowercase();
        assert_eq!(given, expected);
    }
    assert!(verify_signature(&secret, &expected, body).is_ok());
    let pairs = [("X-Hub-Signature-256", header), ("X-Hub-Signature", header)];
    let _ = verify_headers(&secret, &pairs, body);
    let _ = verify_headers(&secret, &pairs[1..], body);
});
