//! The emulator's request path without a socket, for the cargo-fuzz
//! targets and the stable test that replays their corpus. Not a public
//! API: it exists behind the `fuzzing` feature and may change at any time.

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use axum::http::header::CONTENT_TYPE;

use crate::config::EmulatorConfig;
use crate::error::Error;
use crate::handlers::answer_in_process;
use crate::state::Shared;

/// An emulator answering requests in the calling thread.
#[derive(Debug)]
pub struct InProcess {
    shared: Arc<Shared>,
    runtime: tokio::runtime::Runtime,
}

impl InProcess {
    /// An emulator for `config`; rate limits are best turned off, or most
    /// inputs meet error 613 before the readers.
    pub fn new(config: EmulatorConfig) -> Result<InProcess, Error> {
        let shared = crate::start::shared(config)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(Error::Serve)?;
        Ok(InProcess { shared, runtime })
    }

    /// POSTs `body` to `path_and_query` with `content_type` and returns the
    /// status and the answer's bytes. `None` when `path_and_query` is not
    /// a URI at all (the HTTP layer refuses such a request before the
    /// emulator sees it).
    pub fn post(
        &self,
        path_and_query: &str,
        content_type: Option<&[u8]>,
        body: &[u8],
    ) -> Option<(u16, Vec<u8>)> {
        let mut req = Request::post(path_and_query);
        if let Some(ct) = content_type {
            req = req.header(CONTENT_TYPE, ct);
        }
        let req = req.body(Body::from(body.to_vec())).ok()?;
        let shared = &self.shared;
        self.runtime.block_on(async move {
            let resp = answer_in_process(shared, req).await;
            let status = resp.status().as_u16();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .ok()?;
            Some((status, bytes.to_vec()))
        })
    }
}
