//! Typed, spec-driven bindings for Meta's Messenger Platform Send API.

#![deny(missing_docs)]

extern crate self as sendapi;

pub mod builder;
pub mod form;
mod platform;
mod response;
mod rule;

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;

pub use platform::{Instagram, Messenger, Platform, PlatformMarker};
pub use response::{AnyResponse, Sent};
pub use rule::{Invalid, Rule, Severity, Violation};

/// A per-page rate limit class from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateClass {
    /// Class name (`standard`, `audio_video`).
    pub name: &'static str,
    /// Calls allowed per window.
    pub limit: u32,
    /// Window length in seconds.
    pub per_seconds: u32,
}

impl RateClass {
    /// No limit known.
    pub const UNLIMITED: RateClass = RateClass {
        name: "unlimited",
        limit: u32::MAX,
        per_seconds: 1,
    };
}

/// A request `Client::send` can send: typed bindings implement it, and so
/// does the explicitly unchecked [`Unchecked`].
pub trait Request: serde::Serialize {
    /// The typed response.
    type Response: serde::de::DeserializeOwned + std::fmt::Debug;
    /// The spec snapshot the request was built against.
    const SNAPSHOT: &'static str;
    /// The Graph version the request is sent to.
    const GRAPH_VERSION: &'static str;
    /// The platform whose rules apply.
    fn platform(&self) -> Platform;
    /// The run-time checks; `Client::send` refuses an invalid request
    /// before anything is sent.
    fn validate(&self) -> Result<(), Invalid>;
    /// The rate class the request counts against.
    fn rate_class(&self) -> &'static RateClass;
}

pub use sendapi_macros::{Message, bindings};

/// A library author's message type, turned into a typed request for a
/// recipient. Derive it with `#[derive(sendapi::Message)]`:
///
/// - on the type (or an enum variant): `#[sendapi(snapshot = "v26.0")]`
///   (default `latest`), `platform = "messenger" | "instagram"`,
///   `messaging_type = "RESPONSE" | "UPDATE" | …` or `tag = "HUMAN_AGENT"`
///   (which implies `MESSAGE_TAG`), `notification_type = "…"`;
/// - on fields: `#[sendapi(text)]`, `#[sendapi(attachment)]`,
///   `#[sendapi(quick_replies)]`, `#[sendapi(metadata)]`.
///
/// The attributes are checked against the snapshot's rules at compile time,
/// all errors at once; values are checked by `validate()` at run time.
pub trait Message {
    /// The typed request this message becomes.
    type Request: Request;
    /// The snapshot's recipient type.
    type Recipient;
    /// The request sending this message to `recipient`.
    fn to_request(&self, recipient: Self::Recipient) -> Self::Request;
}

#[path = "generated/v21.rs"]
pub mod v21;
#[path = "generated/v26.rs"]
pub mod v26;
/// The newest bundled snapshot: today [`v26`]. Moving it is a breaking
/// change of sendapi.
pub use v26 as latest;
