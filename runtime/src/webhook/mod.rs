//! The receive side: Meta's webhooks for Messenger (object `page`) and
//! Instagram messaging (object `instagram`).
//!
//! Meta sends two requests to a webhook endpoint:
//!
//! - a **GET handshake** when the callback URL or verify token is saved in
//!   the App Dashboard: [`handshake`] (or [`HandshakeQuery`]) returns the
//!   `hub.challenge` to echo, unchanged, with a 200, after checking
//!   `hub.mode` and the verify token in constant time;
//! - a **POST notification** per batch of events, signed with
//!   `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the raw body
//!   keyed with the app secret: [`parse`] checks the signature first and
//!   only then decodes the body into any serde type. The SHA-1
//!   `X-Hub-Signature` is never accepted on its own.
//!
//! The signature covers the bytes exactly as sent, in Meta's escaped form
//! (`\u00e9`, `\ud83d\ude00`, `https:\/\/`): verify the raw body, never
//! JSON parsed and serialized again, which does not verify.
//!
//! Delivery is at least once: Meta resends what was not answered with a
//! 200 within seconds, with new `time` and `timestamp` values. [`Dedupe`]
//! recognizes the copies by [`DedupeKey`]: message ids, and watermarks for
//! reads and deliveries. It needs no feature, so that generated event
//! types can build their keys in any build.
//!
//! With the `axum` feature, `Receiver` is a ready router: handshake,
//! verification before decoding, a 200 at once, and the handler run
//! afterwards in a task of its own.
//!
//! Everything but the deduplication needs the `webhook` feature (on by
//! default).

mod dedupe;
#[cfg(feature = "webhook")]
mod handshake;
#[cfg(feature = "webhook")]
mod parse;
#[cfg(feature = "axum")]
mod receiver;
#[cfg(feature = "webhook")]
mod signature;

pub use dedupe::{Dedupe, DedupeKey};
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub use handshake::{HandshakeQuery, VerifyToken, handshake};
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub use parse::{decode, parse};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use receiver::{HandlerOutput, Receiver};
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub use signature::{
    Headers, SHA1_SIGNATURE_HEADER, SIGNATURE_HEADER, sign, verify_headers, verify_signature,
};

pub use crate::error::{Malformed, WebhookError};
pub use crate::secret::AppSecret;
