//! Files: the Attachment Upload API and upload-and-send with a file, as
//! multipart `filedata` (the `upload` feature: reqwest's `multipart` and
//! mime_guess, which a bot sending by URL or attachment id does not build).

use std::path::PathBuf;
use std::sync::Mutex;

use serde_json::Value;

use super::decode::decode;
use super::exchange::Limit;
use super::upload::{MediaKind, Uploaded};
use super::{Client, Response};
use crate::RateClass;
use crate::error::Error;
use crate::latest as api;

enum Source {
    Bytes(bytes::Bytes),
    Path(PathBuf),
    Stream(reqwest::Body),
}

/// The file of an upload: bytes, a path read when sending, or a stream
/// (which can be sent only once, so a failed stream upload is not retried).
pub struct FileData {
    name: String,
    mime: Option<String>,
    source: Source,
}

impl std::fmt::Debug for FileData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Path(p) => format!("file {}", p.display()),
            Source::Stream(_) => "a stream".to_string(),
        };
        f.debug_struct("FileData")
            .field("name", &self.name)
            .field("mime", &self.mime)
            .field("source", &source)
            .finish()
    }
}

impl FileData {
    /// In-memory bytes with a file name and a MIME type.
    pub fn bytes(
        name: impl Into<String>,
        bytes: impl Into<bytes::Bytes>,
        mime: impl Into<String>,
    ) -> FileData {
        FileData {
            name: name.into(),
            mime: Some(mime.into()),
            source: Source::Bytes(bytes.into()),
        }
    }

    /// A file on disk; its name and MIME type come from the path.
    pub fn path(path: impl Into<PathBuf>) -> FileData {
        let path = path.into();
        let name = path
            .file_name()
            .map_or_else(|| "file".to_string(), |n| n.to_string_lossy().into_owned());
        let mime = mime_guess::from_path(&path)
            .first()
            .map(|m| m.essence_str().to_string());
        FileData {
            name,
            mime,
            source: Source::Path(path),
        }
    }

    /// A body sent once: a failed upload of it is not retried. A
    /// `tokio::fs::File` or a byte stream (`reqwest::Body::wrap_stream`)
    /// converts into one with the `stream` feature.
    pub fn stream(
        name: impl Into<String>,
        body: impl Into<reqwest::Body>,
        mime: impl Into<String>,
    ) -> FileData {
        FileData {
            name: name.into(),
            mime: Some(mime.into()),
            source: Source::Stream(body.into()),
        }
    }

    pub(crate) async fn into_part(self) -> Result<Part, Error> {
        let data = match self.source {
            Source::Bytes(b) => Data::Bytes(b),
            // What tokio::fs::read does, without tokio's `fs` feature.
            Source::Path(p) => match tokio::task::spawn_blocking(move || {
                let read = std::fs::read(&p);
                (p, read)
            })
            .await
            {
                Ok((_, Ok(b))) => Data::Bytes(b.into()),
                Ok((p, Err(e))) => {
                    return Err(Error::Config(format!("cannot read {}: {e}", p.display())));
                }
                Err(e) => {
                    return Err(Error::Config(format!(
                        "reading the upload's file failed: {e}"
                    )));
                }
            },
            Source::Stream(s) => Data::Stream(Mutex::new(Some(s))),
        };
        Ok(Part {
            name: self.name,
            mime: self.mime,
            data,
        })
    }
}

enum Data {
    Bytes(bytes::Bytes),
    Stream(Mutex<Option<reqwest::Body>>),
}

/// A file ready to send, replayable unless it is a stream.
pub(crate) struct Part {
    name: String,
    mime: Option<String>,
    data: Data,
}

impl Part {
    /// A multipart part for one attempt; `None` when a stream was used.
    pub(crate) fn replay(&self) -> Option<reqwest::multipart::Part> {
        let part = match &self.data {
            Data::Bytes(b) => reqwest::multipart::Part::bytes(b.to_vec()),
            Data::Stream(s) => reqwest::multipart::Part::stream(s.lock().ok()?.take()?),
        };
        let part = part.file_name(self.name.clone());
        match &self.mime {
            Some(m) => part.mime_str(m).ok(),
            None => Some(part),
        }
    }
}

impl Client {
    /// Uploads a file (bytes, a path or a stream) to the Attachment Upload
    /// API as multipart `filedata`.
    #[cfg_attr(docsrs, doc(cfg(feature = "upload")))]
    pub async fn upload_file(
        &self,
        kind: MediaKind,
        file: FileData,
    ) -> Result<Response<Uploaded>, Error> {
        let message = serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"is_reusable": true}}});
        let fields = vec![("message".to_string(), message.to_string())];
        let url = self.attachments_url()?;
        let payload = self.multipart(fields, FILE_PART, file).await?;
        let (answer, attempts) = self
            .exchange(
                &url,
                &payload,
                &RateClass::UNLIMITED,
                api::ERRORS,
                Limit::Every,
            )
            .await?;
        decode(answer, attempts, api::ERRORS)
    }

    /// Upload-and-send: sends `file` to `recipient` as a `kind` attachment
    /// in one call, the file as the multipart part the spec names for it
    /// (`filedata`); with `reusable`, the answer carries an `attachment_id`.
    /// The message is checked against the latest snapshot's rules first, as
    /// a request that carries that part.
    #[cfg_attr(docsrs, doc(cfg(feature = "upload")))]
    pub async fn send_file(
        &self,
        recipient: api::Recipient,
        messaging_type: api::MessagingType,
        kind: MediaKind,
        file: FileData,
        reusable: bool,
    ) -> Result<Response<crate::Sent<api::form::Any>>, Error> {
        let request = upload_send(recipient, messaging_type, kind, reusable);
        request.validate_with_parts(FILE_PARTS)?;
        let fields = form_fields(&request)?;
        let url = self.messages_url(api::GRAPH_VERSION)?;
        let payload = self.multipart(fields, FILE_PART, file).await?;
        let (answer, attempts) = self
            .exchange(
                &url,
                &payload,
                request.rate_class(),
                api::ERRORS,
                Limit::Every,
            )
            .await?;
        decode(answer, attempts, api::ERRORS)
    }
}

/// An upload-and-send request: its attachment payload is the form whose key
/// is the file part.
type UploadSend = api::Request<crate::Messenger, api::form::Any, api::kind::Message>;

/// The multipart part that carries the file of an upload-and-send.
const FILE_PART: &str = api::FiledataMediaPayload::PART;

/// The parts an upload-and-send carries beside its JSON fields.
const FILE_PARTS: &[&str] = &[FILE_PART];

/// The [`UploadSend`] of a file of `kind`.
fn upload_send(
    recipient: api::Recipient,
    messaging_type: api::MessagingType,
    kind: MediaKind,
    reusable: bool,
) -> UploadSend {
    let payload =
        api::MediaPayload::Filedata(api::FiledataMediaPayload::new().is_reusable(reusable));
    let attachment = match kind {
        MediaKind::Image => api::Attachment::image(payload),
        MediaKind::Audio => api::Attachment::audio(payload),
        MediaKind::Video => api::Attachment::video(payload),
        MediaKind::File => api::Attachment::file(payload),
    };
    api::Request::builder()
        .to(recipient)
        .message(api::Message::attachment(attachment))
        .messaging_type(messaging_type)
        .build()
}

/// The text parts of a multipart request: each top-level field of its
/// JSON body, a string as it is and any other value as its JSON text, as
/// Graph reads form fields.
fn form_fields(request: &UploadSend) -> Result<Vec<(String, String)>, Error> {
    // Through bytes rather than `serde_json::to_value`: the message types
    // are already serialized to bytes on the send path, and a second
    // serializer would compile their whole `Serialize` tree again in every
    // build of this crate.
    let bytes = serde_json::to_vec(request)
        .map_err(|e| Error::Config(format!("the request does not serialize: {e}")))?;
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(Error::Config("the request is not a JSON object".into()));
    };
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload of an upload-and-send is the typed form whose key is the
    /// file part: no url in the JSON, valid only as a request with the part.
    #[test]
    fn the_upload_send_body_has_no_url_and_needs_the_file_part() {
        let request = upload_send(
            api::Recipient::id("5551"),
            api::MessagingType::Response,
            MediaKind::Video,
            true,
        );
        let fields = form_fields(&request).expect("fields");
        let message: Value = fields
            .iter()
            .find(|(k, _)| k == "message")
            .and_then(|(_, v)| serde_json::from_str(v).ok())
            .expect("message is a JSON text");
        assert_eq!(
            message,
            serde_json::json!({"attachment": {"type": "video", "payload": {"is_reusable": true}}})
        );
        assert!(fields.contains(&("messaging_type".to_string(), "RESPONSE".to_string())));
        assert!(!fields.iter().any(|(_, v)| v.contains("invalid")));
        assert_eq!(FILE_PART, "filedata");
        assert!(request.validate_with_parts(FILE_PARTS).is_ok());
        let as_json = request.validate().expect_err("no source without the part");
        assert_eq!(as_json.violations.len(), 1);
        assert_eq!(as_json.violations[0].rule, "media.exactly_one_source");
    }
}
