//! Reading call parameters: the query, and JSON, form and multipart bodies.

use std::fmt;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use sendapi_spec::MAX_DEPTH;
use serde_json::{Map, Value};

use crate::model::{ACCESS_TOKEN, APPSECRET_PROOF};
use crate::record::FileInfo;

/// Why a request cannot be read. The emulator answers it with code 100
/// ([`crate::answers::Answers::invalid`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable(pub(crate) String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The multipart part holding the file of an upload-and-send.
pub(crate) const FILEDATA: &str = "filedata";

/// A body, decoded.
#[derive(Debug, Default)]
pub(crate) struct Decoded {
    pub(crate) map: Map<String, Value>,
    pub(crate) filedata: Option<FileInfo>,
}

/// Decodes one form, query or multipart value: a JSON text becomes its
/// value (`{"id":"1"}`, `true`, `42`), anything else stays a string
/// (`RESPONSE`), as Graph reads Meta's curl samples. Tokens and proofs
/// always stay strings.
pub(crate) fn decode_value(key: &str, raw: &str) -> Result<Value, Unreadable> {
    if key == ACCESS_TOKEN || key == APPSECRET_PROOF {
        return Ok(Value::String(raw.to_string()));
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(v) => {
            // The value sits one level below the body.
            let depth = sendapi_spec::depth(&v) + 1;
            if depth > MAX_DEPTH {
                return Err(too_deep(depth));
            }
            Ok(v)
        }
        Err(e) if is_recursion_limit(&e) => Err(too_deep(MAX_DEPTH + 1)),
        Err(_) => Ok(Value::String(raw.to_string())),
    }
}

fn is_recursion_limit(e: &serde_json::Error) -> bool {
    e.to_string().contains("recursion limit")
}

fn too_deep(depth: usize) -> Unreadable {
    Unreadable(format!(
        "the body is nested {depth} levels deep or more; the limit is {MAX_DEPTH}"
    ))
}

/// Decodes `a=1&b={"x":2}` into a map; a repeated key keeps its last value.
pub(crate) fn decode_form(bytes: &[u8]) -> Result<Map<String, Value>, Unreadable> {
    let mut map = Map::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        let value = decode_value(&k, &v)?;
        map.insert(k.into_owned(), value);
    }
    Ok(map)
}

/// Decodes a JSON body, which must be an object.
pub(crate) fn decode_json(bytes: &[u8]) -> Result<Map<String, Value>, Unreadable> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        if is_recursion_limit(&e) {
            too_deep(MAX_DEPTH + 1)
        } else {
            Unreadable(format!("the body is not valid JSON: {e}"))
        }
    })?;
    let depth = sendapi_spec::depth(&value);
    if depth > MAX_DEPTH {
        return Err(too_deep(depth));
    }
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Unreadable(format!(
            "the body must be a JSON object, found {}",
            match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            }
        ))),
    }
}

/// The query parameters, decoded like form values.
pub(crate) fn decode_query(query: Option<&str>) -> Result<Map<String, Value>, Unreadable> {
    decode_form(query.unwrap_or("").as_bytes())
}

fn too_large(limit: usize) -> Unreadable {
    Unreadable(format!(
        "the request body is larger than the emulator's limit of {limit} bytes"
    ))
}

/// Reads and decodes a request body by its content type.
pub(crate) async fn read_body(req: Request, limit: usize) -> Result<Decoded, Unreadable> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large(limit));
    }
    let essence = content_type.as_deref().map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    match essence.as_deref() {
        Some("multipart/form-data") => read_multipart(req, limit).await,
        Some("application/json") => {
            let bytes = read_bytes(req.into_body(), limit).await?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Decoded::default());
            }
            Ok(Decoded {
                map: decode_json(&bytes)?,
                filedata: None,
            })
        }
        Some("application/x-www-form-urlencoded") => {
            let bytes = read_bytes(req.into_body(), limit).await?;
            Ok(Decoded {
                map: decode_form(&bytes)?,
                filedata: None,
            })
        }
        None | Some("") => {
            // No content type: JSON when it looks like it, else a form.
            let bytes = read_bytes(req.into_body(), limit).await?;
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            let map = match first {
                None => Map::new(),
                Some(b'{') => decode_json(&bytes)?,
                Some(_) => decode_form(&bytes)?,
            };
            Ok(Decoded {
                map,
                filedata: None,
            })
        }
        Some(other) => Err(Unreadable(format!(
            "unsupported Content-Type `{other}`; send application/json, application/x-www-form-urlencoded or multipart/form-data"
        ))),
    }
}

async fn read_bytes(body: Body, limit: usize) -> Result<axum::body::Bytes, Unreadable> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        Unreadable(format!(
            "the request body could not be read ({e}); the emulator reads at most {limit} bytes"
        ))
    })
}

/// Multipart: `filedata` is the file, every other named part a form value.
async fn read_multipart(req: Request, limit: usize) -> Result<Decoded, Unreadable> {
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|e| Unreadable(format!("the multipart body cannot be read: {e}")))?;
    let mut out = Decoded::default();
    let field_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large(limit)
        } else {
            Unreadable(format!(
                "the multipart body cannot be read: {}",
                e.body_text()
            ))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(field_error)? {
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        if name == FILEDATA {
            let filename = field.file_name().map(str::to_string);
            let content_type = field.content_type().map(str::to_string);
            let bytes = field.bytes().await.map_err(field_error)?;
            out.filedata = Some(FileInfo {
                filename,
                content_type,
                size: bytes.len(),
            });
        } else {
            let text = field.text().await.map_err(field_error)?;
            let value = decode_value(&name, &text)?;
            out.map.insert(name, value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_values_are_json_texts_or_strings() {
        let map = decode_form(
            br#"recipient=%7B%22id%22%3A%221%22%7D&messaging_type=RESPONSE&access_token=123&n=42"#,
        )
        .unwrap_or_default();
        assert_eq!(map["recipient"], json!({"id": "1"}));
        assert_eq!(map["messaging_type"], json!("RESPONSE"));
        assert_eq!(map["access_token"], json!("123"));
        assert_eq!(map["n"], json!(42));
    }

    #[test]
    fn deep_values_are_refused() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(decode_value("message", &deep).is_err());
        assert!(decode_json(deep.as_bytes()).is_err());
        let ok = format!("{}{}", "[".repeat(10), "]".repeat(10));
        assert!(decode_value("message", &ok).is_ok());
    }
}
