//! Verify, then decode: the framework-free entry point.

use serde::de::DeserializeOwned;

use super::signature::{Headers, verify_headers};
use crate::{AppSecret, WebhookError};

/// Verifies a notification POST and only then decodes its body into `E`.
///
/// `headers` are the request's headers (`http::HeaderMap`, or
/// `(name, value)` pairs); `raw_body` is the body exactly as received,
/// before any JSON extractor touched it. `E` is any serde type: the
/// generated notification types, your own, or `serde_json::Value`.
///
/// ```
/// use sendapi::AppSecret;
/// use sendapi::webhook::{self, WebhookError};
///
/// #[derive(serde::Deserialize)]
/// struct Notification {
///     object: String,
///     entry: Vec<serde_json::Value>,
/// }
///
/// let secret = AppSecret::new("app-secret");
/// let body = br#"{"object":"page","entry":[{"id":"1","time":1,"messaging":[]}]}"#;
/// let signature = webhook::sign(&secret, body);
///
/// let n: Notification =
///     webhook::parse(&secret, &[("X-Hub-Signature-256", signature.as_str())], body)?;
/// assert_eq!((n.object.as_str(), n.entry.len()), ("page", 1));
///
/// // Nothing is decoded before the signature is checked.
/// let refused = webhook::parse::<Notification>(&secret, &[("X-Hub-Signature", "sha1=00")], body);
/// assert_eq!(refused.err(), Some(WebhookError::Sha1Only));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse<E: DeserializeOwned>(
    secret: &AppSecret,
    headers: &(impl Headers + ?Sized),
    raw_body: &[u8],
) -> Result<E, WebhookError> {
    verify_headers(secret, headers, raw_body)?;
    decode(raw_body)
}

/// Decodes a body that was already verified, naming where and what went
/// wrong. Public for receivers that verify in a middleware of their own.
pub fn decode<E: DeserializeOwned>(verified_body: &[u8]) -> Result<E, WebhookError> {
    let mut de = serde_json::Deserializer::from_slice(verified_body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        decode_error(path, e.into_inner())
    })?;
    // Trailing bytes after the JSON value.
    de.end().map_err(|e| decode_error(".".into(), e))?;
    Ok(value)
}

fn decode_error(path: String, e: serde_json::Error) -> WebhookError {
    let (line, column) = (e.line(), e.column());
    // serde_json appends the position, which the variant holds already.
    let message = e.to_string();
    let message = message
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&message)
        .to_string();
    WebhookError::Decode {
        path,
        line,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "only decoding is tested")]
    struct N {
        object: String,
        entry: Vec<E>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "only decoding is tested")]
    struct E {
        time: i64,
    }

    #[test]
    fn decode_errors_say_where() {
        let e =
            decode::<N>(b"{\"object\":\"page\",\n\"entry\":[{\"time\":\"soon\"}]}").unwrap_err();
        match e {
            WebhookError::Decode { path, line, .. } => {
                assert_eq!(path, "entry[0].time");
                assert_eq!(line, 2);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode::<N>(b"{\"object\":\"page\",\"entry\":[]} x"),
            Err(WebhookError::Decode { .. })
        ));
        assert!(decode::<N>(b"{\"object\":\"page\",\"entry\":[]}\n").is_ok());
    }
}
