//! Files for upload-and-send and the Attachment Upload API.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Deserialize;

use crate::error::Error;

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
