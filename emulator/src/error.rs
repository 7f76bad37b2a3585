//! The one error type of this crate.

use std::io;
use std::net::SocketAddr;

/// What can go wrong while starting, configuring or stopping an emulator.
///
/// Problems with a request never show up here: the emulator answers them
/// with a Graph error, like Graph does.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec snapshot named in the configuration does not load.
    #[error("cannot load the spec: {0}")]
    Spec(#[from] sendapi_spec::Error),
    /// The address cannot be listened on (in use, not local, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying error.
        source: io::Error,
    },
    /// A fault setting is out of range (a 5xx status outside 500–599).
    #[error("invalid faults: {0}")]
    Faults(String),
    /// The webhook URL is not an `http(s)` URL, or the HTTP client for
    /// webhooks cannot be built.
    #[error("cannot set up webhooks: {0}")]
    Webhook(String),
    /// An emulated person's action cannot be played (a reaction without
    /// the `mid` it reacts to, an event the snapshot lacks).
    #[error("the person cannot act: {0}")]
    Person(String),
    /// The server task failed or panicked.
    #[error("the emulator stopped with an error: {0}")]
    Serve(#[source] io::Error),
}
