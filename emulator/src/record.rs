//! The record of accepted requests.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One accepted request, as `GET /__emulator/messages` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The page the request was for: the id in the path, or for `me` the id
    /// the emulator derives from the token.
    pub page_id: String,
    /// The request path without the query (for a batch item: its
    /// `relative_url` path, with a leading `/`).
    pub path: String,
    /// `messages` or `message_attachments`.
    pub endpoint: String,
    /// The body as decoded and validated, without `access_token` and
    /// `appsecret_proof`. Form and multipart values appear decoded.
    pub body: Value,
    /// The `filedata` part of a multipart request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filedata: Option<FileInfo>,
    /// The answer sent back.
    pub response: Value,
    /// Whether the request came as an operation of a batch.
    #[serde(default)]
    pub batch: bool,
}

/// What the emulator keeps of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileInfo {
    /// The part's file name.
    pub filename: Option<String>,
    /// The part's content type.
    pub content_type: Option<String>,
    /// Size in bytes.
    pub size: usize,
}

#[derive(Debug)]
pub(crate) struct Log {
    limit: usize,
    entries: Mutex<VecDeque<RecordedRequest>>,
}

impl Log {
    pub(crate) fn new(limit: usize) -> Log {
        Log {
            limit,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<RecordedRequest>> {
        // The queue stays consistent even if a holder panicked.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn push(&self, r: RecordedRequest) {
        if self.limit == 0 {
            return;
        }
        let mut entries = self.lock();
        while entries.len() >= self.limit {
            entries.pop_front();
        }
        entries.push_back(r);
    }

    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        self.lock().iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}
