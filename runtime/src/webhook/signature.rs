//! `X-Hub-Signature-256`: HMAC-SHA256 of the raw body, keyed with the app
//! secret.

use ring::hmac;

use crate::{AppSecret, Malformed, WebhookError};

/// The header Meta signs every notification with (lower case, as HTTP/2
/// and `http::HeaderMap` spell it; names are compared case-insensitively).
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// The legacy SHA-1 header. Never accepted: a request carrying only it is
/// refused with [`WebhookError::Sha1Only`].
pub const SHA1_SIGNATURE_HEADER: &str = "x-hub-signature";

const PREFIX: &[u8] = b"sha256=";

/// Request headers, looked up by name case-insensitively: implemented for
/// `http::HeaderMap` and for lists of `(name, value)` pairs (`&str`,
/// `String`, `&[u8]` or `Vec<u8>` values), so any framework can hand its
/// headers over.
pub trait Headers {
    /// Every value of the header `name`, in order.
    fn values(&self, name: &str) -> Vec<&[u8]>;
}

impl Headers for http::HeaderMap {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.get_all(name).iter().map(|v| v.as_bytes()).collect()
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>> Headers for [(N, V)] {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.iter()
            .filter(|(n, _)| n.as_ref().trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>, const K: usize> Headers for [(N, V); K] {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.as_slice().values(name)
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(N, V)> {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.as_slice().values(name)
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        (**self).values(name)
    }
}

/// Checks one `X-Hub-Signature-256` value (`sha256=` and the lower- or
/// upper-case hex HMAC-SHA256) against the **raw** body bytes, in constant
/// time.
///
/// Hash the bytes exactly as received: Meta signs its escaped form
/// (`\u00e9`, `\/`), and JSON parsed and serialized again does not verify.
/// An empty value counts as missing.
///
/// ```
/// use sendapi::AppSecret;
/// use sendapi::webhook::{sign, verify_signature};
///
/// let secret = AppSecret::new("app-secret");
/// let body = br#"{"object":"page","entry":[]}"#;
/// let header = sign(&secret, body);
/// assert!(verify_signature(&secret, &header, body).is_ok());
/// assert!(verify_signature(&secret, &header, b"{}").is_err());
/// ```
pub fn verify_signature(
    secret: &AppSecret,
    header_value: impl AsRef<[u8]>,
    raw_body: &[u8],
) -> Result<(), WebhookError> {
    let expected = decode_header(header_value.as_ref())?;
    // ring compares the tags in constant time.
    hmac::verify(&key(secret), raw_body, &expected).map_err(|_| WebhookError::SignatureMismatch)
}

/// Finds `X-Hub-Signature-256` among `headers` and checks it against the
/// raw body: missing (or only the SHA-1 header) and repeated headers are
/// refused before any hashing.
pub fn verify_headers(
    secret: &AppSecret,
    headers: &(impl Headers + ?Sized),
    raw_body: &[u8],
) -> Result<(), WebhookError> {
    match headers.values(SIGNATURE_HEADER).as_slice() {
        [] if !headers.values(SHA1_SIGNATURE_HEADER).is_empty() => Err(WebhookError::Sha1Only),
        [] => Err(WebhookError::MissingSignature),
        [value] => verify_signature(secret, value, raw_body),
        // Two signatures: which one a proxy or framework would read is
        // ambiguous, so neither is trusted.
        _ => Err(WebhookError::MalformedSignature(Malformed::Repeated)),
    }
}

/// The `X-Hub-Signature-256` value Meta would send for `raw_body`:
/// `sha256=` and the lower-case hex HMAC-SHA256. For tests, and for
/// forwarding a body to another receiver.
pub fn sign(secret: &AppSecret, raw_body: &[u8]) -> String {
    format!("sha256={}", hex::encode(hmac::sign(&key(secret), raw_body)))
}

fn key(secret: &AppSecret) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret.expose().as_bytes())
}

/// The 32 digest bytes of a header value. Attacker-controlled input: every
/// odd byte is an error, never a panic.
fn decode_header(value: &[u8]) -> Result<Vec<u8>, WebhookError> {
    // `http` allows obs-text (bytes >= 0x80) in header values; refuse them
    // before any string handling.
    if !value
        .iter()
        .all(|b| (b.is_ascii() && !b.is_ascii_control()) || *b == b'\t')
    {
        return Err(WebhookError::MalformedSignature(Malformed::NotAscii));
    }
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    let digits = match value.split_at_checked(PREFIX.len()) {
        Some((prefix, digits)) if prefix.eq_ignore_ascii_case(PREFIX) => digits,
        _ => return Err(WebhookError::MalformedSignature(Malformed::BadPrefix)),
    };
    let bytes = hex::decode(digits).map_err(|e| {
        WebhookError::MalformedSignature(match e {
            hex::FromHexError::OddLength => Malformed::OddLength,
            _ => Malformed::NotHex,
        })
    })?;
    // A length check is no timing leak: the length is public.
    if bytes.len() != 32 {
        return Err(WebhookError::MalformedSignature(Malformed::Length(
            bytes.len(),
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(value: &[u8]) -> Malformed {
        match decode_header(value) {
            Err(WebhookError::MalformedSignature(m)) => m,
            other => panic!("{value:?}: {other:?}"),
        }
    }

    #[test]
    fn header_shapes() {
        let hex64 = "ab".repeat(32);
        assert_eq!(
            decode_header(format!("sha256={hex64}").as_bytes())
                .unwrap()
                .len(),
            32
        );
        assert!(decode_header(format!("SHA256={}", hex64.to_uppercase()).as_bytes()).is_ok());
        assert!(decode_header(format!(" sha256={hex64}\t").as_bytes()).is_ok());
        assert_eq!(
            malformed(format!("sha1={hex64}").as_bytes()),
            Malformed::BadPrefix
        );
        assert_eq!(malformed(hex64.as_bytes()), Malformed::BadPrefix);
        assert_eq!(malformed(b"sha25"), Malformed::BadPrefix);
        assert_eq!(malformed(b"sha256=abc"), Malformed::OddLength);
        assert_eq!(malformed(b"sha256=zz"), Malformed::NotHex);
        assert_eq!(malformed(b"sha256=abcd"), Malformed::Length(2));
        assert_eq!(malformed(b"sha256="), Malformed::Length(0));
        assert_eq!(malformed("sha256=é".as_bytes()), Malformed::NotAscii);
        assert_eq!(malformed(b"sha256=\xff\xfe"), Malformed::NotAscii);
        assert_eq!(malformed(b"sha256=ab\ncd"), Malformed::NotAscii);
        assert_eq!(decode_header(b"  "), Err(WebhookError::MissingSignature));
    }

    #[test]
    fn pair_lookup_ignores_case() {
        let pairs = [("X-Hub-Signature-256", "a"), ("content-type", "b")];
        assert_eq!(pairs.values(SIGNATURE_HEADER), vec![b"a".as_slice()]);
        assert!(pairs.values(SHA1_SIGNATURE_HEADER).is_empty());
    }
}
