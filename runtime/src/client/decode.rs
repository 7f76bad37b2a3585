//! Answers decoded: a typed response, or the error the answer describes.

use serde::de::DeserializeOwned;

use super::Response;
use super::exchange::Answer;
use crate::error::{Error, GraphError};
use crate::{ErrorCode, RetryClass};

/// The error an answer that is not a success describes: a Graph error
/// classified by `table`, else the HTTP status and the start of the body.
pub(super) fn graph_error(a: &Answer, table: &'static [ErrorCode]) -> Error {
    #[derive(serde::Deserialize)]
    struct Envelope {
        error: Wire,
    }
    #[derive(serde::Deserialize)]
    struct Wire {
        message: Option<String>,
        #[serde(rename = "type")]
        error_type: Option<String>,
        code: Option<u32>,
        error_subcode: Option<u64>,
        error_user_title: Option<String>,
        error_user_msg: Option<String>,
        fbtrace_id: Option<String>,
    }
    match serde_json::from_slice::<Envelope>(&a.body) {
        Ok(Envelope { error: w }) if w.code.is_some() => {
            let code = w.code.unwrap_or_default();
            let entry = ErrorCode::find(table, code, w.error_subcode);
            Error::Graph(Box::new(GraphError {
                status: a.status,
                code,
                subcode: w.error_subcode,
                error_type: w.error_type,
                message: w.message.unwrap_or_default(),
                user_title: w.error_user_title,
                user_message: w.error_user_msg,
                fbtrace_id: w.fbtrace_id,
                name: entry.map(|e| e.name),
                meaning: entry.map(|e| e.doc),
                retry: entry.map_or(RetryClass::Ambiguous, |e| e.retry),
                usage: a.usage.clone(),
            }))
        }
        _ => {
            let text = String::from_utf8_lossy(&a.body);
            let snippet: String = text.chars().take(200).collect();
            Error::Http {
                status: a.status,
                snippet,
            }
        }
    }
}

/// Decodes an answer; an error answer is classified by `table`, the error
/// table of the snapshot the request was built against.
pub(super) fn decode<T: DeserializeOwned>(
    a: Answer,
    attempts: u32,
    table: &'static [ErrorCode],
) -> Result<Response<T>, Error> {
    if !(200..300).contains(&a.status) {
        return Err(graph_error(&a, table));
    }
    // The common case first; the path of a failure is worth a second pass.
    let first = match serde_json::from_slice::<T>(&a.body) {
        Ok(value) => {
            return Ok(Response {
                value,
                usage: a.usage,
                attempts,
            });
        }
        Err(e) => e,
    };
    let de = &mut serde_json::Deserializer::from_slice(&a.body);
    let (path, message) = match serde_path_to_error::deserialize::<_, T>(de) {
        Err(e) => (e.path().to_string(), e.into_inner().to_string()),
        // What only the whole-input check finds: text after the value.
        Ok(_) => ("$".to_string(), first.to_string()),
    };
    Err(Error::Decode {
        status: a.status,
        path,
        message,
    })
}
