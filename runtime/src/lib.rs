//! Typed, spec-driven bindings for Meta's Messenger Platform Send API
//! (`POST /{page-id}/messages`, shared with the Instagram Messaging API):
//! a request that Meta would refuse does not compile.
//!
//! Every type, rule, error code and rate class comes from a spec snapshot
//! (`sendapi::v26`, and `sendapi::latest`, today `v26`; the older `sendapi::v21`
//! with the `v21` feature).
//! There are four ways in.
//!
//! # `request!`: the JSON body, checked while compiling
//!
//! ```
//! use sendapi::latest as api;
//!
//! let psid = "6047783085279281";
//! let request = api::request!({
//!     "recipient": { "id": psid },
//!     "messaging_type": "RESPONSE",
//!     "message": {
//!         "text": "Your table for two is booked for 19:30.",
//!         "quick_replies": [{ "content_type": "text", "title": "Change", "payload": "CHANGE" }],
//!     },
//! });
//! // Values known only at run time (here the PSID) are checked here.
//! assert!(request.validate().is_ok());
//! ```
//!
//! A body Meta would refuse is a compile error naming the rule, pointing at
//! the offending token and saying how to fix it:
//!
//! ```compile_fail
//! let request = sendapi::latest::request!({
//!     "recipient": { "id": "6047783085279281" },
//!     "messaging_type": "MESSAGE_TAG",
//!     "tag": "ACCOUNT_UPDATE", // [request.tag.refused_since] refused by Graph since 2026-04-27
//!     "message": { "text": "Your card was declined." },
//! });
//! ```
//!
//! # Typed builders
//!
//! ```
//! use sendapi::latest::Request;
//!
//! let request = Request::builder()
//!     .to_id("6047783085279281")
//!     .text("An agent will answer within the hour.")
//!     .human_agent() // MESSAGE_TAG + HUMAN_AGENT, a deliberate choice
//!     .build();
//! assert_eq!(
//!     serde_json::to_value(&request).unwrap(),
//!     serde_json::json!({
//!         "recipient": { "id": "6047783085279281" },
//!         "messaging_type": "MESSAGE_TAG",
//!         "tag": "HUMAN_AGENT",
//!         "message": { "text": "An agent will answer within the hour." },
//!     })
//! );
//! ```
//!
//! Exclusive groups are sum types (`Recipient`, `Message`, `SenderAction`);
//! refused tags, platform exclusions and missing pieces are compile errors.
//!
//! # `#[derive(Message)]` for library authors
//!
//! ```
//! use sendapi::Message as _;
//! use sendapi::latest as api;
//!
//! #[derive(sendapi::Message)]
//! #[sendapi(messaging_type = "UPDATE")]
//! struct Shipped {
//!     #[sendapi(text)]
//!     text: String,
//! }
//!
//! let request = Shipped { text: "Your parcel is on its way.".into() }
//!     .to_request(api::Recipient::id("6047783085279281"));
//! assert!(request.validate().is_ok());
//! ```
//!
//! # `bindings!` from your own spec file
//!
//! With the `spec-files` feature, which builds the TOML loader into the
//! macros (a crate on the bundled snapshot alone does without it):
//!
//! ```
//! pub mod send_api {
//!     // The path is relative to the crate's Cargo.toml.
//!     sendapi::bindings!(spec = "../spec/send-api/v26.0.toml", module = crate::send_api);
//! }
//!
//! fn main() {
//!     let request = send_api::request!({
//!         "recipient": { "id": "6047783085279281" },
//!         "messaging_type": "UPDATE",
//!         "message": { "text": "Generated from a team's own spec." },
//!     });
//!     assert!(request.validate().is_ok());
//!     let built = send_api::Request::builder().to_id("1").typing_on().build();
//!     assert!(built.validate().is_ok());
//! }
//! ```
//!
//! # The unchecked path
//!
//! [`Unchecked`] sends any JSON body with no rule applied, for the day Meta
//! relaxes a rule before the spec catches up.
//!
//! # Receiving webhooks
//!
//! [`webhook`] is the receive side: it checks `X-Hub-Signature-256` over
//! the raw body, answers the subscription handshake, decodes a
//! notification only after verifying it, and recognizes Meta's retried
//! copies. With the `axum` feature, `webhook::Receiver` is a ready router.

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate self as sendapi;

pub mod builder;
#[cfg(feature = "client")]
mod client;
mod error;
mod error_table;
pub mod form;
mod platform;
mod response;
mod rule;
mod secret;
mod usage;
pub mod webhook;

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;

#[cfg(feature = "upload")]
#[cfg_attr(docsrs, doc(cfg(feature = "upload")))]
pub use client::FileData;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_HEADROOM, LocalBudget, MediaKind, PageToken,
    Permit, RateBudget, RateLimitMode, Response, RetryPolicy, Take, TakeFuture, Uploaded,
    appsecret_proof,
};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use client::{RedisBudget, RedisBudgetBuilder};
pub use error::{Delivery, Error, GraphError, Malformed, WebhookError};
pub use error_table::{ErrorCode, RetryClass};
pub use platform::{Instagram, Messenger, Platform, PlatformMarker};
pub use response::{AnyResponse, Sent};
pub use rule::{Invalid, Rule, Severity, Violation};
pub use secret::AppSecret;
pub use sendapi_core::{DedupeField, EventKind};
pub use usage::{AppUsage, BusinessUseCaseUsage, Usage};

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
    /// The snapshot's error codes, for classifying Graph's answers.
    const ERRORS: &'static [ErrorCode];
    /// Graph's limit of operations in one batch call, where the snapshot
    /// states one; `Client::send_batch` splits longer batches.
    const BATCH_LIMIT: Option<usize>;
    /// The platform whose rules apply.
    fn platform(&self) -> Platform;
    /// The Graph version this request goes to: [`Request::GRAPH_VERSION`]
    /// unless the request was built from a spec known only at run time
    /// (an [`Unchecked`] request given [`Unchecked::graph_version`]).
    fn graph_version(&self) -> &str {
        Self::GRAPH_VERSION
    }
    /// The run-time checks; `Client::send` refuses an invalid request
    /// before anything is sent.
    fn validate(&self) -> Result<(), Invalid>;
    /// The rate class the request counts against.
    fn rate_class(&self) -> &'static RateClass;
}

pub use sendapi_macros::{Message, bindings};

/// A request built from any JSON body with **no checks at all**: no rule
/// runs at compile time or before sending, and the response is raw JSON.
///
/// Use it only when Meta accepts something the spec does not know yet; the
/// typed requests are the normal way. It targets the latest snapshot's
/// Graph version unless [`Unchecked::graph_version`] names another, as for
/// a team's own spec (`sendapi send --spec team.toml` does that).
#[derive(Debug, Clone, PartialEq)]
pub struct Unchecked {
    body: serde_json::Value,
    platform: Platform,
    graph_version: Option<String>,
}

impl Unchecked {
    /// A request for Messenger with this exact body.
    pub fn new(body: serde_json::Value) -> Unchecked {
        Unchecked {
            body,
            platform: Platform::Messenger,
            graph_version: None,
        }
    }

    /// The same body, sent to another Graph version (`v27.0`); `Client::send`
    /// refuses a version that is not `v` followed by `MAJOR.MINOR`.
    pub fn graph_version(mut self, version: impl Into<String>) -> Unchecked {
        self.graph_version = Some(version.into());
        self
    }

    /// The same body, for another platform (only recorded; nothing checks it).
    pub fn platform(mut self, platform: Platform) -> Unchecked {
        self.platform = platform;
        self
    }

    /// The body.
    pub fn body(&self) -> &serde_json::Value {
        &self.body
    }
}

impl serde::Serialize for Unchecked {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(s)
    }
}

impl Request for Unchecked {
    type Response = serde_json::Value;
    const SNAPSHOT: &'static str = "unchecked";
    const GRAPH_VERSION: &'static str = latest::GRAPH_VERSION;
    const ERRORS: &'static [ErrorCode] = latest::ERRORS;
    const BATCH_LIMIT: Option<usize> = latest::BATCH_LIMIT;

    fn platform(&self) -> Platform {
        self.platform
    }

    fn graph_version(&self) -> &str {
        self.graph_version.as_deref().unwrap_or(Self::GRAPH_VERSION)
    }

    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    // Inline, as the reader it calls: compiled only in a crate that sends
    // `Unchecked` bodies (see sendapi-codegen's crate documentation).
    #[inline]
    fn rate_class(&self) -> &'static RateClass {
        // Without the rules, the class is a guess: the strictest one the
        // body could fall into is not knowable, so use the common class.
        latest::rate_class_of_value(&self.body)
    }
}

/// A library author's message type, turned into a typed request for a
/// recipient. Derive it with `#[derive(sendapi::Message)]`:
///
/// - on the type (or an enum variant): `#[sendapi(snapshot = "v26.0")]`
///   (default `latest`), `platform = "messenger" | "instagram"`, and each
///   field of the snapshot's request written as one string:
///   `messaging_type = "RESPONSE" | "UPDATE" | …`, `tag = "HUMAN_AGENT"`,
///   `notification_type = "…"`, `persona_id = "…"`;
/// - on fields, a field of the message: `#[sendapi(text)]`,
///   `#[sendapi(attachment)]`, `#[sendapi(attachments)]`,
///   `#[sendapi(quick_replies)]`, `#[sendapi(metadata)]`, ….
///
/// What an attribute or role implies by the snapshot's rules is filled in:
/// a `tag` sends `messaging_type` `MESSAGE_TAG`, a `template` role
/// `UTILITY`. The attributes are checked against the snapshot's rules at
/// compile time, all errors at once; values are checked by `validate()` at
/// run time.
pub trait Message {
    /// The typed request this message becomes.
    type Request: Request;
    /// The snapshot's recipient type.
    type Recipient;
    /// The request sending this message to `recipient`.
    fn to_request(&self, recipient: Self::Recipient) -> Self::Request;
}

// The bindings are prettyplease's output, which the freshness test compares
// byte for byte, so rustfmt must leave them alone. `#[rustfmt::skip]` cannot
// say so: a tool attribute on an out-of-line module makes rustc treat the
// module as macro-expanded, and then refuse its `pub use crate::… as
// request` of the `#[macro_export]` macro it defines.
#[allow(clippy::deprecated_cfg_attr, reason = "see above")]
#[cfg_attr(rustfmt, rustfmt::skip)]
#[path = "generated/v21.rs"]
#[cfg(feature = "v21")]
pub mod v21;
#[allow(clippy::deprecated_cfg_attr, reason = "see above")]
#[cfg_attr(rustfmt, rustfmt::skip)]
#[path = "generated/v26.rs"]
pub mod v26;
/// The newest bundled snapshot: today [`v26`]. Moving it is a breaking
/// change of sendapi.
pub use v26 as latest;

/// The guide's worker example compiles: `cargo test --doc --features redis`.
#[cfg(all(doctest, feature = "redis"))]
#[doc = include_str!("../../docs/scale-out.md")]
struct ScaleOutGuide;
