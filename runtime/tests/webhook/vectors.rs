//! Signatures computed outside Rust: each digest below is the output of
//! the OpenSSL command beside it, run on the fixture's exact bytes.

use sendapi::AppSecret;
use sendapi::webhook::{self, WebhookError, sign, verify_signature};
use serde_json::Value;

use super::{ESCAPED, PLAIN, secret};

/// `(body, key, header value)`.
const VECTORS: &[(&[u8], &str, &str)] = &[
    // openssl dgst -sha256 -hmac app-secret-1 < plain.json
    (
        PLAIN,
        "app-secret-1",
        "sha256=bfad09e1d501cfca4f555fe43560b99102f4dddff089c26d4a7d6d60e6b04147",
    ),
    // openssl dgst -sha256 -hmac 'an0ther s3cret' < plain.json
    (
        PLAIN,
        "an0ther s3cret",
        "sha256=62109304919b3e81cbd2d314275d75e3ffa31cfd5d050107f1f43e5d195e1580",
    ),
    // openssl dgst -sha256 -hmac app-secret-1 < escaped.json
    (
        ESCAPED,
        "app-secret-1",
        "sha256=ed27d5d71bff5608c1053ba109ca985c22d295049a550ac3262e75be38a3946c",
    ),
    // openssl dgst -sha256 -hmac 'an0ther s3cret' < escaped.json
    (
        ESCAPED,
        "an0ther s3cret",
        "sha256=628c44dcdc3b62c070b4c534751a20a1ef9cec8cd5661b82ff821ae2cdc0ce41",
    ),
    // printf '' | openssl dgst -sha256 -hmac app-secret-1
    (
        b"",
        "app-secret-1",
        "sha256=141680187efb610d9f28ea617a8fe902610e8a09ae982bf690d88a6473b8ee46",
    ),
];

#[test]
fn fixtures_are_byte_exact() {
    // An editor or a line-ending conversion would break every vector.
    assert_eq!(PLAIN.len(), 226);
    assert_eq!(ESCAPED.len(), 388);
    assert!(ESCAPED.is_ascii());
    for needle in [
        r"\u00e9",
        r"\ud83d\ude00",
        r"https:\/\/youtu.be\/x",
        r"\u0040",
    ] {
        let found = ESCAPED
            .windows(needle.len())
            .any(|w| w == needle.as_bytes());
        assert!(found, "{needle}");
    }
}

#[test]
fn openssl_vectors_verify() {
    for (body, key, header) in VECTORS {
        let secret = AppSecret::new(*key);
        assert_eq!(verify_signature(&secret, header, body), Ok(()), "{key}");
        // `sign` gives the same header, and upper-case hex verifies too.
        assert_eq!(sign(&secret, body), *header);
        let upper = format!("sha256={}", header["sha256=".len()..].to_uppercase());
        assert_eq!(verify_signature(&secret, &upper, body), Ok(()));
        // The other key does not.
        let other = AppSecret::new(if *key == "app-secret-1" {
            "x"
        } else {
            "app-secret-1"
        });
        assert_eq!(
            verify_signature(&other, header, body),
            Err(WebhookError::SignatureMismatch)
        );
    }
}

#[test]
fn reserialized_json_does_not_verify_but_the_raw_bytes_do() {
    let header = VECTORS[2].2;
    let value: Value = serde_json::from_slice(ESCAPED).unwrap();
    let text = value["entry"][0]["messaging"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert_eq!(
        text,
        "caf\u{e9} \u{1F600} \u{e4}\u{f6}\u{e5} https://youtu.be/x @home <b>"
    );

    // The pitfall: parse, serialize, hash. The escapes are gone.
    let reserialized = serde_json::to_vec(&value).unwrap();
    assert_ne!(reserialized, ESCAPED);
    assert!(!reserialized.is_ascii());
    assert_eq!(
        verify_signature(&secret(), header, &reserialized),
        Err(WebhookError::SignatureMismatch)
    );
    // The raw bytes as received verify, and parse decodes them after.
    assert_eq!(verify_signature(&secret(), header, ESCAPED), Ok(()));
    let parsed: Value =
        webhook::parse(&secret(), &[("x-hub-signature-256", header)], ESCAPED).unwrap();
    assert_eq!(parsed, value);
}

#[test]
fn parse_reads_headers_from_a_header_map_and_from_pairs() {
    let header = VECTORS[0].2;
    let mut map = http::HeaderMap::new();
    map.insert("X-Hub-Signature-256", header.parse().unwrap());
    map.insert("content-type", "application/json".parse().unwrap());
    let from_map: Value = webhook::parse(&secret(), &map, PLAIN).unwrap();
    assert_eq!(
        from_map["entry"][0]["messaging"][0]["message"]["mid"],
        "m_AbC-123_xYz"
    );

    let pairs = vec![
        ("Content-Type".to_string(), b"application/json".to_vec()),
        (
            "X-HUB-SIGNATURE-256".to_string(),
            header.as_bytes().to_vec(),
        ),
    ];
    let from_pairs: Value = webhook::parse(&secret(), &pairs, PLAIN).unwrap();
    assert_eq!(from_pairs, from_map);

    // A typed notification of the test's own.
    #[derive(serde::Deserialize)]
    struct Notification {
        object: String,
        entry: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        id: String,
        time: i64,
    }
    let n: Notification = webhook::parse(&secret(), &map, PLAIN).unwrap();
    assert_eq!(
        (n.object.as_str(), n.entry[0].id.as_str()),
        ("page", "1234567890")
    );
    assert_eq!(n.entry[0].time, 1_700_000_000_123);
}

#[test]
fn a_verified_body_that_does_not_decode_says_where() {
    #[derive(Debug, serde::Deserialize)]
    struct Strict {
        #[allow(dead_code, reason = "only decoding is tested")]
        entry: Vec<Entry>,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Entry {
        #[allow(dead_code, reason = "only decoding is tested")]
        time: String,
    }
    let header = VECTORS[0].2;
    let e =
        webhook::parse::<Strict>(&secret(), &[("x-hub-signature-256", header)], PLAIN).unwrap_err();
    match &e {
        WebhookError::Decode {
            path,
            line,
            column,
            message,
        } => {
            assert_eq!(path, "entry[0].time");
            assert_eq!(*line, 1);
            assert!(*column > 1);
            assert!(message.starts_with("invalid type: integer"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.http_status(), 400);
    assert!(!e.is_signature());
    assert!(e.to_string().contains("entry[0].time"), "{e}");
}
