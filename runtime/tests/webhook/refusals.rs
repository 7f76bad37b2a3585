//! Every way a POST's signature is refused, each with its own error, and
//! none of them printing the secret or the signature.

use sendapi::webhook::{self, Malformed, WebhookError, sign, verify_headers, verify_signature};
use serde_json::Value;

use super::{PLAIN, secret};

const GOOD: &str = "sha256=bfad09e1d501cfca4f555fe43560b99102f4dddff089c26d4a7d6d60e6b04147";

fn malformed(m: Malformed) -> Result<(), WebhookError> {
    Err(WebhookError::MalformedSignature(m))
}

#[test]
fn wrong_signature() {
    // The signature of another body.
    let other = sign(&secret(), b"{}");
    assert_eq!(
        verify_signature(&secret(), &other, PLAIN),
        Err(WebhookError::SignatureMismatch)
    );
    // One digit changed.
    let flipped = GOOD.replace("bfad", "bfae");
    assert_eq!(
        verify_signature(&secret(), &flipped, PLAIN),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn tampered_body() {
    let tampered = String::from_utf8(PLAIN.to_vec())
        .unwrap()
        .replace("hello", "hellO");
    assert_eq!(tampered.len(), PLAIN.len());
    assert_eq!(
        verify_signature(&secret(), GOOD, tampered.as_bytes()),
        Err(WebhookError::SignatureMismatch)
    );
    // Whitespace a proxy might add counts as tampering too.
    let mut padded = PLAIN.to_vec();
    padded.push(b'\n');
    assert_eq!(
        verify_signature(&secret(), GOOD, &padded),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn missing_signature() {
    let none: [(&str, &str); 1] = [("content-type", "application/json")];
    assert_eq!(
        verify_headers(&secret(), &none, PLAIN),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(
        verify_headers(&secret(), &[("x-hub-signature-256", "")], PLAIN),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(
        verify_headers(&secret(), &http::HeaderMap::new(), PLAIN),
        Err(WebhookError::MissingSignature)
    );
}

#[test]
fn malformed_signatures() {
    let digits = &GOOD["sha256=".len()..];
    let cases: Vec<(Vec<u8>, Malformed)> = vec![
        (format!("sha1={digits}").into_bytes(), Malformed::BadPrefix),
        (digits.as_bytes().to_vec(), Malformed::BadPrefix),
        (
            format!("sha256:{digits}").into_bytes(),
            Malformed::BadPrefix,
        ),
        (
            format!("sha256={}", &digits[1..]).into_bytes(),
            Malformed::OddLength,
        ),
        (
            format!("sha256={}zz", &digits[2..]).into_bytes(),
            Malformed::NotHex,
        ),
        (
            format!("sha256={}", &digits[..62]).into_bytes(),
            Malformed::Length(31),
        ),
        (
            format!("sha256=\u{e9}{}", &digits[2..]).into_bytes(),
            Malformed::NotAscii,
        ),
        (
            [b"sha256=".as_slice(), &[0xff; 64]].concat(),
            Malformed::NotAscii,
        ),
    ];
    for (value, expected) in cases {
        assert_eq!(
            verify_signature(&secret(), &value, PLAIN),
            malformed(expected),
            "{}",
            String::from_utf8_lossy(&value)
        );
    }
}

#[test]
fn non_ascii_header_bytes_through_a_header_map_fail_closed() {
    // `http` accepts obs-text bytes in values; they must be refused, not
    // panic or be read lossily.
    let mut map = http::HeaderMap::new();
    let value = http::HeaderValue::from_bytes(b"sha256=\xe9\xe9").unwrap();
    map.insert("x-hub-signature-256", value);
    assert_eq!(
        verify_headers(&secret(), &map, PLAIN),
        malformed(Malformed::NotAscii)
    );
}

#[test]
fn repeated_signature_headers_are_refused() {
    let twice = [("x-hub-signature-256", GOOD), ("X-Hub-Signature-256", GOOD)];
    assert_eq!(
        verify_headers(&secret(), &twice, PLAIN),
        malformed(Malformed::Repeated)
    );
}

#[test]
fn sha1_alone_is_refused_with_its_own_error() {
    // openssl dgst -sha1 -hmac app-secret-1 < plain.json
    let sha1 = "sha1=7decf3d3f1146c6903539e0e7b06684b0fb0b85a";
    let only_sha1 = [("X-Hub-Signature", sha1)];
    let e = verify_headers(&secret(), &only_sha1, PLAIN).unwrap_err();
    assert_eq!(e, WebhookError::Sha1Only);
    assert!(
        e.to_string().contains("X-Hub-Signature-256 is required"),
        "{e}"
    );
    assert_eq!(e.http_status(), 403);
    // parse refuses before decoding.
    assert_eq!(
        webhook::parse::<Value>(&secret(), &only_sha1, PLAIN).unwrap_err(),
        WebhookError::Sha1Only
    );
    // Both headers, as Meta sends: the -256 one decides.
    let both = [("X-Hub-Signature", sha1), ("X-Hub-Signature-256", GOOD)];
    assert_eq!(verify_headers(&secret(), &both, PLAIN), Ok(()));
    let both_bad = [
        ("X-Hub-Signature", sha1),
        ("X-Hub-Signature-256", "sha256=00"),
    ];
    assert_eq!(
        verify_headers(&secret(), &both_bad, PLAIN),
        malformed(Malformed::Length(1))
    );
}

#[test]
fn parse_never_decodes_an_unverified_body() {
    // Not even JSON: a decode error here would mean decoding came first.
    let junk = b"not json at all";
    let e = webhook::parse::<Value>(&secret(), &[("x-hub-signature-256", GOOD)], junk).unwrap_err();
    assert_eq!(e, WebhookError::SignatureMismatch);
    assert!(e.is_signature());
}

#[test]
fn errors_never_print_the_secret_or_the_signature() {
    let secret = sendapi::AppSecret::new("app-secret-1");
    assert_eq!(format!("{secret:?} {secret}"), "AppSecret(***) ***");
    let errors = [
        verify_signature(&secret, "sha256=00", PLAIN).unwrap_err(),
        verify_signature(&secret, GOOD.replace("bfad", "0000"), PLAIN).unwrap_err(),
    ];
    for e in errors {
        let shown = format!("{e} {e:?} {}", sendapi::Error::from(e.clone()));
        assert!(!shown.contains("app-secret-1"), "{shown}");
        assert!(!shown.contains("bfad09e1"), "{shown}");
        assert!(!shown.contains("0000"), "{shown}");
    }
}
