//! The Attachment Upload API and upload-and-send: the files, and the
//! client's calls that send them.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::body::Payload;
use super::decode::decode;
use super::{Client, Response};
use crate::RateClass;
use crate::error::Error;
use crate::latest as api;

/// The kind of media an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// An image.
    Image,
    /// An audio file.
    Audio,
    /// A video.
    Video,
    /// Any other file.
    File,
}

impl MediaKind {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
            MediaKind::File => "file",
        }
    }
}

/// The answer of the Attachment Upload API.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Uploaded {
    /// Send this id in `payload.attachment_id`, to anyone, for 90 days.
    pub attachment_id: String,
}

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

    /// A stream of bytes, sent once.
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
            Source::Path(p) => match tokio::fs::read(&p).await {
                Ok(b) => Data::Bytes(b.into()),
                Err(e) => return Err(Error::Config(format!("cannot read {}: {e}", p.display()))),
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
    /// Uploads media by URL to the Attachment Upload API; the answer's
    /// `attachment_id` can be sent to anyone for 90 days.
    pub async fn upload_url(
        &self,
        kind: MediaKind,
        url: impl Into<String>,
    ) -> Result<Response<Uploaded>, Error> {
        let mut body = Map::new();
        body.insert(
            "message".into(),
            serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"url": url.into(), "is_reusable": true}}}),
        );
        self.authenticate(&mut body);
        let url = self.attachments_url()?;
        let (answer, attempts) = self
            .exchange(
                &url,
                &Payload::Json(Value::Object(body)),
                &RateClass::UNLIMITED,
                api::ERRORS,
                true,
            )
            .await?;
        decode(answer, attempts, api::ERRORS)
    }

    /// Uploads a file (bytes, a path or a stream) to the Attachment Upload
    /// API as multipart `filedata`.
    pub async fn upload_file(
        &self,
        kind: MediaKind,
        file: FileData,
    ) -> Result<Response<Uploaded>, Error> {
        let message = serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"is_reusable": true}}});
        let fields = vec![("message".to_string(), message.to_string())];
        let url = self.attachments_url()?;
        let payload = self.multipart(fields, file).await?;
        let (answer, attempts) = self
            .exchange(&url, &payload, &RateClass::UNLIMITED, api::ERRORS, true)
            .await?;
        decode(answer, attempts, api::ERRORS)
    }

    /// Upload-and-send: sends `file` to `recipient` as a `kind` attachment
    /// in one call (multipart `filedata`); with `reusable`, the answer
    /// carries an `attachment_id`. The message is checked against the
    /// latest snapshot's rules first, as if the file were a URL.
    pub async fn send_file(
        &self,
        recipient: api::Recipient,
        messaging_type: api::MessagingType,
        kind: MediaKind,
        file: FileData,
        reusable: bool,
    ) -> Result<Response<crate::Sent<api::form::Any>>, Error> {
        let check = stand_in(&recipient, &messaging_type, kind);
        check.validate()?;
        let fields = send_file_fields(&recipient, &messaging_type, &check, kind, reusable);
        let url = self.messages_url(api::GRAPH_VERSION)?;
        let payload = self.multipart(fields, file).await?;
        let (answer, attempts) = self
            .exchange(&url, &payload, check.rate_class(), api::ERRORS, true)
            .await?;
        decode(answer, attempts, api::ERRORS)
    }
}

/// The request `send_file` would send if the file were a URL: what the
/// rules check, and where its rate class and tag come from.
type StandIn = api::Request<crate::Messenger, api::form::Any, api::kind::Message>;

/// The [`StandIn`] of an upload-and-send.
fn stand_in(
    recipient: &api::Recipient,
    messaging_type: &api::MessagingType,
    kind: MediaKind,
) -> StandIn {
    let payload = api::MediaPayload::url("https://upload.invalid/filedata");
    let attachment = match kind {
        MediaKind::Image => api::Attachment::image(payload),
        MediaKind::Audio => api::Attachment::audio(payload),
        MediaKind::Video => api::Attachment::video(payload),
        MediaKind::File => api::Attachment::file(payload),
    };
    api::Request::builder()
        .to(recipient.clone())
        .message(api::Message::attachment(attachment))
        .messaging_type(messaging_type.clone())
        .build()
}

/// The text fields of an upload-and-send: all but `filedata` and the token
/// and proof.
fn send_file_fields(
    recipient: &api::Recipient,
    messaging_type: &api::MessagingType,
    stand_in: &StandIn,
    kind: MediaKind,
    reusable: bool,
) -> Vec<(String, String)> {
    let recipient = serde_json::to_value(recipient)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let mut fields = vec![
        ("recipient".to_string(), recipient),
        (
            "messaging_type".to_string(),
            messaging_type.as_str().to_string(),
        ),
    ];
    // A carried tag (MESSAGE_TAG + HUMAN_AGENT) goes next to it.
    if let Ok(Value::Object(full)) = serde_json::to_value(stand_in)
        && let Some(tag) = full.get("tag")
    {
        let tag = match tag {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        fields.push(("tag".to_string(), tag));
    }
    let message = serde_json::json!({"attachment": {"type": kind.as_str(), "payload": {"is_reusable": reusable}}});
    fields.push(("message".to_string(), message.to_string()));
    fields
}
