//! The Attachment Upload API by URL; files (upload and upload-and-send)
//! are in `files`, with the `upload` feature.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::body::Payload;
use super::decode::decode;
use super::exchange::Limit;
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
                Limit::Every,
            )
            .await?;
        decode(answer, attempts, api::ERRORS)
    }
}
